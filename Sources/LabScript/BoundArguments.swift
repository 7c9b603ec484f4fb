import LabSupport

/// The arguments of one call, matched to the function's parameters, with typed accessors
/// whose errors name the function, the parameter and both types and point at the argument:
/// "nt_xent: argument 'temperature' must be a number, got string".
public struct BoundArguments {
    public let functionName: String
    public let parameters: [Parameter]
    /// One value per parameter (defaults filled in); a variadic parameter's slot is unused.
    var values: [Value]
    var ranges: [SourceRange?]
    /// Positional arguments collected by the variadic parameter, if any.
    public private(set) var variadic: [Value] = []
    var variadicRanges: [SourceRange?] = []
    public let callRange: SourceRange?

    init(functionName: String, parameters: [Parameter], callRange: SourceRange?) {
        self.functionName = functionName
        self.parameters = parameters
        self.values = parameters.map { $0.defaultValue ?? .nilValue }
        self.ranges = Array(repeating: nil, count: parameters.count)
        self.callRange = callRange
    }

    mutating func set(_ index: Int, _ value: Value, _ range: SourceRange?) {
        values[index] = value
        ranges[index] = range
    }

    mutating func appendVariadic(_ value: Value, _ range: SourceRange?) {
        variadic.append(value)
        variadicRanges.append(range)
    }

    private func slot(_ name: String) -> Int {
        guard let index = parameters.firstIndex(where: { $0.name == name }) else {
            preconditionFailure("\(functionName) has no parameter '\(name)' (registry entry and implementation disagree)")
        }
        return index
    }

    /// The argument value for parameter `name` (its default if not passed).
    public subscript(name: String) -> Value { values[slot(name)] }

    /// Source range of the argument for `name` (the call's range if it was defaulted).
    public func range(of name: String) -> SourceRange? { ranges[slot(name)] ?? callRange }

    /// Whether the caller passed `name` explicitly.
    public func wasPassed(_ name: String) -> Bool { ranges[slot(name)] != nil }

    /// A type error for argument `name`. `expected` is an English noun phrase ("a model",
    /// "a list of whole numbers"): the catalogue translates it too, so that the sentence
    /// reads whole in Chinese (the phrases are a small fixed set, each an entry of its own).
    public func typeError(_ name: String, expected: String) -> RuntimeError {
        typeError(name, Messages.text("{function}: argument '{name}' must be {expected}, got {type}", ["expected": Messages.text(expected)]))
    }

    /// A type error for argument `name` in a whole sentence from the catalogue, whose
    /// `{function}`, `{name}` and `{type}` (the type the argument has) are filled in here.
    func typeError(_ name: String, _ message: String) -> RuntimeError {
        RuntimeError(.type, POCatalog.fill(message, ["function": functionName, "name": name, "type": self[name].typeName]),
                     at: range(of: name))
    }

    public func number(_ name: String) throws -> Double {
        if case .number(let number) = self[name] { return number }
        throw typeError(name, Messages.text("{function}: argument '{name}' must be a number, got {type}"))
    }

    /// A number that must be an integer (`3`, not `2.5`).
    public func int(_ name: String) throws -> Int {
        let number = try self.number(name)
        guard let integer = BoundArguments.exactInt(number) else {
            throw RuntimeError(.type, Messages.text("{function}: argument '{name}' must be an integer, got {value}",
                                                    ["function": functionName, "name": name, "value": Value.format(number)]),
                               at: range(of: name))
        }
        return integer
    }

    /// The largest count a builtin accepts where its parameter declares no `countRange`.
    public static let maxCount = 1_000_000

    /// A count: a whole number in the parameter's `countRange`, else in
    /// `minimum...maximum`. A number outside is refused at the argument, before anything
    /// it would size is allocated. (The binder checks declared ranges; this is the check.)
    public func count(_ name: String, atLeast minimum: Int = 0, atMost maximum: Int = BoundArguments.maxCount) throws -> Int {
        let bounds = parameters[slot(name)].countRange ?? minimum...max(minimum, maximum)
        let number = try self.number(name)
        guard let value = BoundArguments.exactInt(number), bounds.contains(value) else {
            let values = ["function": functionName, "name": name, "minimum": String(bounds.lowerBound),
                          "maximum": String(bounds.upperBound), "value": Value.format(number)]
            let message = bounds.upperBound == Int.max
                ? Messages.text("{function}: argument '{name}' must be a whole number ≥ {minimum}, got {value}", values)
                : Messages.text("{function}: argument '{name}' must be a whole number from {minimum} to {maximum}, got {value}", values)
            throw RuntimeError(.argument, message, at: range(of: name))
        }
        return value
    }

    public func bool(_ name: String) throws -> Bool {
        if case .bool(let flag) = self[name] { return flag }
        throw typeError(name, Messages.text("{function}: argument '{name}' must be a bool (true or false), got {type}"))
    }

    public func string(_ name: String) throws -> String {
        if case .string(let text) = self[name] { return text }
        throw typeError(name, Messages.text("{function}: argument '{name}' must be a string, got {type}"))
    }

    public func list(_ name: String) throws -> [Value] {
        if case .list(let items) = self[name] { return items }
        throw typeError(name, Messages.text("{function}: argument '{name}' must be a list, got {type}"))
    }

    public func record(_ name: String) throws -> Record {
        if case .record(let record) = self[name] { return record }
        throw typeError(name, Messages.text("{function}: argument '{name}' must be a record, got {type}"))
    }

    /// A function value (script or native), to be called with `CallContext.call`.
    public func function(_ name: String) throws -> Value {
        switch self[name] {
        case .function, .native: return self[name]
        default: throw typeError(name, Messages.text("{function}: argument '{name}' must be a function, got {type}"))
        }
    }

    /// A host object of a specific Swift type; `expected` names it for the message.
    public func host<T: HostObject>(_ name: String, as type: T.Type, expected: String) throws -> T {
        if case .host(let object) = self[name], let typed = object as? T { return typed }
        throw typeError(name, expected: expected)
    }

    /// nil when the argument is nil (or defaulted to nil), else a number.
    public func optionalNumber(_ name: String) throws -> Double? {
        self[name].isNil ? nil : try number(name)
    }

    public func optionalInt(_ name: String) throws -> Int? {
        self[name].isNil ? nil : try int(name)
    }

    public func optionalString(_ name: String) throws -> String? {
        self[name].isNil ? nil : try string(name)
    }

    /// The variadic arguments as integers (e.g. a shape `randn(3, 2)`); a single list
    /// argument is accepted too (`randn([3, 2])`).
    public func variadicInts() throws -> [Int] {
        var items = variadic
        var ranges = variadicRanges
        if items.count == 1, case .list(let inner) = items[0] {
            items = inner
            ranges = Array(repeating: ranges[0], count: inner.count)
        }
        return try items.enumerated().map { index, item in
            guard case .number(let number) = item, let integer = BoundArguments.exactInt(number) else {
                throw RuntimeError(.type, Messages.text("{function}: expected integers, got {value}",
                                                        ["function": functionName,
                                                         "value": item.typeName == "number" ? item.description : item.typeName]),
                                   at: ranges[index] ?? callRange)
            }
            return integer
        }
    }

    /// An `Int` if `number` is integral and fits, else nil.
    public static func exactInt(_ number: Double) -> Int? {
        guard number.isFinite, number == number.rounded(), abs(number) < 9.0e15 else { return nil }
        return Int(number)
    }
}
