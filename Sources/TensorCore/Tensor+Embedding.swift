/// The embedding look-up: integer ids in, rows of a table out. It is how a transformer
/// turns tokens (and positions) into vectors.

/// Row `indices[…]` of `table` [V, D] for every id in `indices` (any shape, whole numbers
/// stored as floats, each in 0..<V): the result has shape `indices.shape + [D]`
/// (PyTorch `F.embedding(indices, table)`, or `table[indices]` in NumPy).
///
/// Derivative: dL/dtable[v] = Σ over the positions p with indices[p] = v of dL/dout[p],
/// a scatter-add: a row used three times in a batch gets three gradients, a row not used
/// gets zero. The ids get no gradient. A composition of `indexSelect` (whose backward is
/// that scatter-add) and `reshape`.
public func embedding(_ table: Tensor, indices: Tensor) throws -> Tensor {
    guard table.rank == 2 else {
        throw TensorError.shapeMismatch(op: "embedding", lhs: table.shape, rhs: indices.shape,
                                        detail: "the table must be [V, D]")
    }
    let ids = try integerIndices(indices, limit: table.shape[0], op: "embedding")
    let rows = try indexSelect(table, axis: 0, indices: ids)
    return try reshape(rows, indices.shape + [table.shape[1]])
}

/// One-hot vectors: for ids of any shape, `ids.shape + [classes]` with a 1 at each id
/// (PyTorch `F.one_hot`). It is the look-up in the identity table, `embedding(eye(C), ids)`,
/// and conversely `embedding(table, ids) == oneHot(ids, V)·table`: a look-up is a matrix
/// product with one-hot rows, done without the zeros. No gradient (the ids are constants).
public func oneHot(_ indices: Tensor, classes: Int) throws -> Tensor {
    guard classes >= 1 else {
        throw TensorError.argument(op: "oneHot", template: "classes must be at least 1, got {classes}", values: ["classes": "\(classes)"])
    }
    let ids = try integerIndices(indices, limit: classes, op: "oneHot")
    var data = [Float](repeating: 0, count: ids.count * classes)
    for (k, id) in ids.enumerated() { data[k * classes + id] = 1 }
    return Tensor(shape: indices.shape + [classes], data: data)
}

/// One position of each sequence: out[b] = x[b, positions[b]] for x [B, L, …] and B
/// positions in 0..<L, shape [B, …] (PyTorch `x[torch.arange(B), positions]`), e.g. the
/// output vector at each sequence's masked token. Derivative: each gradient goes back to
/// the position it was taken from, zero elsewhere. A composition of `reshape` and
/// `indexSelect` over the flattened [B·L, …] rows.
public func pick(_ x: Tensor, positions: [Int]) throws -> Tensor {
    guard x.rank >= 2, x.shape[0] == positions.count else {
        throw TensorError.shapeMismatch(op: "pick", lhs: x.shape, rhs: [positions.count],
                                        detail: "needs x [B, L, …] and B positions")
    }
    let (b, l) = (x.shape[0], x.shape[1])
    let rest = Array(x.shape.dropFirst(2))
    if let bad = positions.first(where: { $0 < 0 || $0 >= l }) {
        throw TensorError.argument(op: "pick", template: "position {position} is not in 0..<{length}",
            values: ["position": "\(bad)", "length": "\(l)"])
    }
    let rows = try reshape(x, [b * l, rest.reduce(1, *)])
    let picked = try indexSelect(rows, axis: 0, indices: positions.enumerated().map { $0.offset * l + $0.element })
    return try reshape(picked, [b] + rest)
}
