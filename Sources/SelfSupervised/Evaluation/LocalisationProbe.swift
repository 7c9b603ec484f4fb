import ToyData

/// The localisation probe: how well a linear map recovers where the object is.
///
/// Features are z-scored (training statistics); ridge regression, solved exactly in
/// Double, maps them to the box written as (centre x, centre y, width, height):
///
///     Ŵ = (XᵀX + αI)⁻¹ Xᵀ(Y − Ȳ),   Ŷ = X Ŵ + Ȳ          (α = 1e-2 · n by default)
///
/// Reported on the test set: R² = 1 − Σ(y − ŷ)² / Σ(y − ȳ)² for the centre (mean over x
/// and y) and for the whole box (mean over the four numbers), and the mean intersection-
/// over-union of predicted and true boxes.
public struct LocalisationResult: Sendable, Equatable {
    public var centreR2: Double
    public var boxR2: Double
    public var meanIoU: Double
}

/// Fits the localisation probe on `trainFeatures` [n, D] with boxes `trainBoxes` and
/// evaluates it on `testFeatures` / `testBoxes`. `ridge` is α / n.
public func localisationProbe(trainFeatures: Tensor, trainBoxes: [BoundingBox], testFeatures: Tensor,
                              testBoxes: [BoundingBox], ridge: Double = 1e-2) throws -> LocalisationResult {
    try checkFeatures(trainFeatures, Array(repeating: 0, count: trainBoxes.count), op: "localisationProbe")
    try checkFeatures(testFeatures, Array(repeating: 0, count: testBoxes.count), op: "localisationProbe")
    guard trainFeatures.shape[1] == testFeatures.shape[1], ridge >= 0 else {
        throw TensorError.shapeMismatch(op: "localisationProbe", lhs: trainFeatures.shape, rhs: testFeatures.shape,
                                        detail: "train and test features need the same dimension (and ridge ≥ 0)")
    }
    let (xTrain, xTest) = try zScore(trainFeatures, testFeatures)
    let yTrain = trainBoxes.map(boxTargets), yTest = testBoxes.map(boxTargets)
    let weights = try ridgeRegression(x: xTrain, y: yTrain, alpha: ridge * Double(trainBoxes.count))
    let predicted = predict(xTest, weights)
    var r2 = [Double](repeating: 0, count: 4)
    for t in 0..<4 {
        let truth = yTest.map { $0[t] }
        let mean = truth.reduce(0, +) / Double(truth.count)
        let residual = zip(truth, predicted).reduce(0.0) { $0 + ($1.0 - $1.1[t]) * ($1.0 - $1.1[t]) }
        let spread = truth.reduce(0.0) { $0 + ($1 - mean) * ($1 - mean) }
        r2[t] = spread > 0 ? 1 - residual / spread : (residual == 0 ? 1 : 0)
    }
    let ious = zip(predicted, yTest).map { intersectionOverUnion($0, $1) }
    return LocalisationResult(centreR2: (r2[0] + r2[1]) / 2, boxR2: r2.reduce(0, +) / 4,
                              meanIoU: ious.reduce(0, +) / Double(ious.count))
}

/// (centre x, centre y, width, height) of a box.
func boxTargets(_ b: BoundingBox) -> [Double] {
    [Double(b.minX + b.maxX) / 2, Double(b.minY + b.maxY) / 2, Double(b.width), Double(b.height)]
}

/// IoU of two boxes given as (centre x, centre y, width, height); 0 when either is empty.
func intersectionOverUnion(_ a: [Double], _ b: [Double]) -> Double {
    func corners(_ v: [Double]) -> (Double, Double, Double, Double) {
        let w = Swift.max(v[2], 0), h = Swift.max(v[3], 0)
        return (v[0] - w / 2, v[1] - h / 2, v[0] + w / 2, v[1] + h / 2)
    }
    let (ax0, ay0, ax1, ay1) = corners(a), (bx0, by0, bx1, by1) = corners(b)
    let iw = Swift.max(0, Swift.min(ax1, bx1) - Swift.max(ax0, bx0))
    let ih = Swift.max(0, Swift.min(ay1, by1) - Swift.max(ay0, by0))
    let inter = iw * ih
    let union = (ax1 - ax0) * (ay1 - ay0) + (bx1 - bx0) * (by1 - by0) - inter
    return union > 0 ? inter / union : 0
}

/// Ridge weights with an intercept: rows of `weights.w` [D][T] and `weights.mean` [T].
struct RidgeWeights { var w: [[Double]]; var intercept: [Double]; var featureMean: [Double] }

/// Solves (X̄ᵀX̄ + αI) W = X̄ᵀ(Y − Ȳ) in Double by Cholesky (X̄: centred features).
func ridgeRegression(x: Tensor, y: [[Double]], alpha: Double) throws -> RidgeWeights {
    let (n, d) = (x.shape[0], x.shape[1])
    let t = y.first?.count ?? 0
    var featureMean = [Double](repeating: 0, count: d)
    for r in 0..<n { for j in 0..<d { featureMean[j] += Double(x.data[r * d + j]) } }
    featureMean = featureMean.map { $0 / Double(n) }
    var targetMean = [Double](repeating: 0, count: t)
    for row in y { for k in 0..<t { targetMean[k] += row[k] / Double(n) } }
    var a = [Double](repeating: 0, count: d * d)
    var b = [Double](repeating: 0, count: d * t)
    for r in 0..<n {
        let xr = (0..<d).map { Double(x.data[r * d + $0]) - featureMean[$0] }
        for i in 0..<d {
            for j in i..<d { a[i * d + j] += xr[i] * xr[j] }
            for k in 0..<t { b[i * t + k] += xr[i] * (y[r][k] - targetMean[k]) }
        }
    }
    for i in 0..<d { a[i * d + i] += Swift.max(alpha, 1e-9); for j in 0..<i { a[i * d + j] = a[j * d + i] } }
    // Cholesky a = L Lᵀ, then L Lᵀ W = b by two triangular solves.
    var l = [Double](repeating: 0, count: d * d)
    for j in 0..<d {
        var s = a[j * d + j]
        for k in 0..<j { s -= l[j * d + k] * l[j * d + k] }
        guard s > 0 else { throw TensorError.argument(op: "localisationProbe", template: "singular system; raise ridge", values: [:]) }
        l[j * d + j] = s.squareRoot()
        for i in (j + 1)..<d {
            var v = a[i * d + j]
            for k in 0..<j { v -= l[i * d + k] * l[j * d + k] }
            l[i * d + j] = v / l[j * d + j]
        }
    }
    var w = [[Double]](repeating: [Double](repeating: 0, count: t), count: d)
    for k in 0..<t {
        var z = [Double](repeating: 0, count: d)
        for i in 0..<d {
            var v = b[i * t + k]
            for j in 0..<i { v -= l[i * d + j] * z[j] }
            z[i] = v / l[i * d + i]
        }
        for i in stride(from: d - 1, through: 0, by: -1) {
            var v = z[i]
            for j in (i + 1)..<d { v -= l[j * d + i] * w[j][k] }
            w[i][k] = v / l[i * d + i]
        }
    }
    return RidgeWeights(w: w, intercept: targetMean, featureMean: featureMean)
}

/// Ŷ = (X − x̄) W + Ȳ.
func predict(_ x: Tensor, _ weights: RidgeWeights) -> [[Double]] {
    let (n, d) = (x.shape[0], x.shape[1])
    return (0..<n).map { r in
        var out = weights.intercept
        for i in 0..<d {
            let xi = Double(x.data[r * d + i]) - weights.featureMean[i]
            for k in 0..<out.count { out[k] += xi * weights.w[i][k] }
        }
        return out
    }
}
