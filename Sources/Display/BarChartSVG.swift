import Foundation
import LabSupport

extension Chart {
    /// Vertical grouped bars: a group per category (its label below, slanted when the
    /// labels are long), a bar per series (`class="bar"`), error bars with caps
    /// (`class="error-bar"`), a y axis with ticks and grid lines, and a legend for several
    /// series.
    func barsSVG(_ chart: BarChart, _ width: Double, _ height: Double) -> String {
        let range = chart.valueRange.padded(0.02)
        let longest = chart.labels.map(\.displayWidth).max() ?? 0   // Han characters are twice as wide
        let slanted = Double(longest) * 6.5 > (width - 200) / Double(max(1, chart.labels.count))
        let bottomMargin = slanted ? min(140, 20 + Double(min(longest, 24)) * 5) : 45
        let height = height + (slanted ? bottomMargin - 45 : 0)
        let left = 70.0, right = width - (chart.hasLegend ? 150 : 25)
        let top = (title?.isEmpty ?? true) ? 20.0 : 45.0, bottom = height - bottomMargin
        func y(_ v: Double) -> Double { bottom - range.unit(v) * (bottom - top) }
        var w = SVGWriter(width: width, height: height)
        if let title, !title.isEmpty {
            w.text((left + right) / 2, 28, title, anchor: .middle, size: 16, cls: "title")
        }
        let count = max(3, Int((bottom - top) / 50))
        let ticks = Ticks.values(lo: range.lo, hi: range.hi, count: count)
        for (v, label) in zip(ticks, Ticks.labels(ticks, step: Ticks.step(lo: range.lo, hi: range.hi, count: count))) {
            w.line(left, y(v), right, y(v), stroke: "#e5e5e5", cls: "grid")
            w.line(left - 5, y(v), left, y(v), stroke: "#333333", cls: "tick")
            w.text(left - 8, y(v) + 4, label, anchor: .end, size: 11, cls: "tick-label")
        }
        let groupWidth = (right - left) / Double(max(1, chart.labels.count))
        let barWidth = groupWidth * 0.8 / Double(max(1, chart.series.count))
        for (c, label) in chart.labels.enumerated() {
            let groupLeft = left + Double(c) * groupWidth + groupWidth * 0.1
            for (s, series) in chart.series.enumerated() {
                let v = series.values[c]
                guard v.isFinite else { continue }
                let x = groupLeft + Double(s) * barWidth
                let (y0, y1) = (min(y(v), y(0)), max(y(v), y(0)))
                w.rect(x + 1, y0, barWidth - 2, y1 - y0, fill: Palette.color(s).hex, cls: "bar")
                if let e = series.errors?[c], e.isFinite, e != 0 {
                    let cx = x + barWidth / 2, cap = min(6, barWidth / 3)
                    let (lo, hi) = (y(v - abs(e)), y(v + abs(e)))
                    w.line(cx, lo, cx, hi, stroke: "#222222", width: 1.2, cls: "error-bar")
                    w.line(cx - cap, lo, cx + cap, lo, stroke: "#222222", width: 1.2, cls: "error-bar")
                    w.line(cx - cap, hi, cx + cap, hi, stroke: "#222222", width: 1.2, cls: "error-bar")
                }
            }
            let cx = left + (Double(c) + 0.5) * groupWidth
            if slanted {
                w.text(cx, bottom + 14, label, anchor: .end, size: 11, rotate: -35, cls: "category")
            } else {
                w.text(cx, bottom + 18, label, anchor: .middle, size: 11, cls: "category")
            }
        }
        w.line(left, y(0), right, y(0), stroke: "#333333", cls: "axis")
        w.line(left, top, left, bottom, stroke: "#333333", cls: "axis")
        if let xLabel, !xLabel.isEmpty {
            w.text((left + right) / 2, height - 10, xLabel, anchor: .middle, size: 12, cls: "axis-label")
        }
        if let yLabel, !yLabel.isEmpty {
            w.text(18, (top + bottom) / 2, yLabel, anchor: .middle, size: 12, rotate: -90, cls: "axis-label")
        }
        if chart.hasLegend {
            for i in chart.series.indices {
                let py = top + 10 + Double(i) * 20
                w.rect(right + 14, py - 10, 14, 10, fill: Palette.color(i).hex, cls: "legend")
                w.text(right + 34, py, chart.seriesName(i), size: 12, cls: "legend")
            }
        }
        return w.document(title: title)
    }
}
