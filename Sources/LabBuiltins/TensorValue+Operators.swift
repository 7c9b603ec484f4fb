import LabScript
import LabSupport
import TensorCore

/// Operators on tensors: `+ - * / ^` broadcast like NumPy, with numbers (and lists) on
/// either side; `@` is `matmul`; comparisons give 0/1 tensors; `-x` negates. A shape
/// mismatch is a script error naming the operation and both shapes.
extension TensorValue {
    public func binaryOperation(_ op: BinaryOperator, other: Value, side: OperandSide, context: CallContext) throws -> Value? {
        // A number stays a Float constant (no broadcast tensor, no graph node for it).
        if case .number(let number) = other, op != .matmul,
           let result = try scalarOperation(op, try TensorConversion.float32(number, context: context, what: "'\(op.symbol)'"), side: side) {
            return state.wrap(result)
        }
        let otherTensor: Tensor
        switch other {
        case .host(let object as TensorValue): otherTensor = object.tensor
        case .number, .bool, .list: otherTensor = try TensorConversion.tensor(from: other, context: context, what: "'\(op.symbol)'")
        default:
            if op == .equal || op == .notEqual { return nil }
            let (left, right) = side == .left ? ("tensor", other.typeName) : (other.typeName, "tensor")
            throw context.error(Messages.text("unsupported operand types for '{op}': {left} and {right}",
                                              ["op": op.symbol, "left": left, "right": right]))
        }
        let (a, b) = side == .left ? (tensor, otherTensor) : (otherTensor, tensor)
        return try bridged(context) { state.wrap(try TensorValue.apply(op, a, b, context: context)) }
    }

    /// `tensor op c` or `c op tensor` for a number c, where a Float overload exists.
    private func scalarOperation(_ op: BinaryOperator, _ c: Float, side: OperandSide) throws -> Tensor? {
        let x = tensor
        switch (op, side) {
        case (.add, _): return x + c
        case (.multiply, _): return x * c
        case (.subtract, .left): return x - c
        case (.subtract, .right): return c - x
        case (.divide, .left): return x / c
        case (.divide, .right): return c / x
        case (.power, .left): return pow(x, c)
        default: return nil
        }
    }

    /// `a op b` for two tensors, after checking the result fits the element limit.
    static func apply(_ op: BinaryOperator, _ a: Tensor, _ b: Tensor, context: CallContext) throws -> Tensor {
        if op == .matmul { return try matrixProduct(a, b, context: context) }
        let name = operatorName(op)
        try context.checkShape(try broadcastShape(a.shape, b.shape, op: name), operation: name)
        switch op {
        case .add: return try add(a, b)
        case .subtract: return try sub(a, b)
        case .multiply: return try mul(a, b)
        case .divide: return try div(a, b)
        case .power: return try pow(a, b)
        case .less: return try less(a, b)
        case .greater: return try greater(a, b)
        case .lessEqual: return 1 - (try greater(a, b))
        case .greaterEqual: return 1 - (try less(a, b))
        case .equal: return try equal(a, b)
        case .notEqual: return 1 - (try equal(a, b))
        case .modulo:
            throw TensorError.argument(op: "%", template: "the remainder is not defined for tensors", values: [:])
        case .matmul:
            return try matmul(a, b)
        }
    }

    static func operatorName(_ op: BinaryOperator) -> String {
        switch op {
        case .add: return "add"
        case .subtract: return "sub"
        case .multiply: return "mul"
        case .divide: return "div"
        case .power: return "pow"
        case .matmul: return "matmul"
        default: return "compare '\(op.symbol)'"
        }
    }

    /// `a @ b` as PyTorch's `matmul`: a vector on the left is a row [1, k] and on the
    /// right a column [k, 1], and that axis is dropped again from the result, so
    /// [k] @ [k] is the dot product (shape []).
    static func matrixProduct(_ a: Tensor, _ b: Tensor, context: CallContext) throws -> Tensor {
        try context.checkShape(matmulShapeEstimate(a.shape, b.shape), operation: "matmul")
        guard a.rank == 1 || b.rank == 1, a.rank >= 1, b.rank >= 1 else { return try matmul(a, b) }
        if a.rank == 1 && b.rank == 1 && a.count != b.count {
            throw TensorError.shapeMismatch(op: "matmul", lhs: a.shape, rhs: b.shape, detail: "a dot product needs vectors of one length")
        }
        let left = a.rank == 1 ? try reshape(a, [1, a.count]) : a
        let right = b.rank == 1 ? try reshape(b, [b.count, 1]) : b
        let product: Tensor
        do {
            product = try matmul(left, right)
        } catch TensorError.shapeMismatch(let op, _, _, let detail) {
            throw TensorError.shapeMismatch(op: op, lhs: a.shape, rhs: b.shape, detail: detail)
        }
        var shape = product.shape
        if b.rank == 1 { shape.removeLast() }
        if a.rank == 1 { shape.remove(at: shape.count - (b.rank == 1 ? 1 : 2)) }
        return try reshape(product, shape)
    }

    /// An upper bound on the shape of `a @ b`, to check the element limit before computing.
    static func matmulShapeEstimate(_ a: [Int], _ b: [Int]) -> [Int] {
        let rows = a.count >= 2 ? a.dropLast().reduce(1, *) : 1
        let columns = b.count >= 2 ? b[b.count - 1] : 1
        let batchB = b.count > 2 ? b.dropLast(2).reduce(1, *) : 1
        return [max(rows, 1) * max(batchB, 1), columns]
    }
}
