import LabSupport

/// ANSI text styles for the terminal. With colour off every style is the empty string,
/// so the same rendering code produces plain text.
public struct TerminalStyle: Sendable, Equatable {
    /// The SGR parameters, e.g. `[1, 35]` for bold magenta.
    public var codes: [Int]
    public init(_ codes: Int...) { self.codes = codes }
    init(codes: [Int]) { self.codes = codes }

    public static let bold = TerminalStyle(1)
    public static let dim = TerminalStyle(2)
    public static let italic = TerminalStyle(3)
    public static let underline = TerminalStyle(4)
    public static let red = TerminalStyle(31)
    public static let green = TerminalStyle(32)
    public static let yellow = TerminalStyle(33)
    public static let blue = TerminalStyle(34)
    public static let magenta = TerminalStyle(35)
    public static let cyan = TerminalStyle(36)
    public static let grey = TerminalStyle(90)

    public static func + (a: TerminalStyle, b: TerminalStyle) -> TerminalStyle {
        TerminalStyle(codes: a.codes + b.codes)
    }

    /// `text` wrapped in this style (unchanged when `colour` is off or the style is empty).
    public func apply(_ text: String, colour: Bool) -> String {
        guard colour, !codes.isEmpty, !text.isEmpty else { return text }
        return "\u{1B}[" + codes.map(String.init).joined(separator: ";") + "m" + text + "\u{1B}[0m"
    }

    /// The colour of each kind of LabScript token.
    public static func forToken(_ kind: HighlightKind) -> TerminalStyle {
        switch kind {
        case .keyword: return .bold + .magenta
        case .number: return .cyan
        case .string: return .green
        case .interpolation: return .yellow
        case .comment: return .grey + .italic
        case .label: return .blue
        case .call: return .yellow
        case .identifier, .operator, .punctuation, .whitespace, .other: return TerminalStyle(codes: [])
        }
    }
}

extension LabScriptHighlighter {
    /// `source` split into lines, each coloured for the terminal (plain when `colour` is off).
    public static func terminalLines(_ source: String, colour: Bool) -> [String] {
        var lines = [""]
        for token in tokens(source) {
            let style = TerminalStyle.forToken(token.kind)
            let pieces = token.text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
            for (n, piece) in pieces.enumerated() {
                if n > 0 { lines.append("") }
                lines[lines.count - 1] += style.apply(String(piece), colour: colour)
            }
        }
        return lines
    }
}

/// Removes ANSI escape sequences (`ESC [ … letter`) from text, for widths and exports.
public func stripANSI(_ text: String) -> String {
    guard text.contains("\u{1B}") else { return text }
    var out = ""
    var chars = text.makeIterator()
    while let c = chars.next() {
        guard c == "\u{1B}" else { out.append(c); continue }
        guard let next = chars.next() else { break }
        if next == "[" {
            while let d = chars.next(), !(d.isASCII && d.isLetter) {}
        }
    }
    return out
}

/// The width of text on screen in terminal columns (`DisplayWidth`: a Han character takes
/// two), not counting ANSI escape sequences.
public func visibleWidth(_ text: String) -> Int { stripANSI(text).displayWidth }
