import LabSupport
/// Assignment: `x = v`, `x[i] = v`, `r.field = v`, and nested forms like `m[0][1] = v` or
/// `cfg.opt.lr = v`.
///
/// `x = v` defines or overwrites `x` in the current scope (the function call, or the top
/// level). Updating part of a value (`x[i] = v`, `r.f = v`) changes the variable where it
/// is defined, in place, without copying the list. Variables of the protected builtin
/// layer cannot be changed in place.
extension Interpreter {
    func assign(_ value: Value, to target: Expr, _ scope: Scope) throws {
        switch target.kind {
        case .variable(let name):
            scope.define(name, value)
        case .index(let baseExpr, let componentExprs):
            let components = try evaluateIndex(componentExprs, scope)
            try checkNesting(value, target.range)
            try modify(baseExpr, scope) { container in
                try setIndex(&container, components, value, target.range)
            }
        case .field(let baseExpr, let name):
            try checkNesting(value, target.range)
            try modify(baseExpr, scope) { container in
                try setField(&container, name, value, target.range)
            }
        default:
            throw RuntimeError(.type, Messages.text("cannot assign to this expression"), at: target.range)
        }
    }

    func setField(_ container: inout Value, _ name: String, _ value: Value, _ range: SourceRange) throws {
        if case .record(var record) = container {  // `if case`, not `switch`: see setIndex
            container = .nilValue
            record[name] = value
            container = .record(record)
            return
        }
        switch container {
        case .host(let object):
            if try object.setField(name, to: value, context: context(range, name)) { return }
            let type = object.typeName
            throw RuntimeError(.field, Suggestions.message(for: name, in: object.memberNames,
                plain: { Messages.text("cannot set field '{name}' of {type}", ["name": name, "type": type]) },
                suggesting: { Messages.text("cannot set field '{name}' of {type}; did you mean '{suggestion}'?",
                                            ["name": name, "type": type, "suggestion": $0]) }), at: range)
        default:
            throw RuntimeError(.field, Messages.text("cannot set field '{name}' on a {type}; only records have settable fields",
                                                     ["name": name, "type": container.typeName]), at: range)
        }
    }

    /// Runs `body` on the storage `expr` denotes, in place when `expr` is a variable, an
    /// index or a field; on a temporary copy otherwise (which only matters for host objects,
    /// whose changes are visible through the reference anyway).
    func modify(_ expr: Expr, _ scope: Scope, _ body: (inout Value) throws -> Void) throws {
        switch expr.kind {
        case .variable(let name):
            guard let owner = scope.owner(of: name) else {
                throw undefinedName(name, expr.range, scope)
            }
            if owner.isProtected {
                var copy = owner.variables[name] ?? .nilValue
                if case .host = copy { return try body(&copy) }
                throw RuntimeError(.type, Messages.text("'{name}' is a builtin and cannot be changed; assign a new name instead",
                                                        ["name": name]), at: expr.range)
            }
            _ = try owner.modifyLocal(name, body)
        case .index(let baseExpr, let componentExprs):
            let components = try evaluateIndex(componentExprs, scope)
            try modify(baseExpr, scope) { container in
                if components.count == 1, case .integer(let position) = components[0],
                   case .list(var items) = container, let resolved = IndexComponent.resolve(position, count: items.count) {
                    // In place: take the list out, update the item, put it back.
                    container = .nilValue
                    defer { container = .list(items) }
                    try body(&items[resolved])
                    return
                }
                var element = try index(container, components, expr.range)
                let before = element
                try body(&element)
                if case .host(let old) = before, case .host(let new) = element, old === new { return }
                try setIndex(&container, components, element, expr.range)
            }
        case .field(let baseExpr, let name):
            try modify(baseExpr, scope) { container in
                if case .record(var record) = container, record[name] != nil {
                    container = .nilValue
                    defer { container = .record(record) }
                    _ = try record.modify(name, body)
                    return
                }
                var element = try field(of: container, name, expr.range)
                let before = element
                try body(&element)
                if case .host(let old) = before, case .host(let new) = element, old === new { return }
                try setField(&container, name, element, expr.range)
            }
        default:
            var temporary = try evaluate(expr, scope)
            try body(&temporary)
        }
    }
}
