import TensorCore

/// The rows of `support` [K, D] nearest to each row of `z` [N, D] in cosine similarity
/// (ties: the lower row first), as a [N, D] tensor without gradient: NNCLR's positives.
/// lightly's `NNMemoryBankModule` picks them the same way (argmax of the normalised
/// products) and returns the bank's rows.
public func supportNearestNeighbours(_ z: Tensor, support: Tensor) throws -> Tensor {
    guard z.rank == 2, support.rank == 2, z.shape[1] == support.shape[1], support.shape[0] >= 1 else {
        throw TensorError.shapeMismatch(op: "supportNearestNeighbours", lhs: z.shape, rhs: support.shape,
                                        detail: "needs embeddings [N, D] and a support set [K, D] with K ≥ 1")
    }
    return try withNoGrad {
        let similarity = try matmul(normalize(z.detach(), axis: 1), normalize(support, axis: 1), transposeB: true)
        let nearest = try argmax(similarity, axis: 1).data.map { Int($0) }
        return try indexSelect(support, axis: 0, indices: nearest)
    }
}

/// NNCLR's loss (Dwibedi et al. 2021, "With a Little Help from My Friends"): the positive of
/// each view's prediction is the nearest neighbour, in the support set, of the other view's
/// projection, and NT-Xent (`ntXent`, 2N − 2 negatives per anchor) compares them, symmetric
/// over the two views:
///
///     ℓ = ½ (NT-Xent(NN(z₁), p₂) + NT-Xent(NN(z₂), p₁))
///
/// as lightly's NNCLR example computes it (`NTXentLoss` between `memory_bank(z)` and `p`).
/// The neighbours carry no gradient; it flows through the predictions p. Default τ = 0.1
/// (the paper's). Shapes: z₁, p₁, z₂, p₂ [N, D], N ≥ 2; support [K, D] → scalar.
public func nnclrLoss(z1: Tensor, p1: Tensor, z2: Tensor, p2: Tensor, support: Tensor,
                      temperature: Float = 0.1) throws -> Tensor {
    try checkPair(z1, z2, op: "nnclrLoss", minimumBatch: 2)
    try checkPair(p1, p2, op: "nnclrLoss", minimumBatch: 2)
    try checkPair(z1, p1, op: "nnclrLoss", minimumBatch: 2)
    let nn1 = try supportNearestNeighbours(z1, support: support)
    let nn2 = try supportNearestNeighbours(z2, support: support)
    return try (ntXent(nn1, p2, temperature: temperature) + ntXent(nn2, p1, temperature: temperature)) * 0.5
}
