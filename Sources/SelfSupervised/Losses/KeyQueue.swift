/// MoCo's memory bank: a first-in first-out queue of the K most recent keys (unit vectors
/// of dimension D), used as the negatives of `infoNCE`.
///
/// Like MoCo's official code (and lightly's `MemoryBankModule`), the queue starts full of
/// random unit vectors, so the loss has K negatives from the first step; `enqueue`
/// overwrites the oldest keys. Keys are stored without a gradient.
public struct KeyQueue: Sendable {
    /// The number of keys kept (K).
    public let capacity: Int
    /// The dimension of each key (D).
    public let dimension: Int
    /// Row-major [capacity, dimension] storage; row `next` is the oldest key.
    private var storage: [Float]
    /// The row the next key is written to.
    private var next = 0

    /// A queue of `capacity` random unit vectors of `dimension` (normal samples, normalised).
    public init(capacity: Int, dimension: Int, rng: inout RandomGenerator) {
        precondition(capacity >= 0 && dimension > 0, "KeyQueue: capacity \(capacity) and dimension \(dimension)")
        self.capacity = capacity
        self.dimension = dimension
        var s = [Float](repeating: 0, count: capacity * dimension)
        for r in 0..<capacity {
            var norm: Float = 0
            for c in 0..<dimension { let v = rng.nextNormal(); s[r * dimension + c] = v; norm += v * v }
            let scale = 1 / Swift.max(norm.squareRoot(), 1e-12)
            for c in 0..<dimension { s[r * dimension + c] *= scale }
        }
        storage = s
    }

    /// A queue holding exactly `keys` [K, D] (their rows, as given), oldest first.
    public init(keys: Tensor) {
        precondition(keys.rank == 2, "KeyQueue: keys must be [K, D], got \(keys.shape)")
        capacity = keys.shape[0]
        dimension = keys.shape[1]
        storage = keys.data
    }

    /// The queue as a [K, D] tensor (no gradient).
    public var keys: Tensor { Tensor(shape: [capacity, dimension], data: storage) }

    /// Appends the rows of `newKeys` [N, D] after L2-normalising them, dropping the oldest.
    /// When N > K only the last K rows are kept.
    public mutating func enqueue(_ newKeys: Tensor) throws {
        guard newKeys.rank == 2, newKeys.shape[1] == dimension else {
            throw TensorError.shapeMismatch(op: "KeyQueue.enqueue", lhs: [capacity, dimension], rhs: newKeys.shape,
                                            detail: "keys must be [N, \(dimension)]")
        }
        guard capacity > 0 else { return }
        let n = newKeys.shape[0]
        let d = dimension
        for r in Swift.max(0, n - capacity)..<n {
            var norm: Float = 0
            for c in 0..<d { norm += newKeys.data[r * d + c] * newKeys.data[r * d + c] }
            let scale = 1 / Swift.max(norm.squareRoot(), 1e-12)
            for c in 0..<d { storage[next * d + c] = newKeys.data[r * d + c] * scale }
            next = (next + 1) % capacity
        }
    }
}
