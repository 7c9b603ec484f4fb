/// The Barlow Twins loss (Zbontar et al. 2021, "Barlow Twins: Self-Supervised Learning via
/// Redundancy Reduction").
///
/// Each embedding dimension is batch-normalised over the batch (mean 0, biased variance 1,
/// eps 1e-5, no affine part: z̃ = (z − μ) / √(σ² + ε)); then the cross-correlation
///
///     C = z̃ₐᵀ z̃_b / N                    (D × D)
///     ℓ = Σᵢ (1 − Cᵢᵢ)² + λ Σᵢ Σ_{j≠i} Cᵢⱼ²
///
/// Shapes: zₐ, z_b [N, D] → scalar. λ default 5e-3 (the paper's value for D = 8192; the
/// paper suggests λ ≈ 1/D for other widths). Same value and gradient as lightly 1.6.0
/// `BarlowTwinsLoss`. The official code scales the loss by a constant (1/0.024 at
/// batch 2048) and uses BatchNorm1d(affine=False) with the same biased variance.
public func barlowTwins(_ za: Tensor, _ zb: Tensor, lambda: Float = 5e-3) throws -> Tensor {
    let c = try crossCorrelation(za, zb)
    let onDiagonal = sum(pow(try diag(c) - 1, 2))
    let offDiagonal = sum(pow(try offdiag(c), 2))
    return try onDiagonal + lambda * offDiagonal
}

/// The Barlow Twins cross-correlation of two views, C = z̃ₐᵀ z̃_b / N with each column
/// standardised over the batch (biased variance, eps 1e-5): D × D, 1 on the diagonal when
/// the views agree perfectly. Differentiable; also what a lesson draws as a picture.
public func crossCorrelation(_ za: Tensor, _ zb: Tensor) throws -> Tensor {
    try checkPair(za, zb, op: "crossCorrelation", minimumBatch: 2)
    let n = Float(za.shape[0])
    let a = try standardize(za, axis: 0, eps: 1e-5)
    let b = try standardize(zb, axis: 0, eps: 1e-5)
    return try matmul(a, b, transposeA: true) / n
}
