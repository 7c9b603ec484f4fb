import LabSupport

/// Statements: `fn`, `if / else if / else`, `for … in`, `while`, `return`, `break`,
/// `continue`, assignment (`=`, `+=`, `-=`, `*=`, `/=`) and expression statements.
extension Parser {
    /// Parses one statement; after an error, skips to the next statement boundary. Every
    /// call consumes at least one token (unless at `}` or the end, which its caller
    /// consumes): an error at a statement's first token (e.g. "nested too deeply" at an
    /// `fn` that starts a line, where `synchronize` would stop at once) otherwise left the
    /// enclosing loop retrying the same token forever, recording one diagnostic each time.
    mutating func parseStatementRecovering() -> Stmt? {
        let nestingBefore = nesting
        let start = current
        do {
            return try parseStatement()
        } catch {
            nesting = nestingBefore
            if current == start && !check(.eof) && !check(.rightBrace) { advance() }
            synchronize()
            return nil
        }
    }

    mutating func parseStatement() throws -> Stmt {
        let start = peek.range
        let statement: Stmt
        switch peek.kind {
        case .kwFn where peekNext.kind == .identifier:
            advance()
            let decl = try parseFunctionRest(start: start, named: true)
            statement = makeStmt(kind: .function(decl), range: decl.range)
        case .kwIf:
            statement = try parseIf()
        case .kwFor:
            advance()
            let name = try expect(.identifier, Messages.text("expected {expected} after 'for', found {found}"))
            try expect(.kwIn, Messages.text("expected {expected} after the loop variable, found {found}"))
            let sequence = try parseExpression()
            let body = try parseLoopBody()
            statement = makeStmt(kind: .forIn(variable: name.name, sequence: sequence, body: body), range: start.to(previous.range))
        case .kwWhile:
            advance()
            let condition = try parseExpression()
            let body = try parseLoopBody()
            statement = makeStmt(kind: .whileLoop(condition: condition, body: body), range: start.to(previous.range))
        case .kwReturn:
            advance()
            if functionDepth == 0 { report(Messages.text("'return' outside a function"), at: start) }
            var value: Expr?
            if !atStatementEnd { value = try parseExpression() }
            statement = makeStmt(kind: .returnValue(value), range: start.to(previous.range))
        case .kwBreak, .kwContinue:
            let isBreak = advance().kind == .kwBreak
            if loopDepth == 0 { report(Messages.text("'{keyword}' outside a loop", ["keyword": isBreak ? "break" : "continue"]), at: start) }
            statement = makeStmt(kind: isBreak ? .breakLoop : .continueLoop, range: start)
        default:
            statement = try parseSimpleStatement()
        }
        if !atStatementEnd {
            throw fail(Messages.text("expected end of statement (a new line or ';'), found {found}", ["found": describe(peek)]), at: peek.range)
        }
        return statement
    }

    var atStatementEnd: Bool {
        switch peek.kind {
        case .newline, .semicolon, .rightBrace, .eof: return true
        default: return false
        }
    }

    mutating func parseSimpleStatement() throws -> Stmt {
        let target = try parseExpression()
        let compound: [TokenKind: BinaryOperator] = [.plusEqual: .add, .minusEqual: .subtract, .starEqual: .multiply, .slashEqual: .divide]
        if check(.equal) || compound[peek.kind] != nil {
            let operatorToken = advance()
            switch target.kind {
            case .variable, .index, .field: break
            default: throw fail(Messages.text("cannot assign to this expression; the left side of '=' must be a name, x[i] or r.field"), at: target.range)
            }
            var value = try parseExpression()
            if let op = compound[operatorToken.kind] {
                value = makeExpr(kind: .binary(op, target, value), range: target.range.to(value.range))
            }
            return makeStmt(kind: .assign(target: target, value: value), range: target.range.to(value.range))
        }
        return makeStmt(kind: .expression(target), range: target.range)
    }

    mutating func parseIf() throws -> Stmt {
        let start = advance().range
        let condition = try parseExpression()
        let then = try parseBlock()
        var otherwise: [Stmt]?
        // Allow `}` and `else` on separate lines.
        var look = current
        while token(at: look).kind == .newline && look < tokens.count - 1 { look += 1 }
        if token(at: look).kind == .kwElse {
            current = look
            advance()
            if check(.kwIf) {
                // An `else if` is an if nested in the else branch: it counts as nesting,
                // so a chain of thousands cannot overflow the stack when run or freed.
                try enterNesting(peek.range)
                defer { nesting -= 1 }
                otherwise = [try parseIf()]
            } else {
                otherwise = try parseBlock()
            }
        }
        return makeStmt(kind: .ifElse(condition: condition, then: then, otherwise: otherwise), range: start.to(previous.range))
    }

    mutating func parseLoopBody() throws -> [Stmt] {
        loopDepth += 1
        defer { loopDepth -= 1 }
        return try parseBlock()
    }

    /// `{ statements }`. Errors inside are recovered statement by statement.
    mutating func parseBlock() throws -> [Stmt] {
        let open = try expect(.leftBrace, Messages.text("expected {expected} to start a block, found {found}"))
        do {
            try enterNesting(open.range)
        } catch {
            // The body is not parsed at all: parsed, each statement in it would open a
            // block too deep again and report the same error once per line.
            nesting -= 1
            skipToMatchingBrace()
            throw error
        }
        defer { nesting -= 1 }
        var statements: [Stmt] = []
        while true {
            skipSeparators()
            if check(.rightBrace) { advance(); break }
            if check(.eof) {
                report(Messages.text("expected '}' to close the block opened here"), at: open.range)
                throw Abort()
            }
            // As in `parseProgram`: past the report's limit, nothing more is worth reading.
            if diagnostics.count >= Parser.maxDiagnostics { throw Abort() }
            if let statement = parseStatementRecovering() { statements.append(statement) }
        }
        return statements
    }

    /// After `fn` (and the name, if `named`): `(params) { body }`.
    mutating func parseFunctionRest(start: SourceRange, named: Bool) throws -> FunctionDecl {
        var name = "<anonymous>"
        if named { name = advance().name }
        try expect(.leftParen, Messages.text("expected {expected} after the function name, found {found}"))
        var parameters: [ParameterDecl] = []
        var seenDefault = false
        while !check(.rightParen) {
            let token = try expect(.identifier, Messages.text("expected {expected} as a parameter name, found {found}"))
            var defaultValue: Expr?
            if match(.equal) {
                defaultValue = try parseExpression()
                seenDefault = true
            } else if seenDefault {
                report(Messages.text("parameter '{name}' needs a default because an earlier parameter has one", ["name": token.name]), at: token.range)
            }
            if parameters.contains(where: { $0.name == token.name }) {
                report(Messages.text("duplicate parameter '{name}'", ["name": token.name]), at: token.range)
            }
            parameters.append(ParameterDecl(name: token.name, defaultValue: defaultValue, range: token.range))
            if !match(.comma) { break }
        }
        try expect(.rightParen, Messages.text("expected {expected} after the parameters, found {found}"))
        let savedLoops = loopDepth
        loopDepth = 0
        functionDepth += 1
        defer { loopDepth = savedLoops; functionDepth -= 1 }
        let body = try parseBlock()
        return FunctionDecl(name: name, parameters: parameters, body: body, range: start.to(previous.range))
    }
}
