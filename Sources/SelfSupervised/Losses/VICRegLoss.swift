/// The VICReg loss (Bardes, Ponce & LeCun 2022, "VICReg: Variance-Invariance-Covariance
/// Regularization for Self-Supervised Learning").
///
///     invariance  s = (1/ND) Σ ‖zₐ − z_b‖²                         (mean squared error)
///     variance    v(z) = (1/D) Σⱼ max(0, 1 − √(Var(z_{·j}) + ε))  (unbiased variance)
///     covariance  c(z) = (1/D) Σ_{i≠j} Cov(z)ᵢⱼ²,  Cov(z) = z̄ᵀz̄ / (N − 1), z̄ = z − mean
///     ℓ = λ s + μ (v(zₐ) + v(z_b)) / 2 + ν (c(zₐ) + c(z_b))
///
/// Shapes: zₐ, z_b [N, D], N ≥ 2 → scalar. Defaults λ, μ, ν = 25, 25, 1 and ε = 1e-4, as in
/// the paper, its official code and lightly 1.6.0 `VICRegLoss` (same value and gradient).
/// Setting μ = 0 removes the variance term (the collapse ablation).
public func vicreg(_ za: Tensor, _ zb: Tensor, lambda: Float = 25, mu: Float = 25, nu: Float = 1,
                   eps: Float = 1e-4) throws -> Tensor {
    try checkPair(za, zb, op: "vicreg", minimumBatch: 2)
    let invariance = try mse(za, zb)
    let variance = try (varianceHinge(za, eps: eps) + varianceHinge(zb, eps: eps)) * 0.5
    let covariance = try covariancePenalty(za) + covariancePenalty(zb)
    return try lambda * invariance + mu * variance + nu * covariance
}

/// VICReg's variance term: mean over dimensions of max(0, 1 − √(Var + ε)), unbiased Var.
func varianceHinge(_ z: Tensor, eps: Float) throws -> Tensor {
    let std = sqrt(try variance(z, axis: 0, unbiased: true) + eps)
    return mean(relu(1 - std))
}

/// VICReg's covariance term: the sum of squared off-diagonal entries of the unbiased
/// covariance matrix, divided by the dimension D.
func covariancePenalty(_ z: Tensor) throws -> Tensor {
    let (n, d) = (z.shape[0], z.shape[1])
    let centered = try z - mean(z, axis: 0, keepDim: true)
    let covariance = try matmul(centered, centered, transposeA: true) / Float(n - 1)
    return sum(pow(try offdiag(covariance), 2)) / Float(d)
}
