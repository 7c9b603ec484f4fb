/// Making tensors: from literals and arrays, constant fills, ranges, and random samples
/// (always from a `RandomGenerator` passed in, so the same seed gives the same bits).
///
/// Shapes given here must be non-negative (a precondition); builtins that take a shape
/// from a script check it first with `checkShape`.

extension Tensor {
    /// A scalar (shape []).
    public convenience init(_ value: Float) {
        self.init(shape: [], data: [value])
    }

    /// A vector.
    public convenience init(_ values: [Float], requiresGrad: Bool = false) {
        self.init(shape: [values.count], data: values, requiresGrad: requiresGrad)
    }

    /// A matrix from its rows, e.g. `Tensor([[1, 2], [3, 4]])`.
    public convenience init(_ rows: [[Float]], requiresGrad: Bool = false) {
        let cols = rows.first?.count ?? 0
        precondition(rows.allSatisfy { $0.count == cols }, "Tensor: rows of different lengths")
        self.init(shape: [rows.count, cols], data: rows.flatMap { $0 }, requiresGrad: requiresGrad)
    }

    /// A 3-D tensor from nested arrays.
    public convenience init(_ planes: [[[Float]]]) {
        let rows = planes.first?.count ?? 0, cols = planes.first?.first?.count ?? 0
        precondition(planes.allSatisfy { $0.count == rows && $0.allSatisfy { $0.count == cols } },
                     "Tensor: ragged nested arrays")
        self.init(shape: [planes.count, rows, cols], data: planes.flatMap { $0.flatMap { $0 } })
    }

    /// The value of a one-element tensor.
    public func item() throws -> Float {
        guard count == 1 else {
            throw TensorError.argument(op: "item", template: "needs one element, got shape {shape}", values: ["shape": formatShape(shape)])
        }
        return data[0]
    }

    /// All elements `value`.
    public static func full(_ shape: [Int], _ value: Float) -> Tensor {
        Tensor(shape: shape, data: [Float](repeating: value, count: shape.reduce(1, *)))
    }

    /// All zeros.
    public static func zeros(_ shape: [Int]) -> Tensor { full(shape, 0) }

    /// All ones.
    public static func ones(_ shape: [Int]) -> Tensor { full(shape, 1) }

    /// The n×n identity matrix.
    public static func eye(_ n: Int) -> Tensor {
        var data = [Float](repeating: 0, count: n * n)
        for i in 0..<n { data[i * n + i] = 1 }
        return Tensor(shape: [n, n], data: data)
    }

    /// start, start + step, … up to but excluding `end` (NumPy `arange`); `step` ≠ 0.
    public static func arange(_ start: Float, _ end: Float, step: Float = 1) -> Tensor {
        precondition(step != 0, "arange: step must not be 0")
        let n = Swift.max(0, Int(((end - start) / step).rounded(.up)))
        return Tensor(shape: [n], data: (0..<n).map { start + Float($0) * step })
    }

    /// 0, 1, …, n − 1.
    public static func arange(_ n: Int) -> Tensor {
        Tensor(shape: [Swift.max(n, 0)], data: (0..<Swift.max(n, 0)).map(Float.init))
    }

    /// `count` evenly spaced values from `start` to `end`, both included.
    public static func linspace(_ start: Float, _ end: Float, count: Int) -> Tensor {
        let n = Swift.max(count, 0)
        if n == 1 { return Tensor(shape: [1], data: [start]) }
        let step = (end - start) / Float(n - 1)
        return Tensor(shape: [n], data: (0..<n).map { $0 == n - 1 ? end : start + Float($0) * step })
    }

    /// Uniform samples in [low, high).
    public static func rand(_ shape: [Int], low: Float = 0, high: Float = 1,
                            using rng: inout RandomGenerator) -> Tensor {
        let n = shape.reduce(1, *)
        var data = [Float](repeating: 0, count: n)
        for i in 0..<n { data[i] = rng.nextFloat(in: low, high) }
        return Tensor(shape: shape, data: data)
    }

    /// Normal samples with the given mean and standard deviation.
    public static func randn(_ shape: [Int], mean: Float = 0, std: Float = 1,
                             using rng: inout RandomGenerator) -> Tensor {
        let n = shape.reduce(1, *)
        var data = [Float](repeating: 0, count: n)
        for i in 0..<n { data[i] = rng.nextNormal(mean: mean, std: std) }
        return Tensor(shape: shape, data: data)
    }

    /// Uniform integers in low..<high (as floats); `low < high`.
    public static func randint(_ low: Int, _ high: Int, _ shape: [Int],
                               using rng: inout RandomGenerator) -> Tensor {
        precondition(low < high, "randint: empty range \(low)..<\(high)")
        let n = shape.reduce(1, *)
        var data = [Float](repeating: 0, count: n)
        for i in 0..<n { data[i] = Float(rng.nextInt(in: low..<high)) }
        return Tensor(shape: shape, data: data)
    }

    /// A random permutation of 0..<n (as floats).
    public static func randperm(_ n: Int, using rng: inout RandomGenerator) -> Tensor {
        Tensor(shape: [Swift.max(n, 0)], data: rng.permutation(Swift.max(n, 0)).map(Float.init))
    }

    /// Zeros of the same shape.
    public static func zeros(like x: Tensor) -> Tensor { zeros(x.shape) }
    /// Ones of the same shape.
    public static func ones(like x: Tensor) -> Tensor { ones(x.shape) }
}
