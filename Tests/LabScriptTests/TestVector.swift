import Foundation
@testable import LabScript

/// A small host object for the tests: a vector of numbers with elementwise operators,
/// indexing, `.T` (reversal, to make it visible), fields, methods and error cases.
final class TestVector: HostObject {
    var values: [Double]
    init(_ values: [Double]) { self.values = values }

    var typeName: String { "vector" }
    var scriptDescription: String { "vector(" + values.map(Value.format).joined(separator: ", ") + ")" }
    var memberNames: [String] { ["len", "scale", "fail", "fail_plain", "T"] }

    func field(_ name: String, context: CallContext) throws -> Value? {
        switch name {
        case "len": return .int(values.count)
        case "T": return .host(TestVector(values.reversed()))
        default: return nil
        }
    }

    func method(_ name: String) -> NativeFunction? {
        switch name {
        case "scale":
            return NativeFunction(name: "scale", parameters: [Parameter("by"), Parameter("offset", default: .number(0))],
                                  summary: "Scaled copy.") { args, _ in
                let by = try args.number("by"), offset = try args.number("offset")
                return .host(TestVector(self.values.map { $0 * by + offset }))
            }
        case "fail":
            return NativeFunction(name: "fail", parameters: [], summary: "Throws a reportable error.") { _, _ in
                throw ShapeMismatch(message: "matmul: shapes [2, 3] and [4] do not match")
            }
        case "fail_plain":
            return NativeFunction(name: "fail_plain", parameters: [], summary: "Throws a plain error.") { _, _ in
                throw PlainFailure()
            }
        default:
            return nil
        }
    }

    func binaryOperation(_ op: BinaryOperator, other: Value, side: OperandSide, context: CallContext) throws -> Value? {
        let others: [Double]
        switch other {
        case .number(let number): others = Array(repeating: number, count: values.count)
        case .host(let object as TestVector):
            guard object.values.count == values.count else {
                throw context.error("\(op.symbol): lengths \(values.count) and \(object.values.count) differ")
            }
            others = object.values
        default: return nil
        }
        let (left, right) = side == .left ? (values, others) : (others, values)
        switch op {
        case .add: return .host(TestVector(zip(left, right).map(+)))
        case .subtract: return .host(TestVector(zip(left, right).map(-)))
        case .multiply: return .host(TestVector(zip(left, right).map(*)))
        case .matmul: return .number(zip(left, right).map(*).reduce(0, +))
        case .less: return .list(zip(left, right).map { .bool($0 < $1) })
        default: return nil
        }
    }

    func negated(context: CallContext) throws -> Value? { .host(TestVector(values.map { -$0 })) }

    func index(_ components: [IndexComponent], context: CallContext) throws -> Value? {
        guard components.count == 1 else { throw context.error("vector takes one index, got \(components.count)") }
        switch components[0] {
        case .integer(let position):
            guard let resolved = IndexComponent.resolve(position, count: values.count) else {
                throw context.error("index \(position) out of range for a vector of length \(values.count)")
            }
            return .number(values[resolved])
        case .slice(let start, let stop, let step):
            return .host(TestVector(try IndexComponent.sliceIndices(start: start, stop: stop, step: step, count: values.count).map { values[$0] }))
        case .value(let value):
            throw context.error("cannot index a vector with a \(value.typeName)")
        }
    }

    func setIndex(_ components: [IndexComponent], to value: Value, context: CallContext) throws -> Bool {
        guard components.count == 1, case .integer(let position) = components[0],
              let resolved = IndexComponent.resolve(position, count: values.count),
              case .number(let number) = value else { return false }
        values[resolved] = number
        return true
    }


    func maxAbsoluteDifference(to other: Value, context: CallContext) throws -> Double? {
        guard case .host(let object as TestVector) = other, object.values.count == values.count else { return nil }
        return zip(values, object.values).map { abs($0 - $1) }.max() ?? 0
    }
}

/// Shows the components a script's index expression produced.
final class IndexProbe: HostObject {
    var typeName: String { "probe" }
    var scriptDescription: String { "probe" }
    func index(_ components: [IndexComponent], context: CallContext) throws -> Value? {
        .string(components.map { component -> String in
            switch component {
            case .integer(let i): return "int(\(i))"
            case .slice(let a, let b, let c):
                return "slice(\(a.map(String.init) ?? "_"),\(b.map(String.init) ?? "_"),\(c.map(String.init) ?? "_"))"
            case .value(let v): return "value(\(v.description))"
            }
        }.joined(separator: " "))
    }
}

struct ShapeMismatch: ScriptReportableError {
    var message: String
    var scriptMessage: String { message }
}

struct PlainFailure: Error, CustomStringConvertible {
    var description: String { "the plain failure happened" }
}

/// Builtins used by the host tests.
func registerTestBuiltins(_ interpreter: Interpreter) {
    interpreter.register(NativeFunction(
        name: "vec", parameters: [.variadic("values")], summary: "A test vector.", example: "print(vec(1, 2))"
    ) { args, _ in
        .host(TestVector(try args.variadic.enumerated().map { index, value in
            guard case .number(let number) = value else {
                throw RuntimeError(.type, "vec: item \(index) must be a number, got \(value.typeName)")
            }
            return number
        }))
    })
    interpreter.register(NativeFunction(
        name: "nt_xent", parameters: [Parameter("z1"), Parameter("z2"), Parameter("temperature", default: .number(0.5))],
        summary: "Stand-in with the real signature.", example: "nt_xent(1, 2)"
    ) { args, _ in .number(try args.number("temperature")) })
    interpreter.register(NativeFunction(
        name: "zeros", parameters: [.variadic("shape"), Parameter("requires_grad", default: .bool(false))],
        summary: "Shape echo, with the element-count limit.", example: "zeros(2, 3)"
    ) { args, context in
        let shape = try args.variadicInts()
        try context.checkElementCount(shape.reduce(1, *), operation: "zeros")
        return .string("\(shape) grad=\(try args.bool("requires_grad"))")
    })
    interpreter.register(NativeFunction(
        name: "twice", parameters: [Parameter("f"), Parameter("x")], summary: "f(f(x)), calling back into the script."
    ) { args, context in
        let f = try args.function("f")
        return try context.call(f, [try context.call(f, [args["x"]])])
    })
    interpreter.register(NativeFunction(
        name: "busy", parameters: [], summary: "Long host work that polls for cancellation."
    ) { _, context in
        while true {
            try context.checkCancellation()
            usleep(1000)
        }
    })
    interpreter.defineBuiltin("probe", .host(IndexProbe()))
}
