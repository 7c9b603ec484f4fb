import Foundation

/// The linear probe: how linearly decodable the labels are from frozen features.
///
/// Features are z-scored with the training set's mean and (biased) standard deviation,
/// then a multinomial logistic regression (softmax classifier W [D, C], b [C]) is fitted
/// by full-batch Adam on
///
///     L(W, b) = crossEntropy(X W + b, y) + (λ/2) ‖W‖²
///
/// with λ = 1 / (C_reg · n) by default, which is scikit-learn's `LogisticRegression(C=C_reg)`
/// objective divided by n (the pilot's probe; C_reg = 1). W and b start at zero (the
/// problem is convex), so the probe is deterministic: same features, same accuracy.
public struct LinearProbeResult: Sendable, Equatable {
    /// Accuracy on the probe's own training examples.
    public var trainAccuracy: Double
    /// Accuracy on the test examples.
    public var testAccuracy: Double
    /// The final training objective (cross-entropy + penalty).
    public var finalLoss: Double
}

/// Fits a linear probe on `trainFeatures` [n, D] / `trainLabels` and reports its accuracy
/// on `testFeatures` [m, D] / `testLabels`. `classes` defaults to 1 + the largest label.
/// Throws on mismatched shapes or labels.
public func linearProbe(trainFeatures: Tensor, trainLabels: [Int], testFeatures: Tensor, testLabels: [Int],
                        classes: Int? = nil, steps: Int = 300, learningRate: Float = 0.05,
                        inverseRegularisation: Float = 1) throws -> LinearProbeResult {
    try checkFeatures(trainFeatures, trainLabels, op: "linearProbe")
    try checkFeatures(testFeatures, testLabels, op: "linearProbe")
    guard trainFeatures.shape[1] == testFeatures.shape[1] else {
        throw TensorError.shapeMismatch(op: "linearProbe", lhs: trainFeatures.shape, rhs: testFeatures.shape,
                                        detail: "train and test features need the same dimension")
    }
    guard inverseRegularisation > 0, steps >= 0 else {
        throw TensorError.argument(op: "linearProbe", template: "needs C > 0 and steps ≥ 0", values: [:])
    }
    let c = classes ?? ((trainLabels + testLabels).max() ?? 0) + 1
    if let bad = (trainLabels + testLabels).first(where: { $0 < 0 || $0 >= c }) {
        throw TensorError.argument(op: "linearProbe", template: "label {label} is not in 0..<{classes}",
            values: ["label": "\(bad)", "classes": "\(c)"])
    }
    let (xTrain, xTest) = try zScore(trainFeatures, testFeatures)
    let d = xTrain.shape[1]
    let lambda = 1 / (inverseRegularisation * Float(xTrain.shape[0]))
    let w = Tensor(shape: [d, c], data: [Float](repeating: 0, count: d * c), requiresGrad: true)
    let b = Tensor(shape: [c], data: [Float](repeating: 0, count: c), requiresGrad: true)
    var adam = ProbeAdam(parameters: [w, b], learningRate: learningRate)
    var finalLoss = 0.0
    for _ in 0..<steps {
        try OperationCancellation.check("linearProbe")
        let logits = try matmul(xTrain, w) + b
        let loss = try crossEntropy(logits, labels: trainLabels) + (lambda / 2) * sum(pow(w, 2))
        w.zeroGrad(); b.zeroGrad()
        try loss.backward()
        adam.step()
        finalLoss = Double(loss.data[0])
    }
    return try withNoGrad {
        LinearProbeResult(trainAccuracy: accuracy(try matmul(xTrain, w) + b, trainLabels),
                          testAccuracy: accuracy(try matmul(xTest, w) + b, testLabels),
                          finalLoss: finalLoss)
    }
}

/// Both feature sets standardised per dimension with the first set's mean and biased
/// standard deviation (a constant dimension is centred, not scaled).
func zScore(_ train: Tensor, _ test: Tensor) throws -> (Tensor, Tensor) {
    try withNoGrad {
        let mu = try mean(train, axis: 0, keepDim: true)
        let sd = try std(train, axis: 0, unbiased: false, keepDim: true)
        let scale = Tensor(shape: sd.shape, data: sd.data.map { $0 > 1e-6 ? 1 / $0 : 1 })
        return (try (train - mu) * scale, try (test - mu) * scale)
    }
}

/// The fraction of rows whose largest logit is at the label.
func accuracy(_ logits: Tensor, _ labels: [Int]) -> Double {
    guard !labels.isEmpty else { return 0 }
    let c = logits.shape[1]
    var correct = 0
    for (i, y) in labels.enumerated() {
        var best = 0
        for j in 1..<c where logits.data[i * c + j] > logits.data[i * c + best] { best = j }
        if best == y { correct += 1 }
    }
    return Double(correct) / Double(labels.count)
}

/// Throws unless `features` is [n, D] with n labels.
func checkFeatures(_ features: Tensor, _ labels: [Int], op: String) throws {
    guard features.rank == 2, features.shape[0] == labels.count, !labels.isEmpty else {
        throw TensorError.shapeMismatch(op: op, lhs: features.shape, rhs: [labels.count],
                                        detail: "needs features [N, D] and N ≥ 1 labels")
    }
}

/// A minimal Adam (β 0.9, 0.999, ε 1e-8) for the probe's two parameters, so evaluation
/// does not depend on an optimiser's configuration elsewhere.
struct ProbeAdam {
    let parameters: [Tensor]
    let learningRate: Float
    var m: [[Float]], v: [[Float]]
    var t = 0

    init(parameters: [Tensor], learningRate: Float) {
        self.parameters = parameters
        self.learningRate = learningRate
        m = parameters.map { [Float](repeating: 0, count: $0.count) }
        v = m
    }

    mutating func step() {
        t += 1
        let c1 = 1 - Float(Foundation.pow(0.9, Double(t))), c2 = 1 - Float(Foundation.pow(0.999, Double(t)))
        for (k, p) in parameters.enumerated() {
            guard let g = p.grad?.data else { continue }
            for i in 0..<p.count {
                m[k][i] = 0.9 * m[k][i] + 0.1 * g[i]
                v[k][i] = 0.999 * v[k][i] + 0.001 * g[i] * g[i]
                p.data[i] -= learningRate * (m[k][i] / c1) / ((v[k][i] / c2).squareRoot() + 1e-8)
            }
        }
    }
}
