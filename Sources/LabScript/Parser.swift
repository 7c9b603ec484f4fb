import LabSupport

/// What parsing a source produced: the statements it could read, every syntax error it
/// found, and whether the input merely stopped early (for the REPL's continuation prompt).
public struct ParseResult: Sendable {
    public var statements: [Stmt]
    public var diagnostics: [Diagnostic]
    /// True when the only problems are that the input ends inside an open `(`, `[`, `{`
    /// or string: the REPL should read another line instead of reporting an error.
    public var isIncomplete: Bool
    /// What the parse cost, counted: see `ParseWork`.
    public var work: ParseWork = ParseWork()
}

/// The work and memory one parse used, counted rather than timed, so that a test can
/// check that parsing stays linear in the input for every construct (a loop that re-reads
/// tokens without consuming them, or re-lexes text per nesting level, shows up here).
public struct ParseWork: Sendable, Equatable {
    /// Tokens the parser looked at to decide something (every `peek`, lookahead and
    /// recovery step), the parser's measure of work.
    public var tokenReads = 0
    /// Source bytes the lexers scanned (the file's, plus each interpolation's sub-lexer).
    public var bytesScanned = 0
    /// Tokens the lexers made.
    public var tokensMade = 0
    /// Syntax-tree nodes (expressions and statements) the parser made, kept or discarded.
    public var nodesMade = 0
    /// Diagnostics recorded before the report is cut to `Parser.maxDiagnostics`.
    public var diagnostics = 0

    public init() {}
}

/// The running counts of one parse, shared by the parser and the sub-parsers of string
/// interpolations (a class, so that reading a token from a non-mutating accessor counts).
final class ParseCounter {
    var work = ParseWork()
}

/// Recursive-descent parser (statements) with precedence climbing (expressions).
///
/// Errors are collected, not thrown to the caller: after an error the parser skips to the
/// next statement boundary (newline, `;`, `}`) and goes on, so one run reports all it can.
/// Nesting deeper than `maxNesting` is an error, so no input can overflow the stack.
public struct Parser {
    /// Deepest nesting of expressions and blocks accepted.
    public static let maxNesting = 160
    /// Deepest expression tree accepted (`Expr.depth`): long chains such as `1 + 1 + …`
    /// or `x[0][0]…` are built by loops, and this bounds how deep evaluating or freeing
    /// one can recurse.
    public static let maxExpressionDepth = 1000
    /// Syntax errors reported at most (parsing stops after that many).
    public static let maxDiagnostics = 50
    /// Deepest nesting of string interpolations (`"{ "{ x }" }"` is 2): each level's text
    /// is lexed again by its own sub-lexer, so lexing costs up to this many passes.
    public static let maxInterpolationDepth = 8

    let file: SourceFile
    var tokens: [Token]
    var current = 0
    var diagnostics: [Diagnostic] = []
    var nesting = 0
    var loopDepth = 0
    var functionDepth = 0
    /// Errors reported while looking at the end of input (for `isIncomplete`).
    var errorsAtEnd = 0
    /// Levels of string interpolation around this parser (`"{ "{x}" }"` is 2 inside).
    var interpolationDepth = 0
    let counter: ParseCounter

    /// Thrown internally to unwind to the enclosing statement after recording a diagnostic.
    struct Abort: Error {}

    init(file: SourceFile, tokens: [Token], nesting: Int = 0, counter: ParseCounter = ParseCounter()) {
        self.file = file
        self.tokens = tokens
        self.nesting = nesting
        self.counter = counter
    }

    /// Parses a whole program (a file, a REPL input, a notebook cell). Parsing recurses up
    /// to `maxNesting` levels (a few MB of stack in a debug build); `Interpreter.run` and
    /// `isIncomplete` call it on a thread with a large stack.
    public static func parse(_ file: SourceFile) -> ParseResult {
        var lexer = Lexer(file: file)
        let tokens = lexer.tokenize()
        var parser = Parser(file: file, tokens: tokens)
        parser.counter.work.bytesScanned += lexer.bytesScanned
        parser.counter.work.tokensMade += tokens.count
        let statements = parser.parseProgram()
        let lexerErrors = lexer.diagnostics
        var allDiagnostics = (lexerErrors + parser.diagnostics).sorted { $0.range.start < $1.range.start }
        if allDiagnostics.count > maxDiagnostics {
            // A file of errors is one mistake repeated: showing the first ones keeps the
            // report (and rendering each, which locates its line) short.
            let last = allDiagnostics[maxDiagnostics - 1]
            allDiagnostics = Array(allDiagnostics.prefix(maxDiagnostics))
            allDiagnostics.append(Diagnostic(kind: .syntax, message: "too many syntax errors; stopping after the first \(maxDiagnostics)",
                                             range: last.range))
        }
        // Incomplete: input ends inside something open, and every error is about that end.
        let openAtEnd = !lexer.openBrackets.isEmpty || lexer.unterminatedAtEnd
        let unrelated = parser.diagnostics.count - parser.errorsAtEnd
            + lexerErrors.count - (lexer.unterminatedAtEnd ? 1 : 0)
        let incomplete = openAtEnd && !allDiagnostics.isEmpty && unrelated == 0
        var work = parser.counter.work
        work.diagnostics = lexerErrors.count + parser.diagnostics.count
        return ParseResult(statements: statements, diagnostics: allDiagnostics, isIncomplete: incomplete, work: work)
    }

    /// True when `text` is an unfinished input (open bracket, brace, paren or string at the
    /// end) rather than a complete or erroneous one. Decided by the parser, not by counting.
    /// Runs on a thread with a known stack, like the interpreter, since parsing recurses.
    public static func isIncomplete(_ text: String) -> Bool {
        LargeStack.run(stackSize: 16 << 20) { parse(SourceFile(name: "<input>", text: text)).isIncomplete }
    }

    mutating func parseProgram() -> [Stmt] {
        var statements: [Stmt] = []
        while true {
            skipSeparators()
            if check(.eof) { break }
            if diagnostics.count >= Parser.maxDiagnostics { break }
            if check(.rightBrace) {
                report(Messages.text("unexpected '}'"), at: peek.range)
                advance()
                continue
            }
            if let statement = parseStatementRecovering() { statements.append(statement) }
        }
        return statements
    }

    // MARK: token helpers

    var peek: Token { token(at: current) }
    var peekNext: Token { token(at: min(current + 1, tokens.count - 1)) }
    var previous: Token { token(at: max(current - 1, 0)) }

    /// Every token read goes through here, so `ParseWork.tokenReads` counts them all.
    func token(at index: Int) -> Token {
        counter.work.tokenReads += 1
        return tokens[index]
    }

    /// Makes a syntax-tree node, counted in `ParseWork.nodesMade`.
    func makeExpr(kind: ExprKind, range: SourceRange) -> Expr {
        counter.work.nodesMade += 1
        return Expr(kind: kind, range: range)
    }

    func makeStmt(kind: StmtKind, range: SourceRange) -> Stmt {
        counter.work.nodesMade += 1
        return Stmt(kind: kind, range: range)
    }

    func check(_ kind: TokenKind) -> Bool { peek.kind == kind }

    @discardableResult
    mutating func advance() -> Token {
        let token = self.token(at: current)
        if current < tokens.count - 1 { current += 1 }
        return token
    }

    mutating func match(_ kind: TokenKind) -> Bool {
        guard check(kind) else { return false }
        advance()
        return true
    }

    /// The next token, which must be a `kind`; else the error `message`, a whole sentence
    /// from the catalogue whose `{expected}` and `{found}` name the token wanted and the
    /// one there (`Messages.text("expected {expected} to close the list, found {found}")`).
    @discardableResult
    mutating func expect(_ kind: TokenKind, _ message: @autoclosure () -> String) throws -> Token {
        if check(kind) { return advance() }
        throw fail(POCatalog.fill(message(), ["expected": Parser.describe(kind), "found": describe(peek)]), at: peek.range)
    }

    /// A token as an error names it: a name or a number as written, else its kind.
    func describe(_ token: Token) -> String {
        switch token.kind {
        case .identifier: return "'\(token.name)'"
        case .number: return Messages.text("number {text}", ["text": file.text(from: token.range.start, to: token.range.end)])
        default: return Parser.describe(token.kind)
        }
    }

    /// A kind of token as an error names it, in the chosen language: punctuation and
    /// keywords as written (`')'`, `'in'`), the others in words ("end of input").
    static func describe(_ kind: TokenKind) -> String {
        switch kind {
        case .identifier: return Messages.text("a name")
        case .number: return Messages.text("a number")
        case .string: return Messages.text("a string")
        case .newline: return Messages.text("end of line")
        case .eof: return Messages.text("end of input")
        case .invalid: return Messages.text("invalid input")
        default: return kind.displayName
        }
    }

    mutating func skipNewlines() {
        while check(.newline) { advance() }
    }

    mutating func skipSeparators() {
        while check(.newline) || check(.semicolon) { advance() }
    }

    mutating func report(_ message: String, at range: SourceRange) {
        if check(.eof) { errorsAtEnd += 1 }
        diagnostics.append(Diagnostic(kind: .syntax, message: message, range: range))
    }

    /// Reports an error and returns the error to throw. An error "at" a line end or the end
    /// of input is placed just after the last real token, where the learner stopped typing.
    /// At an `.invalid` token the lexer has already reported, so nothing more is said.
    mutating func fail(_ message: String, at range: SourceRange) -> Abort {
        if check(.invalid) { return Abort() }
        var range = range
        if (check(.newline) || check(.eof)) && range.start == peek.range.start {
            var index = current - 1
            while index > 0 && token(at: index).kind == .newline { index -= 1 }
            if index >= 0 && index < current && token(at: index).kind != .newline {
                range = SourceRange(file: file, start: token(at: index).range.end, end: token(at: index).range.end)
            }
        }
        report(message, at: range)
        return Abort()
    }

    /// Guards recursion: every nested expression or block passes through here.
    mutating func enterNesting(_ range: SourceRange) throws {
        nesting += 1
        if nesting > Parser.maxNesting {
            throw fail(Messages.text("expression or block nested too deeply (limit {limit})", ["limit": String(Parser.maxNesting)]), at: range)
        }
    }

    /// After an opening `{` whose contents are abandoned: skips to its matching `}` and
    /// past it (or to the end of input), in one pass.
    mutating func skipToMatchingBrace() {
        var depth = 0
        while !check(.eof) {
            if check(.leftBrace) { depth += 1 }
            if check(.rightBrace) {
                if depth == 0 { advance(); return }
                depth -= 1
            }
            advance()
        }
    }

    /// Skips to a statement boundary after an error, stepping over whole `{ … }` groups
    /// so that the closing brace of a broken construct does not cause a second error.
    mutating func synchronize() {
        var depth = 0
        while !check(.eof) {
            if depth == 0 && (check(.newline) || check(.semicolon)) { advance(); return }
            if check(.leftBrace) { depth += 1; advance(); continue }
            if check(.rightBrace) {
                if depth == 0 { return }
                depth -= 1
                advance()
                if depth == 0 && atStatementEnd { return }
                continue
            }
            if depth > 0 { advance(); continue }
            switch peek.kind {
            case .kwFn, .kwIf, .kwFor, .kwWhile, .kwReturn, .kwBreak, .kwContinue:
                if previous.kind == .newline || previous.kind == .semicolon { return }
            default: break
            }
            advance()
        }
    }
}
