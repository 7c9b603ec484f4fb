import LabSupport

/// Indexing and slicing: `x[0]`, `x[-1]`, `x[1:3]`, `x[::2]`, `x[:, 1]`.
///
/// Lists, strings and ranges index like Python (negative indices count from the end,
/// slices clamp). On a list, extra components apply to the selected items: `m[1, 2]` is
/// `m[1][2]`, and `m[:, 1]` is the second item of every row. Records index by key string.
/// Host objects receive all components at once.
extension Interpreter {
    func evaluateIndex(_ components: [IndexExpr], _ scope: Scope) throws -> [IndexComponent] {
        try components.map { component in
            switch component {
            case .single(let expr):
                let value = try evaluate(expr, scope)
                if case .number = value {
                    return .integer(try integer(value, expr.range, Messages.text("index must be an integer, got {value}")))
                }
                return .value(value)
            case .slice(let start, let stop, let step):
                func bound(_ expr: Expr?, _ what: String) throws -> Int? {
                    guard let expr else { return nil }
                    let value = try evaluate(expr, scope)
                    return value.isNil ? nil : try integer(value, expr.range, what)
                }
                return .slice(start: try bound(start, "slice start"), stop: try bound(stop, "slice stop"),
                              step: try bound(step, "slice step"))
            }
        }
    }

    func index(_ base: Value, _ components: [IndexComponent], _ range: SourceRange) throws -> Value {
        guard let first = components.first else { return base }
        let rest = Array(components.dropFirst())
        switch base {
        case .host(let object):
            if let result = try object.index(components, context: context(range, "[]")) { return result }
            throw RuntimeError(.type, Messages.text("{type} cannot be indexed", ["type": object.typeName]), at: range)
        case .list(let items):
            switch first {
            case .integer(let position):
                guard let resolved = IndexComponent.resolve(position, count: items.count) else {
                    throw outOfRange(position, items.count, "list", range)
                }
                return try index(items[resolved], rest, range)
            case .slice(let start, let stop, let step):
                let selected = try sliceIndices(start, stop, step, items.count, range).map { items[$0] }
                return .list(rest.isEmpty ? selected : try selected.map { try index($0, rest, range) })
            case .value(let value):
                throw RuntimeError(.type, Messages.text("list indices must be integers or slices, got {type}", ["type": value.typeName]), at: range)
            }
        case .string(let text):
            try requireSingle(components, "string", range)
            let characters = Array(text)
            switch first {
            case .integer(let position):
                guard let resolved = IndexComponent.resolve(position, count: characters.count) else {
                    throw outOfRange(position, characters.count, "string", range)
                }
                return .string(String(characters[resolved]))
            case .slice(let start, let stop, let step):
                return .string(String(try sliceIndices(start, stop, step, characters.count, range).map { characters[$0] }))
            case .value(let value):
                throw RuntimeError(.type, Messages.text("string indices must be integers or slices, got {type}", ["type": value.typeName]), at: range)
            }
        case .range(let steps):
            try requireSingle(components, "range", range)
            switch first {
            case .integer(let position):
                guard let resolved = IndexComponent.resolve(position, count: steps.count) else {
                    throw outOfRange(position, steps.count, "range", range)
                }
                return .int(steps.element(resolved))
            case .slice(let start, let stop, let step):
                try checkSize(steps.count, .rangeSlice, range)
                return .list(try sliceIndices(start, stop, step, steps.count, range).map { .int(steps.element($0)) })
            case .value(let value):
                throw RuntimeError(.type, Messages.text("range indices must be integers or slices, got {type}", ["type": value.typeName]), at: range)
            }
        case .record(let record):
            try requireSingle(components, "record", range)
            guard case .value(.string(let key)) = first else {
                throw RuntimeError(.type, Messages.text("a record is indexed by a field name string, e.g. r[\"lr\"]"), at: range)
            }
            if let value = record[key] { return value }
            throw Interpreter.noField(key, in: record, range)
        default:
            throw RuntimeError(.type, Messages.text("a {type} cannot be indexed", ["type": base.typeName]), at: range)
        }
    }

    /// `container[components] = value`, in place.
    func setIndex(_ container: inout Value, _ components: [IndexComponent], _ value: Value, _ range: SourceRange) throws {
        guard let first = components.first else { container = value; return }
        let rest = Array(components.dropFirst())
        // Lists and records are taken out of `container` with `if case` before anything
        // else looks at it: a `switch container` would hold a second reference for the
        // whole switch and make every `xs[i] = v` copy the list.
        if case .list(var items) = container {
            guard case .integer(let position) = first else {
                if case .slice = first {
                    throw RuntimeError(.type, Messages.text("assigning to a slice of a list is not supported; assign items one by one"), at: range)
                }
                throw RuntimeError(.type, Messages.text("list indices must be integers"), at: range)
            }
            guard let resolved = IndexComponent.resolve(position, count: items.count) else {
                throw outOfRange(position, items.count, "list", range)
            }
            container = .nilValue
            defer { container = .list(items) }
            try setIndex(&items[resolved], rest, value, range)
            return
        }
        if case .record(var record) = container {
            guard components.count == 1, case .value(.string(let key)) = first else {
                throw RuntimeError(.type, Messages.text("a record is indexed by a field name string, e.g. r[\"lr\"] = 0.1"), at: range)
            }
            container = .nilValue
            record[key] = value
            container = .record(record)
            return
        }
        switch container {
        case .host(let object):
            if try object.setIndex(components, to: value, context: context(range, "[]=")) { return }
            throw RuntimeError(.type, Messages.text("{type} does not support assignment to x[…]", ["type": object.typeName]), at: range)
        case .string:
            throw RuntimeError(.type, Messages.text("strings cannot be changed in place; build a new string instead"), at: range)
        default:
            throw RuntimeError(.type, Messages.text("a {type} does not support assignment to x[…]", ["type": container.typeName]), at: range)
        }
    }

    private func sliceIndices(_ start: Int?, _ stop: Int?, _ step: Int?, _ count: Int, _ range: SourceRange) throws -> [Int] {
        do {
            return try IndexComponent.sliceIndices(start: start, stop: stop, step: step, count: count)
        } catch var error as RuntimeError {
            error.range = range
            throw error
        }
    }

    /// `type` is the type's name as scripts write it (`string`), never translated.
    private func requireSingle(_ components: [IndexComponent], _ type: String, _ range: SourceRange) throws {
        if components.count > 1 {
            throw RuntimeError(.index, Messages.text("a {type} takes one index, got {count}",
                                                     ["type": type, "count": String(components.count)]), at: range)
        }
    }

    private func outOfRange(_ position: Int, _ count: Int, _ type: String, _ range: SourceRange) -> RuntimeError {
        RuntimeError(.index, Messages.text("index {index} is out of range for a {type} of length {count}",
                                           ["index": String(position), "type": type, "count": String(count)]), at: range)
    }
}
