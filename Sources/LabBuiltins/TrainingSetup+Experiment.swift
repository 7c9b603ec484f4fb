import LabScript
import NeuralNet
import SelfSupervised
import TensorCore
import ToyData

/// One `train(...)` call set up from its arguments but not run: what `train` runs and what
/// `export_pytorch` writes out, from the same code, so the two cannot drift apart.
struct TrainingExperiment {
    var methodName: String
    var built: BuiltMethod
    var configuration: TrainingConfiguration
    /// The data as trained on (2-D points become one-pixel images).
    var data: Dataset

    /// The configuration as `diagnose` words a run's cause and fix.
    var description: RunDescription {
        let identicalViews = configuration.views.map { $0.first.steps.isEmpty && $0.second.steps.isEmpty } ?? true
        return RunDescription(method: methodName, settings: built.settings, learningRate: configuration.learningRate,
                              optimizer: configuration.optimizer, batchSize: min(configuration.batchSize, data.count),
                              epochs: configuration.epochs, identicalViews: identicalViews,
                              identityHeads: Set(built.heads.filter { RunDescription.isIdentity($0.1) }.map(\.0)))
    }
}

extension TrainingSetup {
    /// Reads `train`'s arguments in the order `train` always has (seed draw, views,
    /// flattening, then the method and its heads from the session generator), so the same
    /// session gives the same run. `givenSeed` replaces the `seed:` argument; `networks`
    /// maps the encoder and given heads before use (the exporter trains copies).
    static func experiment(_ args: BoundArguments, state: BuiltinState, context: CallContext, seed givenSeed: UInt64? = nil,
                           networks: (Module) -> Module = { $0 }) throws -> TrainingExperiment {
        let name = args.functionName
        guard case .host(let encoderValue as ModelValue) = args["encoder"] else { throw args.typeError("encoder", expected: "a model") }
        guard case .host(let dataValue as DatasetValue) = args["data"] else { throw args.typeError("data", expected: "a data set") }
        func optionalModel(_ parameter: String) throws -> Module? {
            switch args[parameter] {
            case .nilValue: return nil
            case .host(let object as ModelValue): return networks(object.module)
            default: throw args.typeError(parameter, expected: "a model or nil")
            }
        }
        let encoder = networks(encoderValue.module)
        var data = dataValue.dataset
        var configuration = TrainingConfiguration()
        configuration.epochs = try args.count("epochs")
        configuration.batchSize = try args.count("batch_size")
        let rate = try args.number("learning_rate")
        guard rate > 0, rate.isFinite else { throw RuntimeError(.argument, "\(name): learning_rate must be positive", at: args.range(of: "learning_rate")) }
        configuration.learningRate = Float(rate)
        let decay = try args.float("weight_decay")
        switch try args.string("optimizer") {
        case "adam": configuration.optimizer = .adam(weightDecay: decay)
        case "sgd": configuration.optimizer = .sgd(momentum: 0.9, weightDecay: decay)
        case "lars": configuration.optimizer = .lars(momentum: 0.9, weightDecay: decay)
        case let other: throw RuntimeError(.argument, "\(name): optimizer must be \"adam\", \"sgd\" or \"lars\", got \"\(other)\"", at: args.range(of: "optimizer"))
        }
        switch try args.string("schedule") {
        case "constant": configuration.schedule = .constant
        case "cosine": configuration.schedule = .cosine(warmupEpochs: try args.count("warmup_epochs"))
        case let other: throw RuntimeError(.argument, "\(name): schedule must be \"constant\" or \"cosine\", got \"\(other)\"", at: args.range(of: "schedule"))
        }
        if let givenSeed {
            configuration.seed = givenSeed
        } else if args["seed"].isNil {
            configuration.seed = state.nextSeed()
        } else {
            let seed = try args.int("seed")
            guard seed >= 0 else { throw context.error("\(name): seed must be ≥ 0") }
            configuration.seed = UInt64(seed)
        }
        let methodName = try args.string("method")
        let features = try featureCount(encoder, data: data, context: context)
        configuration.views = try views(args["views"], method: methodName, data: data, context: context)
        configuration.flattenInputs = try needsFlattening(encoder, data: data)
        if data.inputs.rank == 2, args["views"].isNil {
            (data, configuration.views) = pointsAsImages(data)
            configuration.flattenInputs = true
        }
        let built = try method(methodName, encoder: encoder, features: features, classes: data.classCount, args: args,
                               projector: try optionalModel("projector"), predictor: try optionalModel("predictor"),
                               state: state, context: context)
        return TrainingExperiment(methodName: methodName, built: built, configuration: configuration, data: data)
    }
}
