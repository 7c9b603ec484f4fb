/// A LabScript value.
///
/// Lists, records, strings and ranges have **value semantics**: `b = a` copies (lazily,
/// copy-on-write), so `b[0] = 1` never changes `a`, and a function cannot change a list
/// passed to it except by returning a new one. Functions and host objects are references:
/// a tensor or model shared by two names is one object.
public enum Value {
    case nilValue
    case number(Double)
    case bool(Bool)
    case string(String)
    case list([Value])
    case record(Record)
    case range(ScriptRange)
    /// A function written in LabScript, with the scope it closes over.
    case function(ScriptFunction)
    /// A function implemented by the host (a builtin, or a bound method of a host object).
    case native(NativeFunction)
    /// An opaque object of the host: tensor, model, optimiser, data set…
    case host(any HostObject)

    /// The name `type(x)` returns and error messages use.
    public var typeName: String {
        switch self {
        case .nilValue: return "nil"
        case .number: return "number"
        case .bool: return "bool"
        case .string: return "string"
        case .list: return "list"
        case .record: return "record"
        case .range: return "range"
        case .function, .native: return "function"
        case .host(let object): return object.typeName
        }
    }

    /// This value with every host object in it (also inside lists and records) replaced
    /// by its `HostObject.isolatedCopy()`, where it has one: a grading test's own copy of
    /// the values it is given.
    public func isolatedCopy() -> Value {
        switch self {
        case .host(let object):
            return object.isolatedCopy().map { .host($0) } ?? self
        case .list(let items):
            return .list(items.map { $0.isolatedCopy() })
        case .record(let record):
            return .record(Record(record.keys.map { ($0, record[$0]?.isolatedCopy() ?? .nilValue) }))
        default:
            return self
        }
    }

    public var isNil: Bool {
        if case .nilValue = self { return true }
        return false
    }

    /// How deeply lists and records nest inside this value (0 for a scalar), counting no
    /// further than `limit + 1`.
    public func nestingDepth(limit: Int) -> Int {
        guard limit >= 0 else { return 1 }
        switch self {
        case .list(let items):
            var deepest = 0
            for item in items {
                deepest = max(deepest, item.nestingDepth(limit: limit - 1))
                if deepest >= limit { break }
            }
            return deepest + 1
        case .record(let record):
            var deepest = 0
            for item in record.values {
                deepest = max(deepest, item.nestingDepth(limit: limit - 1))
                if deepest >= limit { break }
            }
            return deepest + 1
        default:
            return 0
        }
    }

    /// Convenience for hosts: a number value from an `Int`.
    public static func int(_ value: Int) -> Value { .number(Double(value)) }
}

/// A record: named fields in insertion order, `{lr: 0.1, epochs: 5}`.
public struct Record {
    public private(set) var keys: [String] = []
    private var storage: [String: Value] = [:]

    public init() {}

    public init(_ pairs: [(String, Value)]) {
        for (key, value) in pairs { self[key] = value }
    }

    public subscript(key: String) -> Value? {
        get { storage[key] }
        set {
            if let newValue {
                if storage.updateValue(newValue, forKey: key) == nil { keys.append(key) }
            } else if storage.removeValue(forKey: key) != nil {
                keys.removeAll { $0 == key }
            }
        }
    }

    /// In-place update of an existing field (keeps copy-on-write storage unique).
    mutating func modify<T>(_ key: String, _ body: (inout Value) throws -> T) rethrows -> T? {
        guard storage[key] != nil else { return nil }
        return try body(&storage[key, default: .nilValue])
    }

    public var count: Int { keys.count }
    public var values: [Value] { keys.map { storage[$0] ?? .nilValue } }
}

/// A half-open integer range `start..end` with a step (from `range(start, stop, step)`),
/// counted like Python's `range`.
public struct ScriptRange: Equatable, Sendable {
    public var start: Int
    public var end: Int
    public var step: Int

    public init(start: Int, end: Int, step: Int = 1) {
        self.start = start
        self.end = end
        self.step = step == 0 ? 1 : step
    }

    public var count: Int {
        if step > 0 { return start < end ? (end - start - 1) / step + 1 : 0 }
        return start > end ? (start - end - 1) / (-step) + 1 : 0
    }

    public func element(_ index: Int) -> Int { start + index * step }
}

/// A closure: a LabScript function definition plus the scope it was created in.
/// Parameter defaults are evaluated once, when the `fn` statement runs.
public final class ScriptFunction {
    public let declaration: FunctionDecl
    public let closure: Scope
    public let parameters: [Parameter]

    init(declaration: FunctionDecl, closure: Scope, parameters: [Parameter]) {
        self.declaration = declaration
        self.closure = closure
        self.parameters = parameters
    }

    public var name: String { declaration.name }
}
