/// How `positiveOnly` measures the distance between the two views.
public enum PositiveDistance: String, Sendable, CaseIterable {
    /// −(1/N) Σᵢ cos(zₐᵢ, z_bᵢ).
    case cosine
    /// (1/N) Σᵢ ‖zₐᵢ − z_bᵢ‖².
    case squared
}

/// The positive-only siamese loss: pull the two views of each example together and do
/// nothing else — no negatives, no predictor, no stop-gradient, no variance term.
///
///     cosine:  ℓ = −(1/N) Σᵢ cos(zₐᵢ, z_bᵢ)
///     squared: ℓ = (1/N) Σᵢ ‖zₐᵢ − z_bᵢ‖²
///
/// Its global minimum is a constant embedding, so without something that prevents it
/// (BatchNorm, a predictor with stop-gradient, negatives) training collapses. This is the
/// collapse demonstration; no paper or library ships it as a method. Shapes: [N, D] → scalar.
public func positiveOnly(_ za: Tensor, _ zb: Tensor, distance: PositiveDistance = .cosine) throws -> Tensor {
    try checkPair(za, zb, op: "positiveOnly")
    switch distance {
    case .cosine:
        return -mean(try cosineSimilarity(za, zb, axis: 1, eps: 1e-8))
    case .squared:
        return try sum(pow(try za - zb, 2)) / Float(za.shape[0])
    }
}
