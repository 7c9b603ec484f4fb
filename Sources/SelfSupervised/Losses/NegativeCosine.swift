/// The negative cosine similarity of BYOL (Grill et al. 2020) and SimSiam (Chen & He 2021).
///
///     D(p, z) = −(1/N) Σᵢ pᵢ·zᵢ / (‖pᵢ‖ ‖zᵢ‖)        (cosine with eps 1e-8, as PyTorch)
///
/// Shapes: p, z [N, D] → scalar in [−1, 1]. Same value and gradient as lightly 1.6.0
/// `NegativeCosineSimilarity`. BYOL writes its loss as ‖p̂ − ẑ‖² = 2 − 2 cos, which has the
/// same minimiser and twice the gradient; we use the SimSiam form for both.
public func negativeCosine(_ p: Tensor, _ z: Tensor) throws -> Tensor {
    try checkPair(p, z, op: "negativeCosine")
    return -mean(try cosineSimilarity(p, z, axis: 1, eps: 1e-8))
}

/// The symmetric form used to train BYOL and SimSiam: each view's prediction p is pulled
/// towards the other view's target z,
///
///     ℓ = ½ D(p₁, sg(z₂)) + ½ D(p₂, sg(z₁))
///
/// where sg is the stop-gradient (`detach`) when `stopGradient` is true (the default and
/// the papers' choice; false is SimSiam's collapse ablation).
public func negativeCosine(p1: Tensor, z2: Tensor, p2: Tensor, z1: Tensor, stopGradient: Bool = true) throws -> Tensor {
    let t2 = stopGradient ? z2.detach() : z2
    let t1 = stopGradient ? z1.detach() : z1
    return try (negativeCosine(p1, t2) + negativeCosine(p2, t1)) * 0.5
}
