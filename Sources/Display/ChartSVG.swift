import LabSupport
import Foundation

extension Chart {
    /// The chart as a standalone SVG document (`width × height` user units; image grids
    /// size themselves). Elements carry classes (`series`, `point`, `bar`, `cell`, `pixel`,
    /// `tick`, `legend`, `colorbar`) so that tests and stylesheets can find them.
    public func svg(width: Double = 640, height: Double = 400) -> String {
        let width = max(200, min(width, 4000)), height = max(150, min(height, 4000))
        switch content {
        case let .lines(series): return linesSVG(series, width, height)
        case let .scatter(x, y, labels, names): return scatterSVG(x, y, labels, names, width, height)
        case let .histogram(edges, counts): return histogramSVG(edges, counts, width, height)
        case let .heatmap(values, rows, columns, diverging, range):
            return heatmapSVG(values, rows, columns, HeatmapScale(values, diverging: diverging, range: range),
                              width, height)
        case let .images(grid): return imagesSVG(grid)
        case let .bars(chart): return barsSVG(chart, width, height)
        case let .table(table): return table.svg(title: title)
        }
    }

    /// Writes `svg()` to `path` atomically (temporary file, then rename).
    public func save(to path: String, width: Double = 640, height: Double = 400) throws {
        try writeAtomically(svg(width: width, height: height), to: path)
    }

    private func linesSVG(_ series: [Series], _ width: Double, _ height: Double) -> String {
        let curves: [[(Double, Double)?]] = series.map { s in
            zip(s.x, s.y).map { x, y in
                guard x.isFinite, y.isFinite, !logY || y > 0 else { return nil }
                return (x, logY ? log10(y) : y)
            }
        }
        let points = curves.flatMap { $0.compactMap { $0 } }
        let named = series.count > 1 || series.contains { !$0.name.isEmpty }
        var axes = SVGAxes(width: width, height: height, title: title, legend: named,
                           x: AxisRange(points.map(\.0)), y: AxisRange(points.map(\.1)).padded(0.04), logY: logY)
        axes.xCounts = xCounts
        var w = SVGWriter(width: width, height: height)
        axes.draw(&w, xLabel: xLabel, yLabel: yLabel, title: title)
        for (i, curve) in curves.enumerated() {
            // A gap (NaN, or y <= 0 on a log axis) splits the line.
            var run: [(Double, Double)] = []
            for p in curve + [nil] {
                if let p { run.append(axes.map(p)) } else {
                    if run.count == 1 { w.circle(run[0].0, run[0].1, r: 2, fill: Palette.color(i).hex, cls: "series") }
                    if run.count > 1 { w.polyline(decimate(run), stroke: Palette.color(i).hex, cls: "series") }
                    run = []
                }
            }
        }
        if named {
            axes.legend(&w, entries: series.enumerated().map { i, s in
                (s.name.isEmpty ? Messages.text("series {number}", ["number": String(i + 1)]) : s.name, Palette.color(i), false)
            })
        }
        return w.document(title: title)
    }

    private func scatterSVG(_ xs: [Double], _ ys: [Double], _ labels: [Int], _ names: [String],
                            _ width: Double, _ height: Double) -> String {
        let keep = xs.indices.filter { xs[$0].isFinite && ys[$0].isFinite }
        let classes = Array(Set(labels)).sorted()
        let legend = classes.count > 1 || !names.isEmpty
        var axes = SVGAxes(width: width, height: height, title: title, legend: legend,
                           x: AxisRange(keep.map { xs[$0] }).padded(0.04),
                           y: AxisRange(keep.map { ys[$0] }).padded(0.04), logY: false)
        var w = SVGWriter(width: width, height: height)
        axes.draw(&w, xLabel: xLabel, yLabel: yLabel, title: title)
        for i in keep {
            let (px, py) = axes.map((xs[i], ys[i]))
            w.circle(px, py, r: 2.5, fill: Palette.color(labels[i]).hex, cls: "point")
        }
        if legend {
            axes.legend(&w, entries: classes.prefix(20).map { c in
                (c < names.count ? names[c] : "\(c)", Palette.color(c), true)
            })
        }
        return w.document(title: title)
    }

    private func histogramSVG(_ edges: [Double], _ counts: [Int], _ width: Double, _ height: Double) -> String {
        let maxCount = Double(max(1, counts.max() ?? 1))
        var axes = SVGAxes(width: width, height: height, title: title, legend: false,
                           x: AxisRange(lo: edges.first ?? 0, hi: edges.last ?? 1),
                           y: AxisRange(lo: 0, hi: maxCount), logY: false)
        var w = SVGWriter(width: width, height: height)
        axes.draw(&w, xLabel: xLabel, yLabel: yLabel ?? "count", title: title)
        for (i, count) in counts.enumerated() {
            let (x0, y0) = axes.map((edges[i], Double(count)))
            let (x1, yBase) = axes.map((edges[i + 1], 0))
            w.rect(x0, y0, x1 - x0, yBase - y0, fill: Palette.color(0).hex, stroke: "#ffffff", cls: "bar")
        }
        return w.document(title: title)
    }
}

/// Thins a polyline in SVG coordinates (x increasing) so that each whole-unit column keeps
/// at most its first, lowest, highest and last points, in order: the drawing is unchanged
/// at 1 unit per pixel, and a 100 000-step loss curve stays a small file.
func decimate(_ points: [(Double, Double)]) -> [(Double, Double)] {
    guard points.count > 4 * 1000 else { return points }
    var out: [(Double, Double)] = []
    var start = 0
    while start < points.count {
        let column = points[start].0.rounded(.down)
        var end = start
        while end + 1 < points.count && points[end + 1].0.rounded(.down) == column { end += 1 }
        var low = start, high = start
        for i in start...end {
            if points[i].1 < points[low].1 { low = i }
            if points[i].1 > points[high].1 { high = i }
        }
        for i in Set([start, low, high, end]).sorted() { out.append(points[i]) }
        start = end + 1
    }
    return out
}

/// Plot area, scales, axes, ticks and legend of an SVG chart.
struct SVGAxes {
    let left: Double, right: Double, top: Double, bottom: Double
    let x: AxisRange, y: AxisRange
    let logY: Bool
    /// The x axis counts from its first value (`Chart.xCounts`).
    var xCounts = false

    init(width: Double, height: Double, title: String?, legend: Bool,
         x: AxisRange, y: AxisRange, logY: Bool) {
        left = 70
        right = width - (legend ? 150 : 25)
        top = (title?.isEmpty ?? true) ? 20 : 45
        bottom = height - 55
        self.x = x
        self.y = y
        self.logY = logY
    }

    /// Data coordinates to SVG coordinates (y grows downwards).
    func map(_ p: (Double, Double)) -> (Double, Double) {
        (left + x.unit(p.0) * (right - left), bottom - y.unit(p.1) * (bottom - top))
    }

    mutating func draw(_ w: inout SVGWriter, xLabel: String?, yLabel: String?, title: String?) {
        if let title, !title.isEmpty {
            w.text((left + right) / 2, 28, title, anchor: .middle, size: 16, cls: "title")
        }
        let yCount = max(3, Int((bottom - top) / 50))
        let yValues = logY ? Ticks.logValues(lo: y.lo, hi: y.hi) : Ticks.values(lo: y.lo, hi: y.hi, count: yCount)
        let yLabels = logY ? Ticks.logLabels(yValues)
            : Ticks.labels(yValues, step: Ticks.step(lo: y.lo, hi: y.hi, count: yCount))
        for (v, label) in zip(yValues, yLabels) {
            let py = map((x.lo, v)).1
            w.line(left, py, right, py, stroke: "#e5e5e5", cls: "grid")
            w.line(left - 5, py, left, py, stroke: "#333333", cls: "tick")
            w.text(left - 8, py + 4, label, anchor: .end, size: 11, cls: "tick-label")
        }
        let xCount = max(3, Int((right - left) / 80))
        var xValues = Ticks.values(lo: x.lo, hi: x.hi, count: xCount)
        var xLabels = Ticks.labels(xValues, step: Ticks.step(lo: x.lo, hi: x.hi, count: xCount))
        if xCounts { (xValues, xLabels) = Ticks.counting(lo: x.lo, hi: x.hi, count: xCount) }
        for (v, label) in zip(xValues, xLabels) {
            let px = map((v, y.lo)).0
            w.line(px, bottom, px, bottom + 5, stroke: "#333333", cls: "tick")
            w.text(px, bottom + 18, label, anchor: .middle, size: 11, cls: "tick-label")
        }
        w.line(left, bottom, right, bottom, stroke: "#333333", cls: "axis")
        w.line(left, top, left, bottom, stroke: "#333333", cls: "axis")
        if let xLabel, !xLabel.isEmpty {
            w.text((left + right) / 2, bottom + 40, xLabel, anchor: .middle, size: 12, cls: "axis-label")
        }
        let yTitle = !logY ? (yLabel ?? "")
            : (yLabel ?? "").isEmpty ? Messages.text("log scale") : Messages.text("{label} (log scale)", ["label": yLabel ?? ""])
        if !yTitle.isEmpty {
            w.text(18, (top + bottom) / 2, yTitle, anchor: .middle, size: 12, rotate: -90, cls: "axis-label")
        }
    }

    /// A legend to the right of the plot: a line (or dot) swatch and the name per entry.
    func legend(_ w: inout SVGWriter, entries: [(String, RGB, Bool)]) {
        for (i, entry) in entries.enumerated() {
            let py = top + 10 + Double(i) * 20
            if entry.2 {
                w.circle(right + 22, py - 4, r: 4, fill: entry.1.hex, cls: "legend")
            } else {
                w.line(right + 12, py - 4, right + 32, py - 4, stroke: entry.1.hex, width: 2.5, cls: "legend")
            }
            w.text(right + 38, py, entry.0, size: 12, cls: "legend")
        }
    }
}
