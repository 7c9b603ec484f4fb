import Foundation
import LabSupport

/// One cell of a table: text, a number (with an optional ± error, e.g. the std over
/// seeds), or nothing.
public enum TableCell: Sendable, Equatable {
    case text(String)
    case number(Double, error: Double? = nil)
    case empty

    /// How the cell reads: numbers with 3 significant digits (`0.512 ± 0.021`).
    public var text: String {
        switch self {
        case .text(let s): return s
        case .empty: return ""
        case let .number(v, error):
            guard let error, error.isFinite, error != 0 else { return NumberFormat.compact(v, digits: 3) }
            return TableCell.plusMinus(v, abs(error))
        }
    }

    /// `mean ± std`: the one format of every ± cell and bar label (terminal, HTML, Markdown,
    /// SVG). The std is rounded to one significant digit and the mean to the same decimal
    /// place, but never past the mean's own third significant digit, so a spread below the
    /// mean's precision reads `0.955 ± 0.000`, not `0.955432 ± 0.000000`. So `0.617 ± 0.032`
    /// shows as `0.62 ± 0.03`, `0.96 ± 0.0098` as `0.96 ± 0.01`, and `52.3 ± 0.3`,
    /// `0.40 ± 0.05`, `-2.1 ± 0.1`, `0.0009 ± 0.0004`. Means below 1e-4 or from 1e6 are
    /// written in exponent form, both with `%g`.
    public static func plusMinus(_ value: Double, _ error: Double) -> String {
        let shown = NumberFormat.compact(value, digits: 3)
        let positional = value == 0 || (abs(value) >= 1e-4 && abs(value) < 1e6)
        guard value.isFinite, error.isFinite, error > 0, positional else {
            return shown + " ± " + NumberFormat.compact(error, digits: 2)
        }
        // The place of the std's first significant digit, once rounded there (0.0098 → 0.01).
        func firstDigitPlace(_ x: Double) -> Int { -Int(log10(x).rounded(.down)) }
        let place = firstDigitPlace(error)
        let scale = pow(10, Double(place))
        var decimals = firstDigitPlace((error * scale).rounded() / scale)
        if value != 0 {
            decimals = min(decimals, 2 - Int(log10(abs(value)).rounded(.down)))
        }
        decimals = max(0, decimals)
        var mean = String(format: "%.\(decimals)f", value)
        if mean.hasPrefix("-"), mean.dropFirst().allSatisfy({ $0 == "0" || $0 == "." }) { mean.removeFirst() }
        return mean + " ± " + String(format: "%.\(decimals)f", error)
    }

    var isNumeric: Bool { if case .number = self { return true } else { return false } }
}

/// A table: named columns and rows of cells. It renders as aligned columns in the
/// terminal (`render`), as SVG (`svg`), and, in exports, as an HTML or Markdown table.
public struct Table: Sendable, Equatable {
    public var columns: [String]
    public var rows: [[TableCell]]

    public init(columns: [String], rows: [[TableCell]]) {
        self.columns = columns
        self.rows = rows
    }

    /// Whether column `c` holds numbers only (they align to the right).
    func isNumericColumn(_ c: Int) -> Bool {
        rows.contains { $0[c].isNumeric } && rows.allSatisfy { $0[c].isNumeric || $0[c] == .empty }
    }
}

/// A table with the given columns and rows (every row as long as `columns`).
public func table(columns: [String], rows: [[TableCell]], title: String? = nil) throws -> Chart {
    func fail(_ message: String) -> DisplayError { .invalidArgument(function: "table", message: message) }
    guard !columns.isEmpty else { throw fail(Messages.text("a table needs at least one column")) }
    guard columns.count <= 100, rows.count <= 10_000 else { throw fail(Messages.text("at most 100 columns and 10000 rows")) }
    for (i, row) in rows.enumerated() where row.count != columns.count {
        throw fail(Messages.text("row {row} has {cells} cells but there are {columns} columns",
            ["row": "\(i + 1)", "cells": "\(row.count)", "columns": "\(columns.count)"]))
    }
    return Chart(.table(Table(columns: columns, rows: rows)), title: title)
}

extension Table {
    /// Terminal text: the title, a header, a rule, then the rows; numbers right-aligned.
    /// Text cells are cut at 40 characters.
    func render(title: String?) -> String {
        let cells = rows.map { row in row.map { $0.text.prefix(displayWidth: 40) } }
        let header = columns.map { $0.prefix(displayWidth: 40) }
        let widths = columns.indices.map { c in
            max(header[c].displayWidth, cells.map { $0[c].displayWidth }.max() ?? 0)
        }
        let numeric = columns.indices.map(isNumericColumn)
        func line(_ items: [String]) -> String {
            items.enumerated().map { c, item in
                let pad = item.padding(toDisplayWidth: widths[c])
                return numeric[c] ? pad + item : item + pad
            }.joined(separator: "  ").trimmingTrailingSpaces()
        }
        var lines: [String] = []
        let total = widths.reduce(0, +) + 2 * (widths.count - 1)
        if let title, !title.isEmpty { lines.append(centred(title, total).trimmingTrailingSpaces()) }
        lines.append(line(header))
        lines.append(widths.map { String(repeating: "─", count: $0) }.joined(separator: "  "))
        lines += cells.map(line)
        return lines.joined(separator: "\n")
    }

    /// An HTML `<table class="table">` with a caption, a header row and numeric cells
    /// marked `class="num"`; every text escaped.
    public func html(title: String?) -> String {
        let numeric = columns.indices.map(isNumericColumn)
        var out = "<table class=\"table\">\n"
        if let title, !title.isEmpty { out += "<caption>\(xmlEscape(title))</caption>\n" }
        out += "<thead><tr>" + columns.enumerated().map { c, name in
            "<th\(numeric[c] ? " class=\"num\"" : "")>\(xmlEscape(name))</th>"
        }.joined() + "</tr></thead>\n<tbody>\n"
        for row in rows {
            out += "<tr>" + row.enumerated().map { c, cell in
                "<td\(numeric[c] ? " class=\"num\"" : "")>\(xmlEscape(cell.text))</td>"
            }.joined() + "</tr>\n"
        }
        return out + "</tbody>\n</table>"
    }

    /// A GitHub-flavoured Markdown table (numeric columns right-aligned), the title in bold
    /// above it; every text through `markdownEscape`, so a cell is literal text (no HTML,
    /// no links, no `|` that would split it) and line breaks become spaces.
    public func markdown(title: String?) -> String {
        let numeric = columns.indices.map(isNumericColumn)
        var lines: [String] = []
        if let title, !title.isEmpty { lines += ["**\(markdownEscape(title))**", ""] }
        lines.append("| " + columns.map { markdownEscape($0) }.joined(separator: " | ") + " |")
        lines.append("|" + numeric.map { $0 ? " ---: |" : " --- |" }.joined())
        for row in rows { lines.append("| " + row.map { markdownEscape($0.text) }.joined(separator: " | ") + " |") }
        return lines.joined(separator: "\n")
    }

    /// The table drawn as SVG text (for `save(t, "t.svg")` and viewers that show only images).
    func svg(title: String?) -> String {
        let cells = rows.map { row in row.map { String($0.text.prefix(40)) } }
        let widths = columns.indices.map { c in
            // About 7.2 px per column of 13 px text; a Han character takes two (`DisplayWidth`).
            Double(max(columns[c].displayWidth, cells.map { $0[c].displayWidth }.max() ?? 0)) * 7.2 + 18
        }
        let numeric = columns.indices.map(isNumericColumn)
        let rowHeight = 22.0
        let top = (title?.isEmpty ?? true) ? 10.0 : 40.0
        let width = max(200, widths.reduce(0, +) + 20)
        let height = top + rowHeight * Double(rows.count + 1) + 14
        var w = SVGWriter(width: width, height: height)
        if let title, !title.isEmpty { w.text(width / 2, 26, title, anchor: .middle, size: 15, cls: "title") }
        func draw(_ items: [String], at y: Double, cls: String) {
            var x = 10.0
            for (c, item) in items.enumerated() {
                if numeric[c] {
                    w.text(x + widths[c] - 9, y, item, anchor: .end, size: 12, cls: cls)
                } else {
                    w.text(x + 9, y, item, size: 12, cls: cls)
                }
                x += widths[c]
            }
        }
        draw(columns, at: top + 15, cls: "header")
        w.line(10, top + rowHeight, width - 10, top + rowHeight, stroke: "#333333", cls: "rule")
        for (r, row) in cells.enumerated() {
            let y = top + rowHeight * Double(r + 1)
            if r % 2 == 1 { w.rect(10, y, width - 20, rowHeight, fill: "#f3f5f7", cls: "stripe") }
            draw(row, at: y + 15, cls: "cell")
        }
        return w.document(title: title)
    }
}
