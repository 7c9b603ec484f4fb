/// Batch normalisation in training mode as one primitive (the same result as the
/// composition `standardize(x) * γ + β`, in a few passes instead of about fifteen).

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
/// with `weight` γ and `bias` β of shape [C] (omitted: 1 and 0).
///
/// Derivative, over the m = N·(H·W…) values of a channel, with s = 1/√(σ² + eps):
///
///     dβ = Σ dy,   dγ = Σ dy·x̂,   dx = γ·s·(dy − mean(dy) − x̂·mean(dy·x̂))
public func batchNorm(_ x: Tensor, weight: Tensor? = nil, bias: Tensor? = nil, eps: Float = 1e-5) throws -> BatchNormResult {
    guard x.rank >= 2 else {
        throw TensorError.invalidArgument(op: "batchNorm", message: "needs [N, C, …], got shape \(formatShape(x.shape))")
    }
    let (n, c) = (x.shape[0], x.shape[1])
    let inner = x.shape[2...].reduce(1, *)
    for p in [weight, bias].compactMap({ $0 }) where p.shape != [c] {
        throw TensorError.shapeMismatch(op: "batchNorm", lhs: x.shape, rhs: p.shape,
                                        detail: "weight and bias must have shape [\(c)]")
    }
    let m = n * inner
    guard m > 0 else {
        throw TensorError.invalidArgument(op: "batchNorm", message: "no values per channel in shape \(formatShape(x.shape))")
    }
    let gamma = weight?.data ?? [Float](repeating: 1, count: c)
    let beta = bias?.data ?? [Float](repeating: 0, count: c)
    let xv = x.data

    let mean = channelSums(xv, n: n, c: c, inner: inner) { v, _ in v }.map { $0 / Float(m) }
    let variance = channelSums(xv, n: n, c: c, inner: inner) { v, ch in (v - mean[ch]) * (v - mean[ch]) }
        .map { $0 / Float(m) }
    let invStd = variance.map { 1 / ($0 + eps).squareRoot() }
    let xhat = channelMap(xv, n: n, c: c, inner: inner) { v, ch in (v - mean[ch]) * invStd[ch] }
    let out = channelMap(xhat, n: n, c: c, inner: inner) { v, ch in gamma[ch] * v + beta[ch] }

    let parents = [x] + [weight, bias].compactMap { $0 }
    let output = Tensor.result(shape: x.shape, data: out, parents: parents) { g in
        if let bias, bias.requiresGrad {
            bias.accumulateGrad(channelSums(g, n: n, c: c, inner: inner) { v, _ in v })
        }
        let gxhat = channelSums(map2(g, xhat) { $0 * $1 }, n: n, c: c, inner: inner) { v, _ in v }
        if let weight, weight.requiresGrad {
            weight.accumulateGrad(gxhat)
        }
        if x.requiresGrad {
            let meanG = channelSums(g, n: n, c: c, inner: inner) { v, _ in v }.map { $0 / Float(m) }
            let meanGX = gxhat.map { $0 / Float(m) }
            let scale = (0..<c).map { gamma[$0] * invStd[$0] }
            let gx = channelMap2(g, xhat, n: n, c: c, inner: inner) { gv, xh, ch in
                scale[ch] * (gv - meanG[ch] - xh * meanGX[ch])
            }
            x.accumulateGrad(gx)
        }
    }
    return BatchNormResult(output: output, mean: Tensor(shape: [c], data: mean),
                           variance: Tensor(shape: [c], data: variance))
}

/// Per-channel Σ f(v, channel) over an [n, c, inner] layout.
@inline(__always)
func channelSums(_ a: [Float], n: Int, c: Int, inner: Int, _ f: (Float, Int) -> Float) -> [Float] {
    var sums = [Float](repeating: 0, count: c)
    a.withUnsafeBufferPointer { src in
        sums.withUnsafeMutableBufferPointer { s in
            for i in 0..<n {
                for ch in 0..<c {
                    let row = src.baseAddress! + (i * c + ch) * inner
                    var acc: Float = 0
                    for k in 0..<inner { acc += f(row[k], ch) }
                    s[ch] += acc
                }
            }
        }
    }
    return sums
}

/// [f(v, channel)] over an [n, c, inner] layout.
@inline(__always)
func channelMap(_ a: [Float], n: Int, c: Int, inner: Int, _ f: (Float, Int) -> Float) -> [Float] {
    uninitializedArray(a.count) { dst in
        a.withUnsafeBufferPointer { src in
            for i in 0..<n {
                for ch in 0..<c {
                    let offset = (i * c + ch) * inner
                    for k in 0..<inner { dst[offset + k] = f(src[offset + k], ch) }
                }
            }
        }
    }
}

/// [f(a, b, channel)] over an [n, c, inner] layout.
@inline(__always)
func channelMap2(_ a: [Float], _ b: [Float], n: Int, c: Int, inner: Int, _ f: (Float, Float, Int) -> Float) -> [Float] {
    uninitializedArray(a.count) { dst in
        a.withUnsafeBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in
                for i in 0..<n {
                    for ch in 0..<c {
                        let offset = (i * c + ch) * inner
                        for k in 0..<inner { dst[offset + k] = f(pa[offset + k], pb[offset + k], ch) }
                    }
                }
            }
        }
    }
}
