import NeuralNet
import ToyData

/// The lab's reference experiment on digits (PILOT.md): 1,297 / 500 stratified split,
/// encoder MLP 64→128→128 with BatchNorm + ReLU, the digits augmentation (affine ±15°,
/// ±1 px, scale 0.9–1.1, noise σ 0.1), Adam 1e-3, batch 256.
public enum DigitsExperiment {
    /// The methods the experiment compares.
    public enum Method: String, CaseIterable, Sendable {
        case randomInit = "random-init"
        case simclr, barlowTwins = "barlow-twins", vicreg, byol, simsiam, moco, wmse
        /// Positive-only siamese net with no BatchNorm anywhere (the collapse demonstration).
        case positiveOnlyNoBN = "positive-only-no-bn"
    }

    /// The data: (train 1,297, test 500), split with seed 0.
    public static func data() throws -> (train: Dataset, test: Dataset) {
        try digits().split(testCount: 500, seed: 0)
    }

    /// A freshly initialised method with the pilot's networks: projector 128→128→64
    /// (SimCLR, BYOL, SimSiam, MoCo, W-MSE) or 128→128→128 (Barlow Twins, VICReg).
    public static func make(_ method: Method, seed: UInt64 = 0) -> RepresentationMethod {
        var rng = RandomGenerator(seed: seed)
        let encoder = mlp([64, 128, 128], batchNorm: method != .positiveOnlyNoBN, lastActivation: true, rng: &rng)
        switch method {
        case .randomInit, .simclr:
            return SimCLR(encoder: encoder, projector: mlp([128, 128, 64], rng: &rng), temperature: 0.5)
        case .barlowTwins:
            return BarlowTwins(encoder: encoder, projector: mlp([128, 128, 128], rng: &rng), lambda: 5e-3)
        case .vicreg:
            return VICReg(encoder: encoder, projector: mlp([128, 128, 128], rng: &rng))
        case .byol:
            return BYOL(encoder: encoder, projector: mlp([128, 128, 64], rng: &rng),
                        predictor: mlp([64, 128, 64], rng: &rng), momentum: 0.99)
        case .simsiam:
            return SimSiam(encoder: encoder, projector: mlp([128, 128, 64], rng: &rng),
                           predictor: mlp([64, 32, 64], rng: &rng))
        case .moco:
            return MoCo(encoder: encoder, projector: mlp([128, 128, 64], rng: &rng), embeddingDimension: 64,
                        queueSize: 1024, temperature: 0.2, momentum: 0.99, rng: &rng)
        case .wmse:
            return WMSE(encoder: encoder, projector: mlp([128, 128, 32], rng: &rng))
        case .positiveOnlyNoBN:
            return PositiveOnlySiamese(encoder: encoder)
        }
    }

    /// The training configuration: Adam 1e-3, batch 256, digits views, `epochs` epochs.
    public static func configuration(epochs: Int, seed: UInt64 = 0, threads: Int? = nil) -> TrainingConfiguration {
        TrainingConfiguration(epochs: epochs, batchSize: 256, learningRate: 1e-3, optimizer: .adam(),
                              seed: seed, views: ViewPipelines.digits(), flattenInputs: true,
                              augmentationThreads: threads)
    }

    /// Trains `method` (not for `.randomInit`) for `epochs` and evaluates it.
    public static func run(_ method: Method, epochs: Int, seed: UInt64 = 0, draws: Int = 5,
                           threads: Int? = nil) throws -> RepresentationReport {
        let (train, test) = try data()
        let m = make(method, seed: seed)
        var history = TrainingHistory()
        if method != .randomInit {
            history = try SelfSupervised.train(m, on: train, configuration: configuration(epochs: epochs, seed: seed, threads: threads))
        }
        var report = try evaluateRepresentation(m, train: train, test: test, flatten: true, draws: draws, seconds: history.seconds)
        report.cpuSeconds = history.cpuSeconds
        if method == .randomInit { report.method = "random init (same encoder)" }
        return report
    }
}
