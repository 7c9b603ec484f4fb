/// How values print.
///
/// Numbers print in the shortest form that reads back to the same double (Swift's
/// round-trip `description`), except that integral values below 10^16 in magnitude print
/// as integers, without ".0": `3`, `9007199254740992`, `0.1`, `1e-05`, `1e+16`, `-0`,
/// `nan`, `inf`.
/// `print` and interpolation show strings bare; inside lists and records strings are quoted.
extension Value {
    /// Text for `print`, `str` and interpolation.
    public var displayString: String {
        if case .string(let text) = self { return text }
        return description
    }

    /// Text as it appears nested in a list/record or echoed in the REPL.
    public var description: String {
        switch self {
        case .nilValue: return "nil"
        case .number(let number): return Value.format(number)
        case .bool(let flag): return flag ? "true" : "false"
        case .string(let text): return Value.quote(text)
        case .list(let items): return "[" + items.map(\.description).joined(separator: ", ") + "]"
        case .record(let record):
            if record.count == 0 { return "{}" }
            return "{" + record.keys.map { "\($0): \(record[$0]?.description ?? "nil")" }.joined(separator: ", ") + "}"
        case .range(let range):
            return range.step == 1 ? "\(range.start)..\(range.end)" : "range(\(range.start), \(range.end), \(range.step))"
        case .function(let function):
            return "<fn \(function.name)(\(function.parameters.map(\.name).joined(separator: ", ")))>"
        case .native(let native): return "<builtin \(native.name)>"
        case .host(let object): return object.scriptDescription
        }
    }

    /// Shortest round-trip form of a double; integers without `.0`.
    public static func format(_ number: Double) -> String {
        if number.isNaN { return "nan" }
        if number.isInfinite { return number < 0 ? "-inf" : "inf" }
        if number == number.rounded(), abs(number) < 1e16 {
            if number == 0 && number.sign == .minus { return "-0" }
            return String(Int64(number))
        }
        return number.description
    }

    static func quote(_ text: String) -> String {
        var result = "\""
        for character in text {
            switch character {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\t": result += "\\t"
            default: result.append(character)
            }
        }
        return result + "\""
    }
}

extension Value {
    /// Structural equality for `==`: numbers, strings, booleans and nil by value; lists and
    /// records element by element (records ignore field order); ranges by their elements;
    /// functions and host objects by identity (hosts may override `==` via
    /// `HostObject.binaryOperation`).
    public func isEqual(to other: Value) -> Bool {
        switch (self, other) {
        case (.nilValue, .nilValue): return true
        case let (.number(a), .number(b)): return a == b
        case let (.bool(a), .bool(b)): return a == b
        case let (.string(a), .string(b)): return a == b
        case let (.list(a), .list(b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.isEqual(to: $1) }
        case let (.record(a), .record(b)):
            return a.count == b.count && a.keys.allSatisfy { key in
                guard let left = a[key], let right = b[key] else { return false }
                return left.isEqual(to: right)
            }
        case let (.range(a), .range(b)):
            return a.count == b.count && (a.count == 0 || (a.start == b.start && (a.count == 1 || a.step == b.step)))
        case let (.function(a), .function(b)): return a === b
        case let (.native(a), .native(b)): return a.name == b.name
        case let (.host(a), .host(b)): return a === b
        default: return false
        }
    }
}
