import LabSupport
import NeuralNet
import TensorCore
import ToyData

/// One self-supervised training run, described but not yet set up: the data, the encoder,
/// the method (a `TrainingMethods` entry by name, with its settings), the views, the
/// optimiser, the schedule, epochs, batch size and seed. It is what the `train` builtin,
/// `compare` and `export_pytorch` parse their arguments into, and the way a Swift user
/// runs an experiment:
///
/// ```swift
/// var rng = RandomGenerator(seed: 0)
/// let encoder = mlp([64, 128, 128], batchNorm: true, lastActivation: true, rng: &rng)
/// var experiment = Experiment(data: try digits(), encoder: encoder, method: "barlow")
/// experiment.epochs = 5
/// experiment.settings = ["lambda": .number(0.005)]
/// let run = try experiment.run(using: &rng)    // set up (heads from rng), then trained
/// print(run.history.epochs.last?.meanLoss ?? .nan)
/// ```
///
/// Whatever is left unset is chosen by the set-up policy (`Experiment+Setup.swift`),
/// decided by the data's shape, never by its name: the views (`defaultViews(for:method:)`),
/// points as one-pixel images with noise views, the method's default heads sized to the
/// encoder's features (`featureCount(of:on:)`), and flattening for an encoder that starts
/// with a Linear layer. `prepare(using:)` applies it and builds the method; `run(using:)`
/// also trains. A value that cannot be used throws `ExperimentError`, naming the parameter.
public struct Experiment {
    /// Which views the two branches see.
    public enum Views {
        /// The policy's choice for the data and method (`defaultViews(for:method:)`); for
        /// points [N, d], Gaussian noise views on the points as one-pixel images.
        case automatic
        /// These pipelines (nil: the raw inputs as both views).
        case pipelines(ViewPipelines?)
        /// A pipeline of `ViewPipelines.names`, sized to the images (32 for points).
        case named(String)
    }

    /// The data trained on (points [N, d] or images [N, C, H, W]).
    public var data: Dataset
    /// The network trained (in place).
    public var encoder: Module
    /// The method's name in `TrainingMethods`.
    public var method: String
    /// Settings given to the method, by the names of `TrainingMethods.settings`; the rest
    /// take the entry's defaults. The entry checks each, and refuses a setting it does not read.
    public var settings: [String: MethodOption]
    public var views: Views
    /// Heads given by the caller; nil: the method builds its default, sized to the encoder.
    public var projector: Module?
    public var predictor: Module?
    public var optimizer: OptimizerChoice
    /// The base learning rate, finite and > 0.
    public var learningRate: Double
    public var schedule: TrainingSchedule
    /// Passes over the data, ≥ 0.
    public var epochs: Int
    /// Examples per step, ≥ 2 (a data set smaller than one batch is one batch).
    public var batchSize: Int
    /// Seeds the batch order and the views (`TrainingConfiguration.seed`).
    public var seed: UInt64
    /// Threads for the augmentations (nil: the `--threads` setting).
    public var augmentationThreads: Int?

    public init(data: Dataset, encoder: Module, method: String = "simclr", settings: [String: MethodOption] = [:],
                views: Views = .automatic, projector: Module? = nil, predictor: Module? = nil,
                optimizer: OptimizerChoice = .adam(), learningRate: Double = 1e-3, schedule: TrainingSchedule = .constant,
                epochs: Int = 10, batchSize: Int = 256, seed: UInt64 = 0, augmentationThreads: Int? = nil) {
        self.data = data; self.encoder = encoder; self.method = method; self.settings = settings
        self.views = views; self.projector = projector; self.predictor = predictor
        self.optimizer = optimizer; self.learningRate = learningRate; self.schedule = schedule
        self.epochs = epochs; self.batchSize = batchSize; self.seed = seed
        self.augmentationThreads = augmentationThreads
    }

    /// Checks the training values that need nothing built: learning rate, epochs, batch
    /// size, warm-up. (The method and its settings are checked by `prepare`, by the entry.)
    public func validate() throws {
        guard learningRate > 0, learningRate.isFinite else {
            throw ExperimentError.invalid(parameter: "learning_rate", Messages.text("learning_rate must be positive"))
        }
        guard epochs >= 0 else { throw ExperimentError.invalid(parameter: "epochs", Messages.text("epochs must be ≥ 0, got {value}", ["value": String(epochs)])) }
        guard batchSize >= 2 else {
            throw ExperimentError.invalid(parameter: "batch_size", Messages.text("batch_size must be ≥ 2, got {value}", ["value": String(batchSize)]))
        }
        if case .cosine(let warmup) = schedule, warmup < 0 {
            throw ExperimentError.invalid(parameter: "warmup_epochs", Messages.text("warmup_epochs must be ≥ 0, got {value}", ["value": String(warmup)]))
        }
    }

    /// Sets the experiment up without training: checks it, applies the set-up policy and
    /// builds the method from its entry, new heads initialised from `rng`. The order is
    /// fixed (feature count, views, flattening, points, then the method), and `rng` moves
    /// on exactly as the method's factory draws, also when the entry refuses a setting.
    ///
    /// - Parameters:
    ///   - checkShape: called with the shape of any large buffer before it is made (a
    ///     caller's element limit); throws to refuse.
    ///   - sampleFeatures: how the encoder's output for two samples is computed (nil: a
    ///     forward pass in eval mode without a graph, `featureCount(of:on:)`).
    public func prepare(using rng: inout RandomGenerator, checkShape: @escaping ([Int]) throws -> Void = { _ in },
                        sampleFeatures: ((Module, Tensor) throws -> Tensor)? = nil) throws -> PreparedExperiment {
        try validate()
        var data = self.data
        var configuration = TrainingConfiguration(epochs: epochs, batchSize: batchSize, learningRate: Float(learningRate),
                                                  optimizer: optimizer, schedule: schedule, seed: seed,
                                                  augmentationThreads: augmentationThreads)
        let features = try Self.featureCount(of: encoder, on: data, sampleFeatures: sampleFeatures)
        switch views {
        case .automatic: configuration.views = try Self.defaultViews(for: data, method: method)
        case .pipelines(let pipelines): configuration.views = pipelines
        case .named(let name):
            configuration.views = try ViewPipelines.named(name, imageSize: data.inputs.rank == 4 ? data.inputs.shape[3] : 32)
        }
        configuration.flattenInputs = Self.needsFlattening(encoder, data: data)
        if data.inputs.rank == 2, case .automatic = views {
            (data, configuration.views) = Self.pointsAsImages(data)
            configuration.flattenInputs = true
        }
        let built = try buildMethod(features: features, classes: data.classCount, using: &rng, checkShape: checkShape)
        return PreparedExperiment(methodName: method, built: built, configuration: configuration, data: data)
    }

    /// Sets the experiment up (`prepare(using:)`) and trains it with the one training loop.
    public func run(using rng: inout RandomGenerator) throws -> (prepared: PreparedExperiment, history: TrainingHistory) {
        let prepared = try prepare(using: &rng)
        return (prepared, try prepared.train())
    }

    /// The method from its entry, with default heads sized to `features`.
    private func buildMethod(features d: Int, classes: Int, using rng: inout RandomGenerator,
                             checkShape: @escaping ([Int]) throws -> Void) throws -> BuiltMethod {
        guard let entry = TrainingMethods.named(method) else { throw ExperimentError.unknownMethod(method) }
        // A default head's first layer is d × (up to 256) weights: refused before it is made.
        if projector == nil {
            try ElementLimit.check([d, 256], op: "train (the default projector for \(d) features)")
        }
        var request = MethodRequest(encoder: encoder, features: d, classes: classes, batchSize: batchSize,
                                    projector: projector, predictor: predictor, options: settings, rng: rng,
                                    checkShape: checkShape)
        do {
            let built = try entry.make(&request)
            rng = request.rng
            return built
        } catch let error as MethodSetupError {
            rng = request.rng
            throw ExperimentError.invalid(parameter: error.parameter ?? "method", error.message)
        }
    }
}

/// An experiment set up but not run: the method built from its entry (with its heads and
/// settings), the training configuration and the data as trained on (points as one-pixel
/// images). `train` runs it; the PyTorch export writes it out; `diagnose` reads its
/// `description`.
public struct PreparedExperiment {
    public var methodName: String
    public var built: BuiltMethod
    public var configuration: TrainingConfiguration
    /// The data as trained on (2-D points become one-pixel images).
    public var data: Dataset

    public init(methodName: String, built: BuiltMethod, configuration: TrainingConfiguration, data: Dataset) {
        self.methodName = methodName; self.built = built; self.configuration = configuration; self.data = data
    }

    /// The configuration as `diagnose` words a run's cause and fix.
    public var description: RunDescription {
        let identicalViews = configuration.views.map { $0.first.steps.isEmpty && $0.second.steps.isEmpty } ?? true
        return RunDescription(method: methodName, settings: built.settings, learningRate: configuration.learningRate,
                              optimizer: configuration.optimizer, batchSize: min(configuration.batchSize, data.count),
                              epochs: configuration.epochs, identicalViews: identicalViews,
                              identityHeads: Set(built.heads.filter { RunDescription.isIdentity($0.1) }.map(\.0)))
    }

    /// Trains the method in place with the one training loop (`train(_:on:configuration:…)`),
    /// passing the callbacks on.
    public func train(shouldCancel: () -> Bool = { false }, progress: (TrainingProgress) -> Void = { _ in },
                      evaluate: ((_ epoch: Int) throws -> [String: Double])? = nil,
                      epochEnded: (_ sofar: TrainingHistory) -> Void = { _ in }) throws -> TrainingHistory {
        try SelfSupervised.train(built.method, on: data, configuration: configuration, shouldCancel: shouldCancel,
                                 progress: progress, evaluate: evaluate, epochEnded: epochEnded)
    }
}

/// A value of an `Experiment` that cannot be used. `parameter` names it as `train`'s
/// argument (`learning_rate`, `optimizer`, `temperature`, …; nil: the data or the encoder
/// as a whole), so a script error can point at the argument.
public enum ExperimentError: Error, CustomStringConvertible, Equatable {
    case invalid(parameter: String?, String)
    /// No `TrainingMethods` entry has this name.
    case unknownMethod(String)

    public var parameter: String? {
        switch self {
        case .invalid(let parameter, _): return parameter
        case .unknownMethod: return "method"
        }
    }

    public var description: String {
        switch self {
        case .invalid(_, let message): return message
        case .unknownMethod(let name):
            return Messages.text("unknown method \"{name}\" (methods: {methods})",
                                 ["name": name, "methods": TrainingMethods.names.joined(separator: ", ")])
        }
    }
}

extension OptimizerChoice {
    /// The optimiser `train` calls `name` ("adam", "sgd" or "lars"; SGD and LARS with momentum 0.9).
    public init(named name: String, weightDecay: Float) throws {
        switch name {
        case "adam": self = .adam(weightDecay: weightDecay)
        case "sgd": self = .sgd(momentum: 0.9, weightDecay: weightDecay)
        case "lars": self = .lars(momentum: 0.9, weightDecay: weightDecay)
        default:
            throw ExperimentError.invalid(parameter: "optimizer", Messages.text("optimizer must be \"adam\", \"sgd\" or \"lars\", got \"{name}\"", ["name": name]))
        }
    }
}

extension TrainingSchedule {
    /// The schedule `train` calls `name` ("constant" or "cosine"); `warmupEpochs` is read
    /// only for cosine.
    public init(named name: String, warmupEpochs: () throws -> Int) throws {
        switch name {
        case "constant": self = .constant
        case "cosine": self = .cosine(warmupEpochs: try warmupEpochs())
        default: throw ExperimentError.invalid(parameter: "schedule", Messages.text("schedule must be \"constant\" or \"cosine\", got \"{name}\"", ["name": name]))
        }
    }
}
