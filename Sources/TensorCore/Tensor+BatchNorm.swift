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
        if inner > 1 {
            return try layout.batchNormByImage(x, weight: weight, bias: bias, gamma: gamma, beta: beta, eps: eps,
                                               relu: fuseReLU)
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

/// An [n, c, inner] view of a tensor (channels on axis 1) and the per-channel loops
/// batch norm on [N, C] needs (inner = 1: across the channels of a row in SIMD chunks of
/// 16). `sums` also serves inner > 1 (along each channel's contiguous run; the bias
/// gradients use it); batch norm on images is `batchNormByImage`.
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

    /// Per-channel Σ (a − mean[ch])² (the two-pass variance: no cancellation), for
    /// [N, C] (inner = 1; images take `batchNormByImage`).
    func squaredDeviations(_ a: [Float], around mean: [Float]) -> [Float] {
        precondition(inner == 1, "squaredDeviations: [N, C] only")
        var sums = [Float](repeating: 0, count: c)
        sums.withUnsafeMutableBufferPointer { sBuf in
            a.withUnsafeBufferPointer { aBuf in
                mean.withUnsafeBufferPointer { mBuf in
                    let (pa, s, mu) = (aBuf.baseAddress!, sBuf.baseAddress!, mBuf.baseAddress!)
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
                }
            }
        }
        return sums
    }

    /// a·scale[ch] + shift[ch].
    func affine(_ a: [Float], scale: [Float], shift: [Float]) -> [Float] {
        affine2(a, nil, scaleA: scale, scaleB: nil, shift: shift)
    }

    /// a·scaleA[ch] + b·scaleB[ch] + shift[ch] (b optional), for [N, C] (inner = 1).
    func affine2(_ a: [Float], _ b: [Float]?, scaleA: [Float], scaleB: [Float]?, shift: [Float]) -> [Float] {
        precondition(inner == 1, "affine2: [N, C] only")
        let bv = b ?? [], sb = scaleB ?? [Float](repeating: 0, count: c)
        return uninitializedArray(a.count) { dst in
            a.withUnsafeBufferPointer { aBuf in
                bv.withUnsafeBufferPointer { bBuf in
                    scaleA.withUnsafeBufferPointer { saBuf in
                        sb.withUnsafeBufferPointer { sbBuf in
                            shift.withUnsafeBufferPointer { shBuf in
                                let (pa, sa, sbp, sh) = (aBuf.baseAddress!, saBuf.baseAddress!, sbBuf.baseAddress!, shBuf.baseAddress!)
                                let pb = b == nil ? nil : bBuf.baseAddress  // an empty array may still have an address
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
                            }
                        }
                    }
                }
            }
        }
    }
}

extension ChannelLayout {
    /// Fast path of `batchNorm` for [N, C, H, W, …] (inner > 1), for memory traffic: the
    /// [N, C] passes above, run along channel runs, would read or write the whole tensor
    /// twelve times a step; this reads or writes it seven times. Its plain definition is the
    /// composition `standardize(x)·γ + β` (`BatchNormTests` compares them).
    ///
    /// - Statistics in one sweep: each contiguous run of a channel (one image's plane) gets
    ///   its mean and its Σ(x − mean)² from two passes over the run while it is in cache,
    ///   and the runs are combined in order with Chan's formula (in Double):
    ///   n = nₐ + n_b, δ = μ_b − μₐ, μ = μₐ + δ·n_b/n, M₂ = M₂ₐ + M₂_b + δ²·nₐ·n_b/n.
    ///   The result agrees with the two-pass definition to rounding, not bit for bit.
    /// - x̂ is not stored: the backward pass recomputes it from x with the same formula.
    /// - The images are split into `convGroups` fixed groups that run in parallel with
    ///   `setThreads`; each group's partial statistics and sums are combined in group
    ///   order, so the numbers do not depend on the thread count.
    /// - With `relu`, y = max(0, ·) in the same pass, and the backward pass masks dy where
    ///   the recomputed pre-activation (the same formula, so the same bits) is not positive.
    func batchNormByImage(_ x: Tensor, weight: Tensor?, bias: Tensor?, gamma: [Float], beta: [Float],
                          eps: Float, relu: Bool) throws -> BatchNormResult {
        let (n, c, inner) = (self.n, self.c, self.inner)
        let groups = Swift.min(n, convGroups)
        let threads = Swift.max(1, Swift.min(computeThreads(), groups))
        let xv = x.data
        // Per group and channel: (count, mean, M₂) of its runs.
        var partial = [Double](repeating: 0, count: groups * c * 3)
        xv.withUnsafeBufferPointer { px in
            partial.withUnsafeMutableBufferPointer { pp in
                let (x0, p0) = (SendablePointer(px.baseAddress!), SendableMutablePointer(pp.baseAddress!))
                parallelFor(groups, threads: threads) { group in
                    let stats = p0.p + group * c * 3
                    for img in partRange(group, of: groups, count: n) {
                        for ch in 0..<c {
                            let run = x0.p + (img * c + ch) * inner
                            let mean = sumContiguous(run, inner) / Float(inner)
                            let m2 = squaredDeviationSum(run, inner, around: mean)
                            combineMoments(stats + ch * 3, count: Double(inner), mean: Double(mean), m2: Double(m2))
                        }
                    }
                }
            }
        }
        var total = [Double](repeating: 0, count: c * 3)
        for group in 0..<groups {
            for ch in 0..<c {
                let g = group * c * 3 + ch * 3
                total.withUnsafeMutableBufferPointer {
                    combineMoments($0.baseAddress! + ch * 3, count: partial[g], mean: partial[g + 1], m2: partial[g + 2])
                }
            }
        }
        let mean = (0..<c).map { Float(total[$0 * 3 + 1]) }
        let variance = (0..<c).map { Float(total[$0 * 3 + 2] / total[$0 * 3]) }
        let invStd = variance.map { 1 / ($0 + eps).squareRoot() }
        let shift = (0..<c).map { -mean[$0] * invStd[$0] }
        // y = x̂·γ + β with x̂ = x·s − μ·s, in one pass.
        let out = uninitializedArray(n * c * inner) { y in
            xv.withUnsafeBufferPointer { px in
                let (x0, y0) = (SendablePointer(px.baseAddress!), SendableMutablePointer(y))
                parallelFor(groups, threads: threads) { group in
                    for img in partRange(group, of: groups, count: n) {
                        for ch in 0..<c {
                            let o = (img * c + ch) * inner
                            normalizeRun(x0.p + o, inner, scale: invStd[ch], shift: shift[ch],
                                         gamma: gamma[ch], beta: beta[ch], relu: relu, into: y0.p + o)
                        }
                    }
                }
            }
        }
        let parents = [x] + [weight, bias].compactMap { $0 }
        let m = Float(n * inner)
        let output = Tensor.result(shape: x.shape, data: out, parents: parents) { g in
            // Per group and channel: Σ dy and Σ dy·x̂ (dy masked by the ReLU), then summed in
            // group order.
            var sums = [Float](repeating: 0, count: groups * c * 2)
            let wantX = x.requiresGrad
            var gx = [Float](repeating: 0, count: wantX ? n * c * inner : 0)
            g.withUnsafeBufferPointer { pg in
                xv.withUnsafeBufferPointer { px in
                    sums.withUnsafeMutableBufferPointer { ps in
                        let (g0, x0, s0) = (SendablePointer(pg.baseAddress!), SendablePointer(px.baseAddress!),
                                            SendableMutablePointer(ps.baseAddress!))
                        parallelFor(groups, threads: threads) { group in
                            let s = s0.p + group * c * 2
                            for img in partRange(group, of: groups, count: n) {
                                for ch in 0..<c {
                                    let o = (img * c + ch) * inner
                                    let (sg, sx) = gradientSumsRun(g0.p + o, x0.p + o, inner, scale: invStd[ch], shift: shift[ch],
                                                                   relu: relu ? (gamma[ch], beta[ch]) : nil)
                                    s[ch * 2] += sg
                                    s[ch * 2 + 1] += sx
                                }
                            }
                        }
                    }
                }
            }
            var sumG = [Float](repeating: 0, count: c), sumGX = sumG
            for group in 0..<groups {
                for ch in 0..<c {
                    sumG[ch] += sums[(group * c + ch) * 2]
                    sumGX[ch] += sums[(group * c + ch) * 2 + 1]
                }
            }
            if wantX {
                // dx = s·dy − s·mean(dy·x̂)·x̂ − s·mean(dy), with s = γ/√(σ² + eps) per channel.
                let sA = (0..<c).map { gamma[$0] * invStd[$0] }
                let sB = (0..<c).map { -sA[$0] * sumGX[$0] / m }
                let sC = (0..<c).map { -sA[$0] * sumG[$0] / m }
                g.withUnsafeBufferPointer { pg in
                    xv.withUnsafeBufferPointer { px in
                        gx.withUnsafeMutableBufferPointer { pgx in
                            let (g0, x0, d0) = (SendablePointer(pg.baseAddress!), SendablePointer(px.baseAddress!),
                                                SendableMutablePointer(pgx.baseAddress!))
                            parallelFor(groups, threads: threads) { group in
                                for img in partRange(group, of: groups, count: n) {
                                    for ch in 0..<c {
                                        let o = (img * c + ch) * inner
                                        inputGradientRun(g0.p + o, x0.p + o, inner, scale: invStd[ch], shift: shift[ch],
                                                         relu: relu ? (gamma[ch], beta[ch]) : nil,
                                                         a: sA[ch], b: sB[ch], c: sC[ch], into: d0.p + o)
                                    }
                                }
                            }
                        }
                    }
                }
            }
            if let bias, bias.requiresGrad { bias.accumulateGrad(sumG) }
            if let weight, weight.requiresGrad { weight.accumulateGrad(sumGX) }
            if wantX { x.accumulateGrad(gx) }
        }
        return BatchNormResult(output: output, mean: Tensor(shape: [c], data: mean),
                               variance: Tensor(shape: [c], data: variance))
    }
}

/// Adds a run's (count, mean, M₂) to the running (count, mean, M₂) at `acc` (Chan et al.).
@inline(__always)
func combineMoments(_ acc: UnsafeMutablePointer<Double>, count nb: Double, mean mb: Double, m2 m2b: Double) {
    let na = acc[0]
    let total = na + nb
    guard total > 0 else { return }
    let delta = mb - acc[1]
    acc[1] += delta * nb / total
    acc[2] += m2b + delta * delta * na * nb / total
    acc[0] = total
}

/// dst = (x·scale + shift)·γ + β over one run: x̂, then y
/// (and max(0, y) with `relu`).
@inline(__always)
func normalizeRun(_ x: UnsafePointer<Float>, _ count: Int, scale: Float, shift: Float, gamma: Float, beta: Float,
                  relu: Bool, into dst: UnsafeMutablePointer<Float>) {
    let (vs, vt, vg, vb) = (SIMD16(repeating: scale), SIMD16(repeating: shift), SIMD16(repeating: gamma), SIMD16(repeating: beta))
    var k = 0
    while k + 16 <= count {
        let y = (load16(x + k) * vs + vt) * vg + vb
        store16(relu ? y.replacing(with: 0, where: .!(y .> 0)) : y, dst + k)
        k += 16
    }
    while k < count {
        let y = (x[k] * scale + shift) * gamma + beta
        dst[k] = relu && !(y > 0) ? 0 : y
        k += 1
    }
}

/// dy, or with `relu` = (γ, β) dy masked to 0 where the pre-activation (x̂·γ + β) is not
/// positive (ReLU's derivative, 0 at 0 as in `relu`).
@inline(__always)
func maskedGradient16(_ dy: SIMD16<Float>, _ xhat: SIMD16<Float>, _ relu: (SIMD16<Float>, SIMD16<Float>)?) -> SIMD16<Float> {
    guard let (vg, vb) = relu else { return dy }
    return dy.replacing(with: 0, where: .!(xhat * vg + vb .> 0))
}

/// (Σ dy, Σ dy·x̂) over one run, x̂ = x·scale + shift recomputed (dy masked by the ReLU).
@inline(__always)
func gradientSumsRun(_ g: UnsafePointer<Float>, _ x: UnsafePointer<Float>, _ count: Int,
                     scale: Float, shift: Float, relu: (Float, Float)?) -> (Float, Float) {
    let (vs, vt) = (SIMD16(repeating: scale), SIMD16(repeating: shift))
    let vr = relu.map { (SIMD16(repeating: $0.0), SIMD16(repeating: $0.1)) }
    var (accG, accX) = (SIMD16<Float>(), SIMD16<Float>())
    var k = 0
    while k + 16 <= count {
        let xhat = load16(x + k) * vs + vt
        let dy = maskedGradient16(load16(g + k), xhat, vr)
        accG += dy
        accX += dy * xhat
        k += 16
    }
    var (sg, sx) = (accG.sum(), accX.sum())
    while k < count {
        let xhat = x[k] * scale + shift
        let dy = relu.map { xhat * $0.0 + $0.1 > 0 ? g[k] : 0 } ?? g[k]
        sg += dy; sx += dy * xhat; k += 1
    }
    return (sg, sx)
}

/// dst = dy·a + x̂·b + c over one run, x̂ = x·scale + shift recomputed (dy masked by the
/// ReLU; where it is masked, dst is 0).
@inline(__always)
func inputGradientRun(_ g: UnsafePointer<Float>, _ x: UnsafePointer<Float>, _ count: Int, scale: Float, shift: Float,
                      relu: (Float, Float)?, a: Float, b: Float, c: Float, into dst: UnsafeMutablePointer<Float>) {
    let (vs, vt, va, vb, vc) = (SIMD16(repeating: scale), SIMD16(repeating: shift), SIMD16(repeating: a),
                                SIMD16(repeating: b), SIMD16(repeating: c))
    let vr = relu.map { (SIMD16(repeating: $0.0), SIMD16(repeating: $0.1)) }
    var k = 0
    while k + 16 <= count {
        let xhat = load16(x + k) * vs + vt
        store16(maskedGradient16(load16(g + k), xhat, vr) * va + xhat * vb + vc, dst + k)
        k += 16
    }
    while k < count {
        let xhat = x[k] * scale + shift
        let dy = relu.map { xhat * $0.0 + $0.1 > 0 ? g[k] : 0 } ?? g[k]
        dst[k] = dy * a + xhat * b + c
        k += 1
    }
}

/// Σ (p[i] − mean)² over one contiguous run, with sixteen SIMD partial sums.
@inline(__always)
func squaredDeviationSum(_ p: UnsafePointer<Float>, _ count: Int, around mean: Float) -> Float {
    let m = SIMD16<Float>(repeating: mean)
    var acc = SIMD16<Float>()
    var k = 0
    while k + 16 <= count {
        let d = load16(p + k) - m
        acc += d * d
        k += 16
    }
    var total = acc.sum()
    while k < count { let d = p[k] - mean; total += d * d; k += 1 }
    return total
}
