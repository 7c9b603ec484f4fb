import RunSupport

/// Batch normalisation in training mode as one primitive (the same result as the
/// composition `standardize(x) * γ + β`, in a few passes instead of about fifteen).
/// The loops it calls are in `Kernels/BatchNormKernels.swift`.

/// The output of `batchNorm`, with the batch statistics a layer needs for its running averages.
public struct BatchNormResult {
    /// γ·x̂ + β, the shape of the input.
    public var output: Tensor
    /// The per-channel batch mean μ [C] (no gradient).
    public var mean: Tensor
    /// The per-channel biased batch variance σ² [C] (no gradient); multiply by m/(m − 1)
    /// for the unbiased estimate PyTorch keeps in `running_var`.
    public var variance: Tensor
}

/// Normalises each channel (axis 1) of `x` [N, C] or [N, C, …] over all other axes:
///
///     μ = mean(x),  σ² = mean((x − μ)²),  x̂ = (x − μ)/√(σ² + eps),  y = γ·x̂ + β
///
/// with `weight` γ and `bias` β of shape [C] (omitted: 1 and 0). With `relu: true` the
/// output is max(0, y): a fused fast path of `relu(batchNorm(x).output)`, the pair every
/// convolution block ends with (on images it saves the two passes of a separate ReLU;
/// `BatchNormTests` checks that the two agree, gradients included).
///
/// Derivative, over the m = N·(H·W…) values of a channel, with s = 1/√(σ² + eps):
///
///     dβ = Σ dy,   dγ = Σ dy·x̂,   dx = γ·s·(dy − mean(dy) − x̂·mean(dy·x̂))
public func batchNorm(_ x: Tensor, weight: Tensor? = nil, bias: Tensor? = nil, eps: Float = 1e-5,
                      relu fuseReLU: Bool = false) throws -> BatchNormResult {
    return try OpProfile.measure(.batchNorm) {
        guard x.rank >= 2 else {
            throw TensorError.argument(op: "batchNorm", template: "needs [N, C, …], got shape {shape}",
                values: ["shape": formatShape(x.shape)])
        }
        let (n, c) = (x.shape[0], x.shape[1])
        let inner = x.shape[2...].reduce(1, *)
        for p in [weight, bias].compactMap({ $0 }) where p.shape != [c] {
            throw TensorError.shapeMismatch(op: "batchNorm", lhs: x.shape, rhs: p.shape,
                                            detail: "weight and bias must have shape [\(c)]")
        }
        let m = n * inner
        guard m > 0 else {
            throw TensorError.argument(op: "batchNorm", template: "no values per channel in shape {shape}",
                values: ["shape": formatShape(x.shape)])
        }
        let gamma = weight?.data ?? [Float](repeating: 1, count: c)
        let beta = bias?.data ?? [Float](repeating: 0, count: c)
        let xv = x.data

        let layout = ChannelLayout(n: n, c: c, inner: inner)
        if inner > 1 {
            return batchNormOfImages(x, weight: weight, bias: bias, gamma: gamma, beta: beta, eps: eps,
                                     relu: fuseReLU, layout: layout)
        }
        let mean = layout.sums(xv).map { $0 / Float(m) }
        let variance = layout.squaredDeviations(xv, around: mean).map { $0 / Float(m) }
        let invStd = variance.map { 1 / ($0 + eps).squareRoot() }
        let xhat = layout.affine(xv, scale: invStd, shift: (0..<c).map { -mean[$0] * invStd[$0] })
        let out = layout.affine(xhat, scale: gamma, shift: beta)

        let parents = [x] + [weight, bias].compactMap { $0 }
        let output = Tensor.result(shape: x.shape, data: out, parents: parents) { g in
            let sumG = layout.sums(g)  // also the bias gradient: `biasGradient` is this sum
            let sumGX = layout.sums(g, times: xhat)
            if let bias, bias.requiresGrad { bias.accumulateGrad(sumG) }
            if let weight, weight.requiresGrad { weight.accumulateGrad(sumGX) }
            if x.requiresGrad {
                // dx = s·dy − s·mean(dy·x̂)·x̂ − s·mean(dy), with s = γ/√(σ² + eps) per channel.
                let s = (0..<c).map { gamma[$0] * invStd[$0] }
                let gx = layout.affine2(g, xhat, scaleA: s,
                                        scaleB: (0..<c).map { -s[$0] * sumGX[$0] / Float(m) },
                                        shift: (0..<c).map { -s[$0] * sumG[$0] / Float(m) })
                x.accumulateGrad(gx)
            }
        }
        return BatchNormResult(output: fuseReLU ? relu(output) : output, mean: Tensor(shape: [c], data: mean),
                               variance: Tensor(shape: [c], data: variance))
    }
}

/// `batchNorm` of [N, C, H, W, …] (inner > 1): the same definition and derivative, by
/// the kernels of `ImageBatchNormKernels`, written for memory traffic (statistics in one
/// sweep, x̂ recomputed in the backward pass instead of stored, the ReLU fused). Its plain
/// definition is the composition `standardize(x)·γ + β` (`BatchNormTests` compares them).
func batchNormOfImages(_ x: Tensor, weight: Tensor?, bias: Tensor?, gamma: [Float], beta: [Float], eps: Float,
                       relu: Bool, layout: ChannelLayout) -> BatchNormResult {
    let kernels = ImageBatchNormKernels(layout)
    let (c, m) = (layout.c, Float(layout.n * layout.inner))
    let xv = x.data
    let (mean, variance) = kernels.moments(xv)
    let invStd = variance.map { 1 / ($0 + eps).squareRoot() }
    let shift = (0..<c).map { -mean[$0] * invStd[$0] }
    // y = x̂·γ + β with x̂ = x·s − μ·s, in one pass.
    let out = kernels.normalize(xv, scale: invStd, shift: shift, gamma: gamma, beta: beta, relu: relu)
    let parents = [x] + [weight, bias].compactMap { $0 }
    let output = Tensor.result(shape: x.shape, data: out, parents: parents) { g in
        // Σ dy and Σ dy·x̂ per channel (dy masked by the ReLU).
        let (sumG, sumGX) = kernels.gradientSums(g, xv, scale: invStd, shift: shift, gamma: gamma, beta: beta,
                                                 relu: relu)
        var gx: [Float] = []
        if x.requiresGrad {
            // dx = s·dy − s·mean(dy·x̂)·x̂ − s·mean(dy), with s = γ/√(σ² + eps) per channel.
            let sA = (0..<c).map { gamma[$0] * invStd[$0] }
            let sB = (0..<c).map { -sA[$0] * sumGX[$0] / m }
            let sC = (0..<c).map { -sA[$0] * sumG[$0] / m }
            gx = kernels.inputGradient(g, xv, scale: invStd, shift: shift, gamma: gamma, beta: beta, relu: relu,
                                       a: sA, b: sB, c: sC)
        }
        if let bias, bias.requiresGrad { bias.accumulateGrad(sumG) }
        if let weight, weight.requiresGrad { weight.accumulateGrad(sumGX) }
        if x.requiresGrad { x.accumulateGrad(gx) }
    }
    return BatchNormResult(output: output, mean: Tensor(shape: [c], data: mean),
                           variance: Tensor(shape: [c], data: variance))
}
