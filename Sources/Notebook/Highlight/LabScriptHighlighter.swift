import LabScript

/// What a piece of LabScript source is, for colouring.
public enum HighlightKind: String, Sendable, Equatable {
    case keyword            // a word in the lexer's keyword table (`TokenKind.keywordNames`)
    case number             // 3, 0.5, 1e-3, 1_000
    case string             // "text" and the text parts of an interpolated string
    case interpolation      // the `{` and `}` around an interpolated expression
    case comment            // from `#` to the end of the line
    case label              // a named-argument or record label: `count` in `shapes(count: 5)`
    case call               // a name being called: `shapes` in `shapes(count: 5)`
    case identifier
    case `operator`         // + - * / ^ @ = == < <= .. and so on
    case punctuation        // ( ) [ ] { } , : ;
    case whitespace
    case other              // anything else, kept as it is
}

/// One piece of highlighted source. The texts of all tokens, in order, are the input.
public struct HighlightToken: Sendable, Equatable {
    public var kind: HighlightKind
    public var text: String
    public init(_ kind: HighlightKind, _ text: String) {
        self.kind = kind
        self.text = text
    }
}

/// A small, self-contained highlighter for LabScript.
///
/// It is not the language's lexer: it accepts any text, never fails, and only decides
/// colours. Strings end at the closing quote or the end of the line; `{expr}` inside a
/// string is highlighted as code (nested up to `maxNesting` deep, then shown as text).
public enum LabScriptHighlighter {
    /// The language's keywords, from the lexer's table.
    public static let keywords = Set(TokenKind.keywordNames)
    static let maxNesting = 32

    /// Splits `source` into tokens whose texts, joined, are exactly `source`.
    public static func tokens(_ source: String) -> [HighlightToken] {
        var lexer = Lexer(chars: Array(source))
        var out: [HighlightToken] = []
        lexer.lex(into: &out, insideInterpolation: false, depth: 0)
        return out
    }

    /// How many times `name(` is called in `source` (comments and strings do not count).
    public static func callCount(of name: String, in source: String) -> Int {
        tokens(source).filter { $0.kind == .call && $0.text == name }.count
    }

    private struct Lexer {
        let chars: [Character]
        var i = 0

        func peek(_ offset: Int = 0) -> Character? {
            let j = i + offset
            return j >= 0 && j < chars.count ? chars[j] : nil
        }

        /// Lexes until the end, or (inside an interpolation) an unmatched `}`, left unconsumed.
        mutating func lex(into out: inout [HighlightToken], insideInterpolation: Bool, depth: Int) {
            var brackets: [Character] = []
            while let c = peek() {
                let start = i
                if c == "}" && insideInterpolation && brackets.isEmpty { return }
                if c.isWhitespace {
                    while let d = peek(), d.isWhitespace { i += 1 }
                    out.append(HighlightToken(.whitespace, text(from: start)))
                } else if c == "#" {
                    while let d = peek(), !d.isNewline { i += 1 }
                    out.append(HighlightToken(.comment, text(from: start)))
                } else if c == "\"" || c == "'" {
                    lexString(quote: c, into: &out, depth: depth)
                } else if isDigit(c) {
                    lexNumber()
                    out.append(HighlightToken(.number, text(from: start)))
                } else if isIdentifierStart(c) {
                    while let d = peek(), isIdentifierStart(d) || isDigit(d) { i += 1 }
                    let word = text(from: start)
                    out.append(HighlightToken(classify(word, brackets: brackets), word))
                } else if "([{".contains(c) {
                    i += 1
                    brackets.append(c)
                    out.append(HighlightToken(.punctuation, String(c)))
                } else if ")]}".contains(c) {
                    i += 1
                    if !brackets.isEmpty { brackets.removeLast() }
                    out.append(HighlightToken(.punctuation, String(c)))
                } else if ",:;".contains(c) {
                    i += 1
                    out.append(HighlightToken(.punctuation, String(c)))
                } else if isOperator(c) {
                    while let d = peek(), isOperator(d) { i += 1 }
                    out.append(HighlightToken(.operator, text(from: start)))
                } else {
                    i += 1
                    out.append(HighlightToken(.other, String(c)))
                }
            }
        }

        /// A keyword, a call (`name(`), a label (`name:` directly inside `(` or `{`), or a name.
        func classify(_ word: String, brackets: [Character]) -> HighlightKind {
            if LabScriptHighlighter.keywords.contains(word) { return .keyword }
            var j = i
            while j < chars.count, chars[j] == " " || chars[j] == "\t" { j += 1 }
            guard j < chars.count else { return .identifier }
            if chars[j] == "(" { return .call }
            if chars[j] == ":", let open = brackets.last, open == "(" || open == "{" { return .label }
            return .identifier
        }

        mutating func lexString(quote: Character, into out: inout [HighlightToken], depth: Int) {
            var start = i
            i += 1
            while let c = peek() {
                if c.isNewline { break }
                if c == "\\" {
                    i += (peek(1).map { !$0.isNewline } ?? false) ? 2 : 1
                    continue
                }
                if c == quote {
                    i += 1
                    break
                }
                if c == "{" && depth < LabScriptHighlighter.maxNesting {
                    if i > start { out.append(HighlightToken(.string, text(from: start))) }
                    out.append(HighlightToken(.interpolation, "{"))
                    i += 1
                    lex(into: &out, insideInterpolation: true, depth: depth + 1)
                    if peek() == "}" {
                        out.append(HighlightToken(.interpolation, "}"))
                        i += 1
                    }
                    start = i
                    continue
                }
                i += 1
            }
            if i > start { out.append(HighlightToken(.string, text(from: start))) }
        }

        mutating func lexNumber() {
            while let d = peek(), isDigit(d) || d == "_" { i += 1 }
            if peek() == ".", let d = peek(1), isDigit(d) {
                i += 1
                while let d = peek(), isDigit(d) || d == "_" { i += 1 }
            }
            if let e = peek(), e == "e" || e == "E" {
                if let d = peek(1), isDigit(d) {
                    i += 1
                } else if let s = peek(1), s == "+" || s == "-", let d = peek(2), isDigit(d) {
                    i += 2
                } else {
                    return
                }
                while let d = peek(), isDigit(d) { i += 1 }
            }
        }

        func text(from start: Int) -> String { String(chars[start..<i]) }
        func isDigit(_ c: Character) -> Bool { c.isASCII && c.isNumber }
        func isIdentifierStart(_ c: Character) -> Bool { c == "_" || (c.isASCII && c.isLetter) }
        func isOperator(_ c: Character) -> Bool { "+-*/^@=<>!.%&|~?".contains(c) }
    }
}
