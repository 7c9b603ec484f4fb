/// Evaluating expressions.
extension Interpreter {
    func evaluate(_ expr: Expr, _ scope: Scope) throws -> Value {
        switch expr.kind {
        case .number(let number):
            return .number(number)
        case .bool(let flag):
            return .bool(flag)
        case .nilLiteral:
            return .nilValue
        case .string(let parts):
            var text = ""
            for part in parts {
                switch part {
                case .text(let literal): text += literal
                case .expr(let inner): text += try evaluate(inner, scope).displayString
                }
            }
            return .string(text)
        case .variable(let name):
            if let value = scope.lookup(name) { return value }
            throw RuntimeError(.undefinedName, "undefined name '\(name)'\(Suggestions.hint(for: name, in: scope.allNames))", at: expr.range)
        case .list(let elements):
            return .list(try elements.map { try evaluate($0, scope) })
        case .record(let entries):
            var record = Record()
            for entry in entries { record[entry.key] = try evaluate(entry.value, scope) }
            return .record(record)
        case .negate(let operand):
            return try negate(try evaluate(operand, scope), expr.range)
        case .not(let operand):
            let value = try evaluate(operand, scope)
            guard case .bool(let flag) = value else {
                throw RuntimeError(.type, "'not' needs true or false, got \(value.typeName)", at: operand.range)
            }
            return .bool(!flag)
        case .binary(let op, let leftExpr, let rightExpr):
            let left = try evaluate(leftExpr, scope)
            let right = try evaluate(rightExpr, scope)
            return try binary(op, left, right, expr.range)
        case .logical(let isAnd, let leftExpr, let rightExpr):
            let word = isAnd ? "and" : "or"
            let left = try evaluate(leftExpr, scope)
            guard case .bool(let leftFlag) = left else {
                throw RuntimeError(.type, "'\(word)' needs true or false, got \(left.typeName)", at: leftExpr.range)
            }
            if leftFlag != isAnd { return .bool(leftFlag) }
            let right = try evaluate(rightExpr, scope)
            guard case .bool(let rightFlag) = right else {
                throw RuntimeError(.type, "'\(word)' needs true or false, got \(right.typeName)", at: rightExpr.range)
            }
            return .bool(rightFlag)
        case .range(let startExpr, let endExpr):
            let start = try integer(try evaluate(startExpr, scope), startExpr.range, "range start")
            let end = try integer(try evaluate(endExpr, scope), endExpr.range, "range end")
            return .range(ScriptRange(start: start, end: end))
        case .call(let callee, let arguments):
            try checkStack(expr.range)
            return try evaluateCall(callee, arguments, expr.range, scope)
        case .index(let baseExpr, let componentExprs):
            let base = try evaluate(baseExpr, scope)
            let components = try evaluateIndex(componentExprs, scope)
            return try index(base, components, expr.range)
        case .field(let baseExpr, let name):
            return try field(of: try evaluate(baseExpr, scope), name, expr.range)
        case .function(let decl):
            return try makeClosure(decl, scope)
        }
    }

    /// An integral number as `Int`, or a type error naming `what`.
    func integer(_ value: Value, _ range: SourceRange, _ what: String) throws -> Int {
        guard case .number(let number) = value else {
            throw RuntimeError(.type, "\(what) must be an integer, got \(value.typeName)", at: range)
        }
        guard let result = BoundArguments.exactInt(number) else {
            throw RuntimeError(.type, "\(what) must be an integer, got \(Value.format(number))", at: range)
        }
        return result
    }

    /// `value.name`: a record field, a host field or bound method, or `.T`.
    func field(of value: Value, _ name: String, _ range: SourceRange) throws -> Value {
        switch value {
        case .record(let record):
            if let field = record[name] { return field }
            throw RuntimeError(.field, "record has no field '\(name)'\(Suggestions.hint(for: name, in: record.keys))", at: range)
        case .host(let object):
            let context = context(range, name)
            if name == "T", let transposed = try object.transposed(context: context) { return transposed }
            if let field = try object.field(name, context: context) { return field }
            if let method = object.method(name) { return .native(method) }
            throw RuntimeError(.field, "\(object.typeName) has no field or method '\(name)'\(Suggestions.hint(for: name, in: object.memberNames))", at: range)
        case .list(let rows) where name == "T":
            return try transpose(rows, range)
        default:
            throw RuntimeError(.field, "\(value.typeName) has no field '\(name)'", at: range)
        }
    }

    /// `.T` of a list of equal-length lists (rows become columns).
    private func transpose(_ rows: [Value], _ range: SourceRange) throws -> Value {
        var table: [[Value]] = []
        for row in rows {
            guard case .list(let items) = row else {
                throw RuntimeError(.type, ".T needs a list of lists, found a \(row.typeName) inside", at: range)
            }
            if let first = table.first, first.count != items.count {
                throw RuntimeError(.type, ".T needs rows of equal length, found \(first.count) and \(items.count)", at: range)
            }
            table.append(items)
        }
        let columns = table.first?.count ?? 0
        return .list((0..<columns).map { column in .list(table.map { $0[column] }) })
    }
}
