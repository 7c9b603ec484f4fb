import Foundation
import LabSupport

/// Number functions. `round` rounds halves away from zero (`round(2.5) == 3`), unlike
/// Python's banker's rounding.
extension CoreBuiltins {
    static var math: [NativeFunction] { [
        unary("abs", "Absolute value |x|.", "print(abs(-3))   # 3") { abs($0) },
        unary("floor", "Largest integer ≤ x.", "print(floor(2.7))   # 2") { $0.rounded(.down) },
        unary("ceil", "Smallest integer ≥ x.", "print(ceil(2.1))   # 3") { $0.rounded(.up) },
        unary("exp", "e raised to x.", "print(exp(0))   # 1") { Foundation.exp($0) },
        unary("sqrt", "Square root √x (x ≥ 0).", "print(sqrt(16))   # 4", domain: .notNegative) { $0.squareRoot() },
        unary("log", "Natural logarithm ln x (x > 0).", "print(log(1))   # 0", domain: .positive) { Foundation.log($0) },
        NativeFunction(
            name: "round", parameters: [Parameter("x"), Parameter("digits", default: .number(0))],
            summary: "x rounded to `digits` decimal places, halves away from zero.",
            example: "print(round(3.14159, 2))   # 3.14"
        ) { args, _ in
            let x = try args.number("x"), digits = try args.int("digits")
            if digits == 0 { return .number(x.rounded(.toNearestOrAwayFromZero)) }
            let scale = pow(10, Double(max(-300, min(300, digits))))
            return .number((x * scale).rounded(.toNearestOrAwayFromZero) / scale)
        },
        extremum("min", "The smallest of the numbers (or of one list of numbers).", "print(min(3, 1, 2))   # 1", <),
        extremum("max", "The largest of the numbers (or of one list of numbers).", "print(max([3, 1, 2]))   # 3", >),
    ] }

    /// The numbers a one-argument function is defined for, and its error for another.
    enum Domain {
        case notNegative, positive

        func contains(_ x: Double) -> Bool { self == .positive ? x > 0 : x >= 0 }

        func message(_ function: String, _ x: Double) -> String {
            let values = ["function": function, "value": Value.format(x)]
            switch self {
            case .notNegative: return Messages.text("{function}: argument 'x' must not be negative, got {value}", values)
            case .positive: return Messages.text("{function}: argument 'x' must be positive, got {value}", values)
            }
        }
    }

    private static func unary(_ name: String, _ summary: String, _ example: String,
                              domain: Domain? = nil,
                              _ body: @escaping (Double) -> Double) -> NativeFunction {
        NativeFunction(name: name, parameters: [Parameter("x")], summary: summary, example: example) { args, _ in
            let x = try args.number("x")
            if let domain, !domain.contains(x) {
                throw RuntimeError(.arithmetic, domain.message(name, x), at: args.range(of: "x"))
            }
            return .number(body(x))
        }
    }

    private static func extremum(_ name: String, _ summary: String, _ example: String,
                                 _ better: @escaping (Double, Double) -> Bool) -> NativeFunction {
        NativeFunction(name: name, parameters: [.variadic("values")], summary: summary, example: example) { args, context in
            var values = args.variadic
            if values.count == 1, case .list(let items) = values[0] { values = items }
            guard !values.isEmpty else {
                throw RuntimeError(.argument, Messages.text("{function}() needs at least one number", ["function": name]), at: context.range)
            }
            var best = Double.nan
            for (offset, value) in values.enumerated() {
                guard case .number(let number) = value else {
                    throw RuntimeError(.type, Messages.text("{function}(): expected numbers, got {type}", ["function": name, "type": value.typeName]),
                                       at: context.range)
                }
                if offset == 0 || better(number, best) { best = number }
            }
            return .number(best)
        }
    }
}
