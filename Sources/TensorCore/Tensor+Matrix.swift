import RunSupport

/// Matrix helpers composed from primitives: diag, offdiag, outer.

/// For a matrix [r, c]: its diagonal, a vector of min(r, c) (the flattened matrix
/// sliced with step c + 1). For a vector v: the square matrix with v on its diagonal
/// (eye(n) · v, broadcast).
public func diag(_ x: Tensor) throws -> Tensor {
    return try OpProfile.measure(.copy) {
        switch x.rank {
        case 1:
            return try Tensor.eye(x.shape[0]) * x
        case 2:
            let (r, c) = (x.shape[0], x.shape[1])
            let k = Swift.min(r, c)
            if k == 0 { return try reshape(x, [0]) }
            return try slice(flatten(x), axis: 0, SliceRange(0, (k - 1) * (c + 1) + 1, step: c + 1))
        default:
            throw TensorError.argument(op: "diag", template: "needs a vector or a matrix, got shape {shape}",
                values: ["shape": formatShape(x.shape)])
        }
    }
}

/// The off-diagonal elements of a square matrix [n, n], as a vector of n(n − 1), row by
/// row (the Barlow Twins trick: drop the last element, view as [n − 1, n + 1], drop the
/// first column).
public func offdiag(_ x: Tensor) throws -> Tensor {
    return try OpProfile.measure(.copy) {
        guard x.rank == 2, x.shape[0] == x.shape[1] else {
            throw TensorError.argument(op: "offdiag", template: "needs a square matrix, got shape {shape}",
                values: ["shape": formatShape(x.shape)])
        }
        let n = x.shape[0]
        if n <= 1 { return try reshape(slice(flatten(x), axis: 0, SliceRange(0, 0)), [0]) }
        let body = try slice(flatten(x), axis: 0, SliceRange(0, n * n - 1))
        return try flatten(slice(reshape(body, [n - 1, n + 1]), axis: 1, SliceRange(1)))
    }
}

/// The outer product of vectors a [n] and b [m]: [n, m] with entries aᵢ·bⱼ.
public func outer(_ a: Tensor, _ b: Tensor) throws -> Tensor {
    guard a.rank == 1, b.rank == 1 else {
        throw TensorError.shapeMismatch(op: "outer", lhs: a.shape, rhs: b.shape, detail: "needs two vectors")
    }
    return try reshape(a, [a.count, 1]) * reshape(b, [1, b.count])
}
