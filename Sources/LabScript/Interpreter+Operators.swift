import Foundation
import LabSupport

/// Operators on values. Numbers follow IEEE double arithmetic except that division and
/// modulo by zero are errors (a learner almost never wants `inf` there). Host objects get
/// the first say whenever they are an operand, from either side.
extension Interpreter {
    func binary(_ op: BinaryOperator, _ left: Value, _ right: Value, _ range: SourceRange) throws -> Value {
        if case .host(let object) = left,
           let result = try object.binaryOperation(op, other: right, side: .left, context: context(range, op.symbol)) {
            return result
        }
        if case .host(let object) = right,
           let result = try object.binaryOperation(op, other: left, side: .right, context: context(range, op.symbol)) {
            return result
        }
        switch op {
        case .equal: return .bool(left.isEqual(to: right))
        case .notEqual: return .bool(!left.isEqual(to: right))
        default: break
        }
        switch (left, right) {
        case let (.number(a), .number(b)):
            return try arithmetic(op, a, b, range)
        case let (.string(a), .string(b)):
            switch op {
            case .add:
                try checkSize(a.utf8.count + b.utf8.count, .string, range)
                return .string(a + b)
            case .less: return .bool(a < b)
            case .lessEqual: return .bool(a <= b)
            case .greater: return .bool(a > b)
            case .greaterEqual: return .bool(a >= b)
            default: break
            }
        case let (.list(a), .list(b)) where op == .add:
            try checkSize(a.count + b.count, .list, range)
            return .list(a + b)
        case let (.string(text), .number(count)) where op == .multiply,
             let (.number(count), .string(text)) where op == .multiply:
            guard let times = BoundArguments.exactInt(count), times >= 0, times.multipliedReportingOverflow(by: max(text.utf8.count, 1)).partialValue <= 10_000_000 else {
                throw RuntimeError(.type, Messages.text("a string can only be repeated a non-negative whole number of times (up to 10 million characters)"),
                                   at: range)
            }
            return .string(String(repeating: text, count: times))
        default:
            break
        }
        if case .string = left, op == .add {
            throw RuntimeError(.type, Messages.text("cannot add string and {type}; use str(x) or \"{x}\" interpolation", ["type": right.typeName]), at: range)
        }
        if case .string = right, op == .add {
            throw RuntimeError(.type, Messages.text("cannot add {type} and string; use str(x) or \"{x}\" interpolation", ["type": left.typeName]), at: range)
        }
        if op == .matmul {
            throw RuntimeError(.type, Messages.text("'@' (matrix product) needs tensors, got {left} and {right}",
                                                    ["left": left.typeName, "right": right.typeName]), at: range)
        }
        throw RuntimeError(.type, Messages.text("unsupported operand types for '{op}': {left} and {right}",
                                                ["op": op.symbol, "left": left.typeName, "right": right.typeName]), at: range)
    }

    private func arithmetic(_ op: BinaryOperator, _ a: Double, _ b: Double, _ range: SourceRange) throws -> Value {
        switch op {
        case .add: return .number(a + b)
        case .subtract: return .number(a - b)
        case .multiply: return .number(a * b)
        case .divide:
            if b == 0 { throw RuntimeError(.arithmetic, Messages.text("division by zero"), at: range) }
            return .number(a / b)
        case .modulo:
            if b == 0 { throw RuntimeError(.arithmetic, Messages.text("modulo by zero"), at: range) }
            return .number(a - b * (a / b).rounded(.down))
        case .power: return .number(pow(a, b))
        case .matmul:
            throw RuntimeError(.type, Messages.text("'@' (matrix product) needs tensors, got {left} and {right}",
                                                    ["left": "number", "right": "number"]), at: range)
        case .equal: return .bool(a == b)
        case .notEqual: return .bool(a != b)
        case .less: return .bool(a < b)
        case .lessEqual: return .bool(a <= b)
        case .greater: return .bool(a > b)
        case .greaterEqual: return .bool(a >= b)
        }
    }

    func negate(_ value: Value, _ range: SourceRange) throws -> Value {
        switch value {
        case .number(let number):
            return .number(-number)
        case .host(let object):
            if let result = try object.negated(context: context(range, "-")) { return result }
            throw RuntimeError(.type, Messages.text("{type} cannot be negated", ["type": object.typeName]), at: range)
        default:
            throw RuntimeError(.type, Messages.text("cannot negate a {type}", ["type": value.typeName]), at: range)
        }
    }
}
