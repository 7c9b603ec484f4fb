import LabScript
import LabSupport
import NeuralNet
import TensorCore

/// Models: the builders of NeuralNet (mlp, convnet, heads), layers for `sequential`, and
/// what one does with a model (copy, freeze, forward, save, load).
extension Builtins {
    static func models(_ state: BuiltinState) -> BuiltinGroup {
        func wrap(_ module: Module) -> Value { .host(ModelValue(module, state: state)) }
        func sizes(_ args: BoundArguments, _ name: String, _ context: CallContext, minimumCount: Int) throws -> [Int] {
            let values = try TensorConversion.integers(from: args[name], context: context, what: args.functionName)
            guard values.count >= minimumCount, values.allSatisfy({ $0 > 0 }) else {
                throw RuntimeError(.argument, Messages.text("{function}: '{name}' needs at least {count} sizes, all positive, got {values}", ["function": args.functionName, "name": name, "count": String(minimumCount), "values": String(describing: values)]),
                                   at: args.range(of: name))
            }
            return values
        }
        /// Refuses models whose weights would pass the element limit.
        /// (Counted in Double: sizes from a script may overflow Int when multiplied.)
        func checkWeights(_ count: Double, _ context: CallContext) throws {
            guard count <= Double(context.limits.maxElements) else {
                throw RuntimeError(.limit, Messages.text("{function}: {count} weights is more than the limit of {limit} elements", ["function": context.functionName, "count": Value.format(count), "limit": String(context.limits.maxElements)]),
                                   at: context.range)
            }
        }
        func model(_ args: BoundArguments, _ name: String, _ context: CallContext) throws -> ModelValue {
            guard case .host(let object as ModelValue) = args[name] else { throw args.typeError(name, expected: "a model") }
            return object
        }
        let modelParameter = Parameter("model", documentation: "a model (mlp, convnet, sequential, …)")
        return BuiltinGroup("Models", [
            builtin("mlp", [Parameter("dims", documentation: "layer sizes, input first: [64, 128, 32]"),
                            Parameter("batch_norm", default: .bool(true), documentation: "BatchNorm1d after each hidden Linear"),
                            Parameter("last_activation", default: .bool(false), documentation: "BatchNorm and ReLU after the last Linear too")],
                    summary: "A multilayer perceptron: Linear layers of the given sizes with BatchNorm and ReLU between them.",
                    details: "mlp([64, 256, 128]) is Linear(64, 256), BatchNorm1d, ReLU, Linear(256, 128). Weights are drawn from the session generator.",
                    example: "enc = mlp([64, 128, 32])\nprint(enc(randn(8, 64)).shape)   # [8, 32]", lesson: LessonNumber.supervised) { args, context in
                let dims = try sizes(args, "dims", context, minimumCount: 2)
                try checkWeights(zip(dims, dims.dropFirst()).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }, context)
                return wrap(mlp(dims, batchNorm: try args.bool("batch_norm"), lastActivation: try args.bool("last_activation"), rng: &state.rng))
            },
            builtin("convnet", [Parameter("widths", default: .list([32, 64, 128].map { .int($0) }), documentation: "channels of each conv block"),
                                Parameter("in_channels", default: .number(3))],
                    summary: "A conv encoder: per width a 3×3 Conv2d, BatchNorm2d, ReLU (2×2 max-pool between blocks), then global average pooling.",
                    details: "Maps images [N, C, H, W] to features [N, widths.last]; position is pooled away.",
                    example: "enc = convnet(widths: [8, 16])\nprint(enc(rand(2, 3, 16, 16)).shape)   # [2, 16]", lesson: LessonNumber.augmentations) { args, context in
                let widths = try sizes(args, "widths", context, minimumCount: 1)
                let inChannels = try args.count("in_channels", atLeast: 1)
                try checkWeights(zip([inChannels] + widths, widths).reduce(0.0) { $0 + Double($1.0) * Double($1.1) * 9 }, context)
                return wrap(convnet(widths: widths, inChannels: inChannels, rng: &state.rng))
            },
            builtin("flat_convnet", [Parameter("widths", default: .list([16, 32, 64].map { .int($0) })), Parameter("in_channels", default: .number(3)),
                                     Parameter("image_size", default: .number(16)), Parameter("features", default: .number(128))],
                    summary: "A conv encoder that keeps position: conv blocks each halving the side, then Flatten and Linear to features.",
                    example: "enc = flat_convnet(widths: [8, 16], image_size: 16, features: 32)\nprint(enc(rand(2, 3, 16, 16)).shape)   # [2, 32]",
                    lesson: LessonNumber.augmentations) { args, context in
                let widths = try sizes(args, "widths", context, minimumCount: 1)
                let inChannels = try args.count("in_channels", atLeast: 1)
                let imageSize = try args.count("image_size", atLeast: 1), features = try args.count("features", atLeast: 1)
                let side = widths.reduce(imageSize) { s, _ in s / 2 }
                guard side >= 1 else { throw context.error(Messages.text("flat_convnet: {count} poolings do not fit {size}×{size} images", ["count": String(widths.count), "size": String(imageSize)])) }
                try checkWeights(zip([inChannels] + widths, widths).reduce(0.0) { $0 + Double($1.0) * Double($1.1) * 9 }
                                 + Double(widths[widths.count - 1]) * Double(side) * Double(side) * Double(features), context)
                return wrap(flatConvnet(widths: widths, inChannels: inChannels, imageSize: imageSize, features: features, rng: &state.rng))
            },
            builtin("linear", [Parameter("in_features"), Parameter("out_features"), Parameter("bias", default: .bool(true))],
                    summary: "A fully connected layer y = x Wᵀ + b.",
                    example: "layer = linear(4, 2)\nprint(layer(ones(3, 4)).shape)   # [3, 2]", lesson: LessonNumber.supervised) { args, context in
                let i = try args.count("in_features", atLeast: 1), o = try args.count("out_features", atLeast: 1)
                try checkWeights(Double(i) * Double(o), context)
                return wrap(Linear(i, o, bias: try args.bool("bias"), rng: &state.rng))
            },
            builtin("conv", [Parameter("in_channels"), Parameter("out_channels"), Parameter("kernel_size", default: .number(3)),
                             Parameter("stride", default: .number(1)), Parameter("padding", default: .number(1))],
                    summary: "A 2-D convolution layer (for sequential).",
                    example: "layer = conv(3, 8)\nprint(layer(rand(1, 3, 8, 8)).shape)   # [1, 8, 8, 8]", lesson: LessonNumber.augmentations) { args, context in
                let i = try args.count("in_channels", atLeast: 1), o = try args.count("out_channels", atLeast: 1)
                let k = try args.count("kernel_size", atLeast: 1)
                try checkWeights(Double(i) * Double(o) * Double(k) * Double(k), context)
                return wrap(Conv2d(i, o, kernelSize: k, stride: try args.count("stride", atLeast: 1), padding: try args.count("padding"), rng: &state.rng))
            },
            builtin("max_pool", [Parameter("kernel_size", default: .number(2))],
                    summary: "A max-pooling layer (for sequential): the largest value in each kernel_size × kernel_size window, stride kernel_size.",
                    example: "layer = max_pool(2)\nprint(layer(rand(1, 3, 8, 8)).shape)   # [1, 3, 4, 4]", lesson: LessonNumber.augmentations) { args, _ in
                wrap(MaxPool2d(try args.count("kernel_size", atLeast: 1)))
            },
            builtin("batch_norm", [Parameter("features"), Parameter("images", default: .bool(false), documentation: "BatchNorm2d over channels of images")],
                    summary: "A batch normalisation layer (for sequential): BatchNorm1d, or BatchNorm2d with images: true.",
                    example: "bn = batch_norm(4)\nprint(bn(randn(8, 4)).shape)   # [8, 4]", lesson: LessonNumber.nonContrastive) { args, context in
                let n = try args.count("features", atLeast: 1)
                try checkWeights(Double(n), context)
                return wrap(try args.bool("images") ? BatchNorm2d(n) : BatchNorm1d(n))
            },
            builtin("projector", [Parameter("in_features", default: .number(128)), Parameter("hidden", default: .number(128)),
                                  Parameter("out_features", default: .number(64)),
                                  Parameter("kind", default: .string("simclr"), documentation: "\"simclr\", \"byol\", \"simsiam\" or \"expander\" (Barlow Twins, VICReg)")],
                    summary: "The projection head g(·) of an SSL method, between the encoder and the loss.",
                    details: "simclr and byol: Linear, BatchNorm1d, ReLU, Linear. simsiam: three Linears each with BatchNorm. expander: three Linears of width out_features.",
                    example: "g = projector(in_features: 32, hidden: 64, out_features: 16)\nprint(g(randn(4, 32)).shape)   # [4, 16]",
                    lesson: LessonNumber.contrastive) { args, context in
                let i = try args.count("in_features", atLeast: 1), h = try args.count("hidden", atLeast: 1), o = try args.count("out_features", atLeast: 1)
                let (di, dh, dout) = (Double(i), Double(h), Double(o))
                try checkWeights(di * dh + dh * dh + dh * dout + 2 * dout * dout, context)
                switch try args.string("kind") {
                case "simclr": return wrap(simclrProjector(inFeatures: i, hidden: h, outFeatures: o, rng: &state.rng))
                case "byol": return wrap(byolProjector(inFeatures: i, hidden: h, outFeatures: o, rng: &state.rng))
                case "simsiam": return wrap(simsiamProjector(inFeatures: i, hidden: h, outFeatures: o, rng: &state.rng))
                case "expander": return wrap(expander(inFeatures: i, width: o, rng: &state.rng))
                case let other:
                    throw RuntimeError(.argument, Messages.text("projector: unknown kind \"{kind}\"; use \"simclr\", \"byol\", \"simsiam\" or \"expander\"", ["kind": other]), at: args.range(of: "kind"))
                }
            },
            builtin("predictor", [Parameter("features", default: .number(64)), Parameter("hidden", default: .number(16))],
                    summary: "The predictor q(·) of BYOL and SimSiam: Linear, BatchNorm1d, ReLU, Linear, from features back to features.",
                    example: "q = predictor(features: 16, hidden: 4)\nprint(q(randn(4, 16)).shape)   # [4, 16]", lesson: LessonNumber.nonContrastive) { args, context in
                let f = try args.count("features", atLeast: 1), h = try args.count("hidden", atLeast: 1)
                try checkWeights(2 * Double(f) * Double(h), context)
                return wrap(predictor(features: f, hidden: h, rng: &state.rng))
            },
            builtin("sequential", [.variadic("layers", documentation: "models, or the functions relu, tanh, flatten")],
                    summary: "A model applying the layers in order (shared, not copied); relu, tanh and flatten may be given as layers.",
                    example: "net = sequential(linear(4, 8), relu, linear(8, 2))\nprint(net(ones(3, 4)).shape)   # [3, 2]", lesson: LessonNumber.supervised) { args, context in
                var items = args.variadic
                if items.count == 1, case .list(let inner) = items[0] { items = inner }
                let layers: [Module] = try items.map { item in
                    switch item {
                    case .host(let object as ModelValue): return object.module
                    case .native(let function) where function.name == "relu": return ReLU()
                    case .native(let function) where function.name == "tanh": return Tanh()
                    case .native(let function) where function.name == "flatten": return Flatten()
                    default: throw context.error(Messages.text("sequential: a layer must be a model or one of relu, tanh, flatten; got {type}", ["type": item.typeName]))
                    }
                }
                return wrap(Sequential(layers))
            },
            builtin("copy", [modelParameter], summary: "A deep copy of a model: new weights with the same values (the target network of BYOL).",
                    example: "a = mlp([4, 2])\nb = copy(a)\nprint(b.parameter_count == a.parameter_count)   # true", lesson: LessonNumber.nonContrastive) { args, context in
                let source = try model(args, "model", context).module
                try checkWeights(Double(source.parameterCount), context)
                return wrap(source.copy())
            },
            builtin("freeze", [modelParameter], summary: "Stops gradients to the model's parameters (requires_grad false), e.g. for a linear probe.",
                    example: "enc = mlp([4, 2])\nfreeze(enc)\nprint(enc.frozen)   # true", lesson: LessonNumber.supervised) { args, context in
                try model(args, "model", context).module.freeze()
                return .nilValue
            },
            builtin("unfreeze", [modelParameter], summary: "Lets gradients reach the model's parameters again.",
                    example: "enc = mlp([4, 2])\nfreeze(enc)\nunfreeze(enc)\nprint(enc.frozen)   # false", lesson: LessonNumber.supervised) { args, context in
                try model(args, "model", context).module.unfreeze()
                return .nilValue
            },
            builtin("parameters", [modelParameter], summary: "The model's trainable tensors, in order (what an optimiser updates).",
                    example: "print(len(parameters(linear(4, 2))))   # 2", lesson: LessonNumber.supervised) { args, context in
                .list(try model(args, "model", context).module.parameters().map { state.wrap($0) })
            },
            builtin("momentum_update", [Parameter("target"), Parameter("online"), Parameter("m", default: .number(0.99), documentation: "momentum in [0, 1]")],
                    summary: "Moves the target model towards the online one: θ_target ← m·θ_target + (1 − m)·θ_online (MoCo, BYOL).",
                    example: "online = mlp([4, 2])\ntarget = copy(online)\nmomentum_update(target, online, m: 0.9)", lesson: LessonNumber.contrastive) { args, context in
                let m = try args.float("m")
                guard m >= 0, m <= 1 else { throw context.error(Messages.text("momentum_update: m must lie in [0, 1], got {value}", ["value": String(describing: m)])) }
                try updateMomentum(target: try model(args, "target", context).module, online: try model(args, "online", context).module, m: m)
                return .nilValue
            },
        ])
    }
}
