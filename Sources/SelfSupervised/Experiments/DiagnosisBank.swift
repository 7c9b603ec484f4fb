import NeuralNet
import ToyData

/// The bank of broken and healthy runs that `CollapseDiagnosis` is scored on: every
/// method's default configuration (the healthy set) and deliberately broken ones, each with
/// the verdict and network output it is expected to give. `selfsup diagnose-bank` runs it
/// over seeds and prints the confusion table; `DiagnosisBankTests` runs each case once.
/// This table is the one definition both read.
///
/// Every run trains on the digits (1,797 8×8 images, the digits views, no labels) an MLP
/// encoder 64→128→128→32 (BatchNorm unless the case says otherwise) with the method's own
/// heads unless the case gives others. `disagrees` marks the cases where configuration
/// and outcome disagree: risky settings that stay healthy, and safe ones that fail for a
/// reason the configuration does not name.
public enum DiagnosisBank {
    /// A head given instead of the method's default.
    public enum Head: Sendable, Equatable {
        /// A head that does nothing (no predictor).
        case identity
        /// `mlp(widths)` with or without BatchNorm, optionally BatchNorm + ReLU after the last layer.
        case mlp([Int], batchNorm: Bool, lastActivation: Bool = false)
    }

    public struct Case: Sendable {
        public let name: String
        public let method: String
        public var options: [String: MethodOption] = [:]
        public var encoderBatchNorm = true
        public var projector: Head?
        public var predictor: Head?
        public var learningRate: Float = 1e-3
        public var optimizer: OptimizerChoice = .adam()
        public var batchSize = 128
        public var epochs = 6
        /// Both views are the image itself.
        public var identicalViews = false
        /// Every input is zero.
        public var zeroInputs = false
        /// The encoder is first collapsed by a positive-only run of `epochs` epochs (without BatchNorm).
        public var startCollapsed = false
        public let expected: CollapseVerdict
        public let expectedWhere: NetworkOutput?
        /// Configuration and outcome disagree (a risky setting that stays healthy, or a default that fails).
        public var disagrees = false

        init(_ name: String, _ method: String, expect expected: CollapseVerdict, at expectedWhere: NetworkOutput? = nil,
             _ adjust: (inout Case) -> Void = { _ in }) {
            self.name = name; self.method = method; self.expected = expected; self.expectedWhere = expectedWhere
            adjust(&self)
        }
    }

    /// The healthy set: every method of the course (the runs `CollapseThresholds` were chosen
    /// from) except the collapse demonstration, with its defaults.
    public static var healthy: [Case] {
        TrainingMethods.course.filter { $0.family != .collapses }.map { Case("\($0.name)-default", $0.name, expect: .healthy) }
    }

    /// The broken configurations, and the risky ones that are measured to stay healthy.
    /// A broken case runs at least three times the epochs its verdict needed to appear for
    /// good on seeds 1-3 (`selfsup diagnose-bank --trace`), so that the live monitor, which
    /// is scored on the first third of the epochs, can give it: positive-only with BatchNorm,
    /// SimSiam without stop-gradient and VICReg ν = 0 by epoch 3 (9 epochs), SimSiam without
    /// predictor and Barlow Twins λ = 0 by 4 (12), SimCLR and DCL at τ = 50 by 5 (15),
    /// zero inputs by 2 (6), VICReg μ = 0 by 10 (30).
    public static let broken: [Case] = [
        Case("positive-only-no-bn", "positive-only", expect: .completeCollapse, at: .encoder) { $0.encoderBatchNorm = false },
        Case("positive-only-bn", "positive-only", expect: .completeCollapse, at: .encoder) { $0.epochs = 9 },
        Case("positive-only-squared", "positive-only", expect: .completeCollapse, at: .encoder) {
            $0.encoderBatchNorm = false; $0.options = ["distance": .string("squared")]
        },
        Case("simsiam-no-stop-gradient-no-bn", "simsiam", expect: .completeCollapse, at: .encoder) {
            $0.encoderBatchNorm = false; $0.options = ["stop_gradient": .bool(false)]
            $0.projector = .mlp([32, 128, 64], batchNorm: false)
        },
        Case("simsiam-no-stop-gradient", "simsiam", expect: .dimensionalCollapse, at: .projector) { $0.options = ["stop_gradient": .bool(false)]; $0.epochs = 9 },
        Case("simsiam-no-predictor", "simsiam", expect: .dimensionalCollapse, at: .projector) { $0.predictor = .identity; $0.epochs = 12 },
        Case("byol-no-predictor", "byol", expect: .completeCollapse, at: .projector) { $0.predictor = .identity },
        Case("vicreg-mu-0", "vicreg", expect: .completeCollapse, at: .projector) { $0.options = ["mu": .number(0)]; $0.epochs = 30 },
        Case("barlow-lambda-0-no-bn", "barlow", expect: .dimensionalCollapse, at: .projector) {
            $0.options = ["lambda": .number(0)]; $0.projector = .mlp([32, 128, 128], batchNorm: false); $0.epochs = 12
        },
        Case("simclr-temperature-50", "simclr", expect: .dimensionalCollapse, at: .projector) { $0.options = ["temperature": .number(50)]; $0.epochs = 15 },
        Case("vicreg-nu-0", "vicreg", expect: .dimensionalCollapse, at: .projector) { $0.options = ["nu": .number(0)]; $0.epochs = 9 },
        Case("dcl-temperature-50", "dcl", expect: .dimensionalCollapse, at: .projector) { $0.options = ["temperature": .number(50)]; $0.epochs = 15 },
        Case("moco-temperature-50", "moco", expect: .notLearning, at: .encoder) { $0.options = ["temperature": .number(50)] },
        Case("simclr-learning-rate-1e-9", "simclr", expect: .notLearning, at: .encoder) { $0.learningRate = 1e-9 },
        Case("vicreg-learning-rate-1e-9", "vicreg", expect: .notLearning, at: .encoder) { $0.learningRate = 1e-9 },
        Case("vicreg-learning-rate-1", "vicreg", expect: .diverged, at: .projector) { $0.learningRate = 1; $0.epochs = 4 },
        Case("simclr-sgd-learning-rate-10", "simclr", expect: .dimensionalCollapse, at: .encoder) {
            $0.optimizer = .sgd(); $0.learningRate = 10; $0.epochs = 4
        },
        // Configuration and outcome disagree: defaults that fail …
        Case("simclr-from-collapsed-encoder", "simclr", expect: .completeCollapse, at: .encoder) {
            $0.startCollapsed = true; $0.encoderBatchNorm = false; $0.disagrees = true
        },
        Case("dcl-from-collapsed-encoder", "dcl", expect: .completeCollapse, at: .encoder) {
            $0.startCollapsed = true; $0.encoderBatchNorm = false; $0.disagrees = true
        },
        Case("simsiam-from-collapsed-encoder", "simsiam", expect: .completeCollapse, at: .encoder) {
            $0.startCollapsed = true; $0.encoderBatchNorm = false; $0.disagrees = true
        },
        Case("moco-from-collapsed-encoder", "moco", expect: .completeCollapse, at: .encoder) {
            $0.startCollapsed = true; $0.encoderBatchNorm = false; $0.disagrees = true
        },
        Case("simclr-zero-inputs", "simclr", expect: .completeCollapse, at: .encoder) { $0.zeroInputs = true; $0.epochs = 6; $0.disagrees = true },
        // … and risky settings that stay healthy.
        Case("byol-momentum-0", "byol", expect: .healthy) {
            $0.options = ["momentum": .number(0), "momentum_schedule": .bool(false)]; $0.disagrees = true
        },
        Case("vicreg-mu-0-bn-projector", "vicreg", expect: .healthy) {
            $0.options = ["mu": .number(0)]; $0.projector = .mlp([32, 128, 128], batchNorm: true, lastActivation: true); $0.epochs = 4
            $0.disagrees = true
        },
        Case("simclr-batch-2", "simclr", expect: .healthy) { $0.batchSize = 2; $0.epochs = 1; $0.disagrees = true },
        Case("simclr-identical-views", "simclr", expect: .healthy) { $0.identicalViews = true; $0.disagrees = true },

    ]

    /// The whole bank: the healthy set, then the broken and risky cases.
    public static var all: [Case] { healthy + broken }

    /// What one (case, seed) gave.
    public struct Outcome: Sendable {
        public let name: String
        public let seed: UInt64
        public let diagnosis: CollapseDiagnosis
        /// The verdict the live monitor gives from the first third of the epochs (at least one).
        public let early: CollapseVerdict
        public let description: RunDescription
        /// The verdict of the epochs so far, after each epoch (what the live monitor saw):
        /// `verdictByEpoch[k]` diagnoses epochs 1…k+1. Empty for a run the loop stopped as diverged.
        public var verdictByEpoch: [CollapseVerdict] = []
        /// The run's measurements (empty for a run the loop stopped as diverged).
        public var history = TrainingHistory()
    }

    static let encoderWidths = [64, 128, 128, 32]

    static func head(_ head: Head?, rng: inout RandomGenerator) -> Module? {
        switch head {
        case nil: return nil
        case .identity?: return Identity()
        case .mlp(let widths, let batchNorm, let last)?: return mlp(widths, batchNorm: batchNorm, lastActivation: last, rng: &rng)
        }
    }

    /// Trains `bankCase` with `seed` and diagnoses it. `shouldCancel` is polled before every step.
    public static func run(_ bankCase: Case, seed: UInt64, shouldCancel: () -> Bool = { false }) throws -> Outcome {
        var data = try digits()
        if bankCase.zeroInputs {
            data = Dataset(name: "zeros", inputs: Tensor.zeros(data.inputs.shape), labels: data.labels, classNames: data.classNames)
        }
        var rng = RandomGenerator(seed: seed)
        let encoder = mlp(encoderWidths, batchNorm: bankCase.encoderBatchNorm, rng: &rng)
        let views = bankCase.identicalViews ? ViewPipelines(.identity) : ViewPipelines.digits()
        func configuration(_ epochs: Int) -> TrainingConfiguration {
            TrainingConfiguration(epochs: epochs, batchSize: bankCase.batchSize, learningRate: bankCase.learningRate,
                                  optimizer: bankCase.optimizer, seed: seed, views: views, flattenInputs: true)
        }
        if bankCase.startCollapsed {
            let collapse = PositiveOnlySiamese(encoder: encoder, projector: Identity(), distance: .cosine)
            var c = configuration(bankCase.epochs)
            (c.learningRate, c.optimizer) = (1e-3, .adam())
            try train(collapse, on: data, configuration: c, shouldCancel: shouldCancel)
        }
        guard let entry = TrainingMethods.named(bankCase.method) else {
            throw MethodSetupError(parameter: "method", "no training method \(bankCase.method)")
        }
        var request = MethodRequest(encoder: encoder, features: encoderWidths.last!, classes: data.classCount, batchSize: bankCase.batchSize,
                                    projector: head(bankCase.projector, rng: &rng), predictor: head(bankCase.predictor, rng: &rng),
                                    options: bankCase.options, rng: rng)
        let built = try entry.make(&request)
        let description = RunDescription(method: bankCase.method, settings: built.settings, learningRate: bankCase.learningRate,
                                         optimizer: bankCase.optimizer, batchSize: bankCase.batchSize, epochs: bankCase.epochs,
                                         identicalViews: bankCase.identicalViews,
                                         identityHeads: Set(built.heads.filter { RunDescription.isIdentity($0.1) }.map(\.0)))
        var early = CollapseVerdict.healthy
        var verdictByEpoch: [CollapseVerdict] = []
        let earlyEpochs = Swift.max(1, bankCase.epochs / 3)
        let history: TrainingHistory
        do {
            history = try train(built.method, on: data, configuration: configuration(bankCase.epochs), shouldCancel: shouldCancel,
                                epochEnded: { sofar in
                                    let verdict = CollapseDiagnosis(history: sofar, run: description).verdict
                                    verdictByEpoch.append(verdict)
                                    if sofar.epochs.count == earlyEpochs { early = verdict }
                                })
        } catch TrainingError.nonFinite {
            // The loop stops before a non-finite update: that is divergence, measured by the loop itself.
            var stopped = TrainingHistory()
            stopped.epochs = [EpochRecord(epoch: 1, meanLoss: .nan, seconds: 0)]
            return Outcome(name: bankCase.name, seed: seed, diagnosis: CollapseDiagnosis(history: stopped, run: description),
                           early: .diverged, description: description)
        }
        return Outcome(name: bankCase.name, seed: seed, diagnosis: CollapseDiagnosis(history: history, run: description),
                       early: early, description: description, verdictByEpoch: verdictByEpoch, history: history)
    }
}
