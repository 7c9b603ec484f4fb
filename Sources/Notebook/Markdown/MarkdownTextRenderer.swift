import Display

/// Renders prose Markdown back to Markdown, for the Markdown export: the tree the terminal
/// and HTML renderers show, written so that a CommonMark or GitHub renderer shows the same
/// and nothing more. Text goes through `markdownEscape`, so raw HTML, character references
/// and autolinks in the source stay text, as in the HTML export; links are the ones the
/// parser kept (`MarkdownLinkPolicy`), their destinations escaped; code keeps its text in
/// fences and spans longer than any backtick run inside.
public enum MarkdownTextRenderer {
    /// The Markdown text, blocks separated by blank lines, without a final newline.
    public static func render(_ markdown: String) -> String {
        render(blocks: MarkdownBlock.parse(markdown)).joined(separator: "\n")
    }

    static func render(blocks: [MarkdownBlock]) -> [String] {
        var lines: [String] = []
        for block in blocks {
            if !lines.isEmpty { lines.append("") }
            lines += render(block)
        }
        return lines
    }

    static func render(_ block: MarkdownBlock) -> [String] {
        switch block {
        case .heading(let level, let inlines):
            var text = render(inlines, atLineStart: false)
            // A trailing run of #s would read as the heading's closing sequence.
            if text.hasSuffix("#"), let start = text.lastIndex(where: { $0 != "#" }).map(text.index(after:)) ?? text.indices.first {
                text.insert("\\", at: start)
            }
            return [String(repeating: "#", count: level) + (text.isEmpty ? "" : " " + text)]
        case .paragraph(let inlines):
            return [render(inlines, atLineStart: true)]
        case .list(let start, let items):
            var lines: [String] = []
            for (n, item) in items.enumerated() {
                let marker = start.map { "\($0 + n). " } ?? "- "
                let indent = String(repeating: " ", count: marker.count)
                let body = render(blocks: item)
                if body.isEmpty { lines.append(String(marker.dropLast())); continue }
                for (k, line) in body.enumerated() {
                    lines.append(k == 0 ? marker + line : (line.isEmpty ? "" : indent + line))
                }
            }
            return lines
        case .quote(let blocks):
            return render(blocks: blocks).map { $0.isEmpty ? ">" : "> " + $0 }
        case .code(let language, let text):
            return fencedCode(text, info: language).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        case .rule:
            return ["***"]
        }
    }

    static func render(_ inlines: [MarkdownInline], atLineStart: Bool) -> String {
        var out = ""
        for (n, inline) in inlines.enumerated() {
            switch inline {
            case .text(let s): out += markdownEscape(s, atLineStart: atLineStart && n == 0)
            case .code(let s): out += codeSpan(s)
            case .emphasis(let inner): out += "*" + render(inner, atLineStart: false) + "*"
            case .strong(let inner): out += "**" + render(inner, atLineStart: false) + "**"
            case .link(let inner, let url): out += "[" + render(inner, atLineStart: false) + "](" + destination(url) + ")"
            }
        }
        return out
    }

    /// A link destination the policy allowed, with every character a CommonMark renderer
    /// would read as syntax (`\` `(` `)` `<` `>`) or decode (`&`) backslash-escaped.
    static func destination(_ url: String) -> String {
        var out = ""
        for c in url {
            if "\\()<>&".contains(c) { out.append("\\") }
            out.append(c)
        }
        return out
    }

    /// `code` as a code span: delimited by a backtick run longer than any inside it, padded
    /// with a space where it starts or ends with a backtick or would lose its own spaces.
    static func codeSpan(_ code: String) -> String {
        guard !code.isEmpty else { return "" }
        let fence = String(repeating: "`", count: longestBacktickRun(code) + 1)
        let pad = code.first == "`" || code.last == "`"
            || (code.first == " " && code.last == " " && code.contains(where: { $0 != " " }))
        let inner = pad ? " " + code + " " : code
        return fence + inner + fence
    }

    /// `text` in a backtick fence longer than any run of backticks inside it, so no line of
    /// it can close the fence; the info string keeps only characters a language name uses.
    public static func fencedCode(_ text: String, info: String) -> String {
        let fence = String(repeating: "`", count: max(3, longestBacktickRun(text) + 1))
        let language = info.filter { $0.isASCII && ($0.isLetter || $0.isNumber || "+-_.#".contains($0)) }
        let body = text.hasSuffix("\n") ? String(text.dropLast()) : text
        return fence + language + "\n" + body + "\n" + fence
    }

    static func longestBacktickRun(_ text: String) -> Int {
        var longest = 0, run = 0
        for c in text {
            run = c == "`" ? run + 1 : 0
            longest = max(longest, run)
        }
        return longest
    }
}
