import RunSupport

/// The largest tensor, in elements, that ops may create: the one allocation limit.
///
/// A script must not be able to make the process abort with "failed to allocate" (or
/// trap on an overflowing size), so every op whose result can be larger than its inputs
/// (broadcasting, `expand`, matrix products, joins, convolutions' patch matrices, and the
/// builtins that make tensors from sizes) asks `ElementLimit.check` before allocating.
/// Everything composed from those primitives (NT-Xent's similarity matrix, Barlow Twins'
/// cross-correlation, k-NN's distances, RankMe's covariance) is covered by them.
///
/// The limit belongs to the run, bound for its duration by the host in the thread's
/// `RunContext` (`RunContext.with(maxElements:isCancelled:)`), so two sessions with
/// different limits (the REPL and a grader) do not see each other's. Outside any binding
/// there is no limit beyond what `Int` can count.
public enum ElementLimit {
    /// The limit bound on this thread (`Int.max` when none is).
    public static var maxElements: Int { RunContext.maxElements }

    /// Throws `TensorError.tooLarge` unless a tensor of `shape` may be made by `op`. The
    /// product is computed with overflow checks, so `[10^12, 10^12]` is refused, not a trap.
    public static func check(_ shape: [Int], op: String, limit: Int? = nil) throws {
        let maxElements = limit ?? self.maxElements
        if let negative = shape.first(where: { $0 < 0 }) {
            throw TensorError.argument(op: op, template: "negative dimension {dimension} in shape {shape}",
                values: ["dimension": "\(negative)", "shape": formatShape(shape)])
        }
        var count = 1
        for dimension in shape {
            let (product, overflow) = count.multipliedReportingOverflow(by: dimension)
            if overflow { throw TensorError.tooLarge(op: op, shape: shape, limit: maxElements) }
            count = product
        }
        if count > maxElements { throw TensorError.tooLarge(op: op, shape: shape, limit: maxElements) }
    }

    /// Throws `TensorError.tooLarge` if `count` elements (of `shape`, for the message)
    /// exceed the limit.
    public static func check(count: Int, shape: [Int], op: String) throws {
        let maxElements = self.maxElements
        if count > maxElements || count < 0 {
            throw TensorError.tooLarge(op: op, shape: shape, limit: maxElements)
        }
    }

    /// `a · b` elements, or the limit error when that overflows or is too many.
    public static func checkedProduct(_ sizes: [Int], op: String) throws -> Int {
        var count = 1
        for size in sizes {
            let (product, overflow) = count.multipliedReportingOverflow(by: Swift.max(size, 0))
            if overflow { throw TensorError.tooLarge(op: op, shape: sizes, limit: maxElements) }
            count = product
        }
        return count
    }
}

/// The one cancellation poll of native work: every builtin and kernel loop whose work can
/// exceed about 0.1 s (a large matrix product, an eigen-decomposition, a Cholesky factor
/// and its triangular solves, Lloyd iterations, training and probe steps, batches of a
/// model) calls `check` (or reads `requested`) between pieces of at most that size, so a
/// script's time limit, a kernel interrupt or Ctrl-C holds within a fraction of a second
/// even inside one builtin call. Bound for a run by the host in its `RunContext`, like
/// `ElementLimit`, to its cancellation flag (`BuiltinContext` binds the interpreter's);
/// `nil` (the default) means nothing asks to stop. `RegistryCancellationTests` walks the builtin registry
/// and calls each long builtin with the flag already raised.
public enum OperationCancellation {
    /// Throws `TensorError.cancelled` when the host asked to stop.
    public static func check(_ op: String) throws {
        if requested { throw TensorError.cancelled(op: op) }
    }

    /// Whether the host asked to stop (for loops that cannot throw).
    public static var requested: Bool { RunContext.isCancellationRequested }
}
