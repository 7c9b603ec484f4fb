import LabScript
import LabSupport
import NeuralNet
import TensorCore

/// A NeuralNet module as a script value: `enc(x)` runs it, `.parameters` lists its
/// trainable tensors, `.train()` / `.eval()` switch BatchNorm's mode, `enc[0]` is the first
/// layer of a sequential model.
public final class ModelValue: HostObject {
    public let module: Module
    let state: BuiltinState

    public init(_ module: Module, state: BuiltinState) {
        self.module = module
        self.state = state
    }

    public var typeName: String { "model" }

    public var scriptDescription: String {
        let count = ["count": String(module.parameterCount)]
        let state = switch (module.isTraining, module.isFrozen && module.parameterCount > 0) {
        case (true, false): Messages.text("({count} parameters, training mode)", count)
        case (false, false): Messages.text("({count} parameters, eval mode)", count)
        case (true, true): Messages.text("({count} parameters, training mode, frozen)", count)
        case (false, true): Messages.text("({count} parameters, eval mode, frozen)", count)
        }
        return module.summary + "\n" + state
    }

    static let fields = ["parameters", "named_parameters", "parameter_count", "training", "frozen", "layers"]
    static let methods = ["call", "forward", "train", "eval", "freeze", "unfreeze", "zero_grad", "copy"]

    public var memberNames: [String] { ModelValue.fields + ModelValue.methods.filter { $0 != "call" } }

    public func field(_ name: String, context: CallContext) throws -> Value? {
        switch name {
        case "parameters": return .list(module.parameters().map { state.wrap($0) })
        case "named_parameters":
            return .record(Record(module.namedParameters().map { ($0.name, state.wrap($0.tensor)) }))
        case "parameter_count": return .int(module.parameterCount)
        case "training": return .bool(module.isTraining)
        case "frozen": return .bool(module.isFrozen)
        case "layers":
            guard let sequential = module as? Sequential else { return .list([]) }
            return .list(sequential.layers.map { .host(ModelValue($0, state: state)) })
        case "len":
            return (module as? Sequential).map { .int($0.count) }
        default: return nil
        }
    }

    public func method(_ name: String) -> NativeFunction? {
        let module = self.module, state = self.state
        switch name {
        case "call", "forward":
            return NativeFunction(name: "model", parameters: [Parameter("x", documentation: "the input batch")],
                                  summary: "The model's output for input x.", example: "") { args, context in
                try bridged(context) { try ModelValue.forward(module, try args.tensor("x", context), state: state, context: context) }
            }
        case "train", "eval", "freeze", "unfreeze", "zero_grad":
            return NativeFunction(name: "model.\(name)", parameters: [], summary: "", example: "") { _, _ in
                switch name {
                case "train": module.train()
                case "eval": module.eval()
                case "freeze": module.freeze()
                case "unfreeze": module.unfreeze()
                default: module.zeroGrad()
                }
                return .nilValue
            }
        case "copy":
            return NativeFunction(name: "model.copy", parameters: [], summary: "", example: "") { _, _ in
                .host(ModelValue(module.copy(), state: state))
            }
        default:
            return nil
        }
    }

    /// `model[i]`: layer i of a sequential model (negative from the end).
    public func index(_ components: [IndexComponent], context: CallContext) throws -> Value? {
        guard let sequential = module as? Sequential, components.count == 1, case .integer(let position) = components[0] else {
            throw context.error(Messages.text("only a sequential model can be indexed, by one layer number"))
        }
        guard let resolved = IndexComponent.resolve(position, count: sequential.count) else {
            throw RuntimeError(.index, Messages.text("layer {index} is out of range for a model of {count} layers",
                                                     ["index": String(position), "count": String(sequential.count)]), at: context.range)
        }
        return .host(ModelValue(sequential[resolved], state: state))
    }

    /// Runs the model. A model whose first layer is Linear gets images flattened to
    /// [N, C·H·W] first, so `mlp([64, 32])` takes the digits' [N, 1, 8, 8] as they are.
    static func forward(_ module: Module, _ x: Tensor, state: BuiltinState, context: CallContext) throws -> Value {
        try OperationCancellation.check("model")
        try checkAttentionSize(module, x, batch: x.shape.first ?? 0, context: context)
        return state.wrap(try module(try input(for: module, x)))
    }

    static func input(for module: Module, _ x: Tensor) throws -> Tensor {
        var first = module
        while let sequential = first as? Sequential, let child = sequential.layers.first { first = child }
        if first is Linear, x.rank > 2 { return try flatten(x, startAxis: 1) }
        return x
    }

    /// The model's outputs for every sample, in eval mode, without a graph, in batches of
    /// `batchSize` (the mode is restored afterwards).
    static func embed(_ module: Module, _ x: Tensor, batchSize: Int, context: CallContext) throws -> Tensor {
        let wasTraining = module.isTraining
        module.eval()
        defer { if wasTraining { module.train() } }
        let n = x.shape.first ?? 0
        try checkAttentionSize(module, x, batch: min(batchSize, n), context: context)
        var parts: [Tensor] = []
        var start = 0
        try withNoGrad {
            while start < n {
                try OperationCancellation.check("model")
                let end = min(start + batchSize, n)
                parts.append(try module(try input(for: module, try slice(x, axis: 0, SliceRange(start, end)))))
                start = end
            }
        }
        guard !parts.isEmpty else { throw context.error(Messages.text("embed: no samples to embed")) }
        return try concat(parts, axis: 0)
    }
}
