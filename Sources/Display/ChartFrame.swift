import LabSupport

/// The frame around a plot area in the terminal: title, y tick labels and axis, x axis
/// with ticks and labels, axis titles and legend.
///
/// ```
///            title
///  1.0 ┤⠉⠢⡀
///      │   ⠈⠢⡀
///  0.0 ┤      ⠑
///      └┬────────┬
///       0        10
///      ── train  ── val
/// ```
struct ChartFrame {
    var title: String?
    var xLabel: String?
    var yLabel: String?
    /// Tick labels at plot rows (0 = top).
    var yTicks: [(row: Int, label: String)] = []
    /// Tick labels at plot columns (0 = left).
    var xTicks: [(column: Int, label: String)] = []
    var legend: [String] = []
    /// Lines printed after the legend (colour bars, notes).
    var footer: [String] = []

    /// The width of the y tick labels, so callers can size the plot area.
    static func marginWidth(_ labels: [String]) -> Int { labels.map(\.displayWidth).max() ?? 0 }

    func compose(plotRows: [String], plotWidth: Int) -> String {
        let margin = max(ChartFrame.marginWidth(yTicks.map(\.label)), 1)
        let pad = String(repeating: " ", count: margin)
        var lines: [String] = []
        let fullWidth = margin + 2 + plotWidth
        if let title, !title.isEmpty { lines.append(centred(title, fullWidth).trimmingTrailingSpaces()) }
        if let yLabel, !yLabel.isEmpty { lines.append(pad + " " + yLabel) }
        var tickAt: [Int: String] = [:]
        for t in yTicks where tickAt[t.row] == nil { tickAt[t.row] = t.label }
        for (r, row) in plotRows.enumerated() {
            if let label = tickAt[r] {
                lines.append(label.padding(toDisplayWidth: margin) + label + " ┤" + row)
            } else {
                lines.append(pad + " │" + row)
            }
        }
        var axis = Array(repeating: "─", count: plotWidth)
        for t in xTicks where t.column >= 0 && t.column < plotWidth { axis[t.column] = "┬" }
        lines.append(pad + " └" + axis.joined())
        if !xTicks.isEmpty {
            // Labels placed by terminal column (a Han character takes two: `DisplayWidth`).
            let lineWidth = fullWidth + 2
            var labelLine = ""
            var nextFree = 0
            for t in xTicks.sorted(by: { $0.column < $1.column }) {
                let width = t.label.displayWidth
                var start = margin + 2 + t.column - width / 2
                start = max(start, margin + 2 - 1)
                start = min(start, lineWidth - width)
                guard start >= nextFree else { continue }
                labelLine += String(repeating: " ", count: max(0, start - labelLine.displayWidth)) + t.label
                nextFree = start + width + 1
            }
            lines.append(labelLine.trimmingTrailingSpaces())
        }
        if let xLabel, !xLabel.isEmpty { lines.append(centred(xLabel, fullWidth).trimmingTrailingSpaces()) }
        if !legend.isEmpty { lines += wrapItems(legend, width: fullWidth + 2, indent: pad + "  ") }
        lines += footer.flatMap { wrapItems($0.split(separator: " ").map(String.init), width: fullWidth + 2,
                                            indent: "  ", separator: " ") }
        return lines.map { $0.trimmingTrailingSpaces() }.joined(separator: "\n")
    }
}

/// Lays `items` out on lines of at most `width` visible columns (escape sequences do not
/// count), each line starting with `indent`; an item never splits.
func wrapItems(_ items: [String], width: Int, indent: String, separator: String = "  ") -> [String] {
    var lines: [String] = []
    var line = indent
    let indentWidth = indent.displayWidth
    var visible = indentWidth
    for item in items where !item.isEmpty {
        let length = ANSI.strip(item).displayWidth
        if visible > indentWidth && visible + separator.displayWidth + length > width {
            lines.append(line)
            line = indent
            visible = indentWidth
        }
        if visible > indentWidth { line += separator; visible += separator.displayWidth }
        line += item
        visible += length
    }
    if visible > indentWidth { lines.append(line) }
    return lines
}
