import LabSupport
import Foundation

extension Chart {
    /// The chart as terminal text, `capabilities.width` columns wide and about `height`
    /// rows for the plot area. With `.plain` capabilities the text has no escape sequences.
    public func render(_ capabilities: TerminalCapabilities = .plain, height: Int = 15) -> String {
        let height = max(4, min(height, 200))
        switch content {
        case let .lines(series):
            return renderLines(series, capabilities, height)
        case let .scatter(x, y, labels, classNames):
            return renderScatter(x, y, labels, classNames, capabilities, height)
        case let .heatmap(values, rows, columns, diverging, range):
            return renderHeatmap(values, rows, columns, HeatmapScale(values, diverging: diverging, range: range),
                                 capabilities)
        case let .histogram(edges, counts):
            return renderHistogram(edges, counts, capabilities, height)
        case let .images(grid):
            var lines = grid.renderText(capabilities)
            if let title, !title.isEmpty { lines.insert(title, at: 0) }
            return lines.joined(separator: "\n")
        case let .bars(chart):
            return renderBars(chart, capabilities)
        case let .table(table):
            return table.render(title: title)
        }
    }

    /// Y ticks for values in `range`, as (row, label) for a plot area of `rows` rows.
    func yTicks(_ range: AxisRange, rows: Int, log: Bool) -> [(row: Int, label: String)] {
        let count = max(3, rows / 3 + 1)
        let values = log ? Ticks.logValues(lo: range.lo, hi: range.hi)
            : Ticks.values(lo: range.lo, hi: range.hi, count: count)
        let labels = log ? Ticks.logLabels(values)
            : Ticks.labels(values, step: Ticks.step(lo: range.lo, hi: range.hi, count: count))
        return zip(values, labels).map { v, label in
            (row: AxisRange.cell(1 - range.unit(v), rows * 4) / 4, label: label)
        }
    }

    /// X ticks for values in `range`, as (column, label) for a plot area of `columns` columns.
    func xTicks(_ range: AxisRange, columns: Int) -> [(column: Int, label: String)] {
        let count = max(2, columns / 12)
        var values = Ticks.values(lo: range.lo, hi: range.hi, count: count)
        var labels = Ticks.labels(values, step: Ticks.step(lo: range.lo, hi: range.hi, count: count))
        if xCounts { (values, labels) = Ticks.counting(lo: range.lo, hi: range.hi, count: count) }
        return zip(values, labels).map { v, label in
            (column: AxisRange.cell(range.unit(v), columns * 2) / 2, label: label)
        }
    }

    /// Plot-area width left after the y labels and the axis.
    func plotWidth(_ caps: TerminalCapabilities, yLabels: [String]) -> Int {
        max(10, caps.width - max(1, ChartFrame.marginWidth(yLabels)) - 2 - 2)
    }

    private func renderLines(_ series: [Series], _ caps: TerminalCapabilities, _ height: Int) -> String {
        // Points in data space (y as log10 when asked); a non-finite value (or one <= 0 on a
        // log axis) is a gap that breaks the line.
        let curves: [[(Double, Double)?]] = series.map { s in
            zip(s.x, s.y).map { x, y in
                guard x.isFinite, y.isFinite, !logY || y > 0 else { return nil }
                return (x, logY ? log10(y) : y)
            }
        }
        let points = curves.flatMap { $0.compactMap { $0 } }
        let xRange = AxisRange(points.map(\.0))
        let yRange = AxisRange(points.map(\.1))
        let probe = yTicks(yRange, rows: height, log: logY)
        let width = plotWidth(caps, yLabels: probe.map(\.label))
        var grid = PlotGrid(columns: width, rows: height)
        // Several series without colour: one marker character per series, so they stay apart.
        let useMarkers = caps.color == .none && series.count > 1
        for (i, curve) in curves.enumerated() {
            let marker = useMarkers ? Palette.marker(i) : nil
            var previous: (Int, Int)?
            for point in curve {
                guard let (x, y) = point else { previous = nil; continue }
                let dot = (AxisRange.cell(xRange.unit(x), grid.dotWidth),
                           AxisRange.cell(1 - yRange.unit(y), grid.dotHeight))
                if let previous {
                    grid.line(from: previous, to: dot, color: i, marker: marker)
                } else {
                    grid.set(x: dot.0, y: dot.1, color: i, marker: marker)
                }
                previous = dot
            }
        }
        var frame = ChartFrame(title: title, xLabel: xLabel, yLabel: yLabel)
        frame.yTicks = probe
        frame.xTicks = xTicks(xRange, columns: width)
        if series.count > 1 || series.contains(where: { !$0.name.isEmpty }) {
            frame.legend = series.enumerated().map { i, s in
                let name = s.name.isEmpty ? Messages.text("series {number}", ["number": String(i + 1)]) : s.name
                let key = useMarkers ? String(Palette.marker(i)) : "──"
                return ANSI.paint(key, Palette.color(i), caps.color) + " " + name
            }
        }
        if logY { frame.footer.append(String(repeating: " ", count: 2) + Messages.text("(log scale)")) }
        let rows = (0..<height).map { grid.row($0, colors: Palette.color, mode: caps.color) }
        return frame.compose(plotRows: rows, plotWidth: width)
    }

    private func renderScatter(_ xs: [Double], _ ys: [Double], _ labels: [Int], _ names: [String],
                               _ caps: TerminalCapabilities, _ height: Int) -> String {
        let keep = xs.indices.filter { xs[$0].isFinite && ys[$0].isFinite }
        let xRange = AxisRange(keep.map { xs[$0] })
        let yRange = AxisRange(keep.map { ys[$0] })
        let probe = yTicks(yRange, rows: height, log: false)
        let width = plotWidth(caps, yLabels: probe.map(\.label))
        var grid = PlotGrid(columns: width, rows: height)
        let classes = Array(Set(labels)).sorted()
        let useMarkers = caps.color == .none && classes.count > 1
        for i in keep {
            let x = AxisRange.cell(xRange.unit(xs[i]), grid.dotWidth)
            let y = AxisRange.cell(1 - yRange.unit(ys[i]), grid.dotHeight)
            grid.set(x: x, y: y, color: labels[i], marker: useMarkers ? Palette.marker(labels[i]) : nil)
        }
        var frame = ChartFrame(title: title, xLabel: xLabel, yLabel: yLabel)
        frame.yTicks = probe
        frame.xTicks = xTicks(xRange, columns: width)
        if classes.count > 1 || !names.isEmpty {
            frame.legend = classes.prefix(20).map { c in
                let name = c < names.count ? names[c] : "\(c)"
                let key = useMarkers ? String(Palette.marker(c)) : "●"
                return ANSI.paint(key, Palette.color(c), caps.color) + " " + name
            }
        }
        let rows = (0..<height).map { grid.row($0, colors: Palette.color, mode: caps.color) }
        return frame.compose(plotRows: rows, plotWidth: width)
    }
}
