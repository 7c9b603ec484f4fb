/// The kinds of token the lexer produces. Payloads (names, numbers, string parts) live
/// on `Token` so that kinds compare cheaply.
public enum TokenKind: Hashable, Sendable {
    case identifier, number, string
    case kwFn, kwReturn, kwIf, kwElse, kwFor, kwIn, kwWhile, kwBreak, kwContinue
    case kwAnd, kwOr, kwNot, kwTrue, kwFalse, kwNil
    case leftParen, rightParen, leftBracket, rightBracket, leftBrace, rightBrace
    case comma, colon, semicolon, dot, dotDot
    case plus, minus, star, slash, percent, caret, at
    case equal, plusEqual, minusEqual, starEqual, slashEqual
    case equalEqual, bangEqual, less, lessEqual, greater, greaterEqual
    case newline, eof
    /// Where the lexer found an error (already reported); the parser skips the statement.
    case invalid

    /// The language's keywords: the one table the lexer, the highlighter and tab completion read.
    static let keywords: [String: TokenKind] = [
        "fn": .kwFn, "return": .kwReturn, "if": .kwIf, "else": .kwElse, "for": .kwFor,
        "in": .kwIn, "while": .kwWhile, "break": .kwBreak, "continue": .kwContinue,
        "and": .kwAnd, "or": .kwOr, "not": .kwNot, "true": .kwTrue, "false": .kwFalse,
        "nil": .kwNil,
    ]

    /// Every keyword, sorted (for the highlighter and completion).
    public static let keywordNames: [String] = keywords.keys.sorted()

    /// How the token is named in "expected …" messages.
    var displayName: String {
        switch self {
        case .identifier: return "a name"
        case .number: return "a number"
        case .string: return "a string"
        case .newline: return "end of line"
        case .eof: return "end of input"
        case .invalid: return "invalid input"
        case .leftParen: return "'('"
        case .rightParen: return "')'"
        case .leftBracket: return "'['"
        case .rightBracket: return "']'"
        case .leftBrace: return "'{'"
        case .rightBrace: return "'}'"
        case .comma: return "','"
        case .colon: return "':'"
        case .semicolon: return "';'"
        case .dot: return "'.'"
        case .dotDot: return "'..'"
        case .plus: return "'+'"
        case .minus: return "'-'"
        case .star: return "'*'"
        case .slash: return "'/'"
        case .percent: return "'%'"
        case .caret: return "'^'"
        case .at: return "'@'"
        case .equal: return "'='"
        case .plusEqual: return "'+='"
        case .minusEqual: return "'-='"
        case .starEqual: return "'*='"
        case .slashEqual: return "'/='"
        case .equalEqual: return "'=='"
        case .bangEqual: return "'!='"
        case .less: return "'<'"
        case .lessEqual: return "'<='"
        case .greater: return "'>'"
        case .greaterEqual: return "'>='"
        default:
            let word = TokenKind.keywords.first { $0.value == self }?.key ?? "keyword"
            return "'\(word)'"
        }
    }
}

/// One piece of a string literal: literal text, or the byte range of an `{expr}`
/// interpolation (parsed later by the parser, with its real source offsets).
public enum StringPart: Sendable {
    case text(String)
    case code(start: Int, end: Int)
}

/// A token with its source range. `name` holds identifier text, `number` a numeric
/// literal's value, `parts` a string literal's pieces.
public struct Token: Sendable {
    public var kind: TokenKind
    public var range: SourceRange
    public var name: String = ""
    public var number: Double = 0
    public var parts: [StringPart] = []
}
