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

    /// The output columns `first..<last` whose input column j·stride − padding + kj lies
    /// inside the image (the others read padding).
    func insideColumns(_ kj: Int) -> (first: Int, last: Int) {
        let first = Swift.min(outW, Swift.max(0, (padding - kj + stride - 1) / stride))
        let last = Swift.max(first, Swift.min(outW, (width + padding - kj + stride - 1) / stride))
        return (first, last)
    }

    /// The output rows `first..<last` whose input row i·stride − padding + ki lies inside
    /// the image.
    func insideRows(_ ki: Int) -> (first: Int, last: Int) {
        let first = Swift.min(outH, Swift.max(0, (padding - ki + stride - 1) / stride))
        let last = Swift.max(first, Swift.min(outH, (height + padding - ki + stride - 1) / stride))
        return (first, last)
    }

    /// True when each output row reads one input row at a fixed shift (stride 1, output as
    /// wide as the input: "same" padding, as every 3×3 convolution with padding 1). Then a
    /// patch row's inside part is one contiguous run of the input channel, shifted by
    /// (ki − padding)·W + kj − padding, apart from the entries that read the left and
    /// right padding: the fast path below copies (or adds) the run at once and fixes those.
    var isShiftedRun: Bool { stride == 1 && outW == width }

    /// Writes the [patchSize, outSize] patch matrix of one image (`x`: [C, H, W]).
    func im2col(_ x: UnsafePointer<Float>, _ cols: UnsafeMutablePointer<Float>) {
        OpProfile.measure(.im2col) {
            let (oh, ow) = (outH, outW)
            for c in 0..<channels {
                let plane = x + c * height * width
                for ki in 0..<kernelH {
                    let (i0, i1) = insideRows(ki)
                    for kj in 0..<kernelW {
                        let row = cols + ((c * kernelH + ki) * kernelW + kj) * oh * ow
                        let (first, last) = insideColumns(kj)
                        row.update(repeating: 0, count: i0 * ow)
                        (row + i1 * ow).update(repeating: 0, count: (oh - i1) * ow)
                        guard i1 > i0 else { continue }
                        if isShiftedRun && last > first {
                            // Fast path: one run, then zero the entries that read padding
                            // (the run put the neighbouring row's end there).
                            let (start, end) = (i0 * ow + first, (i1 - 1) * ow + last)
                            let shift = (ki - padding) * width + kj - padding
                            (row + start).update(from: plane + start + shift, count: end - start)
                            if first > 0 || last < ow {
                                for i in i0..<i1 {
                                    let dst = row + i * ow
                                    for j in 0..<first { dst[j] = 0 }
                                    for j in last..<ow { dst[j] = 0 }
                                }
                            }
                            continue
                        }
                        // Plain definition: row by row.
                        for i in i0..<i1 {
                            let src = plane + (i * stride - padding + ki) * width + kj - padding
                            let dst = row + i * ow
                            for j in 0..<first { dst[j] = 0 }
                            if stride == 1 {
                                for j in first..<last { dst[j] = src[j] }
                            } else {
                                for j in first..<last { dst[j] = src[j * stride] }
                            }
                            for j in Swift.max(first, last)..<ow { dst[j] = 0 }
                        }
                    }
                }
            }
        }
    }

    /// The adjoint of `im2col`: adds each patch entry of `cols` back into `dx` ([C, H, W]).
    /// `cols` is scratch: the entries that read padding are set to 0 on the way.
    func col2im(_ cols: UnsafeMutablePointer<Float>, _ dx: UnsafeMutablePointer<Float>) {
        OpProfile.measure(.im2col) {
            let (oh, ow) = (outH, outW)
            for c in 0..<channels {
                let plane = dx + c * height * width
                for ki in 0..<kernelH {
                    let (i0, i1) = insideRows(ki)
                    for kj in 0..<kernelW {
                        let row = cols + ((c * kernelH + ki) * kernelW + kj) * oh * ow
                        let (first, last) = insideColumns(kj)
                        guard i1 > i0, last > first else { continue }
                        if isShiftedRun {
                            // Fast path: zero the entries that read padding, then add the run.
                            if first > 0 || last < ow {
                                for i in i0..<i1 {
                                    let src = row + i * ow
                                    for j in 0..<first { src[j] = 0 }
                                    for j in last..<ow { src[j] = 0 }
                                }
                            }
                            let (start, end) = (i0 * ow + first, (i1 - 1) * ow + last)
                            let dst = plane + start + (ki - padding) * width + kj - padding
                            let src = row + start
                            for t in 0..<(end - start) { dst[t] += src[t] }
                            continue
                        }
                        // Plain definition: row by row.
                        for i in i0..<i1 {
                            let dst = plane + (i * stride - padding + ki) * width + kj - padding
                            let src = row + i * ow
                            if stride == 1 {
                                for j in first..<last { dst[j] += src[j] }
                            } else {
                                for j in first..<last { dst[j * stride] += src[j] }
                            }
                        }
                    }
                }
            }
        }
    }
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
/// Derivative, per image with G = dL/dout viewed as [O, Ho·Wo]: dW += G·colsᵀ,
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

        // One patch matrix per worker, reused across its images.
        var scratch = [Float](repeating: 0, count: workers * k * l)
        let out = uninitializedArray(n * o * l) { y in
            xv.withUnsafeBufferPointer { px in
                wv.withUnsafeBufferPointer { pw in
                    scratch.withUnsafeMutableBufferPointer { ps in
                        let (x0, w0, s0, y0) = (SendablePointer(px.baseAddress!), SendablePointer(pw.baseAddress!),
                                                SendableMutablePointer(ps.baseAddress!), SendableMutablePointer(y))
                        parallelParts(groups, threads: workers) { group, worker in
                            let cols = s0.p + worker * k * l
                            for img in partRange(group, of: groups, count: n) {
                                let yImg = y0.p + img * o * l
                                if let bv {
                                    for c in 0..<o { (yImg + c * l).update(repeating: bv[c], count: l) }
                                }
                                geo.im2col(x0.p + img * imageSize, cols)
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
            var cols = [Float](repeating: 0, count: needW ? workers * k * l : 0)
            var dcols = [Float](repeating: 0, count: needX ? workers * k * l : 0)
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
                        // Both gradients in one sweep over the images: dW_group = Σ G·colsᵀ,
                        // dx = col2im(Wᵀ·G) (zeroed first when dx is new, beta = 0).
                        func sweep(dx: SendableMutablePointer<Float>?, beta: Float) {
                            parallelParts(groups, threads: workers) { group, worker in
                                for (t, img) in partRange(group, of: groups, count: n).enumerated() {
                                    let gImg = g0.p + img * o * l
                                    if needW, let c0, let p0 {
                                        let cw = c0.p + worker * k * l
                                        geo.im2col(x0.p + img * imageSize, cw)
                                        sgemm(transA: false, transB: true, m: o, n: k, k: l,
                                              alpha: 1, a: gImg, lda: l, b: cw, ldb: l,
                                              beta: t == 0 ? 0 : 1, c: p0.p + group * o * k, ldc: k)
                                    }
                                    if let dx, let d0 {
                                        let dw = d0.p + worker * k * l
                                        sgemm(transA: true, transB: false, m: k, n: l, k: o,
                                              alpha: 1, a: w0.p, lda: k, b: gImg, ldb: l,
                                              beta: 0, c: dw, ldc: l)
                                        let dxImg = dx.p + img * imageSize
                                        if beta == 0 { dxImg.update(repeating: 0, count: imageSize) }
                                        geo.col2im(dw, dxImg)
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
                                    let part = p0.p + group * size
                                    for i in 0..<size { dw[i] += part[i] }
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
