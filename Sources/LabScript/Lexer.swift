import LabSupport

/// Turns source bytes into tokens. Every token carries its byte range.
///
/// Newlines separate statements, except inside `( )` and `[ ]`, where the lexer drops them
/// so that long argument lists and literals can span lines. Inside `{ }` (blocks and
/// records) newlines are kept; the parser skips them where a record allows.
/// A string may span lines; `{expr}` inside it is an interpolation, `\{` a literal brace.
struct Lexer {
    let file: SourceFile
    private let bytes: [UInt8]
    private var position: Int
    private let end: Int
    private var tokens: [Token] = []
    private(set) var diagnostics: [Diagnostic] = []
    /// Brackets still open at the end of input (for the REPL's "incomplete" check).
    private(set) var openBrackets: [UInt8] = []
    /// True when a string or interpolation runs into the end of input.
    private(set) var unterminatedAtEnd = false
    /// Bytes scanned, including the look-ahead for each interpolation's closing brace
    /// (`ParseWork.bytesScanned`).
    private(set) var bytesScanned = 0

    init(file: SourceFile, start: Int = 0, end: Int? = nil) {
        self.file = file
        self.bytes = file.bytes
        self.position = start
        self.end = min(end ?? file.bytes.count, file.bytes.count)
    }

    mutating func tokenize() -> [Token] {
        bytesScanned += max(end - position, 0)
        while position < end {
            let start = position
            let byte = bytes[position]
            position += 1
            switch byte {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"):
                continue
            case UInt8(ascii: "\n"):
                if openBrackets.last != UInt8(ascii: "(") && openBrackets.last != UInt8(ascii: "[")
                    && tokens.last?.kind != .newline {
                    add(.newline, start)
                }
            case UInt8(ascii: "#"):
                while position < end && bytes[position] != UInt8(ascii: "\n") { position += 1 }
            case UInt8(ascii: "("), UInt8(ascii: "["), UInt8(ascii: "{"):
                openBrackets.append(byte)
                add(byte == UInt8(ascii: "(") ? .leftParen : byte == UInt8(ascii: "[") ? .leftBracket : .leftBrace, start)
            case UInt8(ascii: ")"), UInt8(ascii: "]"), UInt8(ascii: "}"):
                let opener: UInt8 = byte == UInt8(ascii: ")") ? UInt8(ascii: "(") : byte == UInt8(ascii: "]") ? UInt8(ascii: "[") : UInt8(ascii: "{")
                if let index = openBrackets.lastIndex(of: opener) { openBrackets.removeSubrange(index...) }
                add(byte == UInt8(ascii: ")") ? .rightParen : byte == UInt8(ascii: "]") ? .rightBracket : .rightBrace, start)
            case UInt8(ascii: ","): add(.comma, start)
            case UInt8(ascii: ":"): add(.colon, start)
            case UInt8(ascii: ";"): add(.semicolon, start)
            case UInt8(ascii: "."):
                if match(UInt8(ascii: ".")) { add(.dotDot, start) } else { add(.dot, start) }
            case UInt8(ascii: "+"): add(match(UInt8(ascii: "=")) ? .plusEqual : .plus, start)
            case UInt8(ascii: "-"): add(match(UInt8(ascii: "=")) ? .minusEqual : .minus, start)
            case UInt8(ascii: "*"): add(match(UInt8(ascii: "=")) ? .starEqual : .star, start)
            case UInt8(ascii: "/"): add(match(UInt8(ascii: "=")) ? .slashEqual : .slash, start)
            case UInt8(ascii: "%"): add(.percent, start)
            case UInt8(ascii: "^"): add(.caret, start)
            case UInt8(ascii: "@"): add(.at, start)
            case UInt8(ascii: "="): add(match(UInt8(ascii: "=")) ? .equalEqual : .equal, start)
            case UInt8(ascii: "<"): add(match(UInt8(ascii: "=")) ? .lessEqual : .less, start)
            case UInt8(ascii: ">"): add(match(UInt8(ascii: "=")) ? .greaterEqual : .greater, start)
            case UInt8(ascii: "!"):
                if match(UInt8(ascii: "=")) { add(.bangEqual, start) } else {
                    error(Messages.text("unexpected '!'; use 'not' for negation"), start, position)
                    add(.invalid, start)
                }
            case UInt8(ascii: "\""):
                lexString(start)
            default:
                if isDigit(byte) {
                    lexNumber(start)
                } else if isIdentifierStart(byte) {
                    while position < end && (isIdentifierStart(bytes[position]) || isDigit(bytes[position])) { position += 1 }
                    let name = String(decoding: bytes[start..<position], as: UTF8.self)
                    if let keyword = TokenKind.keywords[name] {
                        add(keyword, start)
                    } else {
                        var token = Token(kind: .identifier, range: SourceRange(file: file, start: start, end: position))
                        token.name = name
                        tokens.append(token)
                    }
                } else {
                    // Skip the rest of a multi-byte UTF-8 character so the caret covers it once.
                    while position < end && bytes[position] & 0xC0 == 0x80 { position += 1 }
                    error(Messages.text("unexpected character '{character}'", ["character": file.text(from: start, to: position)]), start, position)
                    add(.invalid, start)
                }
            }
        }
        tokens.append(Token(kind: .eof, range: SourceRange(file: file, start: end, end: end)))
        return tokens
    }

    private mutating func lexNumber(_ start: Int) {
        while position < end && isDigit(bytes[position]) { position += 1 }
        if position + 1 < end && bytes[position] == UInt8(ascii: ".") && isDigit(bytes[position + 1]) {
            position += 1
            while position < end && isDigit(bytes[position]) { position += 1 }
        }
        if position < end && (bytes[position] == UInt8(ascii: "e") || bytes[position] == UInt8(ascii: "E")) {
            var look = position + 1
            if look < end && (bytes[look] == UInt8(ascii: "+") || bytes[look] == UInt8(ascii: "-")) { look += 1 }
            if look < end && isDigit(bytes[look]) {
                position = look
                while position < end && isDigit(bytes[position]) { position += 1 }
            }
        }
        let text = String(decoding: bytes[start..<position], as: UTF8.self)
        var token = Token(kind: .number, range: SourceRange(file: file, start: start, end: position))
        token.number = Double(text) ?? .nan
        tokens.append(token)
    }

    private mutating func lexString(_ start: Int) {
        var parts: [StringPart] = []
        var text: [UInt8] = []
        while true {
            guard position < end else {
                unterminatedAtEnd = true
                error(Messages.text("unterminated string"), start, start + 1)
                add(.invalid, start)
                return
            }
            let byte = bytes[position]
            position += 1
            if byte == UInt8(ascii: "\"") { break }
            if byte == UInt8(ascii: "\\") {
                guard position < end else { continue }
                let escaped = bytes[position]
                position += 1
                switch escaped {
                case UInt8(ascii: "n"): text.append(UInt8(ascii: "\n"))
                case UInt8(ascii: "t"): text.append(UInt8(ascii: "\t"))
                case UInt8(ascii: "r"): text.append(UInt8(ascii: "\r"))
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "{"), UInt8(ascii: "}"):
                    text.append(escaped)
                default:
                    error(Messages.text("unknown escape '{escape}' in string", ["escape": "\\" + String(Character(Unicode.Scalar(escaped)))]),
                          position - 2, position)
                }
            } else if byte == UInt8(ascii: "{") {
                let codeStart = position
                let found = interpolationEnd()
                bytesScanned += (found ?? end) - codeStart
                guard let codeEnd = found else {
                    unterminatedAtEnd = true
                    error(Messages.text("unterminated interpolation in string"), codeStart - 1, codeStart)
                    position = end
                    add(.invalid, start)
                    return
                }
                if !text.isEmpty { parts.append(.text(String(decoding: text, as: UTF8.self))); text = [] }
                let inner = file.text(from: codeStart, to: codeEnd)
                if inner.allSatisfy({ $0 == " " || $0 == "\t" }) {
                    error(Messages.text("empty interpolation '{}' in string; write '\\{' for a literal brace"), codeStart - 1, codeEnd + 1)
                } else {
                    parts.append(.code(start: codeStart, end: codeEnd))
                }
                position = codeEnd + 1
            } else {
                text.append(byte)
            }
        }
        if !text.isEmpty || parts.isEmpty { parts.append(.text(String(decoding: text, as: UTF8.self))) }
        var token = Token(kind: .string, range: SourceRange(file: file, start: start, end: position))
        token.parts = parts
        tokens.append(token)
    }

    /// Offset of the `}` closing an interpolation that starts at `position`, skipping
    /// nested braces and nested string literals; nil if the input ends first.
    private func interpolationEnd() -> Int? {
        var depth = 0
        var index = position
        while index < end {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                index += 1
                while index < end && bytes[index] != UInt8(ascii: "\"") {
                    if bytes[index] == UInt8(ascii: "\\") { index += 1 }
                    index += 1
                }
            } else if byte == UInt8(ascii: "{") {
                depth += 1
            } else if byte == UInt8(ascii: "}") {
                if depth == 0 { return index }
                depth -= 1
            }
            index += 1
        }
        return nil
    }

    private mutating func match(_ byte: UInt8) -> Bool {
        guard position < end, bytes[position] == byte else { return false }
        position += 1
        return true
    }

    private mutating func add(_ kind: TokenKind, _ start: Int) {
        tokens.append(Token(kind: kind, range: SourceRange(file: file, start: start, end: position)))
    }

    private mutating func error(_ message: String, _ start: Int, _ stop: Int) {
        diagnostics.append(Diagnostic(kind: .syntax, message: message,
                                      range: SourceRange(file: file, start: start, end: stop)))
    }

    private func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
    private func isIdentifierStart(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
            || byte == UInt8(ascii: "_")
    }
}
