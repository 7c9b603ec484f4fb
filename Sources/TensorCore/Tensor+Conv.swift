/// 2-D convolution (cross-correlation, as in every deep-learning library) by im2col + sgemm.
///
/// For one image, im2col lays every kernel-sized patch out as a column: a matrix
/// `cols` of [C·kh·kw, Ho·Wo]. The convolution is then one matrix product,
/// out = W · cols, with W the weight viewed as [O, C·kh·kw]. Its derivative is that of
/// a matrix product: dW = G · colsᵀ and dcols = Wᵀ · G, and col2im (the adjoint of
/// im2col: patches added back where they came from) turns dcols into dx.

/// The geometry of one convolution or pooling window sweep.
struct ConvGeometry {
    let channels, height, width, kernelH, kernelW, stride, padding: Int
    var outH: Int { (height + 2 * padding - kernelH) / stride + 1 }
    var outW: Int { (width + 2 * padding - kernelW) / stride + 1 }
    var patchSize: Int { channels * kernelH * kernelW }
    var outSize: Int { outH * outW }

    /// The size of one image with `padding` zeros around each channel plane,
    /// [C, H + 2p, W + 2p], the buffer im2col reads from and col2im adds into.
    var paddedHeight: Int { height + 2 * padding }
    var paddedWidth: Int { width + 2 * padding }
    var paddedSize: Int { padding == 0 ? 0 : channels * paddedHeight * paddedWidth }

    /// One worker's scratch: a [patchSize, outSize] patch matrix, then the padded image.
    var scratchSize: Int { patchSize * outSize + paddedSize }

    /// The padded-image part of the scratch whose patch matrix starts at `cols` (nil
    /// without padding, where im2col and col2im work on the image itself).
    func paddedScratch(after cols: UnsafeMutablePointer<Float>) -> UnsafeMutablePointer<Float>? {
        paddedSize > 0 ? cols + patchSize * outSize : nil
    }

    /// Writes the [patchSize, outSize] patch matrix of one image (`x`: [C, H, W]).
    ///
    /// Through a zero-padded copy of the image (`padded`: `paddedSize` floats of scratch),
    /// so that every patch row is a plain copy, one output row at a time, with no bounds
    /// logic: out row i of patch row (c, ki, kj) is padded[c, i·s + ki, kj + s·j] for
    /// j < Wo, a contiguous run of Wo values when s = 1 (copied in SIMD blocks).
    func im2col(_ x: UnsafePointer<Float>, _ cols: UnsafeMutablePointer<Float>, padded: UnsafeMutablePointer<Float>?) {
        OpProfile.measure(.im2col) {
            let (oh, ow, ph, pw) = (outH, outW, paddedHeight, paddedWidth)
            var source = x
            if padding > 0, let padded {
                padded.update(repeating: 0, count: paddedSize)
                for c in 0..<channels {
                    for r in 0..<height {
                        copyRun(x + (c * height + r) * width, padded + (c * ph + r + padding) * pw + padding, width)
                    }
                }
                source = UnsafePointer(padded)
            }
            for c in 0..<channels {
                for ki in 0..<kernelH {
                    for kj in 0..<kernelW {
                        let row = cols + ((c * kernelH + ki) * kernelW + kj) * oh * ow
                        for i in 0..<oh {
                            let src = source + (c * ph + i * stride + ki) * pw + kj
                            let dst = row + i * ow
                            if stride == 1 {
                                copyRun(src, dst, ow)
                            } else {
                                for j in 0..<ow { dst[j] = src[j * stride] }
                            }
                        }
                    }
                }
            }
        }
    }

    /// The adjoint of `im2col`: adds each patch entry of `cols` back into `dx` ([C, H, W]),
    /// through the zero-padded buffer (`padded`, scratch): the entries that fall on the
    /// padding are added there and dropped.
    func col2im(_ cols: UnsafePointer<Float>, _ dx: UnsafeMutablePointer<Float>, padded: UnsafeMutablePointer<Float>?) {
        OpProfile.measure(.im2col) {
            let (oh, ow, ph, pw) = (outH, outW, paddedHeight, paddedWidth)
            var target = dx
            if padding > 0, let padded {
                padded.update(repeating: 0, count: paddedSize)
                target = padded
            }
            for c in 0..<channels {
                for ki in 0..<kernelH {
                    for kj in 0..<kernelW {
                        let row = cols + ((c * kernelH + ki) * kernelW + kj) * oh * ow
                        for i in 0..<oh {
                            let dst = target + (c * ph + i * stride + ki) * pw + kj
                            let src = row + i * ow
                            if stride == 1 {
                                addRun(src, dst, ow)
                            } else {
                                for j in 0..<ow { dst[j * stride] += src[j] }
                            }
                        }
                    }
                }
            }
            if padding > 0, let padded {
                for c in 0..<channels {
                    for r in 0..<height {
                        addRun(padded + (c * ph + r + padding) * pw + padding, dx + (c * height + r) * width, width)
                    }
                }
            }
        }
    }
}

/// dst[0..<n] = src[0..<n], in SIMD blocks (a short run, not worth a call to memcpy).
@inline(__always)
func copyRun(_ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>, _ n: Int) {
    var j = 0
    while j + 16 <= n { store16(load16(src + j), dst + j); j += 16 }
    if j + 8 <= n {
        UnsafeMutableRawPointer(dst + j).storeBytes(of: UnsafeRawPointer(src + j).loadUnaligned(as: SIMD8<Float>.self),
                                                    as: SIMD8<Float>.self)
        j += 8
    }
    while j < n { dst[j] = src[j]; j += 1 }
}

/// dst[0..<n] += src[0..<n], in SIMD blocks.
@inline(__always)
func addRun(_ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>, _ n: Int) {
    var j = 0
    while j + 16 <= n { store16(load16(dst + j) + load16(src + j), dst + j); j += 16 }
    if j + 8 <= n {
        let s = UnsafeRawPointer(src + j).loadUnaligned(as: SIMD8<Float>.self)
        let d = UnsafeRawPointer(dst + j).loadUnaligned(as: SIMD8<Float>.self)
        UnsafeMutableRawPointer(dst + j).storeBytes(of: d + s, as: SIMD8<Float>.self)
        j += 8
    }
    while j < n { dst[j] += src[j]; j += 1 }
}

/// A batch is split into this many groups of consecutive images (fewer for a smaller
/// batch); the groups run in parallel with `setThreads`, and each group's weight
/// gradient is a partial sum, added to the others in group order: the same numbers for
/// any thread count.
let convGroups = 8

/// Convolution of `x` [N, C, H, W] with `weight` [O, C, kh, kw] plus an optional
/// `bias` [O]: out[n, o, i, j] = b[o] + Σ_{c,u,v} w[o, c, u, v]·x[n, c, i·s − p + u, j·s − p + v]
/// (zero outside the image). Output [N, O, (H + 2p − kh)/s + 1, (W + 2p − kw)/s + 1].
///
/// Derivative, per image with G = dL/dout viewed as [O, Ho·Wo]: dW += G·colsᵀ (computed
/// as its transpose),
/// dx = col2im(Wᵀ·G), db = Σ over images and positions of G. The patch matrix is
/// recomputed in backward, in one buffer reused across the batch.
public func conv2d(_ x: Tensor, _ weight: Tensor, bias: Tensor? = nil, stride: Int = 1, padding: Int = 0) throws -> Tensor {
    return try OpProfile.measure(.convLinear) {
        guard x.rank == 4, weight.rank == 4, x.shape[1] == weight.shape[1] else {
            throw TensorError.shapeMismatch(op: "conv2d", lhs: x.shape, rhs: weight.shape,
                                            detail: "needs input [N, C, H, W] and weight [O, C, kh, kw] with the same C")
        }
        guard stride >= 1, padding >= 0 else {
            throw TensorError.invalidArgument(op: "conv2d", message: "stride \(stride) must be ≥ 1 and padding \(padding) ≥ 0")
        }
        let (n, o) = (x.shape[0], weight.shape[0])
        let geo = ConvGeometry(channels: x.shape[1], height: x.shape[2], width: x.shape[3],
                               kernelH: weight.shape[2], kernelW: weight.shape[3], stride: stride, padding: padding)
        guard geo.height + 2 * padding >= geo.kernelH, geo.width + 2 * padding >= geo.kernelW else {
            throw TensorError.shapeMismatch(op: "conv2d", lhs: x.shape, rhs: weight.shape,
                                            detail: "the kernel is larger than the padded image")
        }
        if let bias, bias.shape != [o] {
            throw TensorError.shapeMismatch(op: "conv2d", lhs: weight.shape, rhs: bias.shape,
                                            detail: "bias must have shape [\(o)]")
        }
        let (k, l) = (geo.patchSize, geo.outSize)
        try ElementLimit.check([k, l], op: "conv2d")
        try ElementLimit.check([n, o, l], op: "conv2d")
        let imageSize = geo.channels * geo.height * geo.width
        let groups = Swift.min(n, convGroups)
        let workers = Swift.max(1, Swift.min(computeThreads(), groups))
        let xv = x.data, wv = weight.data, bv = bias?.data

        // One scratch (patch matrix and padded image) per worker, reused across its images.
        let scratchSize = geo.scratchSize
        var scratch = [Float](repeating: 0, count: workers * scratchSize)
        let out = uninitializedArray(n * o * l) { y in
            xv.withUnsafeBufferPointer { px in
                wv.withUnsafeBufferPointer { pw in
                    scratch.withUnsafeMutableBufferPointer { ps in
                        let (x0, w0, s0, y0) = (SendablePointer(px.baseAddress!), SendablePointer(pw.baseAddress!),
                                                SendableMutablePointer(ps.baseAddress!), SendableMutablePointer(y))
                        parallelParts(groups, threads: workers) { group, worker in
                            let cols = s0.p + worker * scratchSize
                            let padded = geo.paddedScratch(after: cols)
                            for img in partRange(group, of: groups, count: n) {
                                let yImg = y0.p + img * o * l
                                if let bv {
                                    for c in 0..<o { (yImg + c * l).update(repeating: bv[c], count: l) }
                                }
                                geo.im2col(x0.p + img * imageSize, cols, padded: padded)
                                sgemm(transA: false, transB: false, m: o, n: l, k: k,
                                      alpha: 1, a: w0.p, lda: k, b: cols, ldb: l,
                                      beta: bv == nil ? 0 : 1, c: yImg, ldc: l)
                            }
                        }
                    }
                }
            }
        }
        let parents = bias.map { [x, weight, $0] } ?? [x, weight]
        let shape = [n, o, geo.outH, geo.outW]
        return Tensor.result(shape: shape, data: out, parents: parents) { g in
            let (needW, needX) = (weight.requiresGrad, x.requiresGrad)
            // Per worker: the patch matrix (recomputed: storing the batch's would cost more
            // memory traffic than redoing it) and dcols; per group: its weight-gradient sum.
            // (Each with room for a padded image after it.)
            var cols = [Float](repeating: 0, count: needW ? workers * scratchSize : 0)
            var dcols = [Float](repeating: 0, count: needX ? workers * scratchSize : 0)
            var partials = [Float](repeating: 0, count: needW ? groups * o * k : 0)
            g.withUnsafeBufferPointer { pgBuf in
              xv.withUnsafeBufferPointer { px in
                wv.withUnsafeBufferPointer { pw in
                  cols.withUnsafeMutableBufferPointer { pc in
                    dcols.withUnsafeMutableBufferPointer { pd in
                      partials.withUnsafeMutableBufferPointer { pp in
                        let (g0, x0, w0) = (SendablePointer(pgBuf.baseAddress!), SendablePointer(px.baseAddress!),
                                            SendablePointer(pw.baseAddress!))
                        let (c0, d0, p0) = (pc.baseAddress.map(SendableMutablePointer.init),
                                            pd.baseAddress.map(SendableMutablePointer.init),
                                            pp.baseAddress.map(SendableMutablePointer.init))
                        // Both gradients in one sweep over the images: dW_groupᵀ = Σ cols·Gᵀ,
                        // dx = col2im(Wᵀ·G) (zeroed first when dx is new, beta = 0).
                        func sweep(dx: SendableMutablePointer<Float>?, beta: Float) {
                            parallelParts(groups, threads: workers) { group, worker in
                                for (t, img) in partRange(group, of: groups, count: n).enumerated() {
                                    let gImg = g0.p + img * o * l
                                    if needW, let c0, let p0 {
                                        let cw = c0.p + worker * scratchSize
                                        geo.im2col(x0.p + img * imageSize, cw, padded: geo.paddedScratch(after: cw))
                                        // The group's dWᵀ [k, o] = Σ cols·Gᵀ: the same sum as
                                        // G·colsᵀ, in the layout OpenBLAS runs faster for these
                                        // shapes (k long, o short: 175 against 127 GFLOP/s for
                                        // the middle layer of cnn-barlow).
                                        sgemm(transA: false, transB: true, m: k, n: o, k: l,
                                              alpha: 1, a: cw, lda: l, b: gImg, ldb: l,
                                              beta: t == 0 ? 0 : 1, c: p0.p + group * o * k, ldc: o)
                                    }
                                    if let dx, let d0 {
                                        let dc = d0.p + worker * scratchSize  // dcols
                                        sgemm(transA: true, transB: false, m: k, n: l, k: o,
                                              alpha: 1, a: w0.p, lda: k, b: gImg, ldb: l,
                                              beta: 0, c: dc, ldc: l)
                                        let dxImg = dx.p + img * imageSize
                                        if beta == 0 { dxImg.update(repeating: 0, count: imageSize) }
                                        geo.col2im(dc, dxImg, padded: geo.paddedScratch(after: dc))
                                    }
                                }
                            }
                        }
                        if needX {
                            x.accumulateGrad { dx, beta in sweep(dx: SendableMutablePointer(dx), beta: beta) }
                        } else {
                            sweep(dx: nil, beta: 1)
                        }
                        if needW, let p0 {
                            weight.accumulateGrad { dw, beta0 in
                                let size = o * k
                                if beta0 == 0 { dw.update(repeating: 0, count: size) }
                                for group in 0..<groups {
                                    let part = p0.p + group * size  // [k, o]: transposed
                                    for r in 0..<k {
                                        for c in 0..<o { dw[c * k + r] += part[r * o + c] }
                                    }
                                }
                            }
                        }
                      }
                    }
                  }
                }
              }
                if let bias, bias.requiresGrad {
                    bias.accumulateGrad(biasGradient(g, n: n, channels: o, inner: l))
                }
            }
        }
    }
}
