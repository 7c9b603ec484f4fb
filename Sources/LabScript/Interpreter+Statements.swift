import LabSupport

/// Executing statements. Control flow is a returned `Completion`, not an exception.
extension Interpreter {
    enum Completion {
        case normal
        case breakLoop
        case continueLoop
        case returned(Value)
    }

    func execute(_ statements: [Stmt], _ scope: Scope) throws -> Completion {
        for statement in statements {
            let completion = try execute(statement, scope)
            if case .normal = completion { continue }
            return completion
        }
        return .normal
    }

    /// Executes one statement. As in `evaluate`, bulky cases live in their own functions
    /// to keep this frame small.
    func execute(_ statement: Stmt, _ scope: Scope) throws -> Completion {
        do {
            switch statement.kind {
            case .expression(let expr):
                let value = try evaluate(expr, scope)
                // Kept only inside functions, for `warnIfDiscardedEnding`.
                if callDepth > 0 { lastStatementValue = value }
            case .assign(let target, let valueExpr):
                let value = try evaluate(valueExpr, scope)
                try assign(value, to: target, scope)
            case .function(let decl):
                scope.define(decl.name, try makeClosure(decl, scope))
            case .returnValue(let expr):
                guard let expr else { return .returned(.nilValue) }
                return .returned(try evaluate(expr, scope))
            case .ifElse(let condition, let then, let otherwise):
                return try executeIf(condition, then, otherwise, scope)
            case .whileLoop(let condition, let body):
                return try executeWhile(condition, body, scope, statement.range)
            case .forIn(let variable, let sequenceExpr, let body):
                let sequence = try evaluate(sequenceExpr, scope)
                return try loop(over: sequence, sequenceExpr.range, variable, body, scope, statement.range)
            case .breakLoop:
                return .breakLoop
            case .continueLoop:
                return .continueLoop
            }
            return .normal
        } catch var error as RuntimeError where error.range == nil {
            error.range = statement.range
            throw error
        }
    }

    @inline(never)
    private func executeIf(_ condition: Expr, _ then: [Stmt], _ otherwise: [Stmt]?, _ scope: Scope) throws -> Completion {
        if try truth(condition, scope, "if") { return try execute(then, scope) }
        if let otherwise { return try execute(otherwise, scope) }
        return .normal
    }

    @inline(never)
    private func executeWhile(_ condition: Expr, _ body: [Stmt], _ scope: Scope, _ range: SourceRange) throws -> Completion {
        while try truth(condition, scope, "while") {
            try tick(range)
            switch try execute(body, scope) {
            case .breakLoop: return .normal
            case .returned(let value): return .returned(value)
            case .normal, .continueLoop: continue
            }
        }
        return .normal
    }

    /// `for variable in sequence`: lists, ranges, strings (characters) and records (keys).
    @inline(never)
    private func loop(over sequence: Value, _ sequenceRange: SourceRange, _ variable: String, _ body: [Stmt],
                      _ scope: Scope, _ range: SourceRange) throws -> Completion {
        let count: Int
        let element: (Int) -> Value
        switch sequence {
        case .list(let items):
            count = items.count
            element = { items[$0] }
        case .range(let steps):
            count = steps.count
            element = { .number(Double(steps.element($0))) }
        case .string(let text):
            let characters = Array(text)
            count = characters.count
            element = { .string(String(characters[$0])) }
        case .record(let record):
            let keys = record.keys
            count = keys.count
            element = { .string(keys[$0]) }
        default:
            throw RuntimeError(.type, Messages.text("cannot loop over a {type}; use a list, a range (0..n), a string or a record",
                                                    ["type": sequence.typeName]),
                               at: sequenceRange)
        }
        var index = 0
        while index < count {
            try tick(range)
            scope.define(variable, element(index))
            index += 1
            switch try execute(body, scope) {
            case .breakLoop: return .normal
            case .returned(let value): return .returned(value)
            case .normal, .continueLoop: continue
            }
        }
        return .normal
    }

    /// Evaluates a condition, which must be a bool (no implicit truthiness).
    func truth(_ expr: Expr, _ scope: Scope, _ construct: String) throws -> Bool {
        let value = try evaluate(expr, scope)
        if case .bool(let flag) = value { return flag }
        throw RuntimeError(.type, Messages.text("{keyword} condition must be true or false, got {type}", ["keyword": construct, "type": value.typeName]),
                           at: expr.range)
    }

    /// A closure over `scope`; parameter defaults are evaluated now, once.
    func makeClosure(_ decl: FunctionDecl, _ scope: Scope) throws -> Value {
        let parameters = try decl.parameters.map { parameter in
            Parameter(parameter.name, default: try parameter.defaultValue.map { try evaluate($0, scope) })
        }
        return .function(ScriptFunction(declaration: decl, closure: scope, parameters: parameters))
    }
}
