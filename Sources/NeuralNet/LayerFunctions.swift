import TensorCore

/// The two computations where layers spend their time, each in one place so that its
/// implementation can be swapped for a fused primitive without touching the layers.
///
/// Both are written here as compositions of TensorCore primitives (so their gradients
/// come for free and are exactly those of the formulas). TensorCore is getting fused
/// `linear` and `batchNorm` primitives with hand-written gradients; once they land, these
/// two functions forward to them.

/// y = x·Wᵀ + b for x [N, in], weight [out, in], bias [out]: one sgemm with the transpose
/// folded into the BLAS call, then the bias broadcast over the rows.
func affine(_ x: Tensor, weight: Tensor, bias: Tensor?) throws -> Tensor {
    let y = try matmul(x, weight, transposeB: true)
    guard let bias else { return y }
    return try y + bias
}

/// Batch normalisation with batch statistics (training mode), channels on axis 1 of
/// x [N, C] or [N, C, H, W], over the m = N·H·W values of each channel:
///
///     μ = mean(x),  σ² = mean((x − μ)²),  y = (x − μ)/√(σ² + eps) · γ + β
///
/// Returns y and the per-channel μ and biased σ² (plain values, no gradient), which the
/// layer uses to update its running statistics.
func batchNormTraining(_ x: Tensor, weight: Tensor?, bias: Tensor?, eps: Float) throws
    -> (output: Tensor, mean: [Float], variance: [Float]) {
    let axes = [0] + Array(2..<x.rank)
    let mu = try mean(x, axes: axes, keepDim: true)
    let centered = try x - mu
    let sigma2 = try mean(pow(centered, 2), axes: axes, keepDim: true)
    var y = try centered / sqrt(sigma2 + eps)
    let channelShape = [1, x.shape[1]] + [Int](repeating: 1, count: x.rank - 2)
    if let weight { y = try y * weight.reshape(channelShape) }
    if let bias { y = try y + bias.reshape(channelShape) }
    return (y, mu.data, sigma2.data)
}
