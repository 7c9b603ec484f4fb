import Foundation
import LabScript
import LabBuiltins
import Notebook
import XCTest
@testable import LabCLI

/// Every figure a lesson draws is shown: a `plot`/`scatter`/`bar`/`heatmap`/`hist` call is
/// either passed to `show(...)` or is the last expression of its cell, so it appears in the
/// terminal, the HTML export and Jupyter (a chart value left in a variable, or made in the
/// middle of a cell, is never drawn). Checked for lesson 7 statically, and by running it
/// (`--quick`) and counting the figures of the run and of its exports.
final class LessonFiguresTests: XCTestCase {
    static let chartBuilders = ["plot", "scatter", "bar", "heatmap", "hist"]

    /// A chart call's position in a cell's code: the line, and whether it is shown.
    struct ChartCall: Equatable {
        var line: Int
        /// Passed to show(...) directly.
        var wrapped: Bool
        /// The cell's last expression, starting a line.
        var final: Bool
        var text: String
        var shown: Bool { wrapped || final }
    }

    /// The code without comments (`#` to the end of a line, outside strings).
    static func stripComments(_ code: String) -> String {
        code.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            var inString = false
            var kept = ""
            for character in line {
                if character == "\"" { inString.toggle() }
                if character == "#" && !inString { break }
                kept.append(character)
            }
            return kept
        }.joined(separator: "\n")
    }

    /// The chart calls of one cell, each marked shown when it is `show(CALL` or a statement
    /// at the start of a line whose call is the last thing in the cell.
    static func chartCalls(in source: String) -> [ChartCall] {
        let code = Array(stripComments(source))
        var calls: [ChartCall] = []
        var index = 0
        while index < code.count {
            guard let name = chartBuilders.first(where: { name in
                let word = Array(name + "(")
                guard index + word.count <= code.count, Array(code[index..<(index + word.count)]) == word else { return false }
                return index == 0 || !(code[index - 1].isLetter || code[index - 1].isNumber || code[index - 1] == "_" || code[index - 1] == ".")
            }) else { index += 1; continue }
            let line = code[..<index].filter { $0 == "\n" }.count + 1
            let before = String(code[..<index])
            let lineStart = before.lastIndex(of: "\n").map { before.index(after: $0) } ?? before.startIndex
            let prefix = before[lineStart...]
            // The matching closing parenthesis (strings skipped).
            var depth = 0, end = index + name.count, inString = false
            while end < code.count {
                let c = code[end]
                if c == "\"" { inString.toggle() }
                if !inString { if c == "(" { depth += 1 } else if c == ")" { depth -= 1; if depth == 0 { break } } }
                end += 1
            }
            let rest = end + 1 < code.count ? String(code[(end + 1)...]) : ""
            let wrapped = before.hasSuffix("show(")
            let final = prefix.isEmpty && rest.allSatisfy(\.isWhitespace)
            calls.append(ChartCall(line: line, wrapped: wrapped, final: final, text: String(code[index..<min(end + 1, code.count)].prefix(60))))
            index += name.count
        }
        return calls
    }

    func testTheCheckFindsAnUnshownChart() {
        XCTAssertEqual(Self.chartCalls(in: "x = 1\nplot([1, 2])\n").map(\.shown), [true])
        XCTAssertEqual(Self.chartCalls(in: "plot([1, 2])\nprint(3)\n").map(\.shown), [false])
        XCTAssertEqual(Self.chartCalls(in: "c = scatter(p)\nprint(c.title)").map(\.shown), [false])
        XCTAssertEqual(Self.chartCalls(in: "show(bar([1], title: \"a (b)\"))\nprint(1)  # plot(x)").map(\.shown), [true])
        XCTAssertEqual(Self.chartCalls(in: "for i in 0..2 {\n    plot([i])\n}").map(\.shown), [false])
        XCTAssertEqual(Self.chartCalls(in: "print(plot([1]))").map(\.shown), [false])
        XCTAssertEqual(Self.chartCalls(in: "y = replot(1)\nz = my_bar(2)").count, 0)
    }

    func testEveryFigureOfLessonSevenIsShownInEveryFormat() throws {
        let catalog = try LessonCatalog(directory: LessonRunTests.root.appendingPathComponent("Lessons"))
        let lesson = try XCTUnwrap(catalog.lessons.first { $0.number == 7 })
        var expected = 0
        for cell in lesson.cells where cell.kind == .code {
            let calls = Self.chartCalls(in: cell.source)
            for call in calls where !call.shown {
                XCTFail("\(lesson.file):\(cell.firstLine + call.line - 1): \(call.text)… is never shown; make it the cell's last expression or pass it to show()")
            }
            // What the cell shows: each show(...) and a final chart expression.
            let code = Self.stripComments(cell.source)
            expected += code.components(separatedBy: "show(").count - 1
            expected += calls.filter { $0.final && !$0.wrapped }.count
        }
        XCTAssertGreaterThanOrEqual(expected, 5, "lesson 7 draws its ablation chart, the VICReg terms and the summary scatter")

        let session = ScriptSession(.init(seed: BuiltinState.defaultSeed, quick: true), output: BufferOutputSink())
        var text = ""
        let run = LessonCommand.run(lesson, session: session, scope: nil, step: false) { text += $0 }
        XCTAssertEqual(run.exitStatus, 0, "lesson 7 failed:\n\(text.suffix(2000))")
        let figures = run.records.flatMap { $0.outputs }.filter { if case .image = $0 { return true } else { return false } }
        XCTAssertEqual(figures.count, expected, "figures in the run")
        let notebook = JupyterExport.text(run)
        XCTAssertEqual(notebook.components(separatedBy: "\"display_data\"").count - 1, expected, "figures in the ipynb export")
        let page = HTMLExport.page(run)
        let drawn = page.components(separatedBy: "<figure>").count - 1 + page.components(separatedBy: "<div class=\"table-wrap\">").count - 1
        XCTAssertEqual(drawn, expected, "figures and tables in the HTML export")
    }
}
