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

    let layout = ChannelLayout(n: n, c: c, inner: inner)
    let mean = layout.sums(xv).map { $0 / Float(m) }
    let centered = layout.affine(xv, scale: [Float](repeating: 1, count: c), shift: mean.map { -$0 })
    let variance = layout.dotSums(centered, centered).map { $0 / Float(m) }
    let invStd = variance.map { 1 / ($0 + eps).squareRoot() }
    let xhat = layout.affine(centered, scale: invStd, shift: [Float](repeating: 0, count: c))
    let out = layout.affine(xhat, scale: gamma, shift: beta)

    let parents = [x] + [weight, bias].compactMap { $0 }
    let output = Tensor.result(shape: x.shape, data: out, parents: parents) { g in
        let sumG = layout.sums(g)
        let sumGX = layout.dotSums(g, xhat)
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
    return BatchNormResult(output: output, mean: Tensor(shape: [c], data: mean),
                           variance: Tensor(shape: [c], data: variance))
}

/// An [n, c, inner] view of a tensor (channels on axis 1) and the per-channel loops
/// batch norm needs. When inner is 1 ([N, C]) the loops run along the channels, so
/// they stay contiguous and vectorise.
struct ChannelLayout {
    let n, c, inner: Int

    /// Per-channel Σ a·b.
    func dotSums(_ a: [Float], _ b: [Float]) -> [Float] {
        var sums = [Float](repeating: 0, count: c)
        sums.withUnsafeMutableBufferPointer { s in
            a.withUnsafeBufferPointer { pa in
                b.withUnsafeBufferPointer { pb in
                    let (pa, pb, s) = (pa.baseAddress!, pb.baseAddress!, s.baseAddress!)
                    for i in 0..<n {
                        if inner == 1 {
                            for ch in 0..<c { s[ch] += pa[i * c + ch] * pb[i * c + ch] }
                        } else {
                            for ch in 0..<c {
                                let o = (i * c + ch) * inner
                                s[ch] += dotContiguous(pa + o, pb + o, inner)
                            }
                        }
                    }
                }
            }
        }
        return sums
    }

    /// Per-channel Σ a.
    func sums(_ a: [Float]) -> [Float] {
        var sums = [Float](repeating: 0, count: c)
        sums.withUnsafeMutableBufferPointer { s in
            a.withUnsafeBufferPointer { pa in
                let (pa, s) = (pa.baseAddress!, s.baseAddress!)
                for i in 0..<n {
                    if inner == 1 {
                        for ch in 0..<c { s[ch] += pa[i * c + ch] }
                    } else {
                        for ch in 0..<c {
                            s[ch] += sumContiguous(pa + (i * c + ch) * inner, inner)
                        }
                    }
                }
            }
        }
        return sums
    }

    /// a·scale[ch] + shift[ch].
    func affine(_ a: [Float], scale: [Float], shift: [Float]) -> [Float] {
        affine2(a, nil, scaleA: scale, scaleB: nil, shift: shift)
    }

    /// a·scaleA[ch] + b·scaleB[ch] + shift[ch] (b optional).
    func affine2(_ a: [Float], _ b: [Float]?, scaleA: [Float], scaleB: [Float]?, shift: [Float]) -> [Float] {
        let bv = b ?? [], sb = scaleB ?? [Float](repeating: 0, count: c)
        return uninitializedArray(a.count) { dst in
            a.withUnsafeBufferPointer { pa in
                bv.withUnsafeBufferPointer { pb in
                    scaleA.withUnsafeBufferPointer { sa in
                        sb.withUnsafeBufferPointer { sbp in
                            shift.withUnsafeBufferPointer { sh in
                                let (pa, sa, sbp, sh) = (pa.baseAddress!, sa.baseAddress!, sbp.baseAddress!, sh.baseAddress!)
                                let hasB = b != nil
                                for i in 0..<n {
                                    if inner == 1 {
                                        let o = i * c
                                        if hasB {
                                            let pb = pb.baseAddress!
                                            for ch in 0..<c { dst[o + ch] = pa[o + ch] * sa[ch] + pb[o + ch] * sbp[ch] + sh[ch] }
                                        } else {
                                            for ch in 0..<c { dst[o + ch] = pa[o + ch] * sa[ch] + sh[ch] }
                                        }
                                    } else {
                                        for ch in 0..<c {
                                            let o = (i * c + ch) * inner
                                            let (s1, s2, t) = (sa[ch], sbp[ch], sh[ch])
                                            if hasB {
                                                let pb = pb.baseAddress!
                                                for k in 0..<inner { dst[o + k] = pa[o + k] * s1 + pb[o + k] * s2 + t }
                                            } else {
                                                for k in 0..<inner { dst[o + k] = pa[o + k] * s1 + t }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
