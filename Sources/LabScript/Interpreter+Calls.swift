import LabSupport
/// Calling functions: script closures, native functions, host methods, and the few
/// mutating list methods (`xs.append(v)`, `xs.pop()`).
extension Interpreter {
    func evaluateCall(_ callee: Expr, _ arguments: [Argument], _ range: SourceRange, _ scope: Scope) throws -> Value {
        try checkStack(range)
        if case .field(let baseExpr, let name) = callee.kind {
            return try evaluateMethodCall(baseExpr, name, callee, arguments, range, scope)
        }
        let function = try evaluate(callee, scope)
        let (positional, named) = try evaluateArguments(arguments, scope)
        return try callValueInRun(function, positional: positional, named: named, callRange: range)
    }

    @inline(never)
    private func evaluateMethodCall(_ baseExpr: Expr, _ name: String, _ callee: Expr, _ arguments: [Argument],
                                    _ range: SourceRange, _ scope: Scope) throws -> Value {
        do {
            var base = try evaluate(baseExpr, scope)
            if case .host(let object) = base, let method = object.method(name) {
                let (positional, named) = try evaluateArguments(arguments, scope)
                return try callNative(method, positional: positional, named: named, callRange: range)
            }
            if case .list = base, name == "append" || name == "pop" {
                // Drop this copy first, so the variable's list is uniquely referenced and
                // grows in place instead of being copied on every append.
                base = .nilValue
                let (positional, named) = try evaluateArguments(arguments, scope)
                return try callListMethod(name, baseExpr, positional: positional, named: named, range, scope)
            }
            let function = try field(of: base, name, callee.range)
            let (positional, named) = try evaluateArguments(arguments, scope)
            return try callValueInRun(function, positional: positional, named: named, callRange: range)
        }
    }

    func evaluateArguments(_ arguments: [Argument], _ scope: Scope) throws
        -> (positional: [(Value, SourceRange?)], named: [(String, Value, SourceRange?)]) {
        var positional: [(Value, SourceRange?)] = []
        var named: [(String, Value, SourceRange?)] = []
        for argument in arguments {
            let value = try evaluate(argument.value, scope)
            if let label = argument.label {
                named.append((label, value, argument.labelRange.map { $0.to(argument.value.range) } ?? argument.value.range))
            } else {
                positional.append((value, argument.value.range))
            }
        }
        return (positional, named)
    }

    /// Calls any callable value: the entry point for hosts (`CallContext.call`, or a
    /// notebook calling a learner's function). Outside a run it starts one.
    public func callValue(_ function: Value, positional: [(Value, SourceRange?)], named: [(String, Value, SourceRange?)],
                          callRange: SourceRange?) throws -> Value {
        if activeRuns > 0 {
            return try callValueInRun(function, positional: positional, named: named, callRange: callRange)
        }
        let result: Result<Value, any Error> = withRun {
            Result { try callValueInRun(function, positional: positional, named: named, callRange: callRange) }
        }
        return try result.get()
    }

    func callValueInRun(_ function: Value, positional: [(Value, SourceRange?)], named: [(String, Value, SourceRange?)],
                        callRange: SourceRange?) throws -> Value {
        switch function {
        case .function(let closure):
            return try callScript(closure, positional: positional, named: named, callRange: callRange)
        case .native(let native):
            return try callNative(native, positional: positional, named: named, callRange: callRange)
        case .host(let object):
            // A callable host object (a model: `enc(x)`) is called through its `call` method.
            if let call = object.method("call") {
                return try callNative(call, positional: positional, named: named, callRange: callRange)
            }
            throw RuntimeError(.type, Messages.text("a {type} cannot be called; only functions can", ["type": function.typeName]),
                               at: callRange)
        default:
            throw RuntimeError(.type, Messages.text("a {type} cannot be called; only functions can", ["type": function.typeName]),
                               at: callRange)
        }
    }

    func callScript(_ function: ScriptFunction, positional: [(Value, SourceRange?)], named: [(String, Value, SourceRange?)],
                    callRange: SourceRange?) throws -> Value {
        let site = callRange ?? function.declaration.range
        try tick(site)
        try checkStack(site)
        if callDepth >= limits.maxCallDepth {
            throw RuntimeError(.recursionLimit, Messages.text("recursion too deep (more than {limit} nested calls)",
                                                              ["limit": String(limits.maxCallDepth)]), at: site)
        }
        let bound = try ArgumentBinder.bind(functionName: function.name, parameters: function.parameters,
                                            positional: positional, named: named, callRange: callRange)
        let local = Scope(parent: function.closure)
        for (index, parameter) in function.parameters.enumerated() {
            local.define(parameter.name, bound.values[index])
        }
        callDepth += 1
        defer { callDepth -= 1 }
        do {
            if case .returned(let value) = try execute(function.declaration.body, local) { return value }
            warnIfDiscardedEnding(function.declaration, function.name)
            return .nilValue
        } catch var error as RuntimeError {
            error.callStack.append(StackFrame(function: function.name, callSite: site))
            throw error
        }
    }

    /// The language rule for a function that ends without `return`: it returns nil, even
    /// when its last statement is an expression (`fn sq(x) { x * x }` returns nil, not the
    /// square; LabScript has no implicit result, so a function that ends with a call made
    /// for its effect, such as `opt.step()`, returns nil as before). When that last
    /// expression gave a value other than nil, the value is thrown away, which is almost
    /// always a forgotten `return`: the first time such a function finishes, a warning
    /// at that line says so (`file:line:col: warning: …`), so the learner is told at their
    /// own line rather than by whoever gets the nil.
    func warnIfDiscardedEnding(_ declaration: FunctionDecl, _ name: String) {
        let value = lastStatementValue
        lastStatementValue = .nilValue
        guard let last = declaration.body.last, case .expression = last.kind else { return }
        if case .nilValue = value { return }
        let id = ObjectIdentifier(declaration)
        guard !warnedDiscardedEndings.contains(id) else { return }
        warnedDiscardedEndings.insert(id)
        let what = name == "<anonymous>" ? "this function" : "fn \(name)"
        output.write("\(last.range.shortDescription): warning: \(what) ends with an expression whose value "
                     + "(\(value.typeName)) is thrown away, so it returns nil; "
                     + "write `return …` to return it\n")
    }

    func callNative(_ function: NativeFunction, positional: [(Value, SourceRange?)], named: [(String, Value, SourceRange?)],
                    callRange: SourceRange?) throws -> Value {
        if let callRange { try tick(callRange) } else { try checkCancellation() }
        if let refusal = function.refusal { throw refusal }
        if !restrictedNames.isEmpty, let callRange, callRange.file.isUntrusted,
           let refusal = restriction(of: function) {
            throw RuntimeError(.host, refusal, at: callRange)
        }
        let bound = try ArgumentBinder.bind(functionName: function.name, parameters: function.parameters,
                                            positional: positional, named: named, callRange: callRange)
        do {
            return try function.implementation(bound, context(callRange, function.name))
        } catch var error as RuntimeError {
            if error.range == nil { error.range = callRange }
            throw error
        } catch let error as any ScriptReportableError {
            throw RuntimeError(.host, error.scriptMessage, at: callRange)
        } catch {
            throw RuntimeError(.host, String(describing: error), at: callRange)
        }
    }

    /// `xs.append(v)` appends in place and returns nil; `xs.pop()` removes and returns the
    /// last item. On a value that is not a variable, index or field, they work on a copy.
    private func callListMethod(_ name: String, _ baseExpr: Expr, positional: [(Value, SourceRange?)],
                                named: [(String, Value, SourceRange?)], _ range: SourceRange, _ scope: Scope) throws -> Value {
        let parameters = name == "append" ? [Parameter("value")] : []
        let bound = try ArgumentBinder.bind(functionName: name, parameters: parameters, positional: positional,
                                            named: named, callRange: range)
        var result = Value.nilValue
        try modify(baseExpr, scope) { container in
            guard case .list(var items) = container else {
                throw RuntimeError(.type, Messages.text("{function} needs a list, got {type}", ["function": name, "type": container.typeName]),
                                   at: baseExpr.range)
            }
            container = .nilValue
            if name == "append" {
                try checkNesting(bound["value"], range)
                try checkSize(items.count + 1, .list, range)
                items.append(bound["value"])
            } else if let last = items.popLast() {
                result = last
            } else {
                container = .list(items)
                throw RuntimeError(.index, Messages.text("pop from an empty list"), at: range)
            }
            container = .list(items)
        }
        return result
    }
}
