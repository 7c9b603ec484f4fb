import RunSupport

/// 2-D convolution (cross-correlation, as in every deep-learning library) by im2col + sgemm.
///
/// For one image, im2col lays every kernel-sized patch out as a column: a matrix
/// `cols` of [C·kh·kw, Ho·Wo]. The convolution is then one matrix product,
/// out = W · cols, with W the weight viewed as [O, C·kh·kw]. Its derivative is that of
/// a matrix product: dW = G · colsᵀ and dcols = Wᵀ · G, and col2im (the adjoint of
/// im2col: patches added back where they came from) turns dcols into dx. The loops are
/// in `Kernels/ConvKernels.swift`.

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
            throw TensorError.argument(op: "conv2d", template: "stride {stride} must be ≥ 1 and padding {padding} ≥ 0",
                values: ["stride": "\(stride)", "padding": "\(padding)"])
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
        let xv = x.data, wv = weight.data
        let sweep = ConvSweep(geo, images: n, outChannels: o)
        let out = sweep.forward(xv, weight: wv, bias: bias?.data)
        let parents = bias.map { [x, weight, $0] } ?? [x, weight]
        let shape = [n, o, geo.outH, geo.outW]
        return Tensor.result(shape: shape, data: out, parents: parents) { g in
            // dW += G·colsᵀ and dx += col2im(Wᵀ·G), image by image.
            sweep.backward(g, x: x, xv, weight: weight, wv)
            if let bias, bias.requiresGrad {
                bias.accumulateGrad(biasGradient(g, n: n, channels: o, inner: l))
            }
        }
    }
}
