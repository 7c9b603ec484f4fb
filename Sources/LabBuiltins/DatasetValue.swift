import LabScript
import LabSupport
import TensorCore
import ToyData

/// A labelled data set as a script value: `.x` the inputs, `.labels` the classes (a tensor
/// of whole numbers), `.class_names`, `.split(test_fraction: 0.2)` a stratified
/// `{train, test}` record, `.subset(k: 5)` k samples per class. Every field is a new
/// value: changing `.x` changes neither the data set nor any other.
public final class DatasetValue: HostObject {
    public let dataset: Dataset
    let state: BuiltinState

    init(_ dataset: Dataset, state: BuiltinState) {
        self.dataset = dataset
        self.state = state
    }

    public var typeName: String { "dataset" }

    public var scriptDescription: String {
        let counts = dataset.classCounts.map(String.init).joined(separator: ", ")
        return Messages.text("{name}: {count} samples of shape {shape}, {classes} classes ({names}), per class [{counts}]",
                             ["name": dataset.name, "count": String(dataset.count), "shape": formatShape(dataset.sampleShape),
                              "classes": String(dataset.classCount), "names": dataset.classNames.joined(separator: ", "), "counts": counts])
    }

    static let fields = ["x", "labels", "class_names", "count", "sample_shape", "classes", "name", "attributes", "boxes"]
    public var memberNames: [String] { DatasetValue.fields + ["split", "subset", "select"] }

    public func field(_ name: String, context: CallContext) throws -> Value? {
        switch name {
        // A new tensor over the same copy-on-write storage: an assignment into it copies,
        // so a script never changes the data set itself, nor another call's (digits()
        // hands out one cached data set).
        case "x": return state.wrap(Tensor(shape: dataset.inputs.shape, data: dataset.inputs.data))
        case "labels": return state.wrap(Tensor(shape: [dataset.count], data: dataset.labels.map(Float.init)))
        case "class_names": return .list(dataset.classNames.map { .string($0) })
        case "count", "len": return .int(dataset.count)
        case "sample_shape": return .list(dataset.sampleShape.map { .int($0) })
        case "classes": return .int(dataset.classCount)
        case "name": return .string(dataset.name)
        case "attributes":
            return .record(Record(dataset.attributes.keys.sorted().map { key in
                (key, state.wrap(Tensor(shape: [dataset.count], data: dataset.attributes[key] ?? [])))
            }))
        case "boxes":
            guard let boxes = dataset.boxes else { return .nilValue }
            return state.wrap(Tensor(shape: [boxes.count, 4], data: boxes.flatMap { [$0.minX, $0.minY, $0.maxX, $0.maxY] }))
        default: return nil
        }
    }

    public func method(_ name: String) -> NativeFunction? {
        guard ["split", "subset", "select"].contains(name), let builtin = state.registry?.function(named: name) else { return nil }
        let receiver = Value.host(self)
        let parameters = Array(builtin.parameters.dropFirst())
        return NativeFunction(name: "dataset.\(name)", parameters: parameters, summary: builtin.summary, example: builtin.example) { args, context in
            let named = parameters.filter { args.wasPassed($0.name) }.map { ($0.name, args[$0.name]) }
            return try context.call(.native(builtin), [receiver], named: named)
        }
    }

    /// `data[i]`: a record {x, label} of sample i.
    public func index(_ components: [IndexComponent], context: CallContext) throws -> Value? {
        guard components.count == 1, case .integer(let position) = components[0] else {
            throw context.error(Messages.text("a data set is indexed by one sample number; use select(data, indices) for several"))
        }
        guard let resolved = IndexComponent.resolve(position, count: dataset.count) else {
            throw RuntimeError(.index, Messages.text("sample {index} is out of range for a data set of {count} samples",
                                                     ["index": String(position), "count": String(dataset.count)]), at: context.range)
        }
        let one = try bridged(context) { try dataset.selecting([resolved]) }
        return .record(Record([("x", state.wrap(try bridged(context) { try select(one.inputs, axis: 0, index: 0) })),
                               ("label", .int(one.labels[0]))]))
    }
}

/// The toy token language (masked-token prediction): `.x` the token ids [count, length],
/// `.vocabulary`, `.mask_token`, the accuracies of the Bayes-optimal and bigram
/// predictors, and `.mask(seed: 0)` giving `{inputs, positions, targets}`.
public final class TokensValue: HostObject {
    public let tokens: TokenDataset
    let state: BuiltinState

    init(_ tokens: TokenDataset, state: BuiltinState) {
        self.tokens = tokens
        self.state = state
    }

    public var typeName: String { "tokens" }
    public var scriptDescription: String {
        Messages.text("tokens: {count} sequences of length {length}, vocabulary of {words} words",
                      ["count": String(tokens.sequences.count), "length": String(tokens.sequences.first?.count ?? 0),
                       "words": String(tokens.vocabulary.count)])
    }
    public var memberNames: [String] { ["x", "vocabulary", "mask_token", "bayes_optimal_accuracy", "bigram_accuracy", "count", "mask"] }

    public func field(_ name: String, context: CallContext) throws -> Value? {
        switch name {
        case "x": return state.wrap(tokens.inputs)
        case "vocabulary": return .list(tokens.vocabulary.map { .string($0) })
        case "mask_token": return .int(tokens.maskToken)
        case "bayes_optimal_accuracy": return .number(tokens.bayesOptimalAccuracy)
        case "bigram_accuracy": return .number(tokens.bigramAccuracy)
        case "count", "len": return .int(tokens.sequences.count)
        default: return nil
        }
    }

    public func method(_ name: String) -> NativeFunction? {
        guard name == "mask" else { return nil }
        let tokens = self.tokens, state = self.state
        return NativeFunction(name: "tokens.mask", parameters: [Parameter("seed", default: .nilValue)],
                              summary: "Masks one random position per sequence: {inputs, positions, targets}.", example: "") { args, context in
            var seed = state.nextSeed()
            if !args["seed"].isNil {
                let given = try args.int("seed")
                guard given >= 0 else { throw context.error(Messages.text("{function}: seed must be ≥ 0", ["function": "mask"])) }
                seed = UInt64(given)
            }
            let masked = tokens.maskOnePosition(seed: seed)
            return .record(Record([("inputs", state.wrap(masked.inputs)),
                                   ("positions", state.wrap(Tensor(shape: [masked.positions.count], data: masked.positions.map(Float.init)))),
                                   ("targets", state.wrap(Tensor(shape: [masked.targets.count], data: masked.targets.map(Float.init))))]))
        }
    }
}
