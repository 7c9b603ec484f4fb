import Foundation

/// Collapse diagnostics of a batch of embeddings.

/// The standard deviation of L2-normalised embeddings, averaged over dimensions
/// (SimSiam, Chen & He 2021, §4.1): with ẑ = z / ‖z‖ [N, D],
///
///     embeddingStd = (1/D) Σⱼ std(ẑ₍·ⱼ₎)          (unbiased std over the batch)
///
/// For embeddings spread uniformly on the sphere it is ≈ 1/√D; a collapsed (constant)
/// embedding gives 0. Collapse is usually declared below a tenth of 1/√D.
public func embeddingStd(_ z: Tensor) throws -> Double {
    guard z.rank == 2, z.shape[0] >= 2 else {
        throw TensorError.invalidArgument(op: "embeddingStd", message: "needs [N, D] with N ≥ 2, got \(formatShape(z.shape))")
    }
    return try withNoGrad { Double(try mean(std(normalize(z, axis: 1), axis: 0, unbiased: true)).data[0]) }
}

/// RankMe, the effective rank of the embeddings (Garrido et al. 2023, "RankMe: Assessing
/// the Downstream Performance of Pretrained Self-Supervised Representations"):
///
///     pₖ = σₖ / ‖σ‖₁ + ε,    RankMe = exp(−Σₖ pₖ log pₖ)
///
/// over the singular values σ of Z [N, D], ε = 1e-7. Between 1 (collapse to one
/// direction) and min(N, D). The singular values are the square roots of the eigenvalues
/// of ZᵀZ, computed in Double with the cyclic Jacobi method (`symmetricEigenvalues`).
public func rankMe(_ z: Tensor, eps: Double = 1e-7) throws -> Double {
    guard z.rank == 2, z.shape[0] >= 1, z.shape[1] >= 1 else {
        throw TensorError.invalidArgument(op: "rankMe", message: "needs [N, D], got \(formatShape(z.shape))")
    }
    let (n, d) = (z.shape[0], z.shape[1])
    try ElementLimit.check([d, d], op: "rankMe")
    var gram = [Double](repeating: 0, count: d * d)
    var stopped = false
    z.data.withUnsafeBufferPointer { p in
        for r in 0..<n where !stopped {
            if r % 64 == 0 && d > 256 && OperationCancellation.requested { stopped = true }
            for i in 0..<d {
                let zi = Double(p[r * d + i])
                if zi == 0 { continue }
                for j in i..<d { gram[i * d + j] += zi * Double(p[r * d + j]) }
            }
        }
    }
    if stopped { throw TensorError.cancelled(op: "rankMe") }
    for i in 0..<d { for j in 0..<i { gram[i * d + j] = gram[j * d + i] } }
    let sigma = try symmetricEigenvalues(gram, size: d).map { $0 > 0 ? $0.squareRoot() : 0 }
    let total = sigma.reduce(0, +)
    guard total > 0, total.isFinite else { return 1 }
    var entropy = 0.0
    for s in sigma {
        let p = s / total + eps
        entropy -= p * Foundation.log(p)
    }
    return Foundation.exp(entropy)
}

/// The eigenvalues of the symmetric matrix `a` (row-major size × size), by cyclic Jacobi
/// rotations until the off-diagonal mass is below 1e-14 of the total (at most 100 sweeps).
/// Unsorted. A sweep costs about 4n³ operations: between rows of a sweep it asks whether
/// the host wants to stop (`OperationCancellation`) and throws `TensorError.cancelled` then.
public func symmetricEigenvalues(_ matrix: [Double], size n: Int) throws -> [Double] {
    precondition(matrix.count == n * n, "symmetricEigenvalues: \(matrix.count) elements for \(n)×\(n)")
    var a = matrix
    let total = a.reduce(0) { $0 + $1 * $1 }
    for _ in 0..<100 {
        var off = 0.0
        for i in 0..<n { for j in 0..<n where i != j { off += a[i * n + j] * a[i * n + j] } }
        if off <= 1e-28 * Swift.max(total, 1e-300) { break }
        for p in 0..<n {
            if n > 64 { try OperationCancellation.check("rankMe") }
            for q in (p + 1)..<n {
                let apq = a[p * n + q]
                if apq == 0 { continue }
                let theta = (a[q * n + q] - a[p * n + p]) / (2 * apq)
                let t = (theta >= 0 ? 1.0 : -1.0) / (Swift.abs(theta) + (theta * theta + 1).squareRoot())
                let c = 1 / (t * t + 1).squareRoot(), s = t * c
                for k in 0..<n {
                    let akp = a[k * n + p], akq = a[k * n + q]
                    a[k * n + p] = c * akp - s * akq
                    a[k * n + q] = s * akp + c * akq
                }
                for k in 0..<n {
                    let apk = a[p * n + k], aqk = a[q * n + k]
                    a[p * n + k] = c * apk - s * aqk
                    a[q * n + k] = s * apk + c * aqk
                }
            }
        }
    }
    return (0..<n).map { a[$0 * n + $0] }
}

/// Alignment (Wang & Isola 2020, "Understanding Contrastive Representation Learning
/// through Alignment and Uniformity on the Hypersphere"): the mean distance between the
/// normalised embeddings of positive pairs, E ‖f(x) − f(y)‖₂^α with α = 2 by default.
/// Lower is better aligned (0: the views map to the same point).
public func alignment(_ za: Tensor, _ zb: Tensor, alpha: Double = 2) throws -> Double {
    try checkPair(za, zb, op: "alignment")
    return try withNoGrad {
        let distance = sqrt(try sum(pow(try normalize(za, axis: 1) - normalize(zb, axis: 1), 2), axis: 1))
        return distance.data.reduce(0.0) { $0 + Foundation.pow(Double($1), alpha) } / Double(za.shape[0])
    }
}

/// Uniformity (Wang & Isola 2020): log E_{i<j} exp(−t ‖ẑᵢ − ẑⱼ‖²) over distinct pairs of
/// normalised embeddings, t = 2 by default. Lower is more uniform; 0 is total collapse.
public func uniformity(_ z: Tensor, t: Double = 2) throws -> Double {
    guard z.rank == 2, z.shape[0] >= 2 else {
        throw TensorError.invalidArgument(op: "uniformity", message: "needs [N, D] with N ≥ 2, got \(formatShape(z.shape))")
    }
    let n = z.shape[0]
    let g = try withNoGrad { let u = try normalize(z, axis: 1); return try matmul(u, u, transposeB: true) }.data
    var terms: [Double] = []
    terms.reserveCapacity(n * (n - 1) / 2)
    for i in 0..<n { for j in (i + 1)..<n {
        let squared = Swift.max(0, Double(g[i * n + i]) + Double(g[j * n + j]) - 2 * Double(g[i * n + j]))
        terms.append(-t * squared)
    } }
    let m = terms.max() ?? 0
    let s = terms.reduce(0.0) { $0 + Foundation.exp($1 - m) }
    return m + Foundation.log(s / Double(terms.count))
}
