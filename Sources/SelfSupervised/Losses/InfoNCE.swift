/// InfoNCE against a queue of negative keys, as in MoCo (He et al. 2020, "Momentum
/// Contrast for Unsupervised Visual Representation Learning"; MoCo v2: Chen et al. 2020).
///
/// With q = normalize(query), k = normalize(key) [N, D] and the queue Q [K, D] (already
/// unit vectors, detached):
///
///     logitsᵢ = [qᵢ·kᵢ, qᵢ·Q₁, …, qᵢ·Q_K] / τ,   ℓ = −(1/N) Σᵢ log softmax(logitsᵢ)₀
///
/// The key is treated as given: pass the momentum encoder's output (computed without a
/// gradient). Default τ = 0.2 (MoCo v2). Same value and gradient as lightly 1.6.0
/// `NTXentLoss(memory_bank_size=K)` with its bank holding Q (lightly's default τ is 0.5).
///
/// Shapes: query, key [N, D], queue [K, D] (K may be 0: then the loss is 0 up to the
/// positive's own term, log 1).
public func infoNCE(query: Tensor, key: Tensor, queue: Tensor, temperature: Float = 0.2) throws -> Tensor {
    try checkPair(query, key, op: "infoNCE")
    try checkTemperature(temperature, op: "infoNCE")
    guard queue.rank == 2, queue.shape[1] == query.shape[1] else {
        throw TensorError.shapeMismatch(op: "infoNCE", lhs: query.shape, rhs: queue.shape,
                                        detail: "the queue must be [K, D] with the query's D")
    }
    let q = try normalize(query, axis: 1)
    let k = try normalize(key, axis: 1)
    let positive = try sum(q * k, axis: 1, keepDim: true)
    let negatives = try matmul(q, queue.detach(), transposeB: true)
    let logits = try concat([positive, negatives], axis: 1) / temperature
    return try crossEntropy(logits, labels: [Int](repeating: 0, count: query.shape[0]))
}
