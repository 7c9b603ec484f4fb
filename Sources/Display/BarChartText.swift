import Foundation
import LabSupport

extension Chart {
    /// Horizontal bars, one line per bar, grouped by category, the value (± error) after
    /// each bar; the value axis below. Bars grow from zero (to the left for negative values).
    /// Without colour, each series fills with its own shade (`█ ▓ ▒ ░`) so they stay apart.
    ///
    /// ```
    ///             probe accuracy
    /// SimCLR  │███████████████▌          0.62 ± 0.03
    ///         │▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓       0.75 ± 0.02
    /// BYOL    │████████████▊             0.51 ± 0.04
    ///         │▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓         0.69 ± 0.03
    ///         └┬─────────┬─────────┬
    ///          0        0.5        1
    ///         █ 1 label  ▓ 3 labels
    /// ```
    func renderBars(_ chart: BarChart, _ caps: TerminalCapabilities) -> String {
        let range = chart.valueRange
        let labelWidth = min(24, chart.labels.map(\.displayWidth).max() ?? 0)
        let valueTexts: [[String]] = chart.series.map { s in
            s.values.indices.map { i in
                guard let e = s.errors?[i], e.isFinite, e != 0 else { return NumberFormat.compact(s.values[i], digits: 3) }
                return TableCell.plusMinus(s.values[i], abs(e))
            }
        }
        let valueWidth = valueTexts.flatMap { $0 }.map(\.displayWidth).max() ?? 0
        let plotWidth = max(10, caps.width - labelWidth - 2 - valueWidth - 2)
        let zero = barCell(range.unit(0), plotWidth)
        let shades: [Character] = ["█", "▓", "▒", "░"]
        let useShades = caps.color == .none && chart.series.count > 1
        var lines: [String] = []
        if let title, !title.isEmpty {
            lines.append(centred(title, labelWidth + 2 + plotWidth).trimmingTrailingSpaces())
        }
        for (c, label) in chart.labels.enumerated() {
            for (s, series) in chart.series.enumerated() {
                let name = s == 0 ? label.prefix(displayWidth: labelWidth) : ""
                var line = name + name.padding(toDisplayWidth: labelWidth) + " │"
                let v = series.values[c]
                var barText = ""
                if v.isFinite {
                    let end = range.unit(v) * Double(plotWidth)
                    let start = Double(zero)
                    let shade = useShades ? shades[s % shades.count] : "█"
                    if v >= 0 {
                        barText = String(repeating: " ", count: zero) + eighthBar(end - start, fill: shade)
                    } else {
                        let cells = Int((start - end).rounded())
                        barText = String(repeating: " ", count: max(0, zero - cells)) + String(repeating: shade, count: cells)
                    }
                }
                let visible = barText.count
                line += ANSI.paint(barText, Palette.color(s), caps.color)
                line += String(repeating: " ", count: max(0, plotWidth - visible) + 2) + valueTexts[s][c]
                lines.append(line.trimmingTrailingSpaces())
            }
        }
        // The value axis.
        let count = max(2, plotWidth / 12)
        let values = Ticks.values(lo: range.lo, hi: range.hi, count: count)
        let labels = Ticks.labels(values, step: Ticks.step(lo: range.lo, hi: range.hi, count: count))
        // The bars lie horizontally, so the value axis (the SVG's y axis) is the one below.
        var frame = ChartFrame(title: nil, xLabel: yLabel ?? xLabel, yLabel: nil)
        frame.xTicks = zip(values, labels).map { v, label in (column: barCell(range.unit(v), plotWidth), label: label) }
        if chart.hasLegend {
            frame.legend = chart.series.indices.map { i in
                let key = useShades ? String(shades[i % shades.count]) : "█"
                return ANSI.paint(key, Palette.color(i), caps.color) + " " + chart.seriesName(i)
            }
        }
        // The frame draws its axis after a margin of one column; indent it under the bars.
        let axis = frame.compose(plotRows: [], plotWidth: plotWidth).split(separator: "\n", omittingEmptySubsequences: false)
        let indent = String(repeating: " ", count: max(0, labelWidth - 1))
        lines += axis.map { $0.isEmpty ? "" : indent + $0 }
        return lines.map { $0.trimmingTrailingSpaces() }.joined(separator: "\n")
    }

    /// The column (0..<width) of the unit position `t`.
    private func barCell(_ t: Double, _ width: Int) -> Int {
        guard t.isFinite else { return 0 }
        return Int(min(max(t * Double(width), 0), Double(width - 1)).rounded(.down))
    }

    /// A bar `length` cells long: full cells, then an eighth block for the rest (only with
    /// the solid fill; other shades round to whole cells).
    private func eighthBar(_ length: Double, fill: Character) -> String {
        let length = max(0, length)
        guard fill == "█" else { return String(repeating: fill, count: Int(length.rounded())) }
        let eighths = Int((length * 8).rounded())
        let partial: [Character] = ["▏", "▎", "▍", "▌", "▋", "▊", "▉"]
        var text = String(repeating: "█", count: eighths / 8)
        if eighths % 8 > 0 { text.append(partial[eighths % 8 - 1]) }
        return text
    }
}
