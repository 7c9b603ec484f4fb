import RunSupport

/// Matrix products: 2-D and batched 3-D, with transposes folded into the BLAS call.

/// op(a)·op(b), where op(x) is x or its transpose (of the last two axes) when
/// `transposeA`/`transposeB` is set; the transpose is never materialised.
///
/// Shapes: [m, k]·[k, n] → [m, n]; batched [B, m, k]·[B, k, n] → [B, m, n]; a 3-D
/// operand with a 2-D one uses the same matrix for every batch entry.
///
/// Derivative (for C = A·B, with G = dL/dC): dL/dA = G·Bᵀ and dL/dB = Aᵀ·G. With the
/// transpose flags these become BLAS calls with other flags; nothing is transposed in memory.
public func matmul(_ a: Tensor, _ b: Tensor, transposeA: Bool = false, transposeB: Bool = false) throws -> Tensor {
    return try OpProfile.measure(.convLinear) {
        guard (2...3).contains(a.rank) && (2...3).contains(b.rank) else {
            throw TensorError.shapeMismatch(op: "matmul", lhs: a.shape, rhs: b.shape,
                                            detail: "needs 2-D or 3-D (batched) operands")
        }
        let ar = a.rank, br = b.rank
        let m = transposeA ? a.shape[ar - 1] : a.shape[ar - 2]
        let k = transposeA ? a.shape[ar - 2] : a.shape[ar - 1]
        let kb = transposeB ? b.shape[br - 1] : b.shape[br - 2]
        let n = transposeB ? b.shape[br - 2] : b.shape[br - 1]
        guard k == kb else {
            throw TensorError.shapeMismatch(op: "matmul", lhs: a.shape, rhs: b.shape,
                                            detail: "inner dimensions \(k) and \(kb) differ" +
                                                (transposeA || transposeB ? " (transposeA: \(transposeA), transposeB: \(transposeB))" : ""))
        }
        let batchA = ar == 3 ? a.shape[0] : 1, batchB = br == 3 ? b.shape[0] : 1
        guard ar == 2 || br == 2 || batchA == batchB else {
            throw TensorError.shapeMismatch(op: "matmul", lhs: a.shape, rhs: b.shape,
                                            detail: "batch sizes \(batchA) and \(batchB) differ")
        }
        let batch = Swift.max(batchA, batchB)
        let shape = (ar == 3 || br == 3) ? [batch, m, n] : [m, n]
        try ElementLimit.check(shape, op: "matmul")
        // Per-batch strides (0 for a 2-D operand shared by every batch entry) and row strides.
        let strideA = ar == 3 ? m * k : 0, strideB = br == 3 ? k * n : 0, strideC = m * n
        let lda = a.shape[ar - 1], ldb = b.shape[br - 1]
        let av = a.data, bv = b.data

        // A large product runs in blocks of rows of about 2^27 multiply-adds, asking between
        // blocks whether the host wants to stop (a time limit), so one call cannot outlast it.
        let large = m * n * k > 1 << 27
        let rowsPerBlock = large ? Swift.max(1, (1 << 27) / Swift.max(1, n * k)) : Swift.max(m, 1)
        var stopped = false
        let out = uninitializedArray(batch * m * n) { c in
            av.withUnsafeBufferPointer { pa in
                bv.withUnsafeBufferPointer { pb in
                    for i in 0..<batch where !stopped {
                        var row = 0
                        while row < m {
                            if large && OperationCancellation.requested { stopped = true; break }
                            let rows = Swift.min(rowsPerBlock, m - row)
                            sgemm(transA: transposeA, transB: transposeB, m: rows, n: n, k: k,
                                  alpha: 1, a: pa.baseAddress! + i * strideA + (transposeA ? row : row * lda), lda: lda,
                                  b: pb.baseAddress! + i * strideB, ldb: ldb,
                                  beta: 0, c: c + i * strideC + row * n, ldc: n)
                            row += rows
                        }
                    }
                }
            }
        }
        if stopped { throw TensorError.cancelled(op: "matmul") }
        return Tensor.result(shape: shape, data: out, parents: [a, b]) { g in
            g.withUnsafeBufferPointer { pg in
                let gp = pg.baseAddress!
                if a.requiresGrad {
                    // d op(A) = G·op(B)ᵀ; when A is stored transposed, dA = (G·op(B)ᵀ)ᵀ = op(B)·Gᵀ.
                    bv.withUnsafeBufferPointer { pb in
                        a.accumulateGrad { ga, beta0 in
                            for i in 0..<batch {
                                let beta: Float = (strideA == 0 && i > 0) ? 1 : beta0
                                if !transposeA {
                                    sgemm(transA: false, transB: !transposeB, m: m, n: k, k: n,
                                          alpha: 1, a: gp + i * strideC, lda: n,
                                          b: pb.baseAddress! + i * strideB, ldb: ldb,
                                          beta: beta, c: ga + i * strideA, ldc: k)
                                } else {
                                    sgemm(transA: transposeB, transB: true, m: k, n: m, k: n,
                                          alpha: 1, a: pb.baseAddress! + i * strideB, lda: ldb,
                                          b: gp + i * strideC, ldb: n,
                                          beta: beta, c: ga + i * strideA, ldc: m)
                                }
                            }
                        }
                    }
                }
                if b.requiresGrad {
                    // d op(B) = op(A)ᵀ·G; when B is stored transposed, dB = (op(A)ᵀ·G)ᵀ = Gᵀ·op(A).
                    av.withUnsafeBufferPointer { pa in
                        b.accumulateGrad { gb, beta0 in
                            for i in 0..<batch {
                                let beta: Float = (strideB == 0 && i > 0) ? 1 : beta0
                                if !transposeB {
                                    sgemm(transA: !transposeA, transB: false, m: k, n: n, k: m,
                                          alpha: 1, a: pa.baseAddress! + i * strideA, lda: lda,
                                          b: gp + i * strideC, ldb: n,
                                          beta: beta, c: gb + i * strideB, ldc: n)
                                } else {
                                    sgemm(transA: true, transB: transposeA, m: n, n: k, k: m,
                                          alpha: 1, a: gp + i * strideC, lda: n,
                                          b: pa.baseAddress! + i * strideA, ldb: lda,
                                          beta: beta, c: gb + i * strideB, ldc: k)
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

extension Tensor {
    /// `matmul(self, other)`.
    public func matmul(_ other: Tensor) throws -> Tensor { try TensorCore.matmul(self, other) }
}
