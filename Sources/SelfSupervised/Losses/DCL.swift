/// Decoupled contrastive learning (Yeh et al. 2022, "Decoupled Contrastive Learning").
///
/// NT-Xent with the positive pair removed from the denominator. With unit vectors u = z₁,
/// v = z₂ (normalised) and τ:
///
///     ℓᵢ(u, v) = −wᵢ uᵢ·vᵢ/τ + log Σ_{k≠i} [exp(uᵢ·uₖ/τ) + exp(uᵢ·vₖ/τ)]
///     ℓ = ½ (meanᵢ ℓᵢ(u, v) + meanᵢ ℓᵢ(v, u))
///
/// wᵢ = 1 for DCL; for DCLW (`weighted: true`) wᵢ = 2 − N softmaxᵢ(uᵢ·vᵢ / σ), σ = 0.5, a
/// constant (no gradient flows through the weight), as in lightly's
/// `negative_mises_fisher_weights`. Default τ = 0.1. Same value and gradient as lightly
/// 1.6.0 `DCLLoss` / `DCLWLoss`. Shapes: z₁, z₂ [N, D], N ≥ 2 → scalar.
public func dcl(_ z1: Tensor, _ z2: Tensor, temperature: Float = 0.1, weighted: Bool = false,
                sigma: Float = 0.5) throws -> Tensor {
    try checkPair(z1, z2, op: "dcl", minimumBatch: 2)
    try checkTemperature(temperature, op: "dcl")
    let u = try normalize(z1, axis: 1)
    let v = try normalize(z2, axis: 1)
    let weights: Tensor? = weighted ? try withNoGrad {
        let n = Float(u.shape[0])
        let agreement = try sum(u * v, axis: 1) / sigma
        return 2 - n * (try softmax(agreement, axis: 0))
    } : nil
    let l1 = try decoupledTerm(u, v, temperature: temperature, weights: weights)
    let l2 = try decoupledTerm(v, u, temperature: temperature, weights: weights)
    return try (l1 + l2) * 0.5
}

/// meanᵢ [−wᵢ uᵢ·vᵢ/τ + log Σ_{k≠i} (exp(uᵢ·uₖ/τ) + exp(uᵢ·vₖ/τ))].
func decoupledTerm(_ u: Tensor, _ v: Tensor, temperature: Float, weights: Tensor?) throws -> Tensor {
    let n = u.shape[0]
    try ElementLimit.check([n, n], op: "dcl")
    let eye = Tensor.eye(n)
    let uu = try matmul(u, u, transposeB: true) / temperature
    let uv = try matmul(u, v, transposeB: true) / temperature
    var positive = try sum(u * v, axis: 1) / temperature
    if let weights { positive = try positive * weights }
    let negatives = try concat([maskedFill(uu, mask: eye, value: -Float.infinity),
                                maskedFill(uv, mask: eye, value: -Float.infinity)], axis: 1)
    return mean(try logsumexp(negatives, axis: 1) - positive)
}
