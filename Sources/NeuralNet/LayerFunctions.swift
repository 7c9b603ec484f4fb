import TensorCore

/// The two computations where layers spend their time, each in one place so that the
/// layers do not depend on how they are done. Both forward to TensorCore's fused
/// primitives (`linear`, `batchNorm`), which have hand-written, gradient-checked
/// derivatives; the tests check the layers against PyTorch.

/// y = x·Wᵀ + b for x [N, in], weight [out, in], bias [out]: one sgemm onto the
/// broadcast bias, the transpose folded into the BLAS call.
func affine(_ x: Tensor, weight: Tensor, bias: Tensor?) throws -> Tensor {
    try linear(x, weight: weight, bias: bias)
}

/// Batch normalisation with batch statistics (training mode), channels on axis 1 of
/// x [N, C] or [N, C, H, W], over the m = N·H·W values of each channel:
///
///     μ = mean(x),  σ² = mean((x − μ)²),  y = (x − μ)/√(σ² + eps) · γ + β
///
/// Returns y and the per-channel μ and biased σ² (plain values, no gradient), which the
/// layer uses to update its running statistics.
func batchNormTraining(_ x: Tensor, weight: Tensor?, bias: Tensor?, eps: Float, relu: Bool = false) throws
    -> (output: Tensor, mean: [Float], variance: [Float]) {
    let r = try batchNorm(x, weight: weight, bias: bias, eps: eps, relu: relu)
    return (r.output, r.mean.data, r.variance.data)
}
