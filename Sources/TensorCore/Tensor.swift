import RunSupport

/// A multi-dimensional array of 32-bit floats: contiguous, row-major storage and a shape.
///
/// `Tensor` is a class, as in micrograd: a node of the autodiff graph is the tensor itself,
/// and a parameter's `grad` accumulates in place. Optimisers update `data` in place.
///
/// Every op returns a new tensor. When gradients are wanted (some input has
/// `requiresGrad` and we are not inside `withNoGrad`), the result also remembers its
/// `parents` and a closure that sends its gradient back to them; see `Tensor+Autograd.swift`.
public final class Tensor {
    /// The size of each dimension; `[]` is a scalar.
    public let shape: [Int]
    /// The elements in row-major order; `data.count == shape.reduce(1, *)`.
    public var data: [Float]

    /// Whether gradients flow to (and accumulate in) this tensor.
    public var requiresGrad: Bool
    /// dL/d(self) after `backward()`, same shape as `self`; `nil` until a gradient arrives.
    public var grad: Tensor?

    /// The tensors this one was computed from; empty for leaves and after `backward()`.
    public internal(set) var parents: [Tensor] = []
    /// Given dL/d(self) (row-major, like `data`), adds each parent's share to its `grad`.
    /// `nil` for leaves; released by `backward()`.
    var backwardFn: ((_ gradOutput: [Float]) -> Void)?

    /// Makes a tensor from its shape and row-major elements.
    public init(shape: [Int], data: [Float], requiresGrad: Bool = false) {
        precondition(shape.allSatisfy { $0 >= 0 }, "Tensor: negative dimension in shape \(shape)")
        precondition(data.count == shape.reduce(1, *),
                     "Tensor: \(data.count) elements do not fill shape \(shape)")
        self.shape = shape
        self.data = data
        self.requiresGrad = requiresGrad
        OpProfile.countTensor(elements: data.count)
    }

    /// Dismantles the graph behind this tensor iteratively. Left to Swift, freeing a long
    /// chain (say `total = total + loss` run 100,000 times) would release node after node
    /// recursively and could overflow the stack.
    deinit {
        guard !parents.isEmpty else { return }
        var pending = parents
        parents = []
        backwardFn = nil
        while var node = pending.popLast() {
            // Only a node no one else holds is about to be freed; take its parents first.
            if isKnownUniquelyReferenced(&node) {
                pending.append(contentsOf: node.parents)
                node.parents = []
                node.backwardFn = nil
            }
        }
    }

    /// The number of elements.
    public var count: Int { data.count }
    /// The number of dimensions.
    public var rank: Int { shape.count }
    /// True for tensors made directly (not by an op), whose `grad` an optimiser reads.
    public var isLeaf: Bool { backwardFn == nil }
}

/// An error a script can cause through the tensor API: it names the operation and the shapes.
public enum TensorError: Error, Equatable, CustomStringConvertible {
    /// Two operands whose shapes do not fit together.
    case shapeMismatch(op: String, lhs: [Int], rhs: [Int], detail: String)
    /// An argument out of its valid range (an axis, an index, a size), as an English message
    /// no catalogue translates: the ops here use `argument` (with no values when the
    /// sentence has no numbers), so a learner reads it in their language.
    case invalidArgument(op: String, message: String)
    /// The same, as an English sentence with `{name}` placeholders and their values (numbers
    /// and shapes), e.g. `"axis {axis} is out of range for shape {shape}"`: a host shows it
    /// in the learner's language through its message catalogue, keyed by `template` (the
    /// script bridge in LabBuiltins does); `description` is the English.
    case argument(op: String, template: String, values: [String: String])
    /// A result larger than `ElementLimit.maxElements` (refused before it is allocated).
    case tooLarge(op: String, shape: [Int], limit: Int)
    /// Stopped because the host asked (`OperationCancellation`): a time limit or Ctrl-C.
    case cancelled(op: String)

    public var description: String {
        switch self {
        case let .shapeMismatch(op, lhs, rhs, detail):
            let d = detail.isEmpty ? "" : ": \(detail)"
            return "\(op): shapes \(formatShape(lhs)) and \(formatShape(rhs)) do not match\(d)"
        case let .invalidArgument(op, message):
            return "\(op): \(message)"
        case let .argument(op, template, values):
            return "\(op): \(TensorError.fill(template, values))"
        case let .tooLarge(op, shape, limit):
            var count = 1.0
            for d in shape { count *= Double(d) }
            let size = count < 1e15 ? String(Int(count)) : "\(count)"
            return "\(op): a result of shape \(formatShape(shape)) (\(size) elements) is more than the limit of \(limit) elements"
        case let .cancelled(op):
            return "\(op): interrupted"
        }
    }

    /// The operation the error is about.
    public var op: String {
        switch self {
        case let .shapeMismatch(op, _, _, _), let .invalidArgument(op, _), let .argument(op, _, _), let .tooLarge(op, _, _),
             let .cancelled(op): return op
        }
    }

    /// `template` with each `{name}` replaced by its value. The values are numbers and
    /// shapes (never braces), so a plain replacement is enough here; the message catalogue's
    /// `POCatalog.fill` (LabSupport, which TensorCore does not depend on) fills translations.
    public static func fill(_ template: String, _ values: [String: String]) -> String {
        values.reduce(template) { $0.replacing("{\($1.key)}", with: $1.value) }
    }
}

/// A shape written as PyTorch prints it, e.g. `[2, 3]`.
public func formatShape(_ shape: [Int]) -> String {
    "[" + shape.map(String.init).joined(separator: ", ") + "]"
}

/// The axis `axis` of a rank-`rank` tensor, with negative axes counted from the end
/// (`-1` is the last), or an error naming `op` and `shape`.
func normalizeAxis(_ axis: Int, rank: Int, op: String, shape: [Int]) throws -> Int {
    let a = axis < 0 ? axis + rank : axis
    guard a >= 0 && a < rank else {
        throw TensorError.argument(
            op: op, template: "axis {axis} is out of range for shape {shape}", values: ["axis": "\(axis)", "shape": formatShape(shape)])
    }
    return a
}

/// Throws unless every dimension of `shape` is non-negative (for builtins that take a
/// shape from a script before calling a creation function).
public func checkShape(_ shape: [Int], op: String) throws {
    guard shape.allSatisfy({ $0 >= 0 }) else {
        throw TensorError.argument(op: op, template: "negative dimension in shape {shape}", values: ["shape": formatShape(shape)])
    }
    guard shape.reduce(1, { $0.multipliedReportingOverflow(by: $1).partialValue }) <= 1 << 31 else {
        throw TensorError.argument(op: op, template: "shape {shape} is too large", values: ["shape": formatShape(shape)])
    }
}
