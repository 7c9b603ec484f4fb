import Foundation
import TensorCore

/// Eigenvalues and eigenvectors of a real symmetric matrix, by the cyclic Jacobi method.
///
/// Each rotation `A <- Jᵀ A J` zeroes one off-diagonal pair `a_pq`: with
/// `θ = (a_qq - a_pp) / (2 a_pq)`, `t = sign(θ) / (|θ| + sqrt(θ² + 1))`, `c = 1/sqrt(t² + 1)`,
/// `s = t c`. Sweeps repeat until the off-diagonal mass is below `1e-14` of the total;
/// `V` accumulates the rotations, so `A V = V diag(λ)`. Accurate to about `1e-12` relative
/// for well-scaled matrices; cost `O(n³)` per sweep, usually fewer than 10 sweeps.
public struct SymmetricEigen: Sendable {
    /// Eigenvalues, largest first.
    public let values: [Double]
    /// `vectors[i]` is the unit eigenvector of `values[i]`, its largest-magnitude entry
    /// positive (the first such entry when several tie).
    public let vectors: [[Double]]

    /// Decomposes the `n × n` row-major symmetric matrix `matrix` (only symmetry is assumed;
    /// the strict lower triangle is read as well). Polls `OperationCancellation` once per
    /// row of each sweep (O(n²) work), so a large matrix stops when the run is cancelled.
    public init(_ matrix: [Double], n: Int) throws {
        precondition(matrix.count == n * n, "SymmetricEigen: \(matrix.count) values for a \(n)×\(n) matrix")
        var a = matrix
        var v = [Double](repeating: 0, count: n * n)
        for i in 0..<n { v[i * n + i] = 1 }
        let total = a.reduce(0) { $0 + $1 * $1 }
        for _ in 0..<100 {
            var off = 0.0
            for p in 0..<n { for q in 0..<n where p != q { off += a[p * n + q] * a[p * n + q] } }
            if off <= 1e-28 * max(total, .leastNormalMagnitude) || off == 0 { break }
            for p in 0..<(n - 1) {
                try OperationCancellation.check("eigen")
                for q in (p + 1)..<n {
                    let apq = a[p * n + q]
                    if apq == 0 { continue }
                    let theta = (a[q * n + q] - a[p * n + p]) / (2 * apq)
                    let t = (theta >= 0 ? 1.0 : -1.0) / (abs(theta) + (theta * theta + 1).squareRoot())
                    let c = 1 / (t * t + 1).squareRoot(), s = t * c
                    for k in 0..<n {  // columns p, q: A J
                        let akp = a[k * n + p], akq = a[k * n + q]
                        a[k * n + p] = c * akp - s * akq
                        a[k * n + q] = s * akp + c * akq
                    }
                    for k in 0..<n {  // rows p, q: Jᵀ (A J)
                        let apk = a[p * n + k], aqk = a[q * n + k]
                        a[p * n + k] = c * apk - s * aqk
                        a[q * n + k] = s * apk + c * aqk
                    }
                    a[p * n + q] = 0; a[q * n + p] = 0
                    for k in 0..<n {
                        let vkp = v[k * n + p], vkq = v[k * n + q]
                        v[k * n + p] = c * vkp - s * vkq
                        v[k * n + q] = s * vkp + c * vkq
                    }
                }
            }
        }
        let order = (0..<n).sorted { a[$0 * n + $0] > a[$1 * n + $1] || (a[$0 * n + $0] == a[$1 * n + $1] && $0 < $1) }
        values = order.map { a[$0 * n + $0] }
        vectors = order.map { j in
            var column = (0..<n).map { v[$0 * n + j] }
            var best = 0
            for i in column.indices where abs(column[i]) > abs(column[best]) + 1e-12 { best = i }
            if column[best] < 0 { column = column.map { -$0 } }
            return column
        }
    }
}
