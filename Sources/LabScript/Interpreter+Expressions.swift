import LabSupport
/// Evaluating expressions.
extension Interpreter {
    /// Evaluates an expression. Only the simplest cases are handled inline; the others
    /// live in their own functions so that this frame, which every nested expression and
    /// every recursive script call passes through, stays small on the native stack.
    func evaluate(_ expr: Expr, _ scope: Scope) throws -> Value {
        switch expr.kind {
        case .number(let number):
            return .number(number)
        case .bool(let flag):
            return .bool(flag)
        case .nilLiteral:
            return .nilValue
        case .variable(let name):
            if let value = scope.lookup(name) {
                if case .native = value, !restrictedNames.isEmpty { return guardRestricted(value, expr.range) }
                return value
            }
            throw undefinedName(name, expr.range, scope)
        case .string(let parts):
            return try evaluateString(parts, scope)
        case .list(let elements):
            return try evaluateList(elements, scope)
        case .record(let entries):
            return try evaluateRecord(entries, scope)
        case .negate(let operand):
            return try negate(try evaluate(operand, scope), expr.range)
        case .not(let operand):
            return try evaluateNot(operand, scope)
        case .binary(let op, let leftExpr, let rightExpr):
            return try evaluateBinary(op, leftExpr, rightExpr, expr.range, scope)
        case .logical(let isAnd, let leftExpr, let rightExpr):
            return try evaluateLogical(isAnd, leftExpr, rightExpr, scope)
        case .range(let startExpr, let endExpr):
            return try evaluateRange(startExpr, endExpr, scope)
        case .call(let callee, let arguments):
            return try evaluateCall(callee, arguments, expr.range, scope)
        case .index(let baseExpr, let componentExprs):
            return try evaluateIndexing(baseExpr, componentExprs, expr.range, scope)
        case .field(let baseExpr, let name):
            return try field(of: try evaluate(baseExpr, scope), name, expr.range)
        case .function(let decl):
            return try makeClosure(decl, scope)
        }
    }

    /// A restricted native (`restrictedNames`) read by untrusted code becomes a function
    /// that refuses at every call, wherever that call is: so an alias (`my_loss =
    /// nt_xent`), a list or record holding it, a closure capturing it or a function
    /// returning it is refused when trusted test code calls it, as a direct call from
    /// untrusted code is (`callNative`). The refusal points at the learner's line that read it.
    @inline(never)
    func guardRestricted(_ value: Value, _ range: SourceRange) -> Value {
        guard case .native(let function) = value, range.file.isUntrusted,
              let refusal = restriction(of: function) else { return value }
        var refusing = function
        refusing.refusal = RuntimeError(.host, refusal, at: range)
        return .native(refusing)
    }

    /// The plain name and reason when `function` is in `restrictedNames` (by its full
    /// name or, for a bound method such as `tensor.backward`, its last part).
    func restriction(of function: NativeFunction) -> String? {
        let plain = function.name.split(separator: ".").last.map(String.init) ?? function.name
        return restrictedNames[function.name] ?? restrictedNames[plain]
    }

    /// `record has no field 'x'`, with a close field name when there is one.
    static func noField(_ name: String, in record: Record, _ range: SourceRange) -> RuntimeError {
        RuntimeError(.field, Suggestions.message(for: name, in: record.keys,
            plain: { Messages.text("record has no field '{name}'", ["name": name]) },
            suggesting: { Messages.text("record has no field '{name}'; did you mean '{suggestion}'?", ["name": name, "suggestion": $0]) }),
            at: range)
    }

    func undefinedName(_ name: String, _ range: SourceRange, _ scope: Scope) -> RuntimeError {
        RuntimeError(.undefinedName, Suggestions.message(for: name, in: scope.allNames,
            plain: { Messages.text("undefined name '{name}'", ["name": name]) },
            suggesting: { Messages.text("undefined name '{name}'; did you mean '{suggestion}'?", ["name": name, "suggestion": $0]) }),
            at: range)
    }

    @inline(never)
    private func evaluateString(_ parts: [InterpolationPart], _ scope: Scope) throws -> Value {
        var text = ""
        for part in parts {
            switch part {
            case .text(let literal): text += literal
            case .expr(let inner): text += try evaluate(inner, scope).displayString
            }
        }
        return .string(text)
    }

    @inline(never)
    private func evaluateList(_ elements: [Expr], _ scope: Scope) throws -> Value {
        var items: [Value] = []
        items.reserveCapacity(elements.count)
        for element in elements {
            let value = try evaluate(element, scope)
            try checkNesting(value, element.range)
            items.append(value)
        }
        return .list(items)
    }

    @inline(never)
    private func evaluateRecord(_ entries: [RecordEntry], _ scope: Scope) throws -> Value {
        var record = Record()
        for entry in entries {
            let value = try evaluate(entry.value, scope)
            try checkNesting(value, entry.value.range)
            record[entry.key] = value
        }
        return .record(record)
    }

    @inline(never)
    private func evaluateNot(_ operand: Expr, _ scope: Scope) throws -> Value {
        let value = try evaluate(operand, scope)
        guard case .bool(let flag) = value else {
            throw RuntimeError(.type, Messages.text("'not' needs true or false, got {type}", ["type": value.typeName]), at: operand.range)
        }
        return .bool(!flag)
    }

    @inline(never)
    private func evaluateBinary(_ op: BinaryOperator, _ leftExpr: Expr, _ rightExpr: Expr, _ range: SourceRange,
                                _ scope: Scope) throws -> Value {
        let left = try evaluate(leftExpr, scope)
        let right = try evaluate(rightExpr, scope)
        return try binary(op, left, right, range)
    }

    @inline(never)
    private func evaluateLogical(_ isAnd: Bool, _ leftExpr: Expr, _ rightExpr: Expr, _ scope: Scope) throws -> Value {
        let word = isAnd ? "and" : "or"
        let left = try evaluate(leftExpr, scope)
        guard case .bool(let leftFlag) = left else {
            throw RuntimeError(.type, Messages.text("'{keyword}' needs true or false, got {type}", ["keyword": word, "type": left.typeName]),
                               at: leftExpr.range)
        }
        if leftFlag != isAnd { return .bool(leftFlag) }
        let right = try evaluate(rightExpr, scope)
        guard case .bool(let rightFlag) = right else {
            throw RuntimeError(.type, Messages.text("'{keyword}' needs true or false, got {type}", ["keyword": word, "type": right.typeName]),
                               at: rightExpr.range)
        }
        return .bool(rightFlag)
    }

    @inline(never)
    private func evaluateRange(_ startExpr: Expr, _ endExpr: Expr, _ scope: Scope) throws -> Value {
        let start = try integer(try evaluate(startExpr, scope), startExpr.range,
                                Messages.text("range start must be an integer, got {value}"))
        let end = try integer(try evaluate(endExpr, scope), endExpr.range, Messages.text("range end must be an integer, got {value}"))
        return .range(ScriptRange(start: start, end: end))
    }

    @inline(never)
    private func evaluateIndexing(_ baseExpr: Expr, _ componentExprs: [IndexExpr], _ range: SourceRange,
                                  _ scope: Scope) throws -> Value {
        let base = try evaluate(baseExpr, scope)
        let components = try evaluateIndex(componentExprs, scope)
        return try index(base, components, range)
    }

    /// An integral number as `Int`, or the type error `message` (a sentence from the
    /// catalogue whose `{value}` is the value's type, or the number when it is one).
    func integer(_ value: Value, _ range: SourceRange, _ message: @autoclosure () -> String) throws -> Int {
        guard case .number(let number) = value else {
            throw RuntimeError(.type, POCatalog.fill(message(), ["value": value.typeName]), at: range)
        }
        guard let result = BoundArguments.exactInt(number) else {
            throw RuntimeError(.type, POCatalog.fill(message(), ["value": Value.format(number)]), at: range)
        }
        return result
    }

    /// `value.name`: a record field, a host field or bound method, or `.T` of a list of lists.
    func field(of value: Value, _ name: String, _ range: SourceRange) throws -> Value {
        switch value {
        case .record(let record):
            if let field = record[name] { return restrictedNames.isEmpty ? field : guardRestricted(field, range) }
            throw Interpreter.noField(name, in: record, range)
        case .host(let object):
            let context = context(range, name)
            if let field = try object.field(name, context: context) {
                return restrictedNames.isEmpty ? field : guardRestricted(field, range)
            }
            if let method = object.method(name) {
                return restrictedNames.isEmpty ? .native(method) : guardRestricted(.native(method), range)
            }
            let type = object.typeName
            throw RuntimeError(.field, Suggestions.message(for: name, in: object.memberNames,
                plain: { Messages.text("{type} has no field or method '{name}'", ["type": type, "name": name]) },
                suggesting: { Messages.text("{type} has no field or method '{name}'; did you mean '{suggestion}'?",
                                            ["type": type, "name": name, "suggestion": $0]) }), at: range)
        case .list(let rows) where name == "T":
            return try transpose(rows, range)
        default:
            throw RuntimeError(.field, Messages.text("{type} has no field '{name}'", ["type": value.typeName, "name": name]), at: range)
        }
    }

    /// `.T` of a list of equal-length lists (rows become columns).
    private func transpose(_ rows: [Value], _ range: SourceRange) throws -> Value {
        var table: [[Value]] = []
        for row in rows {
            guard case .list(let items) = row else {
                throw RuntimeError(.type, Messages.text(".T needs a list of lists, found a {type} inside", ["type": row.typeName]), at: range)
            }
            if let first = table.first, first.count != items.count {
                throw RuntimeError(.type, Messages.text(".T needs rows of equal length, found {a} and {b}",
                                                        ["a": String(first.count), "b": String(items.count)]), at: range)
            }
            table.append(items)
        }
        let columns = table.first?.count ?? 0
        return .list((0..<columns).map { column in .list(table.map { $0[column] }) })
    }
}
