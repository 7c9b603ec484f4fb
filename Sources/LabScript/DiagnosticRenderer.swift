import LabSupport

/// Renders diagnostics the same way for files, the REPL and notebooks:
///
///     train.lab:3:9: error: undefined variable 'lrr'; did you mean 'lr'?
///         x = lrr * 2
///             ^~~
///       in step(), called at train.lab:7:1
///
/// The source line is indented by four spaces; the caret marks the first character of the
/// range and tildes the rest of it on that line. Tabs in the line are kept in the marker
/// padding so the caret lines up. Line and column are computed here, at printing time.
public struct DiagnosticRenderer: Sendable {
    /// Wrap "error:" and the marker in ANSI colour (for terminals).
    public var color: Bool

    public init(color: Bool = false) {
        self.color = color
    }

    public func render(_ diagnostic: Diagnostic) -> String {
        let file = diagnostic.range.file
        let location = file.location(of: diagnostic.range.start)
        let errorWord = color ? "\u{1B}[1;31merror:\u{1B}[0m" : "error:"
        var lines = ["\(file.name):\(location.line):\(location.column): \(errorWord) \(diagnostic.message)"]
        let lineScalars = Array(location.lineText.unicodeScalars)
        if !lineScalars.isEmpty || diagnostic.range.start < file.bytes.count {
            lines.append("    " + location.lineText)
            let caretColumn = location.column - 1
            // Under each character before the caret, a tab or as many spaces as the
            // character takes columns (two for a Han character: `DisplayWidth`).
            let padding = lineScalars.prefix(caretColumn).map {
                $0 == "\t" ? "\t" : String(repeating: " ", count: DisplayWidth.of($0))
            }.joined()
            // Width of the span on this line, in terminal columns; at least one caret.
            let endLocation = file.location(of: diagnostic.range.end)
            let endColumn = endLocation.line == location.line ? endLocation.column - 1 : lineScalars.count
            let spanned = lineScalars[min(caretColumn, lineScalars.count)..<min(max(endColumn, caretColumn), lineScalars.count)]
            let width = max(1, spanned.reduce(0) { $0 + DisplayWidth.of($1) })
            var marker = "^" + String(repeating: "~", count: width - 1)
            if color { marker = "\u{1B}[1;32m" + marker + "\u{1B}[0m" }
            lines.append("    " + padding + marker)
        }
        lines += DiagnosticRenderer.stackLines(diagnostic.callStack)
        return lines.joined(separator: "\n")
    }

    /// Several diagnostics, one after another, each ending in a newline.
    public func render(_ diagnostics: [Diagnostic]) -> String {
        diagnostics.map { render($0) + "\n" }.joined()
    }

    /// Call-stack notes, innermost first. Runs of the same frame (deep recursion) are
    /// folded into one line, and at most `maxStackLines` lines are shown.
    static let maxStackLines = 12

    static func stackLines(_ frames: [StackFrame]) -> [String] {
        var lines: [String] = []
        var index = 0
        while index < frames.count {
            let frame = frames[index]
            var run = 1
            while index + run < frames.count, frames[index + run].function == frame.function,
                  frames[index + run].callSite.start == frame.callSite.start,
                  frames[index + run].callSite.file === frame.callSite.file {
                run += 1
            }
            let values = ["function": frame.function, "site": frame.callSite.shortDescription, "count": String(run)]
            let line = "  " + (run > 1 ? Messages.text("in {function}(), called at {site} ({count} times)", values)
                                       : Messages.text("in {function}(), called at {site}", values))
            if lines.count == maxStackLines {
                lines.append("  " + Messages.text("… {count} more calls", ["count": String(frames.count - index)]))
                break
            }
            lines.append(line)
            index += run
        }
        return lines
    }
}
