/// Writes cells back in the percent format, so that parsing the text gives the same cells.
public enum PercentFormatWriter {
    /// The marker line of a cell: `# %% [kind] key=value …`.
    public static func markerLine(for cell: Cell) -> String {
        var parts = ["# %%"]
        if let bracket = cell.kind.bracket { parts.append("[\(bracket)]") }
        for (key, value) in cell.metadata.entries {
            parts.append("\(key)=\(MetadataParser.format(value))")
        }
        return parts.joined(separator: " ")
    }

    /// One cell: its marker, then its source (prose commented with `# `).
    public static func text(of cell: Cell) -> String {
        var lines = [markerLine(for: cell)]
        if !cell.source.isEmpty {
            for line in cell.source.split(separator: "\n", omittingEmptySubsequences: false) {
                lines.append(cell.kind.isProse ? (line.isEmpty ? "#" : "# " + line) : String(line))
            }
        }
        return lines.joined(separator: "\n")
    }

    /// A whole file: cells separated by one blank line, ending with a newline.
    /// An implicit leading code cell (no marker) is written without a marker.
    public static func text(of cells: [Cell]) -> String {
        var blocks: [String] = []
        for cell in cells {
            if cell.markerLine == nil && cell.kind == .code && blocks.isEmpty {
                blocks.append(cell.source)
            } else {
                blocks.append(text(of: cell))
            }
        }
        return blocks.joined(separator: "\n\n") + "\n"
    }
}
