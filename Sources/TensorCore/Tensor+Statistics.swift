/// Statistics and similarity, composed from primitives (no gradient code of their own).

/// Mean squared error: mean((a − b)²), broadcasting.
public func mse(_ a: Tensor, _ b: Tensor) throws -> Tensor {
    do { return mean(pow(try a - b, 2)) } catch let e as TensorError {
        throw TensorError.shapeMismatch(op: "mse", lhs: a.shape, rhs: b.shape, detail: "\(e)")
    }
}

/// Variance along `axis`: Σ(x − mean)² / (n − 1) when `unbiased` (Bessel's correction,
/// PyTorch's default), else / n.
public func variance(_ x: Tensor, axis: Int, unbiased: Bool = true, keepDim: Bool = false) throws -> Tensor {
    let a = try normalizeAxis(axis, rank: x.rank, op: "variance", shape: x.shape)
    let n = x.shape[a]
    let centered = try x - mean(x, axis: a, keepDim: true)
    return try sum(pow(centered, 2), axis: a, keepDim: keepDim) / Float(Swift.max(unbiased ? n - 1 : n, 1))
}

/// Variance of all elements (biased or unbiased as above).
public func variance(_ x: Tensor, unbiased: Bool = true) throws -> Tensor {
    let n = x.count
    let centered = try x - mean(x)
    return sum(pow(centered, 2)) / Float(Swift.max(unbiased ? n - 1 : n, 1))
}

/// Standard deviation along `axis`: √variance.
public func std(_ x: Tensor, axis: Int, unbiased: Bool = true, keepDim: Bool = false) throws -> Tensor {
    _ = try normalizeAxis(axis, rank: x.rank, op: "std", shape: x.shape)
    return sqrt(try variance(x, axis: axis, unbiased: unbiased, keepDim: keepDim))
}

/// Standard deviation of all elements.
public func std(_ x: Tensor, unbiased: Bool = true) throws -> Tensor {
    sqrt(try variance(x, unbiased: unbiased))
}

/// (x − mean) / √(var + eps) along `axis`, with the biased variance (what BatchNorm
/// computes in training, without its affine part).
public func standardize(_ x: Tensor, axis: Int = 0, eps: Float = 1e-5) throws -> Tensor {
    let axis = try normalizeAxis(axis, rank: x.rank, op: "standardize", shape: x.shape)
    let centered = try x - mean(x, axis: axis, keepDim: true)
    let v = try variance(x, axis: axis, unbiased: false, keepDim: true)
    return try centered / sqrt(v + eps)
}

/// x / max(‖x‖₂, eps) along `axis` (PyTorch `F.normalize`): unit vectors, safe at 0.
public func normalize(_ x: Tensor, axis: Int = -1, eps: Float = 1e-12) throws -> Tensor {
    let axis = try normalizeAxis(axis, rank: x.rank, op: "normalize", shape: x.shape)
    let norm = sqrt(try sum(pow(x, 2), axis: axis, keepDim: true))
    return try x / maximum(norm, eps)
}

/// Cosine similarity along `axis`: Σ â·b̂ with â = a / max(‖a‖, eps) (broadcasting).
public func cosineSimilarity(_ a: Tensor, _ b: Tensor, axis: Int = -1, eps: Float = 1e-8) throws -> Tensor {
    do {
        return try sum(normalize(a, axis: axis, eps: eps) * normalize(b, axis: axis, eps: eps), axis: axis)
    } catch let e as TensorError {
        throw TensorError.shapeMismatch(op: "cosineSimilarity", lhs: a.shape, rhs: b.shape, detail: "\(e)")
    }
}
