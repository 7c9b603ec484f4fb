import Foundation

/// The one JSON value type of the project, and every way it writes JSON text:
///
/// - `data`, the compact wire form (Jupyter messages): Foundation's `JSONEncoder`, keys
///   sorted, so equal values give equal bytes;
/// - `serialized()`, the notebook form (ipynb exports): keys sorted by their UTF-8 bytes,
///   one-space indentation, as Jupyter writes notebooks, each string through `quoted`;
/// - `quoted(_:)`, the one hand-written JSON string escaper (also the safetensors header
///   and the Python string literals of the PyTorch export);
/// - `Encodable.sortedJSONText()`, the records the grader writes (`grading.json`,
///   Gradescope's `results.json`).
///
/// Parsing is Foundation's `JSONDecoder` (no hand-written parser). Numbers keep whether
/// they were integers, so an `execution_count` goes out as `3`, not `3.0`.
public indirect enum JSON: Sendable, Equatable, Codable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array([JSON])
    case object([String: JSON])

    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null }
        else if let value = try? container.decode(Bool.self) { self = .bool(value) }
        else if let value = try? container.decode(Int.self) { self = .int(value) }
        else if let value = try? container.decode(Double.self) { self = .double(value) }
        else if let value = try? container.decode(String.self) { self = .string(value) }
        else if let value = try? container.decode([JSON].self) { self = .array(value) }
        else { self = .object(try container.decode([String: JSON].self)) }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .int(let value): try container.encode(value)
        case .double(let value): try container.encode(value.isFinite ? value : 0)
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }

    /// Parses one JSON document; nil if the bytes are not JSON.
    public static func parse(_ data: Data) -> JSON? {
        try? JSONDecoder().decode(JSON.self, from: data)
    }

    /// The compact UTF-8 text (keys sorted, so equal values give equal bytes).
    public var data: Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(self)) ?? Data("null".utf8)
    }

    public subscript(key: String) -> JSON? {
        if case .object(let fields) = self { return fields[key] }
        return nil
    }

    public var string: String? { if case .string(let s) = self { return s }; return nil }
    public var bool: Bool? { if case .bool(let b) = self { return b }; return nil }
    public var int: Int? {
        switch self {
        case .int(let n): return n
        case .double(let d) where d.rounded() == d && abs(d) < 1e15: return Int(d)
        default: return nil
        }
    }
    public var object: [String: JSON]? { if case .object(let o) = self { return o }; return nil }
}

// MARK: the notebook form

extension JSON {
    /// The text as Jupyter writes a notebook, ending with a newline: object keys sorted by
    /// their UTF-8 bytes, one-space indentation, UTF-8 text left as it is, control
    /// characters escaped (`quoted`). Deterministic: equal values give equal text.
    public func serialized() -> String {
        var out = ""
        write(into: &out, indent: 0)
        return out + "\n"
    }

    private func write(into out: inout String, indent: Int) {
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let n): out += String(n)
        case .double: out += String(decoding: data, as: UTF8.self)
        case .string(let s): out += JSON.quoted(s)
        case .array(let items):
            if items.isEmpty { out += "[]"; return }
            out += "[\n"
            for (n, item) in items.enumerated() {
                out += String(repeating: " ", count: indent + 1)
                item.write(into: &out, indent: indent + 1)
                out += n + 1 < items.count ? ",\n" : "\n"
            }
            out += String(repeating: " ", count: indent) + "]"
        case .object(let fields):
            if fields.isEmpty { out += "{}"; return }
            out += "{\n"
            let keys = fields.keys.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
            for (n, key) in keys.enumerated() {
                out += String(repeating: " ", count: indent + 1)
                out += JSON.quoted(key)
                out += ": "
                fields[key]?.write(into: &out, indent: indent + 1)
                out += n + 1 < keys.count ? ",\n" : "\n"
            }
            out += String(repeating: " ", count: indent) + "}"
        }
    }

    /// `text` as a JSON string literal, the one hand-written JSON string escaper: `"` and
    /// `\` backslashed, the usual controls as `\n` `\r` `\t` `\b` `\f`, every other control
    /// character and DEL as `\u00XX`; all other text (UTF-8, emoji) as it is. A JSON string
    /// literal is also a Python one with the same meaning (the PyTorch export's literals).
    public static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}

// MARK: records

extension Encodable {
    /// The value as the grader's JSON files hold it: keys sorted, indented, slashes as they
    /// are, ending with a newline (`grading.json`, Gradescope's `results.json`). Encoding the
    /// grader's plain numbers and strings cannot fail; `{}` stands in if it ever did.
    public func sortedJSONText() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(self)) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}

extension JSON: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral, ExpressibleByNilLiteral {
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .int(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(arrayLiteral elements: JSON...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, JSON)...) {
        self = .object(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }
    public init(nilLiteral: ()) { self = .null }
}
