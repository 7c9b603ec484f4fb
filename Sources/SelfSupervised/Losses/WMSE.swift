/// Whitening MSE (Ermolov et al. 2021, "Whitening for Self-Supervised Representation
/// Learning").
///
/// Each view's batch is whitened with the Cholesky factor of its covariance, then the two
/// whitened views are pulled together with the normalised MSE:
///
///     z̄ = z − mean(z),  Σ = (1 − ε) z̄ᵀz̄ / (N − 1) + ε I,  Σ = L Lᵀ,  w = z̄ L⁻ᵀ
///     ℓ = 2 − 2 · (1/N) Σᵢ cos(wₐᵢ, w_bᵢ)
///
/// Whitening makes the batch's covariance the identity, so the constant (collapsed)
/// solution is impossible by construction. Shapes: zₐ, z_b [N, D] with N > D → scalar.
///
/// Conventions: lightly 1.6.0 `WMSELoss` whitens random sub-batches of `w_size` examples
/// `w_iter` times; we whiten the whole batch once, which is lightly's loss with
/// w_size = N and w_iter = 1 (then lightly's random permutation does not change the value;
/// our golden test uses exactly that). ε default 0 as in lightly; use a small ε (1e-3) when
/// N is close to D. The Cholesky factorisation and the triangular solve are written as
/// column-by-column compositions of tensor ops in Float32, so autodiff differentiates
/// through them (D steps each); for the D ≤ 128, well-conditioned covariances of the lab
/// Float32 is accurate to ~1e-6, so no Double path is needed.
///
/// `whiteningSize` s (lightly's and the paper's `w_size`): whiten consecutive sub-batches of
/// s examples separately (the last ⌊N/s⌋·s examples; a remainder is left out, as in the
/// paper's code) and average the loss over them. The paper uses s = 2·D from a batch of
/// 1024: each sub-batch's covariance is a noisier estimate, so the whitening differs from
/// sub-batch to sub-batch. nil (or s ≥ N) whitens the whole batch once. The batches `train`
/// makes are already in random order, so consecutive sub-batches are random ones.
public func wmse(_ za: Tensor, _ zb: Tensor, eps: Float = 0, whiteningSize: Int? = nil) throws -> Tensor {
    try checkPair(za, zb, op: "wmse", minimumBatch: 2)
    let (n, d) = (za.shape[0], za.shape[1])
    let size = Swift.min(whiteningSize ?? n, n)
    guard size > d else {
        let shape = formatShape(za.shape)
        if size < n {
            throw TensorError.argument(op: "wmse",
                template: "whitening sub-batches of {size} needs more examples than dimensions, got shape {shape}",
                values: ["size": "\(size)", "shape": shape])
        }
        throw TensorError.argument(
            op: "wmse", template: "whitening needs more examples than dimensions, got shape {shape}", values: ["shape": shape])
    }
    let chunks = n / size
    var total: Tensor?
    for k in 0..<chunks {
        let rows = SliceRange(k * size, (k + 1) * size)
        let a = try slice(za, axis: 0, rows), b = try slice(zb, axis: 0, rows)
        let term = try 2 - 2 * mean(try cosineSimilarity(try whiten(a, eps: eps), try whiten(b, eps: eps), axis: 1, eps: 1e-12))
        total = try total.map { try $0 + term } ?? term
    }
    return try total! / Float(chunks)
}

/// z̄ L⁻ᵀ with L the Cholesky factor of the (shrunk) covariance of z [N, D]: the batch
/// whitened so its covariance is the identity. Differentiable.
public func whiten(_ z: Tensor, eps: Float = 0) throws -> Tensor {
    let (n, d) = (z.shape[0], z.shape[1])
    let centered = try z - mean(z, axis: 0, keepDim: true)
    var covariance = try matmul(centered, centered, transposeA: true) / Float(n - 1)
    if eps != 0 { covariance = try (1 - eps) * covariance + eps * Tensor.eye(d) }
    let l = try cholesky(covariance)
    return try forwardSubstitution(l, centered)
}

/// The lower-triangular L with L Lᵀ = a, for a symmetric positive-definite a [D, D], by
/// the column Cholesky–Banachiewicz recursion (each column a composition of tensor ops):
///
///     v = a₍·ⱼ₎ − L₍·,<ⱼ₎ L₍ⱼ,<ⱼ₎ᵀ,   L₍·ⱼ₎ = [i ≥ j] · v / √vⱼ
///
/// Throws if a pivot is not positive (the matrix is singular: e.g. a collapsed batch).
public func cholesky(_ a: Tensor) throws -> Tensor {
    guard a.rank == 2, a.shape[0] == a.shape[1] else {
        throw TensorError.argument(op: "cholesky", template: "needs a square matrix, got shape {shape}",
            values: ["shape": formatShape(a.shape)])
    }
    let d = a.shape[0]
    var columns: [Tensor] = []
    for j in 0..<d {
        try OperationCancellation.check("cholesky")
        var v = try select(a, axis: 1, index: j)
        if j > 0 {
            let previous = try stack(columns, axis: 1)                       // [D, j]
            let rowJ = try select(previous, axis: 0, index: j)               // [j]
            v = try v - matmul(previous, reshape(rowJ, [j, 1])).reshape([d])
        }
        let pivot = try select(v, axis: 0, index: j)
        guard pivot.data[0] > 0, pivot.data[0].isFinite else {
            throw TensorError.argument(
                op: "cholesky", template: "the matrix is not positive definite (pivot {pivot} at {index}); add eps",
                values: ["pivot": "\(pivot.data[0])", "index": "\(j)"])
        }
        let below = Tensor(shape: [d], data: (0..<d).map { $0 >= j ? 1 : 0 })
        columns.append(try v * below / sqrt(pivot))
    }
    return try stack(columns, axis: 1)
}

/// Y = X L⁻ᵀ for lower-triangular L [D, D] and X [N, D] (each row solves L yᵀ = xᵀ):
/// Y₍·ᵢ₎ = (X₍·ᵢ₎ − Y₍·,<ᵢ₎ L₍ᵢ,<ᵢ₎ᵀ) / Lᵢᵢ, column by column.
func forwardSubstitution(_ l: Tensor, _ x: Tensor) throws -> Tensor {
    let (n, d) = (x.shape[0], x.shape[1])
    var columns: [Tensor] = []
    for i in 0..<d {
        try OperationCancellation.check("whiten")
        var c = try select(x, axis: 1, index: i)
        if i > 0 {
            let previous = try stack(columns, axis: 1)                                   // [N, i]
            let rowI = try slice(select(l, axis: 0, index: i), axis: 0, SliceRange(0, i)) // [i]
            c = try c - matmul(previous, reshape(rowI, [i, 1])).reshape([n])
        }
        columns.append(try c / select(select(l, axis: 0, index: i), axis: 0, index: i))
    }
    return try stack(columns, axis: 1)
}
