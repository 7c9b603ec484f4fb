import Foundation

/// Weighted k-nearest-neighbour classification on frozen features (Wu et al. 2018, as
/// lightly's `knn_predict`): features are L2-normalised, each test point takes its k most
/// cosine-similar training points, and class c scores Σ_{neighbours of class c} exp(sim/τ);
/// the prediction is the best-scoring class.
///
/// Defaults k = 20, τ = 0.1. lightly (after InstDisc) uses k = 200, τ = 0.1 for ImageNet-
/// and CIFAR-sized memory banks (5,000+ examples per class); on the lab's data sets (≈130
/// training examples per class on digits) k = 200 would reach deep into other classes, so
/// we use 20. Ties in similarity are broken by the lower training index (deterministic).
public func knnAccuracy(trainFeatures: Tensor, trainLabels: [Int], testFeatures: Tensor, testLabels: [Int],
                        k: Int = 20, temperature: Float = 0.1, classes: Int? = nil) throws -> Double {
    let predictions = try knnPredict(trainFeatures: trainFeatures, trainLabels: trainLabels,
                                     testFeatures: testFeatures, k: k, temperature: temperature, classes: classes)
    let correct = zip(predictions, testLabels).filter { $0 == $1 }.count
    guard predictions.count == testLabels.count else {
        throw TensorError.shapeMismatch(op: "knnAccuracy", lhs: testFeatures.shape, rhs: [testLabels.count],
                                        detail: "needs one label per test row")
    }
    return Double(correct) / Double(Swift.max(testLabels.count, 1))
}

/// The weighted-kNN class of each row of `testFeatures` (see `knnAccuracy`).
public func knnPredict(trainFeatures: Tensor, trainLabels: [Int], testFeatures: Tensor,
                       k: Int = 20, temperature: Float = 0.1, classes: Int? = nil) throws -> [Int] {
    try checkFeatures(trainFeatures, trainLabels, op: "knn")
    guard testFeatures.rank == 2, testFeatures.shape[1] == trainFeatures.shape[1] else {
        throw TensorError.shapeMismatch(op: "knn", lhs: trainFeatures.shape, rhs: testFeatures.shape,
                                        detail: "train and test features need the same dimension")
    }
    guard k >= 1 else { throw TensorError.argument(op: "knn", template: "k must be at least 1, got {k}", values: ["k": "\(k)"]) }
    try checkTemperature(temperature, op: "knn")
    let c = classes ?? (trainLabels.max() ?? 0) + 1
    if let bad = trainLabels.first(where: { $0 < 0 || $0 >= c }) {
        throw TensorError.argument(op: "knn", template: "label {label} is not in 0..<{classes}",
            values: ["label": "\(bad)", "classes": "\(c)"])
    }
    let n = trainFeatures.shape[0], m = testFeatures.shape[0]
    let kk = Swift.min(k, n)
    let similarity = try withNoGrad {
        try matmul(normalize(testFeatures, axis: 1), normalize(trainFeatures, axis: 1), transposeB: true)
    }.data
    var predictions: [Int] = []
    predictions.reserveCapacity(m)
    // The k nearest of each row, most similar first (ties: the lower train index first), by
    // insertion into a k-long list in one pass over the row instead of sorting all n: the
    // same neighbours in the same order (so the same sums) at a fraction of the time.
    var bestValue = [Float](repeating: 0, count: kk), bestIndex = [Int](repeating: 0, count: kk)
    for i in 0..<m {
        try OperationCancellation.check("knn")
        var count = 0
        for j in 0..<n {
            let v = similarity[i * n + j]
            // j is larger than every index in the list, so it goes after equal values.
            if count == kk && !(v > bestValue[kk - 1]) { continue }
            var at = Swift.min(count, kk - 1)
            while at > 0 && v > bestValue[at - 1] {
                bestValue[at] = bestValue[at - 1]; bestIndex[at] = bestIndex[at - 1]
                at -= 1
            }
            bestValue[at] = v; bestIndex[at] = j
            count = Swift.min(count + 1, kk)
        }
        var scores = [Double](repeating: 0, count: c)
        for t in 0..<count {
            scores[trainLabels[bestIndex[t]]] += Foundation.exp(Double(bestValue[t] / temperature))
        }
        var best = 0
        for j in 1..<c where scores[j] > scores[best] { best = j }
        predictions.append(best)
    }
    return predictions
}
