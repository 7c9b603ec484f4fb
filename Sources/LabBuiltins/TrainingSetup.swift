import LabScript
import LabSupport
import NeuralNet
import SelfSupervised
import TensorCore
import ToyData

/// How `train`'s arguments (and so `export_pytorch`'s, and `compare`'s through `train`)
/// become an `Experiment` (SelfSupervised), which sets itself up: the set-up policy (views,
/// heads, flattening, points) lives there. Here are only the script's types, the session
/// generator and the locations of errors.
enum TrainingSetup {
    /// `train: unknown method "simclrr"; did you mean 'simclr'? (methods: …)` in the chosen
    /// language (train, compare and export_pytorch name an unknown method alike).
    static func unknownMethod(_ method: String, function: String) -> String {
        let names = ["function": function, "method": method, "methods": TrainingMethods.names.joined(separator: ", ")]
        return Suggestions.message(for: method, in: TrainingMethods.names, plain: {
            Messages.text("{function}: unknown method \"{method}\" (methods: {methods})", names)
        }, suggesting: {
            Messages.text("{function}: unknown method \"{method}\"; did you mean '{suggestion}'? (methods: {methods})",
                          names.merging(["suggestion": $0]) { a, _ in a })
        })
    }

    /// Reads `train`'s arguments in the order `train` always has (seed draw, then the
    /// experiment's set-up, whose method and heads draw from the session generator), so the
    /// same session gives the same run. `givenSeed` replaces the `seed:` argument; `networks`
    /// maps the encoder and given heads before use (the exporter trains copies).
    static func experiment(_ args: BoundArguments, state: BuiltinState, context: CallContext, seed givenSeed: UInt64? = nil,
                           networks: (Module) -> Module = { $0 }) throws -> PreparedExperiment {
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
        /// An error of the experiment's values, at its argument, after `prefix: `.
        func located<T>(_ prefix: String, _ body: () throws -> T) throws -> T {
            do {
                return try body()
            } catch let error as ExperimentError {
                switch error {
                case .unknownMethod(let method):
                    throw RuntimeError(.argument, unknownMethod(method, function: prefix), at: args.range(of: "method"))
                case .invalid(let parameter?, let message):
                    throw RuntimeError(.argument, Messages.text("{function}: {message}", ["function": prefix, "message": message]),
                                       at: args.range(of: parameter))
                case .invalid(nil, let message):
                    throw context.error(Messages.text("{function}: {message}", ["function": prefix, "message": message]))
                }
            }
        }
        var experiment = Experiment(data: dataValue.dataset, encoder: networks(encoderValue.module))
        experiment.epochs = try args.count("epochs")
        experiment.batchSize = try args.count("batch_size")
        experiment.learningRate = try args.number("learning_rate")
        try located(name) { try experiment.validate() }
        let decay = try args.float("weight_decay")
        let optimizer = try args.string("optimizer")
        experiment.optimizer = try located(name) { try OptimizerChoice(named: optimizer, weightDecay: decay) }
        let schedule = try args.string("schedule")
        experiment.schedule = try located(name) { try TrainingSchedule(named: schedule, warmupEpochs: { try args.count("warmup_epochs") }) }
        if let givenSeed {
            experiment.seed = givenSeed
        } else if args["seed"].isNil {
            experiment.seed = state.nextSeed()
        } else {
            let seed = try args.int("seed")
            guard seed >= 0 else { throw context.error(Messages.text("{function}: seed must be ≥ 0", ["function": name])) }
            experiment.seed = UInt64(seed)
        }
        experiment.method = try args.string("method")
        switch args["views"] {
        case .host(let pipeline as PipelineValue): experiment.views = .pipelines(pipeline.pipelines)
        case .string(let pipeline): experiment.views = .named(pipeline)
        case .nilValue: experiment.views = .automatic
        case let value: throw context.error(Messages.text("train: views must be a pipeline, a pipeline name or nil, got {type}", ["type": value.typeName]))
        }
        experiment.projector = try optionalModel("projector")
        experiment.predictor = try optionalModel("predictor")
        // The settings given, by name; the entry checks each (`TrainingMethod.make`): its
        // values, and that the method reads it at all.
        for setting in TrainingMethods.settings where !args[setting.name].isNil {
            switch args[setting.name] {
            case .number(let v): experiment.settings[setting.name] = .number(v)
            case .bool(let b): experiment.settings[setting.name] = .bool(b)
            case .string(let s): experiment.settings[setting.name] = .string(s)
            default: throw args.typeError(setting.name, expected: "a number, a bool or a string")
            }
        }
        var rng = state.rng
        defer { state.rng = rng }
        return try located("train") {
            try experiment.prepare(using: &rng, checkShape: { try context.checkShape($0, operation: "train") },
                                   sampleFeatures: { try ModelValue.embed($0, $1, batchSize: 2, context: context) })
        }
    }
}
