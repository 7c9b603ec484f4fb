import LabSupport
import Foundation

/// A matrix pooled to fit the terminal: each displayed cell is the mean of the finite values
/// in a `factor × factor` block (NaN when the block has none).
struct PooledMatrix {
    let rows: Int
    let columns: Int
    let factor: Int
    let values: [Double]

    init(_ values: [Double], rows: Int, columns: Int, factor: Int) {
        self.factor = factor
        self.rows = (rows + factor - 1) / factor
        self.columns = (columns + factor - 1) / factor
        var pooled: [Double] = []
        pooled.reserveCapacity(self.rows * self.columns)
        for br in 0..<self.rows {
            for bc in 0..<self.columns {
                var sum = 0.0, n = 0
                for r in (br * factor)..<min(rows, (br + 1) * factor) {
                    for c in (bc * factor)..<min(columns, (bc + 1) * factor) where values[r * columns + c].isFinite {
                        sum += values[r * columns + c]; n += 1
                    }
                }
                pooled.append(n == 0 ? .nan : sum / Double(n))
            }
        }
        self.values = pooled
    }

    subscript(r: Int, c: Int) -> Double { values[r * columns + c] }
}

/// How heatmap values map to [0, 1]: min...max (sequential), or -m...m with m = max |v|
/// (diverging, so that zero is always the middle colour).
struct HeatmapScale {
    let lo: Double
    let hi: Double
    let colormap: Colormap

    init(_ values: [Double], diverging: Bool, range: ClosedRange<Double>? = nil) {
        let finite = values.filter(\.isFinite)
        if let range {
            lo = range.lowerBound; hi = range.upperBound
            colormap = diverging ? .blueWhiteRed : .viridis
        } else if diverging {
            let m = finite.map(abs).max() ?? 1
            lo = -(m > 0 ? m : 1); hi = m > 0 ? m : 1
            colormap = .blueWhiteRed
        } else {
            var l = finite.min() ?? 0, h = finite.max() ?? 1
            if l == h { l -= 0.5; h += 0.5 }
            lo = l; hi = h
            colormap = .viridis
        }
    }

    func unit(_ v: Double) -> Double { (v - lo) / (hi - lo) }
}

extension Chart {
    /// Colour: one upper-half block per column and two matrix rows per line, so cells are
    /// square. Plain: two ramp characters per column, one matrix row per line. Larger
    /// matrices are mean-pooled to fit. A colour bar and the value range follow.
    func renderHeatmap(_ values: [Double], _ rows: Int, _ columns: Int, _ scale: HeatmapScale,
                       _ caps: TerminalCapabilities) -> String {
        let color = caps.color
        let available = color == .none ? (caps.width - 2) / 2 : caps.width - 2
        let maxRows = color == .none ? 40 : 80
        let factor = max(1, (columns + available - 1) / available, (rows + maxRows - 1) / maxRows)
        let pooled = PooledMatrix(values, rows: rows, columns: columns, factor: factor)
        var lines: [String] = []
        if let title, !title.isEmpty { lines.append(title) }
        if color == .none {
            for r in 0..<pooled.rows {
                var line = "  "
                for c in 0..<pooled.columns {
                    let v = pooled[r, c]
                    let ch: Character = v.isNaN ? "?" : scale.colormap.character(at: scale.unit(v))
                    line += String(repeating: ch, count: 2)
                }
                lines.append(line.trimmingTrailingSpaces())
            }
        } else {
            for r in stride(from: 0, to: pooled.rows, by: 2) {
                var line = "  "
                for c in 0..<pooled.columns {
                    line += ANSI.foreground(scale.colormap.color(at: scale.unit(pooled[r, c])), color)
                    if r + 1 < pooled.rows {
                        line += ANSI.background(scale.colormap.color(at: scale.unit(pooled[r + 1, c])), color)
                    } else {
                        line += "\u{1B}[49m"
                    }
                    line += "▀"
                }
                lines.append(line + ANSI.reset)
            }
        }
        lines.append(colorBar(scale, color, width: caps.width))
        let finite = values.filter(\.isFinite)
        // Whole catalogue phrases joined by the language's list separator.
        var parts = ["\(rows)×\(columns)"]
        if factor > 1 { parts.append(Messages.text("each cell the mean of {factor}×{factor}", ["factor": String(factor)])) }
        if let lo = finite.min(), let hi = finite.max() {
            parts.append(Messages.text("values {lo} ... {hi}", ["lo": NumberFormat.compact(lo), "hi": NumberFormat.compact(hi)]))
        }
        let bad = values.count - finite.count
        if bad > 0 { parts.append(Messages.text("{count} non-finite (?)", ["count": String(bad)])) }
        let note = "  " + parts.joined(separator: Messages.text(", "))
        lines += wrapItems(note.split(separator: " ").map(String.init), width: caps.width, indent: "  ", separator: " ")
        return lines.joined(separator: "\n")
    }

    /// `lo ▕gradient▏ hi`: the colour (or character) ramp with its end values.
    private func colorBar(_ scale: HeatmapScale, _ color: ColorMode, width: Int) -> String {
        let ends = NumberFormat.compact(scale.lo).count + NumberFormat.compact(scale.hi).count
        let steps = max(4, min(24, width - ends - 6))
        var bar = ""
        for i in 0..<steps {
            let t = (Double(i) + 0.5) / Double(steps)
            if color == .none {
                bar.append(scale.colormap.character(at: t))
            } else {
                bar += ANSI.paint("█", scale.colormap.color(at: t), color)
            }
        }
        return "  " + NumberFormat.compact(scale.lo) + " [" + bar + "] " + NumberFormat.compact(scale.hi)
    }
}
