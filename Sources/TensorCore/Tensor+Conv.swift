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

    /// Writes the [patchSize, outSize] patch matrix of one image (`x`: [C, H, W]).
    func im2col(_ x: UnsafePointer<Float>, _ cols: UnsafeMutablePointer<Float>) {
    return OpProfile.measure(.im2col) {
            let (oh, ow) = (outH, outW)
            for c in 0..<channels {
                for ki in 0..<kernelH {
                    for kj in 0..<kernelW {
                        let row = cols + ((c * kernelH + ki) * kernelW + kj) * oh * ow
                        let (first, last) = insideColumns(kj)
                        for i in 0..<oh {
                            let ih = i * stride - padding + ki
                            let dst = row + i * ow
                            guard ih >= 0 && ih < height else {
                                dst.update(repeating: 0, count: ow)
                                continue
                            }
                            let src = x + (c * height + ih) * width + kj - padding
                            for j in 0..<first { dst[j] = 0 }
                            if stride == 1 {
                                (dst + first).update(from: src + first, count: last - first)
                            } else {
                                for j in first..<last { dst[j] = src[j * stride] }
                            }
                            for j in last..<ow { dst[j] = 0 }
                        }
                    }
                }
            }
        }
}

    /// The adjoint of `im2col`: adds each patch entry of `cols` back into `dx` ([C, H, W]).
    func col2im(_ cols: UnsafePointer<Float>, _ dx: UnsafeMutablePointer<Float>) {
    return OpProfile.measure(.im2col) {
            let (oh, ow) = (outH, outW)
            for c in 0..<channels {
                for ki in 0..<kernelH {
                    for kj in 0..<kernelW {
                        let row = cols + ((c * kernelH + ki) * kernelW + kj) * oh * ow
                        let (first, last) = insideColumns(kj)
                        for i in 0..<oh {
                            let ih = i * stride - padding + ki
                            guard ih >= 0 && ih < height else { continue }
                            let dst = dx + (c * height + ih) * width + kj - padding
                            let src = row + i * ow
                            for j in first..<last { dst[j * stride] += src[j] }
                        }
                    }
                }
            }
        }
}
}

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
        let xv = x.data, wv = weight.data, bv = bias?.data
        var cols = [Float](repeating: 0, count: k * l)

        let out = uninitializedArray(n * o * l) { y in
            xv.withUnsafeBufferPointer { px in
                wv.withUnsafeBufferPointer { pw in
                    cols.withUnsafeMutableBufferPointer { pc in
                        for img in 0..<n {
                            let yImg = y + img * o * l
                            if let bv {
                                for c in 0..<o { (yImg + c * l).update(repeating: bv[c], count: l) }
                            }
                            geo.im2col(px.baseAddress! + img * imageSize, pc.baseAddress!)
                            sgemm(transA: false, transB: false, m: o, n: l, k: k,
                                  alpha: 1, a: pw.baseAddress!, lda: k, b: pc.baseAddress!, ldb: l,
                                  beta: bv == nil ? 0 : 1, c: yImg, ldc: l)
                        }
                    }
                }
            }
        }
        let parents = bias.map { [x, weight, $0] } ?? [x, weight]
        let shape = [n, o, geo.outH, geo.outW]
        return Tensor.result(shape: shape, data: out, parents: parents) { g in
            var cols = cols
            var dcols = [Float](repeating: 0, count: weight.requiresGrad || x.requiresGrad ? k * l : 0)
            g.withUnsafeBufferPointer { pgBuf in
                let pg = pgBuf.baseAddress!
                if weight.requiresGrad {
                    xv.withUnsafeBufferPointer { px in
                        cols.withUnsafeMutableBufferPointer { pc in
                            weight.accumulateGrad { dw, beta0 in
                                for img in 0..<n {
                                    geo.im2col(px.baseAddress! + img * imageSize, pc.baseAddress!)
                                    sgemm(transA: false, transB: true, m: o, n: k, k: l,
                                          alpha: 1, a: pg + img * o * l, lda: l, b: pc.baseAddress!, ldb: l,
                                          beta: img == 0 ? beta0 : 1, c: dw, ldc: k)
                                }
                            }
                        }
                    }
                }
                if x.requiresGrad {
                    wv.withUnsafeBufferPointer { pw in
                        dcols.withUnsafeMutableBufferPointer { pd in
                            x.accumulateGrad { dx, beta in
                                if beta == 0 { dx.update(repeating: 0, count: n * imageSize) }
                                for img in 0..<n {
                                    sgemm(transA: true, transB: false, m: k, n: l, k: o,
                                          alpha: 1, a: pw.baseAddress!, lda: k, b: pg + img * o * l, ldb: l,
                                          beta: 0, c: pd.baseAddress!, ldc: l)
                                    geo.col2im(pd.baseAddress!, dx + img * imageSize)
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
