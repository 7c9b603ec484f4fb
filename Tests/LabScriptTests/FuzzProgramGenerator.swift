/// Generates syntactically valid but semantically random programs, so the fuzz test also
/// reaches deep into the interpreter (a mutated file is usually stopped by the parser).
struct FuzzProgramGenerator {
    var rng: FuzzTests.SplitMix64
    var depth = 0
    static let names = ["a", "b", "xs", "r", "s", "f", "g", "n"]
    static let builtins = ["len", "str", "type", "abs", "min", "max", "round", "floor", "sqrt", "log", "exp",
                           "list", "sorted", "keys", "values", "append", "contains", "join", "int", "range"]

    /// Every generated name starts defined, so programs get past the first line.
    static let prelude = "a = 1; b = 2.5; xs = [1, 2, 3]; r = {k: 1, field: 2}; s = \"str\"; n = 0\n"
        + "fn f(p, q = 1) { return p }\nfn g(p, q = 2) { return [p, q] }\n"

    mutating func program() -> String {
        Self.prelude + (0..<(1 + rng.below(10))).map { _ in statement() }.joined(separator: "\n")
    }

    mutating func statement() -> String {
        depth += 1
        defer { depth -= 1 }
        let name = rng.pick(Self.names)
        switch depth > 3 ? rng.below(3) : rng.below(11) {
        case 0: return "\(name) = \(expression())"
        case 1: return "print(\(expression()), \(expression()))"
        case 2: return "\(name)[\(expression())] = \(expression())"
        case 3: return "if \(expression()) { \(statement()) } else { \(statement()) }"
        case 4: return "for \(name) in \(expression()) { \(statement()); \(statement()) }"
        case 5: return "fn \(name)(p, q = \(expression())) { \(statement())\n return \(expression()) }"
        case 6: return "n = 0\nwhile n < \(rng.below(20)) { n += 1; \(statement()) }"
        case 7: return "\(name).field = \(expression())"
        case 8: return "\(name) += \(expression())"
        case 9: return "expect(\(expression()), \"generated\")"
        default: return "\(name).append(\(expression()))"
        }
    }

    mutating func expression() -> String {
        depth += 1
        defer { depth -= 1 }
        if depth > 6 { return atom() }
        switch rng.below(14) {
        case 0, 1, 2: return atom()
        case 3: return "\(expression()) \(rng.pick(["+", "-", "*", "/", "%", "^", "@", "==", "!=", "<", ">=", "and", "or", ".."])) \(expression())"
        case 4: return "-\(expression())"
        case 5: return "not \(expression())"
        case 6: return "[\(expression()), \(expression())]"
        case 7: return "{k: \(expression()), field: \(expression())}"
        case 8: return "\(rng.pick(Self.builtins))(\(expression()))"
        case 9: return "\(rng.pick(Self.names))(\(expression()), q: \(expression()))"
        case 10: return "\(expression())[\(rng.pick(["0", "-1", "1:", "::-1", ":, 0", "\"k\"", "n"]))]"
        case 11: return "\(expression()).\(rng.pick(["k", "field", "T", "append", "len"]))"
        case 12: return "\"t{\(expression())}\""
        default: return "fn(p) { return \(expression()) }"
        }
    }

    mutating func atom() -> String {
        rng.pick(["0", "1", "2", "-1", "0.5", "1e300", "3", "true", "false", "nil", "\"s\"", "[]", "{}", "0..3",
                  "[1, 2, 3]", "[[1, 2], [3, 4]]", "{k: 1}", "a", "b", "xs", "r", "s", "f", "n", "print", "len"])
    }
}
