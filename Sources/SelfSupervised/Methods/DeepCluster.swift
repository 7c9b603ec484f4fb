import NeuralNet

/// One round of DeepCluster: how good and how balanced the clustering was.
public struct DeepClusterRound: Sendable {
    /// Normalised mutual information of the pseudo-labels with the true labels.
    public var nmi: Double
    /// Empty clusters re-seeded during the round's k-means.
    public var reseeded: Int
    /// The largest cluster's share of the data (1/k when balanced, 1 when trivial).
    public var largestCluster: Double
    /// k-means inertia on the L2-normalised features.
    public var inertia: Double
}

/// DeepCluster (Caron et al. 2018, "Deep Clustering for Unsupervised Learning of Visual
/// Features"): before every epoch, k-means (k = `clusters`) on the encoder's
/// L2-normalised features of the un-augmented training inputs gives each example a
/// pseudo-label; the classifier head is re-initialised (cluster numbers mean nothing
/// from one round to the next) and encoder + head are trained with cross-entropy on the
/// pseudo-labels of the first augmented view.
///
/// The paper's two guards against trivial solutions are here: empty clusters are
/// re-seeded by splitting the largest one (in `kMeans`), and with `balanced` the epoch
/// samples examples uniformly over the pseudo-labels (a cluster uniformly, then one of
/// its members; as many draws as examples) so a huge cluster cannot dominate the loss.
/// Deviations: no PCA-whitening before k-means (the paper reduces 4096-d features to 256
/// whitened dimensions; ours are 128-d), and the optimiser's state for the head is kept
/// across re-initialisations.
public final class DeepCluster: RepresentationMethod {
    public let name = "DeepCluster"
    public let encoder: Module
    /// The classifier on the encoder's features, [features → clusters].
    public let head: Linear
    public let clusters: Int
    public var balanced: Bool
    /// Each training example's current pseudo-label.
    public private(set) var pseudoLabels: [Int] = []
    public private(set) var rounds: [DeepClusterRound] = []

    public init(encoder: Module, features: Int, clusters: Int, balanced: Bool = true, rng: inout RandomGenerator) {
        self.encoder = encoder; self.clusters = clusters; self.balanced = balanced
        head = Linear(features, clusters, rng: &rng)
    }
    public var trainableModules: [Module] { [encoder, head] }
    public var settings: String { "k \(clusters)\(balanced ? ", balanced" : "")" }

    public func beforeEpoch(_ epoch: Int, inputs: () throws -> Tensor, labels: [Int], seed: UInt64) throws -> [Int]? {
        let z = try normalize(try features(try inputs()))
        let n = z.shape[0]
        var rng = RandomGenerator(seed: seed ^ 0xdee9_c105)
        let result = try kMeans(z, k: clusters, rng: &rng)
        pseudoLabels = result.labels
        let fresh = Linear(head.inFeatures, head.outFeatures, rng: &rng)
        head.weight.data = fresh.weight.data
        if let bias = head.bias, let freshBias = fresh.bias { bias.data = freshBias.data }
        let sizes = result.sizes
        rounds.append(DeepClusterRound(
            nmi: labels.count == n ? try normalizedMutualInformation(result.labels, labels) : .nan,
            reseeded: result.reseeded, largestCluster: Double(sizes.max() ?? 0) / Double(Swift.max(n, 1)),
            inertia: result.inertia))
        guard balanced else { return rng.permutation(n) }
        var members = [[Int]](repeating: [], count: clusters)
        for (i, label) in result.labels.enumerated() { members[label].append(i) }
        let filled = members.filter { !$0.isEmpty }
        return (0..<n).map { _ in
            let cluster = filled[rng.nextInt(below: filled.count)]
            return cluster[rng.nextInt(below: cluster.count)]
        }
    }

    public var epochMetrics: [String: Double] {
        guard let last = rounds.last else { return [:] }
        return ["nmi": last.nmi, "reseeded": Double(last.reseeded), "largest_cluster": last.largestCluster]
    }

    public func loss(_ batch: TrainingBatch) throws -> Tensor {
        guard batch.indices.count == batch.labels.count, !pseudoLabels.isEmpty else {
            throw TrainingError.invalidConfiguration("DeepCluster needs the rows of each batch and a clustering before the first step")
        }
        return try crossEntropy(project(batch.view1, encoder, head), labels: batch.indices.map { pseudoLabels[$0] })
    }
}
