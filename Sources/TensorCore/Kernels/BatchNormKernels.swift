/// The optimised loops of batch normalisation (`Tensor+BatchNorm.swift` holds the op and
/// its derivative): per-channel SIMD loops over [N, C], and the kernels for images that
/// run over fixed groups of images in parallel.

/// An [n, c, inner] view of a tensor (channels on axis 1) and the per-channel loops
/// batch norm on [N, C] needs (inner = 1: across the channels of a row in SIMD chunks of
/// 16). `sums` also serves inner > 1 (along each channel's contiguous run; the bias
/// gradients use it); batch norm on images is `ImageBatchNormKernels`.
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
    /// [N, C] (inner = 1; images take `ImageBatchNormKernels`).
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

/// The kernels of batch norm on images, [N, C, H, W, …] (inner > 1), written for memory
/// traffic: run along channel runs, the [N, C] loops of `ChannelLayout` would read or
/// write the whole tensor twelve times a step; these read or write it seven times.
///
/// - `moments` gets the statistics in one sweep: each contiguous run of a channel (one
///   image's plane) gets its mean and its Σ(x − mean)² from two passes over the run while
///   it is in cache, and the runs are combined in order with Chan's formula (in Double):
///   n = nₐ + n_b, δ = μ_b − μₐ, μ = μₐ + δ·n_b/n, M₂ = M₂ₐ + M₂_b + δ²·nₐ·n_b/n.
///   The result agrees with the two-pass definition to rounding, not bit for bit.
/// - x̂ is not stored: the backward kernels recompute it from x with the same formula,
///   x̂ = x·scale + shift.
/// - The images are split into `convGroups` fixed groups that run in parallel with
///   `setThreads` (the thread count read once, when the kernels are made); each group's
///   partial statistics and sums are combined in group order, so the numbers do not
///   depend on the thread count.
/// - With `relu`, y = max(0, ·) in the same pass, and the backward kernels mask dy where
///   the recomputed pre-activation (the same formula, so the same bits) is not positive.
struct ImageBatchNormKernels {
    let n, c, inner: Int
    let groups, threads: Int

    init(_ layout: ChannelLayout) {
        (n, c, inner) = (layout.n, layout.c, layout.inner)
        groups = Swift.min(layout.n, convGroups)
        threads = Swift.max(1, Swift.min(computeThreads(), groups))
    }

    /// Per channel: the mean and the biased variance of `xv` over all images and positions.
    func moments(_ xv: [Float]) -> (mean: [Float], variance: [Float]) {
        let (n, c, inner, groups) = (self.n, self.c, self.inner, self.groups)
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
        return (mean, variance)
    }

    /// y = x̂·γ + β with x̂ = x·scale + shift per channel, in one pass (max(0, y) with `relu`).
    func normalize(_ xv: [Float], scale: [Float], shift: [Float], gamma: [Float], beta: [Float], relu: Bool) -> [Float] {
        let (n, c, inner, groups) = (self.n, self.c, self.inner, self.groups)
        return uninitializedArray(n * c * inner) { y in
            xv.withUnsafeBufferPointer { px in
                let (x0, y0) = (SendablePointer(px.baseAddress!), SendableMutablePointer(y))
                parallelFor(groups, threads: threads) { group in
                    for img in partRange(group, of: groups, count: n) {
                        for ch in 0..<c {
                            let o = (img * c + ch) * inner
                            normalizeRun(x0.p + o, inner, scale: scale[ch], shift: shift[ch],
                                         gamma: gamma[ch], beta: beta[ch], relu: relu, into: y0.p + o)
                        }
                    }
                }
            }
        }
    }

    /// Per channel: Σ dy and Σ dy·x̂ (dy masked by the ReLU with `relu`), summed per group,
    /// then the groups in order.
    func gradientSums(_ g: [Float], _ xv: [Float], scale: [Float], shift: [Float], gamma: [Float], beta: [Float],
                      relu: Bool) -> (sumG: [Float], sumGX: [Float]) {
        let (n, c, inner, groups) = (self.n, self.c, self.inner, self.groups)
        var sums = [Float](repeating: 0, count: groups * c * 2)
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
                                let (sg, sx) = gradientSumsRun(g0.p + o, x0.p + o, inner, scale: scale[ch], shift: shift[ch],
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
        return (sumG, sumGX)
    }

    /// dx = dy·a + x̂·b + c per channel (dy masked by the ReLU with `relu`; where it is
    /// masked, dx is 0).
    func inputGradient(_ g: [Float], _ xv: [Float], scale: [Float], shift: [Float], gamma: [Float], beta: [Float],
                       relu: Bool, a sA: [Float], b sB: [Float], c sC: [Float]) -> [Float] {
        let (n, c, inner, groups) = (self.n, self.c, self.inner, self.groups)
        var gx = [Float](repeating: 0, count: n * c * inner)
        g.withUnsafeBufferPointer { pg in
            xv.withUnsafeBufferPointer { px in
                gx.withUnsafeMutableBufferPointer { pgx in
                    let (g0, x0, d0) = (SendablePointer(pg.baseAddress!), SendablePointer(px.baseAddress!),
                                        SendableMutablePointer(pgx.baseAddress!))
                    parallelFor(groups, threads: threads) { group in
                        for img in partRange(group, of: groups, count: n) {
                            for ch in 0..<c {
                                let o = (img * c + ch) * inner
                                inputGradientRun(g0.p + o, x0.p + o, inner, scale: scale[ch], shift: shift[ch],
                                                 relu: relu ? (gamma[ch], beta[ch]) : nil,
                                                 a: sA[ch], b: sB[ch], c: sC[ch], into: d0.p + o)
                            }
                        }
                    }
                }
            }
        }
        return gx
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
