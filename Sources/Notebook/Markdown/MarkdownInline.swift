/// Inline Markdown: text, `*emphasis*`, `**strong**`, `` `code` ``, `[links](url)`.
/// A link is one only when `MarkdownLinkPolicy` allows its destination; otherwise the
/// brackets and destination stay text.
///
/// `_x_` and `__x__` count only at word boundaries, so snake_case names such as
/// `embedding_std` stay as written. An opening mark without its closing one is text.
public indirect enum MarkdownInline: Sendable, Equatable {
    case text(String)
    case emphasis([MarkdownInline])
    case strong([MarkdownInline])
    case code(String)
    case link(text: [MarkdownInline], url: String)

    public static func parse(_ text: String) -> [MarkdownInline] {
        var parser = InlineParser(chars: Array(text))
        return parser.parse(until: nil, depth: 0)
    }

    /// The text without any markup (links keep only their text).
    public static func plainText(_ inlines: [MarkdownInline]) -> String {
        inlines.map { inline in
            switch inline {
            case .text(let s), .code(let s): return s
            case .emphasis(let inner), .strong(let inner), .link(let inner, _): return plainText(inner)
            }
        }.joined()
    }
}

private struct InlineParser {
    let chars: [Character]
    var i = 0
    static let maxDepth = 16

    /// Parses until `closer` (consumed) or the end; returns nil-free inline list.
    mutating func parse(until closer: String?, depth: Int) -> [MarkdownInline] {
        var out: [MarkdownInline] = []
        var text = ""
        func flush() { if !text.isEmpty { out.append(.text(text)); text = "" } }

        while i < chars.count {
            if let closer, matches(closer, at: i), canClose(closer, at: i) {
                i += closer.count
                flush()
                return out
            }
            let c = chars[i]
            if c == "\\", i + 1 < chars.count, chars[i + 1].isPunctuation || chars[i + 1].isSymbol {
                text.append(chars[i + 1])
                i += 2
            } else if c == "`", let (code, end) = codeSpan(at: i) {
                flush()
                out.append(.code(code))
                i = end
            } else if depth < InlineParser.maxDepth, let mark = emphasisMark(at: i),
                      let inner = delimited(mark, depth: depth) {
                flush()
                out.append(mark.count == 2 ? .strong(inner) : .emphasis(inner))
            } else if c == "[", depth < InlineParser.maxDepth, let (label, url, end) = link(at: i, depth: depth) {
                flush()
                out.append(.link(text: label, url: url))
                i = end
            } else {
                text.append(c)
                i += 1
            }
        }
        flush()
        return out
    }

    func matches(_ s: String, at j: Int) -> Bool {
        var k = j
        for c in s {
            guard k < chars.count, chars[k] == c else { return false }
            k += 1
        }
        return true
    }

    /// `**`, `__`, `*` or `_` that may open emphasis here.
    func emphasisMark(at j: Int) -> String? {
        let c = chars[j]
        guard c == "*" || c == "_" else { return nil }
        let double = j + 1 < chars.count && chars[j + 1] == c
        let mark = double ? String([c, c]) : String(c)
        let after = j + mark.count
        guard after < chars.count, !chars[after].isWhitespace else { return nil }
        if c == "_", j > 0, chars[j - 1].isLetter || chars[j - 1].isNumber { return nil }
        return mark
    }

    func canClose(_ mark: String, at j: Int) -> Bool {
        guard j > 0, !chars[j - 1].isWhitespace else { return false }
        if mark.first == "*", mark.count == 1, j + 1 < chars.count, chars[j + 1] == "*" { return false }
        if mark.first == "_" {
            let after = j + mark.count
            if after < chars.count, chars[after].isLetter || chars[after].isNumber { return false }
        }
        return true
    }

    /// The inlines between `mark` and its closing twin, or nil (position unchanged) when
    /// no closing mark follows.
    mutating func delimited(_ mark: String, depth: Int) -> [MarkdownInline]? {
        guard hasCloser(mark, from: i + mark.count) else { return nil }
        i += mark.count
        return parse(until: mark, depth: depth + 1)
    }

    /// Whether a closing `mark` follows `from` (skipping code spans and escapes).
    func hasCloser(_ mark: String, from: Int) -> Bool {
        var k = from
        while k < chars.count {
            if matches(mark, at: k), canClose(mark, at: k) { return true }
            if chars[k] == "`", let (_, end) = codeSpan(at: k) { k = end; continue }
            k += chars[k] == "\\" ? 2 : 1
        }
        return false
    }

    /// A code span starting at `j`: the text between a run of backticks and an equal run.
    func codeSpan(at j: Int) -> (String, Int)? {
        var k = j
        while k < chars.count, chars[k] == "`" { k += 1 }
        let run = k - j
        var m = k
        while m < chars.count {
            if chars[m] == "`" {
                var n = m
                while n < chars.count, chars[n] == "`" { n += 1 }
                if n - m == run {
                    var code = String(chars[k..<m])
                    if code.count >= 2, code.first == " ", code.last == " ", code.contains(where: { $0 != " " }) {
                        code = String(code.dropFirst().dropLast())
                    }
                    return (code, n)
                }
                m = n
            } else {
                m += 1
            }
        }
        return nil
    }

    /// `[text](url)` starting at `j`.
    func link(at j: Int, depth: Int) -> ([MarkdownInline], String, Int)? {
        var k = j + 1
        var nesting = 0
        while k < chars.count {
            if chars[k] == "[" { nesting += 1 }
            if chars[k] == "]" { if nesting == 0 { break }; nesting -= 1 }
            k += 1
        }
        guard k + 1 < chars.count, chars[k + 1] == "(" else { return nil }
        guard let close = chars[(k + 2)...].firstIndex(of: ")") else { return nil }
        let url = String(chars[(k + 2)..<close]).trimmingSpaces()
        // A destination the policy refuses is no link: the text stays as written.
        guard !url.contains(" "), MarkdownLinkPolicy.allows(url) else { return nil }
        var inner = InlineParser(chars: Array(chars[(j + 1)..<k]))
        return (inner.parse(until: nil, depth: depth + 1), url, close + 1)
    }
}
