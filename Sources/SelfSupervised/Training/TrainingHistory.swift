import NeuralNet

/// Progress of the training loop, reported after every step (for progress bars).
public struct TrainingProgress: Sendable {
    /// Steps done so far (1 after the first step) and in total.
    public var step: Int
    public var totalSteps: Int
    /// The current epoch, 1-based, and the number of epochs.
    public var epoch: Int
    public var epochs: Int
    /// This step's loss.
    public var loss: Double
    /// Training examples per second so far.
    public var examplesPerSecond: Double
    /// The learning rate of this step.
    public var learningRate: Float
}

/// One epoch of the history: its mean loss, its metrics, the collapse meters of each
/// network output on the probe batch, and how long it took.
public struct EpochRecord: Sendable {
    public var epoch: Int
    public var meanLoss: Double
    public var seconds: Double
    /// Whatever the `evaluate` callback returned after this epoch (e.g. `probe`, `std`),
    /// and the method's own `epochMetrics`.
    public var metrics: [String: Double]
    /// The collapse meters of each network output on the run's probe batch after this
    /// epoch (empty when the run measures none: `TrainingConfiguration.probeSize` 0).
    public var outputs: [NetworkOutput: OutputStatistics]

    public init(epoch: Int, meanLoss: Double, seconds: Double, metrics: [String: Double] = [:],
                outputs: [NetworkOutput: OutputStatistics] = [:]) {
        self.epoch = epoch; self.meanLoss = meanLoss; self.seconds = seconds; self.metrics = metrics; self.outputs = outputs
    }
}

/// How training ended.
public enum TrainingOutcome: Sendable, Equatable {
    case completed
    /// `shouldCancel` returned true before step `step` (1-based) ran.
    case cancelled(step: Int)
}

/// The result of `train`: one record per finished epoch, and how training ended.
public struct TrainingHistory: Sendable {
    public var epochs: [EpochRecord] = []
    public var outcome: TrainingOutcome = .completed
    public var steps = 0
    /// Wall-clock seconds of the whole run.
    public var seconds = 0.0
    /// CPU seconds the process used meanwhile (all threads; on a busy machine this is the
    /// fairer measure of the work done: wall time includes waiting for a core).
    public var cpuSeconds = 0.0
    /// The collapse meters of each network output on the probe batch before the first
    /// step: the same networks at initialisation, the baseline of every curve.
    public var initialOutputs: [NetworkOutput: OutputStatistics] = [:]
    /// How many inputs the probe batch holds (0: no output was measured).
    public var probeSize = 0
    public var losses: [Double] { epochs.map(\.meanLoss) }

    public init() {}

    /// The networks measured, in the order they apply (encoder, projector, predictor).
    public var measuredOutputs: [NetworkOutput] {
        NetworkOutput.allCases.filter { output in initialOutputs[output] != nil || epochs.contains { $0.outputs[output] != nil } }
    }

    /// One meter of one output, epoch by epoch (nil for an epoch that has no measurement of it),
    /// e.g. `series(.projector, \.std)`.
    public func series(_ output: NetworkOutput, _ meter: KeyPath<OutputStatistics, Double>) -> [Double?] {
        epochs.map { $0.outputs[output]?[keyPath: meter] }
    }
}

/// A network output whose collapse the training loop follows, in the order the networks
/// apply: the encoder's features (what probes read), the projector's (or expander's)
/// output (what the loss sees, for methods without a predictor), the predictor's output.
public enum NetworkOutput: String, CaseIterable, Sendable, Hashable {
    case encoder, projector, predictor
}

/// The collapse meters of one batch of network outputs z [N, D], each measured where its
/// kind of collapse shows:
///
/// - `std`: `embeddingStd(z)`, the std of the L2-normalised outputs averaged over
///   dimensions (lesson 3): about 1/√D when spread, 0 when every output points the same
///   way. A large common offset lowers it too, though the outputs still vary.
/// - `centredStd`: `embeddingStd(z − z̄)`, the same on the centred outputs: the shape of
///   what varies, whatever the offset (it does not see how small the variation is).
/// - `rankMe`: `rankMe(z − z̄)`, the effective number of directions the variation uses
///   (dimensional collapse, 1 … min(N, D)).
/// - `meanShare`: ‖z̄‖ / mean ‖zᵢ‖, the share of the common mean in the outputs' norm:
///   0 for centred outputs, 1 when every output is the same vector (complete collapse).
/// - `singularValues`: the spectrum of z − z̄ whose entropy `rankMe` is, largest first.
public struct OutputStatistics: Sendable, Equatable {
    public var std: Double
    public var centredStd: Double
    public var rankMe: Double
    public var meanShare: Double
    /// The outputs' width D (RankMe is at most min(N, D)); 0 when not known.
    public var dimension: Int
    /// The singular values of the centred outputs z − z̄, largest first (min(N, D) of them):
    /// the spectrum RankMe summarises, drawn by `show(diagnose(run))`. Empty when not measured.
    public var singularValues: [Double]

    public init(std: Double, centredStd: Double, rankMe: Double, meanShare: Double, dimension: Int = 0,
                singularValues: [Double] = []) {
        self.std = std; self.centredStd = centredStd; self.rankMe = rankMe; self.meanShare = meanShare
        self.dimension = dimension; self.singularValues = singularValues
    }

    /// The meters of `z` [N, D], N ≥ 2.
    public init(of z: Tensor) throws {
        guard z.rank == 2, z.shape[0] >= 2, z.shape[1] >= 1 else {
            throw TensorError.argument(op: "OutputStatistics", template: "needs [N, D] with N ≥ 2, got {shape}",
                values: ["shape": formatShape(z.shape)])
        }
        let (n, d) = (z.shape[0], z.shape[1])
        var mean = [Double](repeating: 0, count: d)
        var normSum = 0.0
        for r in 0..<n {
            var squared = 0.0
            for j in 0..<d {
                let v = Double(z.data[r * d + j])
                mean[j] += v
                squared += v * v
            }
            normSum += squared.squareRoot()
        }
        for j in 0..<d { mean[j] /= Double(n) }
        let meanNorm = mean.reduce(0) { $0 + $1 * $1 }.squareRoot()
        var centred = z.data
        for r in 0..<n { for j in 0..<d { centred[r * d + j] = Float(Double(z.data[r * d + j]) - mean[j]) } }
        let c = Tensor(shape: [n, d], data: centred)
        std = try embeddingStd(z)
        centredStd = try embeddingStd(c)
        let sigma = try unsortedSingularValues(c, op: "rankMe")
        rankMe = SelfSupervised.rankMe(singularValues: sigma)
        singularValues = sigma.sorted(by: >)
        meanShare = normSum > 0 ? meanNorm / (normSum / Double(n)) : 0
        dimension = d
    }
}

/// Why training stopped with an error.
public enum TrainingError: Error, Equatable, CustomStringConvertible {
    /// The loss (or a gradient) stopped being a finite number.
    case nonFinite(method: String, step: Int, epoch: Int, what: String, likelyCause: String)
    /// The configuration cannot be trained (empty data, bad sizes).
    case invalidConfiguration(String)

    public var description: String {
        switch self {
        case let .nonFinite(method, step, epoch, what, cause):
            return "\(method): \(what) is not finite at step \(step) (epoch \(epoch)); likely cause: \(cause)"
        case let .invalidConfiguration(message):
            return "training: \(message)"
        }
    }
}
