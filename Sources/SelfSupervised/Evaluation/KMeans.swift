import Foundation
import TensorCore

/// The result of `kMeans`: one centre per cluster, each point's cluster, the inertia
/// (sum of squared distances of the points to their centres), the number of Lloyd
/// iterations, whether the assignments stopped changing, and how many times an empty
/// cluster was re-seeded.
public struct KMeansResult {
    /// [k, d]
    public var centres: Tensor
    public var labels: [Int]
    public var inertia: Double
    public var iterations: Int
    public var converged: Bool
    public var reseeded: Int
    /// Points per cluster.
    public var sizes: [Int] {
        var s = [Int](repeating: 0, count: centres.shape[0])
        for l in labels { s[l] += 1 }
        return s
    }
}

/// Lloyd's k-means on the rows of `points` [n, d] (all arithmetic in Double).
///
/// - Initial centres: `initial` [k, d] if given, else k-means++ (Arthur & Vassilvitskii
///   2007): the first centre a uniformly random point, each next one a point drawn with
///   probability ∝ its squared distance to the nearest centre so far (from `rng`).
/// - Each iteration assigns every point to its nearest centre (ties: the lower index)
///   and moves each centre to the mean of its points; it stops when no assignment
///   changes, or after `maxIterations` (then a final assignment matches the centres).
/// - An empty cluster is re-seeded as DeepCluster (Caron et al. 2018, via faiss) does:
///   the largest cluster's centre is copied with a tiny opposite perturbation
///   (×(1 ± 1/1024) in alternating coordinates) for the two, which splits its points.
///
/// Errors: no points, k < 1, k > n, initial centres of the wrong shape, non-finite input.
/// scikit-learn equivalent (golden values in KMeansTests):
/// `KMeans(n_clusters=k, init=initial, n_init=1, algorithm="lloyd", tol=0).fit(X)`.
public func kMeans(_ points: Tensor, k: Int, initial: Tensor? = nil, maxIterations: Int = 100,
                   rng: inout RandomGenerator) throws -> KMeansResult {
    guard points.rank == 2 else {
        throw TensorError.argument(op: "kmeans", template: "needs points [n, d], got shape {shape}",
            values: ["shape": formatShape(points.shape)])
    }
    let n = points.shape[0], d = points.shape[1]
    guard n > 0, d > 0 else { throw TensorError.argument(op: "kmeans", template: "needs at least one point with at least one feature, got shape {shape}",
        values: ["shape": formatShape(points.shape)]) }
    guard k >= 1 else { throw TensorError.argument(op: "kmeans", template: "k must be at least 1, got {k}", values: ["k": "\(k)"]) }
    guard k <= n else { throw TensorError.argument(op: "kmeans", template: "k = {k} clusters need at least {k} points, got {count}",
        values: ["k": "\(k)", "count": "\(n)"]) }
    guard maxIterations >= 1 else { throw TensorError.argument(op: "kmeans", template: "needs at least 1 iteration", values: [:]) }
    let x = points.data.map(Double.init)
    guard x.allSatisfy(\.isFinite) else { throw TensorError.argument(op: "kmeans", template: "the points contain NaN or ±∞", values: [:]) }

    var c: [Double]
    if let initial {
        guard initial.shape == [k, d] else {
            throw TensorError.argument(op: "kmeans", template: "initial centres must be [{k}, {d}], got {shape}",
                values: ["k": "\(k)", "d": "\(d)", "shape": formatShape(initial.shape)])
        }
        c = initial.data.map(Double.init)
        guard c.allSatisfy(\.isFinite) else { throw TensorError.argument(op: "kmeans", template: "the initial centres contain NaN or ±∞", values: [:]) }
    } else {
        c = try kMeansPlusPlus(x, n: n, d: d, k: k, rng: &rng)
    }

    func distance(_ i: Int, _ j: Int) -> Double {
        var s = 0.0
        for t in 0..<d { let diff = x[i * d + t] - c[j * d + t]; s += diff * diff }
        return s
    }
    func assign() throws -> [Int] {
        try (0..<n).map { i in
            try OperationCancellation.check("kmeans")
            var best = 0, bestDistance = Double.infinity
            for j in 0..<k { let dist = distance(i, j); if dist < bestDistance { best = j; bestDistance = dist } }
            return best
        }
    }
    var labels: [Int] = []
    var iterations = 0, reseeded = 0, converged = false
    while iterations < maxIterations {
        let next = try assign()
        iterations += 1
        if next == labels { converged = true; break }
        labels = next
        // Means of the clusters.
        var sums = [Double](repeating: 0, count: k * d), counts = [Int](repeating: 0, count: k)
        for i in 0..<n {
            counts[labels[i]] += 1
            for t in 0..<d { sums[labels[i] * d + t] += x[i * d + t] }
        }
        for j in 0..<k where counts[j] > 0 {
            for t in 0..<d { c[j * d + t] = sums[j * d + t] / Double(counts[j]) }
        }
        // Re-seed empty clusters by splitting the largest one.
        for j in 0..<k where counts[j] == 0 {
            guard let source = counts.indices.max(by: { counts[$0] < counts[$1] || (counts[$0] == counts[$1] && $0 > $1) }),
                  counts[source] > 1 else { continue }
            for t in 0..<d {
                let eps = (t % 2 == 0 ? 1.0 : -1.0) / 1024
                let v = c[source * d + t]
                c[j * d + t] = v * (1 + eps)
                c[source * d + t] = v * (1 - eps)
            }
            counts[j] = counts[source] / 2; counts[source] -= counts[j]
            reseeded += 1
        }
    }
    if !converged { labels = try assign() }
    var inertia = 0.0
    for i in 0..<n { inertia += distance(i, labels[i]) }
    return KMeansResult(centres: Tensor(shape: [k, d], data: c.map(Float.init)), labels: labels, inertia: inertia,
                        iterations: iterations, converged: converged, reseeded: reseeded)
}

/// k-means++ seeding: k rows of `x` (see `kMeans`). Points already chosen have distance 0
/// and cannot be drawn again, so the centres are distinct whenever the points are.
func kMeansPlusPlus(_ x: [Double], n: Int, d: Int, k: Int, rng: inout RandomGenerator) throws -> [Double] {
    var centres = [Double]()
    centres.reserveCapacity(k * d)
    let first = rng.nextInt(below: n)
    centres += x[(first * d)..<((first + 1) * d)]
    var nearest = (0..<n).map { i in squaredDistance(x, i, centres, 0, d) }
    while centres.count < k * d {
        try OperationCancellation.check("kmeans")
        let total = nearest.reduce(0, +)
        var chosen = n - 1
        if total > 0 {
            var target = rng.nextDouble() * total
            for i in 0..<n {
                target -= nearest[i]
                if target < 0 { chosen = i; break }
            }
        } else {
            chosen = rng.nextInt(below: n)
        }
        let j = centres.count / d
        centres += x[(chosen * d)..<((chosen + 1) * d)]
        for i in 0..<n { nearest[i] = Swift.min(nearest[i], squaredDistance(x, i, centres, j, d)) }
    }
    return centres
}

func squaredDistance(_ x: [Double], _ i: Int, _ c: [Double], _ j: Int, _ d: Int) -> Double {
    var s = 0.0
    for t in 0..<d { let diff = x[i * d + t] - c[j * d + t]; s += diff * diff }
    return s
}

/// Normalised mutual information between two labelings of the same points, with the
/// arithmetic mean of the entropies: NMI = I(A; B) / ((H(A) + H(B)) / 2), in [0, 1]; 1
/// when one labeling is a renaming of the other (also when both have a single cluster,
/// as scikit-learn's `normalized_mutual_info_score`), 0 when they are independent.
public func normalizedMutualInformation(_ a: [Int], _ b: [Int]) throws -> Double {
    guard a.count == b.count else {
        throw TensorError.argument(op: "nmi", template: "needs two labelings of the same points, got {a} and {b} labels",
            values: ["a": "\(a.count)", "b": "\(b.count)"])
    }
    guard !a.isEmpty else { throw TensorError.argument(op: "nmi", template: "needs at least one label", values: [:]) }
    let n = Double(a.count)
    var joint: [Int: [Int: Int]] = [:], countA: [Int: Int] = [:], countB: [Int: Int] = [:]
    for (u, v) in zip(a, b) {
        joint[u, default: [:]][v, default: 0] += 1
        countA[u, default: 0] += 1; countB[v, default: 0] += 1
    }
    // Sums run over sorted keys: a Dictionary's order differs from process to process, and
    // floating-point sums in a different order differ in their last bits (same seed, same
    // numbers).
    func entropy(_ counts: [Int: Int]) -> Double {
        counts.keys.sorted().reduce(0) { h, k in let p = Double(counts[k]!) / n; return h - p * Foundation.log(p) }
    }
    let ha = entropy(countA), hb = entropy(countB)
    if countA.count == 1 && countB.count == 1 { return 1 }
    var mi = 0.0
    for u in joint.keys.sorted() {
        let row = joint[u]!
        for v in row.keys.sorted() {
            let c = row[v]!
            let p = Double(c) / n
            mi += p * Foundation.log(p / (Double(countA[u]!) / n * Double(countB[v]!) / n))
        }
    }
    let mean = (ha + hb) / 2
    return mean > 0 ? Swift.max(0, Swift.min(1, mi / mean)) : 0
}
