import RunSupport

/// The optimised loops of `conv2d` (`Tensor+Conv.swift` holds the op and its derivative):
/// im2col and col2im through a zero-padded copy in SIMD runs, and the sweeps over a
/// batch's images in fixed groups that run in parallel, each image one `sgemm`.

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

/// The sweeps of one `conv2d` over a batch of `n` images into `o` output channels: the
/// images in `convGroups` fixed groups (fewer for a smaller batch) run in parallel on
/// `workers` threads (read once, when the sweep is made), each worker with its own scratch
/// (patch matrix and padded image), reused across its images.
struct ConvSweep {
    let geo: ConvGeometry
    let n, o: Int
    let groups, workers: Int

    init(_ geo: ConvGeometry, images n: Int, outChannels o: Int) {
        self.geo = geo
        (self.n, self.o) = (n, o)
        groups = Swift.min(n, convGroups)
        workers = Swift.max(1, Swift.min(computeThreads(), groups))
    }

    /// out [n, o, Ho·Wo]: per image, the bias rows, then out += W·im2col(x) (one sgemm).
    func forward(_ xv: [Float], weight wv: [Float], bias bv: [Float]?) -> [Float] {
        let (geo, n, o, groups, workers) = (self.geo, self.n, self.o, self.groups, self.workers)
        let (k, l) = (geo.patchSize, geo.outSize)
        let imageSize = geo.channels * geo.height * geo.width
        // One scratch (patch matrix and padded image) per worker, reused across its images.
        let scratchSize = geo.scratchSize
        var scratch = [Float](repeating: 0, count: workers * scratchSize)
        return uninitializedArray(n * o * l) { y in
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
    }

    /// Adds the gradients of x and of the weight (those that require one) for the output
    /// gradient `g`, in one sweep over the images: per group dWᵀ = Σ cols·Gᵀ (cols
    /// recomputed), per image dx = col2im(Wᵀ·G); the groups' weight gradients are added in
    /// group order.
    func backward(_ g: [Float], x: Tensor, _ xv: [Float], weight: Tensor, _ wv: [Float]) {
        let (geo, n, o, groups, workers) = (self.geo, self.n, self.o, self.groups, self.workers)
        let (k, l) = (geo.patchSize, geo.outSize)
        let imageSize = geo.channels * geo.height * geo.width
        let scratchSize = geo.scratchSize
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
        }
    }
}
