import ToyData

/// One row of a method comparison: how good the frozen encoder's features are.
public struct RepresentationReport: Sendable {
    public var method: String
    /// Linear-probe test accuracy with 1 and 3 labelled examples per class (mean over draws).
    public var probeK1: Double
    public var probeK3: Double
    /// Weighted-kNN test accuracy with every training label (k 20, τ 0.1).
    public var knn: Double
    /// Collapse diagnostics of the test features.
    public var embeddingStd: Double
    public var rankMe: Double
    /// Wall-clock and CPU seconds of pretraining (0 for a random-init encoder).
    public var seconds: Double
    public var cpuSeconds: Double = 0

    /// A fixed-width table row: method, k=1, k=3, kNN, std, RankMe, seconds.
    public var row: String {
        func f(_ v: Double, _ w: Int = 6, _ p: Int = 3) -> String {
            let s = String(format: "%.\(p)f", v)
            return String(repeating: " ", count: Swift.max(0, w - s.count)) + s
        }
        return method.padding(toLength: 26, withPad: " ", startingAt: 0) +
            " \(f(probeK1)) \(f(probeK3)) \(f(knn)) \(f(embeddingStd, 7, 4)) \(f(rankMe, 7, 1)) \(f(seconds, 6, 1)) \(f(cpuSeconds, 6, 1))"
    }

    public static let header = "method                      k=1    k=3    kNN     std  RankMe  wall s  CPU s"
}

/// Evaluates `method`'s encoder on a train/test split: the few-label linear probes
/// (k = 1 and 3 labels per class, each averaged over `draws` random draws of the labelled
/// examples, seeds 0..<draws), weighted kNN with all training labels, and embeddingStd /
/// RankMe of the test features. Inputs are flattened when `flatten` is set (MLP encoders).
public func evaluateRepresentation(_ method: RepresentationMethod, train: Dataset, test: Dataset,
                                   flatten: Bool, draws: Int = 5, seconds: Double = 0) throws -> RepresentationReport {
    func inputs(_ d: Dataset) throws -> Tensor { flatten ? d.flattenedInputs() : d.inputs }
    let trainFeatures = try method.features(try inputs(train))
    let testFeatures = try method.features(try inputs(test))
    func probe(_ k: Int) throws -> Double {
        var total = 0.0
        for seed in 0..<draws {
            let labelled = try train.labelledSubset(perClass: k, seed: UInt64(seed))
            let features = try method.features(try inputs(labelled))
            total += try linearProbe(trainFeatures: features, trainLabels: labelled.labels,
                                     testFeatures: testFeatures, testLabels: test.labels,
                                     classes: train.classCount).testAccuracy
        }
        return total / Double(draws)
    }
    return RepresentationReport(
        method: method.name + (method.settings.isEmpty ? "" : " (\(method.settings))"),
        probeK1: try probe(1), probeK3: try probe(3),
        knn: try knnAccuracy(trainFeatures: trainFeatures, trainLabels: train.labels, testFeatures: testFeatures,
                             testLabels: test.labels, classes: train.classCount),
        embeddingStd: try embeddingStd(testFeatures), rankMe: try rankMe(testFeatures), seconds: seconds)
}
