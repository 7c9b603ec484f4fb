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
        throw TensorError.argument(op: "embeddingStd", template: "needs [N, D] with N ≥ 2, got {shape}",
            values: ["shape": formatShape(z.shape)])
    }
    return try withNoGrad { Double(try mean(std(normalize(z, axis: 1), axis: 0, unbiased: true)).data[0]) }
}

/// RankMe, the effective rank of the embeddings (Garrido et al. 2023, "RankMe: Assessing
/// the Downstream Performance of Pretrained Self-Supervised Representations"):
///
///     pₖ = σₖ / ‖σ‖₁ + ε,    RankMe = exp(−Σₖ pₖ log pₖ)
///
/// over the min(N, D) singular values σ of Z [N, D], ε = 1e-7. Between 1 (collapse to one
/// direction) and min(N, D). The singular values are the square roots of the eigenvalues
/// of the smaller Gram matrix, ZᵀZ or ZZᵀ, computed in Double (`symmetricEigenvalues`).
public func rankMe(_ z: Tensor, eps: Double = 1e-7) throws -> Double {
    rankMe(singularValues: try unsortedSingularValues(z, op: "rankMe"), eps: eps)
}

/// The singular values of z [N, D], largest first (min(N, D) of them, each ≥ 0), computed
/// as for `rankMe`: the spectrum whose entropy RankMe is. Of centred embeddings, it is what
/// `show(diagnose(run))` draws on a log scale: a collapsed run's falls off after a few.
public func singularValues(_ z: Tensor) throws -> [Double] {
    try unsortedSingularValues(z, op: "singularValues").sorted(by: >)
}

/// The singular values of `z` in the order the eigenvalue solver leaves them.
func unsortedSingularValues(_ z: Tensor, op: String) throws -> [Double] {
    guard z.rank == 2, z.shape[0] >= 1, z.shape[1] >= 1 else {
        throw TensorError.argument(op: op, template: "needs [N, D], got {shape}", values: ["shape": formatShape(z.shape)])
    }
    let (n, d) = (z.shape[0], z.shape[1])
    // The Gram matrix of the columns (ZᵀZ, D × D) or, for wide Z, of the rows (ZZᵀ, N × N),
    // in Double (a collapsed Z's near-zero singular values must stay near zero).
    let size = Swift.min(n, d)
    try ElementLimit.check([size, size], op: op)
    try OperationCancellation.check(op)
    let gram = gramMatrix(z.data.map(Double.init), rows: n, columns: d, ofColumns: d <= n)
    return try symmetricEigenvalues(gram, size: size).map { $0 > 0 ? $0.squareRoot() : 0 }
}

/// RankMe of the singular values `sigma` (in any order; see `rankMe(_:eps:)`).
func rankMe(singularValues sigma: [Double], eps: Double = 1e-7) -> Double {
    let total = sigma.reduce(0, +)
    guard total > 0, total.isFinite else { return 1 }
    var entropy = 0.0
    for s in sigma {
        let p = s / total + eps
        entropy -= p * Foundation.log(p)
    }
    return Foundation.exp(entropy)
}

/// The eigenvalues of the symmetric matrix `matrix` (row-major size × size), unsorted:
/// Householder reduction to tridiagonal form, then the implicit QL algorithm with Wilkinson
/// shifts (Numerical Recipes' `tred2` without eigenvectors and `tqli`), in Double. About
/// (4/3) n³ operations, so a 128 × 128 matrix takes milliseconds (the loop measures RankMe
/// after every epoch). Between rows of the reduction it asks whether the host wants to stop
/// (`OperationCancellation`) and throws `TensorError.cancelled` then.
public func symmetricEigenvalues(_ matrix: [Double], size n: Int) throws -> [Double] {
    precondition(matrix.count == n * n, "symmetricEigenvalues: \(matrix.count) elements for \(n)×\(n)")
    guard n > 1 else { return matrix }
    var storage = matrix
    var diagonal = [Double](repeating: 0, count: n), offDiagonal = [Double](repeating: 0, count: n)
    try storage.withUnsafeMutableBufferPointer { a in
        try diagonal.withUnsafeMutableBufferPointer { d in
            try offDiagonal.withUnsafeMutableBufferPointer { e in
                try tridiagonalQL(a, d, e, n)
            }
        }
    }
    return diagonal
}

/// The work of `symmetricEigenvalues` on raw buffers: `a` (n × n, overwritten) is reduced
/// to the tridiagonal (d, e), whose eigenvalues are left in `d`.
private func tridiagonalQL(_ a: UnsafeMutableBufferPointer<Double>, _ d: UnsafeMutableBufferPointer<Double>,
                           _ e: UnsafeMutableBufferPointer<Double>, _ n: Int) throws {
    // Householder: row i (from the last) is reflected onto its sub-diagonal entry e[i].
    for i in stride(from: n - 1, to: 0, by: -1) {
        if n > 64 { try OperationCancellation.check("rankMe") }
        let l = i - 1
        guard l > 0 else { e[i] = a[i * n + l]; continue }
        var scale = 0.0
        for k in 0...l { scale += Swift.abs(a[i * n + k]) }
        guard scale > 0 else { e[i] = a[i * n + l]; continue }
        var h = 0.0
        for k in 0...l { a[i * n + k] /= scale; h += a[i * n + k] * a[i * n + k] }
        var f = a[i * n + l]
        var g = f >= 0 ? -h.squareRoot() : h.squareRoot()
        e[i] = scale * g
        h -= f * g
        a[i * n + l] = f - g
        f = 0
        for j in 0...l {
            g = 0
            for k in 0...j { g += a[j * n + k] * a[i * n + k] }
            var k = j + 1
            while k <= l { g += a[k * n + j] * a[i * n + k]; k += 1 }
            e[j] = g / h
            f += e[j] * a[i * n + j]
        }
        let hh = f / (h + h)
        for j in 0...l {
            f = a[i * n + j]
            g = e[j] - hh * f
            e[j] = g
            for k in 0...j { a[j * n + k] -= f * e[k] + g * a[i * n + k] }
        }
    }
    for i in 0..<n { d[i] = a[i * n + i] }
    // Implicit QL on the tridiagonal matrix: diagonal d, sub-diagonal e[0..<n-1].
    for i in 1..<n { e[i - 1] = e[i] }
    e[n - 1] = 0
    for l in 0..<n {
        var iterations = 0
        while true {
            var m = l
            while m < n - 1 {
                if Swift.abs(e[m]) <= Double.ulpOfOne * (Swift.abs(d[m]) + Swift.abs(d[m + 1])) { break }
                m += 1
            }
            if m == l || iterations == 60 { break }   // converged (60 iterations: never seen; keep what there is)
            iterations += 1
            var g = (d[l + 1] - d[l]) / (2 * e[l])
            var r = (g * g + 1).squareRoot()
            g = d[m] - d[l] + e[l] / (g + (g >= 0 ? r : -r))
            var s = 1.0, c = 1.0, p = 0.0
            var deflated = false
            var i = m - 1
            while i >= l {
                let f = s * e[i], b = c * e[i]
                r = (f * f + g * g).squareRoot()
                e[i + 1] = r
                if r == 0 { d[i + 1] -= p; e[m] = 0; deflated = true; break }
                s = f / r; c = g / r
                g = d[i + 1] - p
                r = (d[i] - g) * s + 2 * c * b
                p = s * r
                d[i + 1] = g + p
                g = c * r - b
                i -= 1
            }
            if deflated { continue }
            d[l] -= p; e[l] = g; e[m] = 0
        }
    }
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
        throw TensorError.argument(op: "uniformity", template: "needs [N, D] with N ≥ 2, got {shape}",
            values: ["shape": formatShape(z.shape)])
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
