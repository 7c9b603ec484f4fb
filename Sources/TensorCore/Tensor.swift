/// A multi-dimensional array of 32-bit floats: contiguous, row-major storage and a shape.
///
/// `Tensor` is a class, as in micrograd: a node of the autodiff graph is the tensor itself,
/// and a parameter's `grad` accumulates in place. Optimisers update `data` in place.
public final class Tensor {
    /// The size of each dimension; `[]` is a scalar.
    public let shape: [Int]
    /// The elements in row-major order; `data.count == shape.reduce(1, *)`.
    public var data: [Float]

    /// Makes a tensor from its shape and row-major elements.
    public init(shape: [Int], data: [Float]) {
        precondition(shape.allSatisfy { $0 >= 0 }, "Tensor: negative dimension in shape \(shape)")
        precondition(data.count == shape.reduce(1, *),
                     "Tensor: \(data.count) elements do not fill shape \(shape)")
        self.shape = shape
        self.data = data
    }

    /// The number of elements.
    public var count: Int { data.count }
    /// The number of dimensions.
    public var rank: Int { shape.count }
}

/// An error a script can cause through the tensor API: it names the operation and the shapes.
public enum TensorError: Error, Equatable, CustomStringConvertible {
    /// Two operands whose shapes do not fit together.
    case shapeMismatch(op: String, lhs: [Int], rhs: [Int], detail: String)
    /// An argument out of its valid range (an axis, an index, a size).
    case invalidArgument(op: String, message: String)

    public var description: String {
        switch self {
        case let .shapeMismatch(op, lhs, rhs, detail):
            let d = detail.isEmpty ? "" : ": \(detail)"
            return "\(op): shapes \(formatShape(lhs)) and \(formatShape(rhs)) do not match\(d)"
        case let .invalidArgument(op, message):
            return "\(op): \(message)"
        }
    }
}

/// A shape written as PyTorch prints it, e.g. `[2, 3]`.
public func formatShape(_ shape: [Int]) -> String {
    "[" + shape.map(String.init).joined(separator: ", ") + "]"
}
