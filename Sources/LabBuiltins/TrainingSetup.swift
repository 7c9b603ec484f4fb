import LabScript
import NeuralNet
import SelfSupervised
import TensorCore
import ToyData

/// How `train` turns its arguments into a SelfSupervised method and configuration:
/// default views for the data, the encoder's output size, default heads.
enum TrainingSetup {
    /// The view pipelines: given, named, or the method's own for images (`digits` for the
    /// 8×8 digits). Points get no pipeline here: see `pointsAsImages`.
    static func views(_ value: Value, method: String, data: Dataset, context: CallContext) throws -> ViewPipelines? {
        switch value {
        case .host(let pipeline as PipelineValue): return pipeline.pipelines
        case .string(let name):
            return try ViewPipelines.named(name, imageSize: data.inputs.rank == 4 ? data.inputs.shape[3] : 32)
        case .nilValue:
            guard data.inputs.rank == 4 else { return nil }
            if data.name == "digits" { return ViewPipelines.digits() }
            return try ViewPipelines.named(TrainingMethods.named(method)?.views ?? "simclr", imageSize: data.inputs.shape[3], minScale: 0.35)
        default:
            throw context.error("train: views must be a pipeline, a pipeline name or nil, got \(value.typeName)")
        }
    }

    /// Points [N, d] have no image augmentations; their two views add Gaussian noise of
    /// std 0.1 × the data's std to each coordinate (without it both views would be equal
    /// and every joint-embedding loss trivially satisfied). The loop's pipelines work on
    /// images, so the points travel as d-channel 1×1 images and are flattened back.
    static func pointsAsImages(_ data: Dataset) -> (Dataset, ViewPipelines) {
        let n = data.count, d = data.inputs.count / max(n, 1)
        let values = data.inputs.data.map(Double.init)
        let mean = values.reduce(0, +) / Double(max(values.count, 1))
        let spread = (values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(max(values.count, 1))).squareRoot()
        let noise = GaussianNoise(std: Float(0.1 * max(spread, 1e-3)), clip: false, probability: 1)
        let images = Dataset(name: data.name, inputs: Tensor(shape: [n, d, 1, 1], data: data.inputs.data), labels: data.labels,
                             classNames: data.classNames, attributes: data.attributes, boxes: data.boxes, seed: data.seed)
        return (images, ViewPipelines(Pipeline([noise])))
    }

    /// Whether the encoder starts with a Linear layer and the inputs are images.
    static func needsFlattening(_ encoder: Module, data: Dataset) throws -> Bool {
        var first = encoder
        while let child = first.children.first?.module { first = child }
        return first is Linear && data.inputs.rank > 2
    }

    /// The size of the encoder's output for one sample of the data (one forward pass of
    /// two samples in eval mode, without a graph; the mode is restored).
    static func featureCount(_ encoder: Module, data: Dataset, context: CallContext) throws -> Int {
        guard data.count >= 2 else { throw context.error("train: needs at least 2 samples, the data set has \(data.count)") }
        let z = try ModelValue.embed(encoder, try data.selecting([0, 1]).inputs, batchSize: 2, context: context)
        guard z.rank == 2 else { throw context.error("train: the encoder must output [N, features], it gives \(formatShape(z.shape))") }
        return z.shape[1]
    }

    /// The method called `name` from `TrainingMethods`, with default heads sized to
    /// `features`; its settings are the `train` arguments named in `TrainingMethods.settings`
    /// that were given (nil ones take the method's defaults).
    static func method(_ name: String, encoder: Module, features d: Int, classes: Int, args: BoundArguments,
                       projector given: Module?, predictor givenPredictor: Module?, state: BuiltinState,
                       context: CallContext) throws -> BuiltMethod {
        guard let entry = TrainingMethods.named(name) else {
            throw RuntimeError(.argument, "train: unknown method \"\(name)\"" + Suggestions.hint(for: name, in: TrainingMethods.names)
                               + " (methods: \(TrainingMethods.names.joined(separator: ", ")))", at: args.range(of: "method"))
        }
        // A default head's first layer is d × (up to 256) weights: refused before it is made.
        if given == nil {
            try bridged(context) { try ElementLimit.check([d, 256], op: "train (the default projector for \(d) features)") }
        }
        var options: [String: MethodOption] = [:]
        // The entry checks each setting (`TrainingMethod.make`): its values, and that the
        // method reads it at all.
        for setting in TrainingMethods.settings where !args[setting.name].isNil {
            switch args[setting.name] {
            case .number(let v): options[setting.name] = .number(v)
            case .bool(let b): options[setting.name] = .bool(b)
            case .string(let s): options[setting.name] = .string(s)
            default: throw args.typeError(setting.name, expected: "a number, a bool or a string")
            }
        }
        var request = MethodRequest(encoder: encoder, features: d, classes: classes, batchSize: try args.int("batch_size"),
                                    projector: given, predictor: givenPredictor, options: options, rng: state.rng,
                                    checkShape: { try context.checkShape($0, operation: "train") })
        do {
            let built = try entry.make(&request)
            state.rng = request.rng
            return built
        } catch let error as MethodSetupError {
            state.rng = request.rng
            throw RuntimeError(.argument, "train: " + error.message, at: args.range(of: error.parameter ?? "method"))
        }
    }
}
