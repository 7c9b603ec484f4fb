extension Chart {
    /// Vertical bars drawn with eighth blocks (`▁▂▃▄▅▆▇█`), count axis on the left and the
    /// value axis below. More bins than columns are merged in groups for display.
    func renderHistogram(_ edges: [Double], _ counts: [Int], _ caps: TerminalCapabilities,
                         _ height: Int) -> String {
        // The widest count label is at most the total, which sizes the margin.
        let available = plotWidth(caps, yLabels: [String(counts.reduce(0, +))])
        let group = max(1, (counts.count + available - 1) / available)
        var shown: [Int] = []
        for start in stride(from: 0, to: counts.count, by: group) {
            shown.append(counts[start..<min(counts.count, start + group)].reduce(0, +))
        }
        let shownMax = max(1, shown.max() ?? 1)
        let perBin = max(1, available / shown.count)
        let width = perBin * shown.count
        let blocks: [Character] = Array(" ▁▂▃▄▅▆▇█")
        var rows: [String] = []
        for r in 0..<height {
            let level = height - 1 - r
            var line = ""
            for count in shown {
                let eighths = Int((Double(count) / Double(shownMax) * Double(height * 8)).rounded())
                let fill = min(8, max(0, eighths - level * 8))
                let bar = String(repeating: blocks[fill], count: perBin >= 3 ? perBin - 1 : perBin)
                line += (fill > 0 ? ANSI.paint(bar, Palette.color(0), caps.color) : bar)
                if perBin >= 3 { line += " " }
            }
            rows.append(line)
        }
        // Integer count ticks: row of value v is where a bar of height v ends.
        let step = max(1, Ticks.step(lo: 0, hi: Double(shownMax), count: max(3, height / 3 + 1)).rounded(.up))
        var ticks: [(row: Int, label: String)] = []
        var v = 0.0
        while v <= Double(shownMax) {
            let eighths = Int((v / Double(shownMax) * Double(height * 8)).rounded())
            ticks.append((row: height - 1 - max(0, eighths - 1) / 8, label: String(Int(v))))
            v += step
        }
        var frame = ChartFrame(title: title, xLabel: xLabel, yLabel: yLabel)
        frame.yTicks = ticks
        frame.xTicks = xTicks(AxisRange(lo: edges.first ?? 0, hi: edges.last ?? 1), columns: width)
        let binWidth = ((edges.last ?? 1) - (edges.first ?? 0)) / Double(max(1, counts.count))
        var note = "  \(counts.count) bins of width \(NumberFormat.compact(binWidth)), \(counts.reduce(0, +)) values"
        if group > 1 { note += ", shown merged in groups of \(group)" }
        frame.footer = [note]
        return frame.compose(plotRows: rows, plotWidth: width)
    }
}
