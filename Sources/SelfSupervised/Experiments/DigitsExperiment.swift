import NeuralNet
import TensorCore
import ToyData

/// The lab's reference experiment on digits, the set-up a PyTorch pilot at this scale found
/// to work: 1,297 / 500 stratified split, encoder MLP 64→128→128 with BatchNorm + ReLU, the
/// digits augmentation (affine ±15°, ±1 px, scale 0.9–1.1, noise σ 0.1), Adam 1e-3, batch 256.
/// Probes use few labels per class: a random-init MLP with a full-label linear probe already
/// scores about 0.96 on digits, so full-label probes cannot tell methods apart.
public enum DigitsExperiment {
    /// One arm of the experiment: a method of `TrainingMethods` (by name) with the pilot's
    /// heads, or the untrained encoder. The arms are experiment settings, not a list of
    /// methods: every method comes from the table.
    public struct Method: Sendable, Hashable, CaseIterable, CustomStringConvertible {
        /// The arm's label, e.g. `barlow-twins`.
        public let rawValue: String
        /// The `TrainingMethods` entry it trains.
        public let method: String
        /// Widths of the projector and predictor MLPs (nil: the method's own choice).
        let projector: [Int]?
        let predictor: [Int]?
        let batchNorm: Bool
        /// Settings other than the entry's defaults (MoCo's queue).
        let options: [String: MethodOption]
        let trained: Bool

        init(_ rawValue: String, method: String, projector: [Int]?, predictor: [Int]? = nil, batchNorm: Bool = true,
             options: [String: MethodOption] = [:], trained: Bool = true) {
            self.rawValue = rawValue; self.method = method; self.projector = projector; self.predictor = predictor
            self.batchNorm = batchNorm; self.options = options; self.trained = trained
        }
        public var description: String { rawValue }
        public static func == (a: Method, b: Method) -> Bool { a.rawValue == b.rawValue }
        public func hash(into h: inout Hasher) { h.combine(rawValue) }

        /// SimCLR's networks, untrained.
        public static let randomInit = Method("random-init", method: "simclr", projector: [128, 128, 64], trained: false)
        public static let simclr = Method("simclr", method: "simclr", projector: [128, 128, 64])
        public static let barlowTwins = Method("barlow-twins", method: "barlow", projector: [128, 128, 128])
        public static let vicreg = Method("vicreg", method: "vicreg", projector: [128, 128, 128])
        public static let byol = Method("byol", method: "byol", projector: [128, 128, 64], predictor: [64, 128, 64])
        public static let simsiam = Method("simsiam", method: "simsiam", projector: [128, 128, 64], predictor: [64, 32, 64])
        public static let moco = Method("moco", method: "moco", projector: [128, 128, 64], options: ["queue_size": .number(1024)])
        public static let wmse = Method("wmse", method: "wmse", projector: [128, 128, 32])
        /// Positive-only siamese net with no BatchNorm anywhere (the collapse demonstration).
        public static let positiveOnlyNoBN = Method("positive-only-no-bn", method: "positive-only", projector: nil, batchNorm: false)
        public static let allCases: [Method] = [randomInit, simclr, barlowTwins, vicreg, byol, simsiam, moco, wmse, positiveOnlyNoBN]
    }

    /// The data: (train 1,297, test 500), split with seed 0.
    public static func data() throws -> (train: Dataset, test: Dataset) {
        try digits().split(testCount: 500, seed: 0)
    }

    /// The arm's `Experiment` on `train`: encoder MLP 64→128→128 and the arm's projector
    /// (128→128→64 for SimCLR, BYOL, SimSiam, MoCo; 128→128→128 for Barlow Twins, VICReg;
    /// 128→128→32 for W-MSE) and predictor, initialised from `rng` in that order; Adam 1e-3,
    /// batch 256; the views, flattening and the rest of the method's heads are the
    /// experiment's own policy (digits-shaped images get the digits views).
    public static func experiment(_ arm: Method, on train: Dataset, epochs: Int, seed: UInt64 = 0, threads: Int? = nil,
                                  using rng: inout RandomGenerator) -> Experiment {
        let encoder = mlp([64, 128, 128], batchNorm: arm.batchNorm, lastActivation: true, rng: &rng)
        let projector: Module? = arm.projector.map { mlp($0, rng: &rng) }
        let predictor: Module? = arm.predictor.map { mlp($0, rng: &rng) }
        return Experiment(data: train, encoder: encoder, method: arm.method, settings: arm.options, projector: projector,
                          predictor: predictor, optimizer: .adam(), learningRate: 1e-3, epochs: epochs, batchSize: 256,
                          seed: seed, augmentationThreads: threads)
    }

    /// Trains `method` (not for `.randomInit`) for `epochs` and evaluates it.
    public static func run(_ method: Method, epochs: Int, seed: UInt64 = 0, draws: Int = 5,
                           threads: Int? = nil) throws -> RepresentationReport {
        let (train, test) = try data()
        var rng = RandomGenerator(seed: seed)
        let prepared = try experiment(method, on: train, epochs: epochs, seed: seed, threads: threads, using: &rng).prepare(using: &rng)
        let m = prepared.built.method
        var history = TrainingHistory()
        if method.trained {
            history = try prepared.train()
        }
        var report = try evaluateRepresentation(m, train: train, test: test, flatten: true, draws: draws, seconds: history.seconds)
        report.cpuSeconds = history.cpuSeconds
        if !method.trained { report.method = "random init (same encoder)" }
        return report
    }
}
