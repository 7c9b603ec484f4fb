import LabSupport
import TensorCore

/// Principal component analysis of `n` points in `d` dimensions.
///
/// The points are centred (`x - mean`), their covariance `C = Xcᵀ Xc / (n - 1)` is
/// decomposed (`SymmetricEigen`, Jacobi, in `Double`), and the points are projected on the
/// `k` eigenvectors of largest eigenvalue: `projected = Xc W`. The explained variance of a
/// component is its eigenvalue (sample variance, as scikit-learn reports it); the ratio
/// divides by the trace of `C`.
///
/// Sign convention (eigenvectors are defined only up to sign): every component is flipped so
/// that its entry of largest magnitude is positive. Same input, same signs, on every run.
public struct PCAResult: Sendable {
    /// `n × k` coordinates of the points on the components.
    public let projected: [[Double]]
    /// `k × d` unit principal directions, largest variance first.
    public let components: [[Double]]
    /// The variance along each component (an eigenvalue of the covariance).
    public let explainedVariance: [Double]
    /// `explainedVariance / total variance`.
    public let explainedVarianceRatio: [Double]
    /// The mean that was subtracted.
    public let mean: [Double]
}

/// PCA of the rows of `points` onto `k` components. Throws for fewer than 2 points, ragged
/// rows, `k` outside `1...d`, or more than 1024 dimensions.
public func pca(_ points: [[Double]], k: Int) throws -> PCAResult {
    let n = points.count
    guard n >= 2 else { throw DisplayError.invalidArgument(function: "pca", message: Messages.text("needs at least 2 points, got {count}", ["count": "\(n)"])) }
    let d = points[0].count
    guard d >= 1, points.allSatisfy({ $0.count == d }) else {
        throw DisplayError.invalidArgument(function: "pca", message: Messages.text("points must all have the same number (>= 1) of coordinates"))
    }
    guard d <= 1024 else { throw DisplayError.invalidArgument(function: "pca", message: Messages.text("at most 1024 dimensions, got {count}", ["count": "\(d)"])) }
    guard (1...d).contains(k) else {
        throw DisplayError.invalidArgument(function: "pca", message: Messages.text("k must be in 1...{dimensions}, got {k}", ["dimensions": "\(d)", "k": "\(k)"]))
    }
    guard points.allSatisfy({ $0.allSatisfy(\.isFinite) }) else {
        throw DisplayError.invalidArgument(function: "pca", message: Messages.text("points contain NaN or Inf"))
    }
    var mean = [Double](repeating: 0, count: d)
    for p in points { for j in 0..<d { mean[j] += p[j] } }
    mean = mean.map { $0 / Double(n) }
    let centred = points.map { p in (0..<d).map { p[$0] - mean[$0] } }
    var cov = [Double](repeating: 0, count: d * d)
    for p in centred {
        try OperationCancellation.check("pca")
        for i in 0..<d where p[i] != 0 {
            for j in i..<d { cov[i * d + j] += p[i] * p[j] }
        }
    }
    for i in 0..<d {
        for j in i..<d {
            cov[i * d + j] /= Double(n - 1)
            cov[j * d + i] = cov[i * d + j]
        }
    }
    let eigen = try SymmetricEigen(cov, n: d)
    let components = Array(eigen.vectors.prefix(k))
    let variance = eigen.values.prefix(k).map { max(0, $0) }
    let total = (0..<d).reduce(0.0) { $0 + cov[$1 * d + $1] }
    let projected = centred.map { p in
        components.map { w in zip(p, w).reduce(0) { $0 + $1.0 * $1.1 } }
    }
    return PCAResult(projected: projected, components: components, explainedVariance: Array(variance),
                     explainedVarianceRatio: variance.map { total > 0 ? $0 / total : 0 }, mean: mean)
}

extension Tensor {
    /// PCA of the rows of a 2-D tensor `[n, d]` onto `k` components.
    public func pca(k: Int) throws -> PCAResult {
        guard shape.count == 2 else {
            throw DisplayError.invalidArgument(function: "pca", message: Messages.text("expects a 2-D tensor [n, d], got {shape}", ["shape": formatShape(shape)]))
        }
        let d = shape[1]
        let rows = (0..<shape[0]).map { r in (0..<d).map { Double(data[r * d + $0]) } }
        return try Display.pca(rows, k: k)
    }
}
