import JupyterKernel
import LabSupport

/// A training progress bar as a Jupyter display: the bar's text (redrawn with `\r`, as
/// on a terminal) is kept as the lines a terminal would finally show, the first write
/// opens a `display_data` and every later one updates it (`update_display_data`), so the
/// notebook shows one bar that moves instead of escape codes or a hundred lines.
final class ProgressDisplay {
    private let output: ExecutionOutput
    private let id = "progress-" + String(UInt64.random(in: 0...UInt64.max), radix: 16)
    private var lines: [String] = [""]
    private var shown = false

    /// Marks the display, so tools can tell a progress bar from a cell's own output.
    static let metadata: [String: JSON] = ["selfsup": ["progress": true]]

    init(output: ExecutionOutput) { self.output = output }

    /// Takes text exactly as the bar writes it.
    func write(_ text: String) {
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\r": lines[lines.count - 1] = ""
            case "\n": lines.append("")
            default: lines[lines.count - 1].unicodeScalars.append(scalar)
            }
        }
        output.display(["text/plain": .string(shownText)], metadata: ProgressDisplay.metadata, displayID: id,
                       update: shown)
        shown = true
    }

    /// The text the display shows now.
    var shownText: String { (lines.last == "" ? lines.dropLast() : lines[...]).joined(separator: "\n") }
}
