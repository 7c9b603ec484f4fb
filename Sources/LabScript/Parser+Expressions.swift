import LabSupport

/// Expressions, by precedence climbing. From loosest to tightest:
///
///     or  <  and  <  not  <  == != < <= > >=  <  ..  <  + -  <  * / % @  <  unary -  <  ^  <  postfix
///
/// `^` is right-associative and binds tighter than unary minus (`-2^2 == -4`, `2^-1 == 0.5`).
/// Postfix forms are calls `f(a, name: b)`, indexing `x[i, 1:3, ::2]` and fields `r.name`.
extension Parser {
    static let notPrecedence = 3
    /// Unary minus parses its operand at this level, so `^` binds tighter than it.
    static let powerPrecedence = 9

    /// Precedence and associativity of a binary operator token.
    static func binaryInfo(_ kind: TokenKind) -> (precedence: Int, rightAssociative: Bool)? {
        switch kind {
        case .kwOr: return (1, false)
        case .kwAnd: return (2, false)
        case .equalEqual, .bangEqual, .less, .lessEqual, .greater, .greaterEqual: return (4, false)
        case .dotDot: return (5, false)
        case .plus, .minus: return (6, false)
        case .star, .slash, .percent, .at: return (7, false)
        case .caret: return (9, true)
        default: return nil
        }
    }

    static let binaryOperators: [TokenKind: BinaryOperator] = [
        .plus: .add, .minus: .subtract, .star: .multiply, .slash: .divide, .percent: .modulo,
        .caret: .power, .at: .matmul, .equalEqual: .equal, .bangEqual: .notEqual, .less: .less,
        .lessEqual: .lessEqual, .greater: .greater, .greaterEqual: .greaterEqual,
    ]

    mutating func parseExpression(_ minPrecedence: Int = 1) throws -> Expr {
        try enterNesting(peek.range)
        defer { nesting -= 1 }
        var left: Expr
        let start = peek.range
        if match(.kwNot) {
            let operand = try parseExpression(Parser.notPrecedence + 1)
            left = makeExpr(kind: .not(operand), range: start.to(operand.range))
        } else if match(.minus) {
            let operand = try parseExpression(Parser.powerPrecedence)
            left = makeExpr(kind: .negate(operand), range: start.to(operand.range))
        } else {
            left = try parsePostfix()
        }
        while let info = Parser.binaryInfo(peek.kind), info.precedence >= minPrecedence {
            // `not` binds looser than comparisons but tighter than `and`: stop at operators
            // looser than the current level only (handled by minPrecedence).
            let operatorToken = advance()
            let right = try parseExpression(info.rightAssociative ? info.precedence : info.precedence + 1)
            let range = left.range.to(right.range)
            switch operatorToken.kind {
            case .kwAnd: left = makeExpr(kind: .logical(isAnd: true, left, right), range: range)
            case .kwOr: left = makeExpr(kind: .logical(isAnd: false, left, right), range: range)
            case .dotDot: left = makeExpr(kind: .range(left, right), range: range)
            default:
                guard let op = Parser.binaryOperators[operatorToken.kind] else { continue }
                left = makeExpr(kind: .binary(op, left, right), range: range)
            }
            try checkDepth(left, at: operatorToken.range)
        }
        return left
    }

    /// Refuses an expression deeper than `Parser.maxExpressionDepth`.
    mutating func checkDepth(_ expr: Expr, at range: SourceRange) throws {
        if expr.depth > Parser.maxExpressionDepth {
            throw fail(Messages.text("expression nested too deeply (more than {limit} levels of operators, calls, fields or indexing); split it into several statements",
                                     ["limit": String(Parser.maxExpressionDepth)]), at: range)
        }
    }

    mutating func parsePostfix() throws -> Expr {
        var expr = try parsePrimary()
        while true {
            if match(.leftParen) {
                let arguments = try parseArguments()
                expr = makeExpr(kind: .call(callee: expr, arguments: arguments), range: expr.range.to(previous.range))
            } else if match(.leftBracket) {
                let components = try parseIndexComponents()
                expr = makeExpr(kind: .index(expr, components), range: expr.range.to(previous.range))
            } else if match(.dot) {
                let name = try expect(.identifier, Messages.text("expected {expected} after '.', found {found}"))
                expr = makeExpr(kind: .field(expr, name: name.name), range: expr.range.to(name.range))
            } else {
                return expr
            }
            try checkDepth(expr, at: previous.range)
        }
    }

    mutating func parseArguments() throws -> [Argument] {
        var arguments: [Argument] = []
        var sawNamed = false
        while !check(.rightParen) {
            skipNewlines()
            if check(.rightParen) { break }
            if check(.identifier) && peekNext.kind == .colon {
                let label = advance()
                advance()
                skipNewlines()
                let value = try parseExpression()
                if arguments.contains(where: { $0.label == label.name }) {
                    report(Messages.text("argument '{name}' is given twice", ["name": label.name]), at: label.range)
                }
                arguments.append(Argument(label: label.name, labelRange: label.range, value: value))
                sawNamed = true
            } else {
                let value = try parseExpression()
                if sawNamed { report(Messages.text("positional argument after a named argument"), at: value.range) }
                arguments.append(Argument(label: nil, labelRange: nil, value: value))
            }
            skipNewlines()
            if !match(.comma) { break }
        }
        skipNewlines()
        try expect(.rightParen, Messages.text("expected {expected} to close the argument list, found {found}"))
        return arguments
    }

    mutating func parseIndexComponents() throws -> [IndexExpr] {
        var components: [IndexExpr] = []
        if check(.rightBracket) { throw fail(Messages.text("expected an index inside '[ ]'"), at: peek.range) }
        repeat {
            if check(.rightBracket) && !components.isEmpty { break }
            var start: Expr?
            if !check(.colon) { start = try parseExpression() }
            if match(.colon) {
                var stop: Expr?, step: Expr?
                if !check(.colon) && !check(.comma) && !check(.rightBracket) { stop = try parseExpression() }
                if match(.colon) && !check(.comma) && !check(.rightBracket) { step = try parseExpression() }
                components.append(.slice(start: start, stop: stop, step: step))
            } else if let start {
                components.append(.single(start))
            }
        } while match(.comma)
        if components.isEmpty { throw fail(Messages.text("expected an index inside '[ ]'"), at: peek.range) }
        try expect(.rightBracket, Messages.text("expected {expected} to close the index, found {found}"))
        return components
    }

    mutating func parsePrimary() throws -> Expr {
        let token = peek
        switch token.kind {
        case .number:
            advance()
            return makeExpr(kind: .number(token.number), range: token.range)
        case .string:
            advance()
            return makeExpr(kind: .string(try parseInterpolation(token.parts)), range: token.range)
        case .kwTrue, .kwFalse:
            advance()
            return makeExpr(kind: .bool(token.kind == .kwTrue), range: token.range)
        case .kwNil:
            advance()
            return makeExpr(kind: .nilLiteral, range: token.range)
        case .identifier:
            advance()
            return makeExpr(kind: .variable(token.name), range: token.range)
        case .leftParen:
            advance()
            skipNewlines()
            var inner = try parseExpression()
            skipNewlines()
            try expect(.rightParen, Messages.text("expected {expected} to close '(', found {found}"))
            inner.range = token.range.to(previous.range)
            return inner
        case .leftBracket:
            advance()
            var elements: [Expr] = []
            while !check(.rightBracket) {
                elements.append(try parseExpression())
                if !match(.comma) { break }
            }
            try expect(.rightBracket, Messages.text("expected {expected} to close the list, found {found}"))
            return makeExpr(kind: .list(elements), range: token.range.to(previous.range))
        case .leftBrace:
            return try parseRecord()
        case .kwFn:
            advance()
            let decl = try parseFunctionRest(start: token.range, named: false)
            return makeExpr(kind: .function(decl), range: decl.range)
        default:
            throw fail(Messages.text("expected an expression, found {found}", ["found": describe(token)]), at: token.range)
        }
    }

    /// `{key: value, …}`; entries are separated by commas or new lines. After an error
    /// inside, skips to the matching `}` so the rest of the line is not misread.
    mutating func parseRecord() throws -> Expr {
        let open = advance()
        do {
            let entries = try parseRecordEntries()
            return makeExpr(kind: .record(entries), range: open.range.to(previous.range))
        } catch {
            skipToMatchingBrace()
            throw error
        }
    }

    private mutating func parseRecordEntries() throws -> [RecordEntry] {
        var entries: [RecordEntry] = []
        skipNewlines()
        while !check(.rightBrace) {
            let key: String
            let keyToken = peek
            if check(.identifier) {
                key = advance().name
            } else if check(.string), case .text(let text)? = peek.parts.first, peek.parts.count == 1 {
                advance()
                key = text
            } else {
                throw fail(Messages.text("expected a field name in the record, found {found}", ["found": describe(peek)]), at: peek.range)
            }
            try expect(.colon, Messages.text("expected {expected} after the field name '{key}', found {found}", ["key": key]))
            skipNewlines()
            let value = try parseExpression()
            if entries.contains(where: { $0.key == key }) {
                report(Messages.text("field '{name}' appears twice in the record", ["name": key]), at: keyToken.range)
            }
            entries.append(RecordEntry(key: key, value: value))
            let sawNewline = check(.newline)
            skipNewlines()
            if match(.comma) {
                skipNewlines()
            } else if !sawNewline {
                break
            }
        }
        try expect(.rightBrace, Messages.text("expected {expected} to close the record, found {found}"))
        return entries
    }

    /// Parses each `{expr}` of a string literal with its own sub-lexer over the same file,
    /// so its errors point at the right column.
    mutating func parseInterpolation(_ parts: [StringPart]) throws -> [InterpolationPart] {
        var result: [InterpolationPart] = []
        for part in parts {
            switch part {
            case .text(let text):
                result.append(.text(text))
            case .code(let start, let end):
                // Each level of interpolation lexes its text again, so the depth is
                // bounded by a small constant to keep lexing linear in the input.
                if interpolationDepth >= Parser.maxInterpolationDepth {
                    throw fail(Messages.text("string interpolation nested too deeply (limit {limit} levels)",
                                             ["limit": String(Parser.maxInterpolationDepth)]),
                               at: SourceRange(file: file, start: start, end: end))
                }
                var lexer = Lexer(file: file, start: start, end: end)
                let tokens = lexer.tokenize().filter { $0.kind != .newline }
                counter.work.bytesScanned += lexer.bytesScanned
                counter.work.tokensMade += tokens.count
                diagnostics += lexer.diagnostics
                var inner = Parser(file: file, tokens: tokens, nesting: nesting, counter: counter)
                inner.functionDepth = functionDepth
                inner.interpolationDepth = interpolationDepth + 1
                do {
                    let expr = try inner.parseExpression()
                    if !inner.check(.eof) {
                        inner.report(Messages.text("unexpected {found} in string interpolation", ["found": inner.describe(inner.peek)]),
                                     at: inner.peek.range)
                    }
                    result.append(.expr(expr))
                } catch {}
                diagnostics += inner.diagnostics
            }
        }
        return result
    }
}
