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
    return try OpProfile.measure(.batchNorm) {
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
        return BatchNormResult(output: output, mean: Tensor(shape: [c], data: mean),
                               variance: Tensor(shape: [c], data: variance))
    }
}

/// An [n, c, inner] view of a tensor (channels on axis 1) and the per-channel loops
/// batch norm needs. With inner = 1 ([N, C]) the loops run across the channels of a
/// row in SIMD chunks of 16; otherwise along each channel's contiguous run.
struct ChannelLayout {
    let n, c, inner: Int

    /// Per-channel Σ a (when `b` is nil) or Σ a·b.
    func sums(_ a: [Float], times b: [Float]? = nil) -> [Float] {
        var sums = [Float](repeating: 0, count: c)
        let bv = b ?? []
        sums.withUnsafeMutableBufferPointer { sBuf in
            a.withUnsafeBufferPointer { aBuf in
                bv.withUnsafeBufferPointer { bBuf in
                    let (pa, s) = (aBuf.baseAddress!, sBuf.baseAddress!)
                    let pb = b == nil ? nil : bBuf.baseAddress  // an empty array may still have an address
                    if inner == 1 {
                        let vectorEnd = c - c % 16
                        for ch in stride(from: 0, to: vectorEnd, by: 16) {
                            var acc = SIMD16<Float>()
                            for i in 0..<n {
                                let va = load16(pa + i * c + ch)
                                acc += pb.map { va * load16($0 + i * c + ch) } ?? va
                            }
                            store16(acc, s + ch)
                        }
                        for ch in vectorEnd..<c {
                            var acc: Float = 0
                            for i in 0..<n { acc += pa[i * c + ch] * (pb?[i * c + ch] ?? 1) }
                            s[ch] = acc
                        }
                        return
                    }
                    for i in 0..<n {
                        for ch in 0..<c {
                            let o = (i * c + ch) * inner
                            s[ch] += pb.map { dotContiguous(pa + o, $0 + o, inner) } ?? sumContiguous(pa + o, inner)
                        }
                    }
                }
            }
        }
        return sums
    }

    /// Per-channel Σ (a − mean[ch])² (the two-pass variance: no cancellation).
    func squaredDeviations(_ a: [Float], around mean: [Float]) -> [Float] {
        var sums = [Float](repeating: 0, count: c)
        sums.withUnsafeMutableBufferPointer { sBuf in
            a.withUnsafeBufferPointer { aBuf in
                mean.withUnsafeBufferPointer { mBuf in
                    let (pa, s, mu) = (aBuf.baseAddress!, sBuf.baseAddress!, mBuf.baseAddress!)
                    if inner == 1 {
                        let vectorEnd = c - c % 16
                        for ch in stride(from: 0, to: vectorEnd, by: 16) {
                            var acc = SIMD16<Float>()
                            let m = load16(mu + ch)
                            for i in 0..<n {
                                let d = load16(pa + i * c + ch) - m
                                acc += d * d
                            }
                            store16(acc, s + ch)
                        }
                        for ch in vectorEnd..<c {
                            var acc: Float = 0
                            for i in 0..<n { let d = pa[i * c + ch] - mu[ch]; acc += d * d }
                            s[ch] = acc
                        }
                        return
                    }
                    for i in 0..<n {
                        for ch in 0..<c {
                            let p = pa + (i * c + ch) * inner
                            let m = SIMD16<Float>(repeating: mu[ch])
                            var acc = SIMD16<Float>()
                            var k = 0
                            while k + 16 <= inner {
                                let d = load16(p + k) - m
                                acc += d * d
                                k += 16
                            }
                            var total = acc.sum()
                            while k < inner { let d = p[k] - mu[ch]; total += d * d; k += 1 }
                            s[ch] += total
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
            a.withUnsafeBufferPointer { aBuf in
                bv.withUnsafeBufferPointer { bBuf in
                    scaleA.withUnsafeBufferPointer { saBuf in
                        sb.withUnsafeBufferPointer { sbBuf in
                            shift.withUnsafeBufferPointer { shBuf in
                                let (pa, sa, sbp, sh) = (aBuf.baseAddress!, saBuf.baseAddress!, sbBuf.baseAddress!, shBuf.baseAddress!)
                                let pb = b == nil ? nil : bBuf.baseAddress  // an empty array may still have an address
                                if inner == 1 {
                                    let vectorEnd = c - c % 16
                                    for i in 0..<n {
                                        let o = i * c
                                        for ch in stride(from: 0, to: vectorEnd, by: 16) {
                                            var v = load16(pa + o + ch) * load16(sa + ch) + load16(sh + ch)
                                            if let pb { v += load16(pb + o + ch) * load16(sbp + ch) }
                                            store16(v, dst + o + ch)
                                        }
                                        for ch in vectorEnd..<c {
                                            dst[o + ch] = pa[o + ch] * sa[ch] + (pb?[o + ch] ?? 0) * sbp[ch] + sh[ch]
                                        }
                                    }
                                    return
                                }
                                for i in 0..<n {
                                    for ch in 0..<c {
                                        let o = (i * c + ch) * inner
                                        let (s1, s2, t) = (sa[ch], sbp[ch], sh[ch])
                                        let (v1, v2, vt) = (SIMD16(repeating: s1), SIMD16(repeating: s2), SIMD16(repeating: t))
                                        var k = 0
                                        if let pb {
                                            while k + 16 <= inner {
                                                store16(load16(pa + o + k) * v1 + load16(pb + o + k) * v2 + vt, dst + o + k)
                                                k += 16
                                            }
                                            while k < inner { dst[o + k] = pa[o + k] * s1 + pb[o + k] * s2 + t; k += 1 }
                                        } else {
                                            while k + 16 <= inner {
                                                store16(load16(pa + o + k) * v1 + vt, dst + o + k)
                                                k += 16
                                            }
                                            while k < inner { dst[o + k] = pa[o + k] * s1 + t; k += 1 }
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
