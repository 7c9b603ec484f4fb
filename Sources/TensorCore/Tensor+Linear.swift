import RunSupport

/// The affine map of a fully connected layer, fused into one BLAS call.

/// y = x·Wᵀ + b for x [N, in], `weight` [out, in] (PyTorch's layout) and an optional
/// `bias` [out]: the bias rows are written first and sgemm adds x·Wᵀ onto them (β = 1),
/// so neither the transpose nor the broadcast bias is ever materialised.
///
/// Derivative, with G = dL/dy [N, out]: dL/dx = G·W, dL/dW = Gᵀ·x, dL/db = Σₙ Gₙ.
public func linear(_ x: Tensor, weight: Tensor, bias: Tensor? = nil) throws -> Tensor {
    return try OpProfile.measure(.convLinear) {
        guard x.rank == 2, weight.rank == 2, x.shape[1] == weight.shape[1] else {
            throw TensorError.shapeMismatch(op: "linear", lhs: x.shape, rhs: weight.shape,
                                            detail: "needs input [N, in] and weight [out, in]")
        }
        let (n, inFeatures, outFeatures) = (x.shape[0], x.shape[1], weight.shape[0])
        if let bias, bias.shape != [outFeatures] {
            throw TensorError.shapeMismatch(op: "linear", lhs: weight.shape, rhs: bias.shape,
                                            detail: "bias must have shape [\(outFeatures)]")
        }
        let xv = x.data, wv = weight.data, bv = bias?.data
        let out = uninitializedArray(n * outFeatures) { y in
            if let bv {
                bv.withUnsafeBufferPointer { pb in
                    for i in 0..<n { (y + i * outFeatures).update(from: pb.baseAddress!, count: outFeatures) }
                }
            }
            xv.withUnsafeBufferPointer { px in
                wv.withUnsafeBufferPointer { pw in
                    sgemm(transA: false, transB: true, m: n, n: outFeatures, k: inFeatures,
                          alpha: 1, a: px.baseAddress!, lda: inFeatures, b: pw.baseAddress!, ldb: inFeatures,
                          beta: bv == nil ? 0 : 1, c: y, ldc: outFeatures)
                }
            }
        }
        let parents = bias.map { [x, weight, $0] } ?? [x, weight]
        return Tensor.result(shape: [n, outFeatures], data: out, parents: parents) { g in
            g.withUnsafeBufferPointer { pgBuf in
                let pg = pgBuf.baseAddress!
                if x.requiresGrad {
                    wv.withUnsafeBufferPointer { pw in
                        x.accumulateGrad { dx, beta in
                            sgemm(transA: false, transB: false, m: n, n: inFeatures, k: outFeatures,
                                  alpha: 1, a: pg, lda: outFeatures, b: pw.baseAddress!, ldb: inFeatures,
                                  beta: beta, c: dx, ldc: inFeatures)
                        }
                    }
                }
                if weight.requiresGrad {
                    xv.withUnsafeBufferPointer { px in
                        weight.accumulateGrad { dw, beta in
                            sgemm(transA: true, transB: false, m: outFeatures, n: inFeatures, k: n,
                                  alpha: 1, a: pg, lda: outFeatures, b: px.baseAddress!, ldb: inFeatures,
                                  beta: beta, c: dw, ldc: inFeatures)
                        }
                    }
                }
                if let bias, bias.requiresGrad {
                    bias.accumulateGrad(biasGradient(g, n: n, channels: outFeatures, inner: 1))
                }
            }
        }
    }
}
