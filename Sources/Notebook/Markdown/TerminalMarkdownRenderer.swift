import LabSupport

/// Renders the Markdown of prose cells for a terminal: paragraphs wrapped to `width`,
/// headings underlined, lists with hanging indents, quotes with a bar, fenced code
/// indented (LabScript highlighted). With `colour` on, emphasis, code and headings use
/// ANSI styles; with it off the output is plain text.
public struct TerminalMarkdownRenderer: Sendable {
    public var width: Int
    public var colour: Bool

    public init(width: Int = 80, colour: Bool) {
        self.width = max(width, 20)
        self.colour = colour
    }

    /// The rendered text, one line per `\n`, ending with a newline (empty input: empty output).
    public func render(_ markdown: String) -> String {
        let lines = render(blocks: MarkdownBlock.parse(markdown), width: width, tight: false)
        return lines.isEmpty ? "" : lines.joined(separator: "\n") + "\n"
    }

    func render(blocks: [MarkdownBlock], width: Int, tight: Bool) -> [String] {
        var out: [String] = []
        for block in blocks {
            if !out.isEmpty && !tight { out.append("") }
            out += render(block, width: max(width, 10))
        }
        return out
    }

    func render(_ block: MarkdownBlock, width: Int) -> [String] {
        switch block {
        case .heading(let level, let inlines):
            let headingStyle: TerminalStyle = level == 1 ? .bold + .magenta : .bold
            let lines = wrap(runs(inlines, style: headingStyle), width: width)
            let underlineWidth = min(lines.map(visibleWidth).max() ?? 0, width)
            switch level {
            case 1: return lines + [TerminalStyle.magenta.apply(String(repeating: "=", count: underlineWidth), colour: colour)]
            case 2: return lines + [TerminalStyle.dim.apply(String(repeating: "-", count: underlineWidth), colour: colour)]
            default: return lines
            }
        case .paragraph(let inlines):
            return wrap(runs(inlines, style: TerminalStyle()), width: width)
        case .list(let start, let items):
            var out: [String] = []
            let numbers = items.indices.map { (start ?? 0) + $0 }
            let markerWidth = start == nil ? 2 : (numbers.map { "\($0)".count }.max() ?? 1) + 2
            for (n, item) in items.enumerated() {
                let marker: String
                if start == nil {
                    marker = TerminalStyle.cyan.apply(colour ? "•" : "-", colour: colour) + " "
                } else {
                    let label = "\(numbers[n])."
                    marker = String(repeating: " ", count: markerWidth - 1 - label.count)
                        + TerminalStyle.cyan.apply(label, colour: colour) + " "
                }
                let body = render(blocks: item, width: width - markerWidth, tight: true)
                let indent = String(repeating: " ", count: markerWidth)
                for (k, line) in (body.isEmpty ? [""] : body).enumerated() {
                    out.append(k == 0 ? marker + line : (line.isEmpty ? "" : indent + line))
                }
            }
            return out
        case .quote(let blocks):
            let bar = TerminalStyle.grey.apply(colour ? "│" : ">", colour: colour)
            return render(blocks: blocks, width: width - 2, tight: false).map { line in
                line.isEmpty ? bar : bar + " " + TerminalStyle.italic.apply(line, colour: colour && !line.contains("\u{1B}"))
            }
        case .code(let language, let text):
            let isLab = ["lab", "labscript"].contains(language.lowercased())
            let lines = isLab ? LabScriptHighlighter.terminalLines(text, colour: colour)
                              : text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).map(String.init)
            return lines.map { $0.isEmpty ? "" : "    " + $0 }
        case .rule:
            return [TerminalStyle.grey.apply(String(repeating: colour ? "─" : "-", count: width), colour: colour)]
        }
    }

    // MARK: Inline text

    /// A piece of text in one style.
    struct Run {
        var text: String
        var style: TerminalStyle
    }

    func runs(_ inlines: [MarkdownInline], style: TerminalStyle) -> [Run] {
        var out: [Run] = []
        for inline in inlines {
            switch inline {
            case .text(let text):
                out.append(Run(text: text, style: style))
            case .strong(let inner):
                out += runs(inner, style: style + .bold)
            case .emphasis(let inner):
                out += runs(inner, style: style + .italic)
            case .code(let code):
                out.append(Run(text: colour ? code : "`" + code + "`", style: style + .cyan))
            case .link(let inner, let url):
                out += runs(inner, style: style + .underline)
                if MarkdownInline.plainText(inner) != url {
                    out.append(Run(text: " (" + url + ")", style: style + .grey))
                }
            }
        }
        return out
    }

    /// Greedy wrap of styled runs by display width: words break at spaces, and Chinese text
    /// (no spaces) between characters where `LineBreak` allows; a piece wider than the
    /// width gets a line of its own.
    func wrap(_ runs: [Run], width: Int) -> [String] {
        /// A piece no line may break inside, and whether a space comes before it.
        struct Piece {
            var runs: [Run] = []
            var spaced: Bool
        }
        var pieces: [Piece] = []
        var piece = Piece(spaced: false)
        var pendingSpace = false
        var previous: Character?
        for run in runs {
            for c in run.text {
                if c == " " || c.isNewline || c == "\t" {
                    pendingSpace = true
                    previous = nil
                    continue
                }
                let breaks = pendingSpace || previous.map { LineBreak.allowed(between: $0, and: c) } ?? false
                if breaks && !piece.runs.isEmpty {
                    pieces.append(piece)
                    piece = Piece(spaced: pendingSpace)
                } else if piece.runs.isEmpty {
                    piece.spaced = pendingSpace
                }
                pendingSpace = false
                previous = c
                if let last = piece.runs.last, last.style == run.style {
                    piece.runs[piece.runs.count - 1].text.append(c)
                } else {
                    piece.runs.append(Run(text: String(c), style: run.style))
                }
            }
        }
        if !piece.runs.isEmpty { pieces.append(piece) }

        var lines: [String] = []
        var line = ""
        var lineWidth = 0
        for piece in pieces {
            let w = piece.runs.reduce(0) { $0 + $1.text.displayWidth }
            let rendered = piece.runs.map { $0.style.apply($0.text, colour: colour) }.joined()
            let gap = piece.spaced ? 1 : 0
            if lineWidth > 0 && lineWidth + gap + w > width {
                lines.append(line)
                line = ""
                lineWidth = 0
            }
            if lineWidth > 0 && piece.spaced {
                line += " "
                lineWidth += 1
            }
            line += rendered
            lineWidth += w
        }
        if lineWidth > 0 || lines.isEmpty { lines.append(line) }
        return lines
    }
}
