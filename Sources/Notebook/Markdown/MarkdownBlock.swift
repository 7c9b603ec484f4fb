import LabSupport

/// The block structure of the Markdown used in prose cells: a deliberately small subset
/// of CommonMark (headings, paragraphs, bullet and numbered lists, block quotes, fenced
/// code, rules). Anything else is a paragraph, so no input is ever rejected.
public indirect enum MarkdownBlock: Sendable, Equatable {
    case heading(level: Int, [MarkdownInline])
    case paragraph([MarkdownInline])
    /// `start` is the first number of a numbered list, `nil` for a bullet list.
    case list(start: Int?, items: [[MarkdownBlock]])
    case quote([MarkdownBlock])
    case code(language: String, text: String)
    case rule

    /// Parses Markdown text into blocks.
    public static func parse(_ text: String) -> [MarkdownBlock] {
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).map(String.init)
        return parse(lines: lines[...])
    }

    static func parse(lines: ArraySlice<String>) -> [MarkdownBlock] {
        var blocks: [MarkdownBlock] = []
        var i = lines.startIndex
        while i < lines.endIndex {
            let line = lines[i]
            if isBlank(line) { i += 1; continue }
            if let fence = fenceOpening(line) {
                var body: [String] = []
                i += 1
                while i < lines.endIndex, !isFenceClosing(lines[i], fence: fence.marker) {
                    body.append(stripIndent(lines[i], upTo: fence.indent))
                    i += 1
                }
                i += 1   // the closing fence (or past the end)
                blocks.append(.code(language: fence.language, text: body.joined(separator: "\n")))
            } else if let (level, text) = heading(line) {
                blocks.append(.heading(level: level, MarkdownInline.parse(text)))
                i += 1
            } else if isRule(line) {
                blocks.append(.rule)
                i += 1
            } else if let quoted = quoteContent(line) {
                var body = [quoted]
                i += 1
                while i < lines.endIndex, let next = quoteContent(lines[i]) {
                    body.append(next)
                    i += 1
                }
                blocks.append(.quote(parse(lines: body[...])))
            } else if let first = listItem(line) {
                var items: [[MarkdownBlock]] = []
                while i < lines.endIndex, let item = listItem(lines[i]), item.indent <= first.indent,
                      (item.number == nil) == (first.number == nil) {
                    var body = [item.text]
                    i += 1
                    while i < lines.endIndex {
                        let next = lines[i]
                        let indent = leadingSpaces(next)
                        if isBlank(next) {
                            // A blank line continues the item only if indented content follows.
                            var j = i + 1
                            while j < lines.endIndex, isBlank(lines[j]) { j += 1 }
                            guard j < lines.endIndex, leadingSpaces(lines[j]) >= item.contentIndent else { break }
                            body.append("")
                        } else if indent >= item.contentIndent {
                            body.append(stripIndent(next, upTo: item.contentIndent))
                        } else if let nested = listItem(next), nested.indent > item.indent {
                            body.append(stripIndent(next, upTo: nested.indent))
                        } else if listItem(next) == nil, !startsBlock(next), !isBlank(body.last ?? "") {
                            body.append(String(next.drop(while: { $0 == " " })))   // lazy continuation
                        } else {
                            break
                        }
                        i += 1
                    }
                    items.append(parse(lines: body[...]))
                }
                blocks.append(.list(start: first.number, items: items))
            } else {
                var text: [String] = [line.trimmingSpaces()]
                i += 1
                while i < lines.endIndex, !isBlank(lines[i]), !startsBlock(lines[i]), listItem(lines[i]) == nil {
                    text.append(lines[i].trimmingSpaces())
                    i += 1
                }
                blocks.append(.paragraph(MarkdownInline.parse(joinSoftBreaks(text))))
            }
        }
        return blocks
    }

    /// The lines of a paragraph as one text: a soft line break reads as a space, except
    /// between two Chinese characters (`LineBreak.joinsWithoutSpace`), where a space would
    /// show as a gap in the middle of a sentence.
    /// Emphasis and code markers around the break (`**模式崩溃**` then `（`) are looked past.
    static func joinSoftBreaks(_ lines: [String]) -> String {
        var text = ""
        for line in lines {
            if !text.isEmpty && !softBreakJoins(text, line) { text += " " }
            text += line
        }
        return text
    }

    /// Whether a soft line break between a line ending as `before` and one starting as
    /// `after` reads as nothing (two Chinese characters, emphasis and code markers looked
    /// past) rather than as a space. Renderers and the notebook export read it from here.
    static func softBreakJoins(_ before: some StringProtocol, _ after: some StringProtocol) -> Bool {
        let markup: Set<Character> = ["*", "_", "`"]
        guard let last = before.last, let first = after.first else { return false }
        let end = before.last { !markup.contains($0) } ?? last
        let start = after.first { !markup.contains($0) } ?? first
        return LineBreak.joinsWithoutSpace(end, start)
    }

    // MARK: Line classification

    static func isBlank(_ line: String) -> Bool { line.allSatisfy { $0 == " " || $0 == "\t" } }

    static func leadingSpaces(_ line: String) -> Int { line.prefix(while: { $0 == " " }).count }

    static func stripIndent(_ line: String, upTo n: Int) -> String {
        String(line.dropFirst(min(n, leadingSpaces(line))))
    }

    static func startsBlock(_ line: String) -> Bool {
        fenceOpening(line) != nil || heading(line) != nil || isRule(line) || quoteContent(line) != nil
    }

    static func fenceOpening(_ line: String) -> (marker: String, language: String, indent: Int)? {
        let indent = leadingSpaces(line)
        guard indent <= 3 else { return nil }
        let rest = line.dropFirst(indent)
        for mark in ["```", "~~~"] where rest.hasPrefix(mark) {
            let run = rest.prefix(while: { $0 == mark.first })
            let info = rest.dropFirst(run.count).trimmingSpaces()
            let language = String(info.prefix(while: { $0 != " " }))
            return (String(run), language, indent)
        }
        return nil
    }

    static func isFenceClosing(_ line: String, fence: String) -> Bool {
        let trimmed = line.trimmingSpaces()
        guard let c = fence.first else { return false }
        return trimmed.count >= fence.count && trimmed.allSatisfy { $0 == c }
    }

    static func heading(_ line: String) -> (Int, String)? {
        let indent = leadingSpaces(line)
        guard indent <= 3 else { return nil }
        let rest = line.dropFirst(indent)
        let hashes = rest.prefix(while: { $0 == "#" }).count
        guard (1...6).contains(hashes) else { return nil }
        let after = rest.dropFirst(hashes)
        guard after.isEmpty || after.first == " " else { return nil }
        var text = after.trimmingSpaces()
        // An optional closing run of #s: "## Title ##".
        if let lastSpace = text.lastIndex(of: " "), text[text.index(after: lastSpace)...].allSatisfy({ $0 == "#" }) {
            text = String(text[..<lastSpace]).trimmingSpaces()
        } else if text.allSatisfy({ $0 == "#" }) {
            text = ""
        }
        return (hashes, text)
    }

    static func isRule(_ line: String) -> Bool {
        let chars = line.filter { $0 != " " }
        guard chars.count >= 3, let c = chars.first, "-*_".contains(c) else { return false }
        return chars.allSatisfy { $0 == c } && leadingSpaces(line) <= 3
    }

    static func quoteContent(_ line: String) -> String? {
        let indent = leadingSpaces(line)
        guard indent <= 3 else { return nil }
        let rest = line.dropFirst(indent)
        guard rest.first == ">" else { return nil }
        let after = rest.dropFirst()
        return String(after.first == " " ? after.dropFirst() : after)
    }

    struct ListItemLine {
        var indent: Int
        var number: Int?
        var text: String
        /// The column where the item's text starts; continuation lines are indented this far.
        var contentIndent: Int
    }

    static func listItem(_ line: String) -> ListItemLine? {
        let indent = leadingSpaces(line)
        let rest = line.dropFirst(indent)
        var number: Int?
        var markerWidth: Int
        if let c = rest.first, "-*+".contains(c) {
            markerWidth = 1
        } else {
            let digits = rest.prefix(while: { $0.isASCII && $0.isNumber })
            guard (1...9).contains(digits.count), let n = Int(digits) else { return nil }
            let after = rest.dropFirst(digits.count)
            guard let d = after.first, d == "." || d == ")" else { return nil }
            number = n
            markerWidth = digits.count + 1
        }
        let afterMarker = rest.dropFirst(markerWidth)
        if afterMarker.isEmpty { return ListItemLine(indent: indent, number: number, text: "", contentIndent: indent + markerWidth + 1) }
        guard afterMarker.first == " " || afterMarker.first == "\t" else { return nil }
        let spaces = min(afterMarker.prefix(while: { $0 == " " }).count, 4)
        return ListItemLine(indent: indent, number: number,
                            text: String(afterMarker.dropFirst(max(spaces, 1))).trimmingSpaces(),
                            contentIndent: indent + markerWidth + max(spaces, 1))
    }
}

extension StringProtocol {
    /// The text without leading and trailing spaces and tabs.
    func trimmingSpaces() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let first = firstIndex(where: { !isSpace($0) }),
              let last = lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(self[first...last])
    }
}
