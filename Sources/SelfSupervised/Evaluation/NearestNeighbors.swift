import TensorCore

/// The indices [M, k] of the k rows of `keys` [N, d] nearest to each row of `queries`
/// [M, d] in Euclidean distance, nearest first (ties: the lower index first). Distances
/// come from ‖q‖² + ‖k‖² − 2·q·k, one matrix product. No gradient.
///
/// Used to find the "plausible completions" of a partly hidden image: the training images
/// whose visible pixels look most like it.
public func nearestNeighbors(queries: Tensor, keys: Tensor, k: Int) throws -> Tensor {
    guard queries.rank == 2, keys.rank == 2, queries.shape[1] == keys.shape[1] else {
        throw TensorError.shapeMismatch(op: "nearestNeighbors", lhs: queries.shape, rhs: keys.shape,
                                        detail: "needs queries [M, d] and keys [N, d]")
    }
    let (m, n) = (queries.shape[0], keys.shape[0])
    guard k >= 1, k <= n else {
        throw TensorError.argument(op: "nearestNeighbors", template: "k must lie in 1...{count} (the number of keys), got {k}",
            values: ["count": "\(n)", "k": "\(k)"])
    }
    let (products, keyNorms) = try withNoGrad {
        (try matmul(queries, keys, transposeB: true).data, try sum(pow(keys, 2), axis: 1).data)
    }
    var out = [Float]()
    out.reserveCapacity(m * k)
    for i in 0..<m {
        try OperationCancellation.check("nearestNeighbors")
        // ‖q‖² is the same for every key of a row, so it does not change the order.
        let distance = (0..<n).map { keyNorms[$0] - 2 * products[i * n + $0] }
        let nearest = (0..<n).sorted { distance[$0] != distance[$1] ? distance[$0] < distance[$1] : $0 < $1 }.prefix(k)
        out.append(contentsOf: nearest.map(Float.init))
    }
    return Tensor(shape: [m, k], data: out)
}
