import LabSupport
extension Chart {
    /// Heatmap cells as rects (mean-pooled to at most 128 per side), a vertical colour bar
    /// with its end values, and the value range under the map.
    func heatmapSVG(_ values: [Double], _ rows: Int, _ columns: Int, _ scale: HeatmapScale,
                    _ width: Double, _ height: Double) -> String {
        let factor = max(1, (max(rows, columns) + 127) / 128)
        let pooled = PooledMatrix(values, rows: rows, columns: columns, factor: factor)
        let top = (title?.isEmpty ?? true) ? 20.0 : 45.0
        let areaW = width - 40 - 110, areaH = height - top - 45
        let cell = min(areaW / Double(pooled.columns), areaH / Double(pooled.rows))
        var w = SVGWriter(width: width, height: height)
        if let title, !title.isEmpty {
            w.text(40 + Double(pooled.columns) * cell / 2, 28, title, anchor: .middle, size: 16, cls: "title")
        }
        for r in 0..<pooled.rows {
            for c in 0..<pooled.columns {
                let v = pooled[r, c]
                let fill = v.isNaN ? "#888888" : scale.colormap.color(at: scale.unit(v)).hex
                w.rect(40 + Double(c) * cell, top + Double(r) * cell, cell, cell, fill: fill, cls: "cell")
            }
        }
        let mapRight = 40 + Double(pooled.columns) * cell
        let mapBottom = top + Double(pooled.rows) * cell
        w.rect(40, top, mapRight - 40, mapBottom - top, fill: "none", stroke: "#333333", cls: "frame")
        // Colour bar: 40 steps, top = high end.
        let barX = mapRight + 25, steps = 40
        let stepH = (mapBottom - top) / Double(steps)
        for i in 0..<steps {
            let t = 1 - (Double(i) + 0.5) / Double(steps)
            w.rect(barX, top + Double(i) * stepH, 18, stepH + 0.5, fill: scale.colormap.color(at: t).hex, cls: "colorbar")
        }
        w.text(barX + 24, top + 10, NumberFormat.compact(scale.hi), size: 11, cls: "colorbar-label")
        w.text(barX + 24, mapBottom, NumberFormat.compact(scale.lo), size: 11, cls: "colorbar-label")
        if scale.colormap.isDiverging && scale.lo < 0 && scale.hi > 0 {
            let zeroY = top + (1 - scale.unit(0)) * (mapBottom - top)
            w.text(barX + 24, zeroY + 4, "0", size: 11, cls: "colorbar-label")
        }
        let finite = values.filter(\.isFinite)
        var parts = ["\(rows)×\(columns)"]
        if factor > 1 { parts.append(Messages.text("cells are means of {factor}×{factor}", ["factor": String(factor)])) }
        if let lo = finite.min(), let hi = finite.max() {
            parts.append(Messages.text("values {lo} … {hi}", ["lo": NumberFormat.compact(lo), "hi": NumberFormat.compact(hi)]))
        }
        let note = parts.joined(separator: Messages.text(", "))
        w.text(40, mapBottom + 20, note, size: 11, cls: "note")
        return w.document(title: title)
    }

    /// Images as one rect per pixel, up to 8 per row, each with its label underneath.
    func imagesSVG(_ grid: ImageGrid) -> String {
        let perRow = min(grid.count, 8)
        let pixel = max(1.0, min(12.0, (160.0 / Double(max(grid.height, grid.width))).rounded(.down)))
        let cellW = Double(grid.width) * pixel, cellH = Double(grid.height) * pixel
        let labelH = grid.labels.isEmpty ? 0.0 : 18.0
        let top = (title?.isEmpty ?? true) ? 10.0 : 40.0
        let rowsOfImages = (grid.count + perRow - 1) / perRow
        let width = 20 + Double(perRow) * (cellW + 10)
        let height = top + Double(rowsOfImages) * (cellH + labelH + 10) + 10
        var w = SVGWriter(width: max(width, 120), height: height)
        if let title, !title.isEmpty { w.text(10, 26, title, size: 16, cls: "title") }
        for n in 0..<grid.count {
            let ox = 10 + Double(n % perRow) * (cellW + 10)
            let oy = top + Double(n / perRow) * (cellH + labelH + 10)
            w.raw("<g class=\"image\">")
            for yy in 0..<grid.height {
                for xx in 0..<grid.width {
                    w.rect(ox + Double(xx) * pixel, oy + Double(yy) * pixel, pixel, pixel,
                           fill: grid.color(n, yy, xx).hex, cls: "pixel")
                }
            }
            w.raw("</g>")
            if !grid.labels.isEmpty {
                w.text(ox + cellW / 2, oy + cellH + 14, grid.labels[n], anchor: .middle, size: 11, cls: "label")
            }
        }
        return w.document(title: title)
    }
}
