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
            let defaults = ["moco": "moco-v2", "byol": "byol", "barlow": "barlow", "vicreg": "vicreg"]
            return try ViewPipelines.named(defaults[method] ?? "simclr", imageSize: data.inputs.shape[3], minScale: 0.35)
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

    /// The method called `name`, with default heads sized to `features`.
    static func method(_ name: String, encoder: Module, features d: Int, classes: Int, args: BoundArguments,
                       projector given: Module?, predictor givenPredictor: Module?, state: BuiltinState,
                       context: CallContext) throws -> (method: RepresentationMethod, heads: [(String, Module)]) {
        func temperature(_ fallback: Double) throws -> Float {
            let t = try args.optionalNumber("temperature") ?? fallback
            guard t > 0, t.isFinite else { throw RuntimeError(.argument, "train: temperature must be positive", at: args.range(of: "temperature")) }
            return Float(t)
        }
        func lambda(_ fallback: Double) throws -> Float { Float(try args.optionalNumber("lambda") ?? fallback) }
        // A default head's first layer is d × (up to 256) weights: refused before it is made.
        if given == nil {
            try bridged(context) { try ElementLimit.check([d, 256], op: "train (the default projector for \(d) features)") }
        }
        let out = 64
        switch name {
        case "simclr":
            let g = given ?? simclrProjector(inFeatures: d, hidden: 128, outFeatures: out, rng: &state.rng)
            return (SimCLR(encoder: encoder, projector: g, temperature: try temperature(0.5)), [("projector", g)])
        case "dcl":
            let g = given ?? simclrProjector(inFeatures: d, hidden: 128, outFeatures: out, rng: &state.rng)
            return (DCLMethod(encoder: encoder, projector: g, temperature: try temperature(0.1)), [("projector", g)])
        case "moco":
            let g = given ?? simclrProjector(inFeatures: d, hidden: 128, outFeatures: out, rng: &state.rng)
            let dimension = try ModelValue.embed(g, Tensor.zeros([2, d]), batchSize: 2, context: context).shape.last ?? out
            let queue = try args.count("queue_size", atLeast: 1)
            try context.checkShape([queue, dimension], operation: "train")
            return (MoCo(encoder: encoder, projector: g, embeddingDimension: dimension, queueSize: queue,
                         temperature: try temperature(0.2), momentum: try args.float("momentum"),
                         momentumSchedule: try args.bool("momentum_schedule"), rng: &state.rng), [("projector", g)])
        case "byol":
            let g = given ?? byolProjector(inFeatures: d, hidden: 256, outFeatures: out, rng: &state.rng)
            let q = givenPredictor ?? predictor(features: out, hidden: 256, rng: &state.rng)
            return (BYOL(encoder: encoder, projector: g, predictor: q, momentum: try args.float("momentum"),
                         momentumSchedule: try args.bool("momentum_schedule")), [("projector", g), ("predictor", q)])
        case "simsiam":
            let g = given ?? simsiamProjector(inFeatures: d, hidden: 128, outFeatures: out, rng: &state.rng)
            let q = givenPredictor ?? predictor(features: out, hidden: 16, rng: &state.rng)
            return (SimSiam(encoder: encoder, projector: g, predictor: q, stopGradient: try args.bool("stop_gradient")), [("projector", g), ("predictor", q)])
        case "barlow":
            let g = given ?? expander(inFeatures: d, width: 128, rng: &state.rng)
            return (BarlowTwins(encoder: encoder, projector: g, lambda: try lambda(5e-3)), [("projector", g)])
        case "vicreg":
            let g = given ?? expander(inFeatures: d, width: 128, rng: &state.rng)
            return (VICReg(encoder: encoder, projector: g, lambda: try lambda(25), mu: try args.float("mu"), nu: try args.float("nu")), [("projector", g)])
        case "wmse":
            // Whitening needs more examples per batch than dimensions.
            let width = max(2, min(32, try args.int("batch_size") / 2))
            let g = given ?? simclrProjector(inFeatures: d, hidden: 128, outFeatures: width, rng: &state.rng)
            return (WMSE(encoder: encoder, projector: g), [("projector", g)])
        case "positive-only":
            let g = given ?? NeuralNet.Identity()
            let distanceName = try args.string("distance")
            guard let distance = PositiveDistance(rawValue: distanceName) else {
                throw RuntimeError(.argument, "train: distance must be \"cosine\" or \"squared\"", at: args.range(of: "distance"))
            }
            return (PositiveOnlySiamese(encoder: encoder, projector: g, distance: distance), [("projector", g)])
        case "supervised":
            let head = given ?? Linear(d, classes, rng: &state.rng)
            return (Supervised(encoder: encoder, head: head), [("head", head)])
        default:
            throw RuntimeError(.argument, "train: unknown method \"\(name)\"" + Suggestions.hint(for: name, in: Builtins.methodNames)
                               + " (methods: \(Builtins.methodNames.joined(separator: ", ")))", at: args.range(of: "method"))
        }
    }
}
