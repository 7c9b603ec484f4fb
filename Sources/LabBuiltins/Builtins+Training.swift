import LabScript
import LabSupport
import NeuralNet
import TensorCore

/// Optimisers (for loops written in the script) and model files. The SSL training loop
/// `train(...)` is in `Builtins+Methods.swift`.
extension Builtins {
    static func training(_ state: BuiltinState) -> BuiltinGroup {
        /// The tensors to optimise: a model's parameters, a list of tensors, or one tensor.
        func parameters(_ args: BoundArguments, _ context: CallContext) throws -> [Tensor] {
            switch args["params"] {
            case .host(let object as ModelValue): return object.module.parameters()
            case .host(let object as TensorValue): return [object.tensor]
            case .list(let items):
                return try items.map { item in
                    guard case .host(let object as TensorValue) = item else {
                        throw args.typeError("params", expected: "a model, a tensor or a list of tensors")
                    }
                    return object.tensor
                }
            default: throw args.typeError("params", expected: "a model, a tensor or a list of tensors")
            }
        }
        func rate(_ args: BoundArguments, _ name: String = "learning_rate") throws -> Float {
            let value = try args.number(name)
            guard value.isFinite, value >= 0 else {
                let message = Messages.text("{name} must be a number ≥ 0, got {value}", ["name": name, "value": Value.format(value)])
                throw RuntimeError(.argument, Messages.text("{function}: {message}", ["function": args.functionName, "message": message]),
                                   at: args.range(of: name))
            }
            return Float(value)
        }
        let params = Parameter("params", documentation: "a model, a tensor, or a list of tensors")
        let decay = Parameter("weight_decay", default: .number(0), documentation: "L2 penalty added to the gradient")
        return BuiltinGroup("Optimisers and model files", [
            builtin("sgd", [params, Parameter("learning_rate", default: .number(0.1)), Parameter("momentum", default: .number(0)), decay,
                            Parameter("nesterov", default: .bool(false))],
                    summary: "Stochastic gradient descent: θ ← θ − lr·(g + wd·θ), with optional (Nesterov) momentum.",
                    example: "w = tensor([1.0], requires_grad: true)\nopt = sgd([w], learning_rate: 0.5)\nbackward(sum(w * w))\nopt.step()\nprint(item(w))   # 0",
                    lesson: LessonNumber.supervised) { args, context in
                let momentum = try args.float("momentum"), nesterov = try args.bool("nesterov")
                if nesterov && momentum <= 0 { throw context.error(Messages.text("sgd: nesterov needs momentum > 0")) }
                return .host(OptimizerValue(SGD(try parameters(args, context), learningRate: try rate(args), momentum: momentum,
                                                weightDecay: try args.float("weight_decay"), nesterov: nesterov), name: "sgd"))
            },
            builtin("adam", [params, Parameter("learning_rate", default: .number(1e-3)), Parameter("beta1", default: .number(0.9)),
                             Parameter("beta2", default: .number(0.999)), Parameter("eps", default: .number(1e-8)), decay],
                    summary: "Adam: steps scaled by running estimates of the gradient's first and second moments.",
                    example: "enc = mlp([4, 2])\nopt = adam(enc, learning_rate: 0.01)\nprint(opt.learning_rate)", lesson: LessonNumber.supervised) { args, context in
                .host(OptimizerValue(Adam(try parameters(args, context), learningRate: try rate(args), beta1: try args.float("beta1"),
                                          beta2: try args.float("beta2"), eps: try args.float("eps"), weightDecay: try args.float("weight_decay")), name: "adam"))
            },
            builtin("adamw", [params, Parameter("learning_rate", default: .number(1e-3)), Parameter("beta1", default: .number(0.9)),
                              Parameter("beta2", default: .number(0.999)), Parameter("eps", default: .number(1e-8)), Parameter("weight_decay", default: .number(0.01))],
                    summary: "AdamW: Adam with decoupled weight decay θ ← θ − lr·wd·θ.",
                    example: "opt = adamw(mlp([4, 2]))\nprint(type(opt))   # optimizer", lesson: LessonNumber.supervised) { args, context in
                .host(OptimizerValue(AdamW(try parameters(args, context), learningRate: try rate(args), beta1: try args.float("beta1"),
                                           beta2: try args.float("beta2"), eps: try args.float("eps"), weightDecay: try args.float("weight_decay")), name: "adamw"))
            },
            builtin("lars", [params, Parameter("learning_rate", default: .number(0.1)), Parameter("momentum", default: .number(0.9)), decay,
                             Parameter("trust_coefficient", default: .number(0.001))],
                    summary: "LARS: SGD with momentum whose step for each layer is scaled by ‖θ‖ / ‖g‖ (large-batch SimCLR, BYOL, Barlow Twins).",
                    example: "opt = lars(mlp([4, 2]), learning_rate: 0.2)\nprint(opt.learning_rate)", lesson: LessonNumber.nonContrastive) { args, context in
                .host(OptimizerValue(LARS(try parameters(args, context), learningRate: try rate(args), momentum: try args.float("momentum"),
                                          weightDecay: try args.float("weight_decay"), trustCoefficient: try args.float("trust_coefficient")), name: "lars"))
            },
            builtin("save", [Parameter("value", documentation: "a model (safetensors file) or a chart (SVG file)"), Parameter("path")],
                    summary: "Writes a model's weights to a .safetensors file, or a chart to an .svg file (atomically).",
                    details: "Model files hold every parameter and BatchNorm statistic by its PyTorch-style name; they open in PyTorch with safetensors.",
                    example: "enc = mlp([4, 2])\nsave(enc, \"/tmp/selfsup-example-enc.safetensors\")", lesson: LessonNumber.summary) { args, context in
                let path = try args.string("path")
                switch args["value"] {
                case .host(let object as ModelValue): try save(object.module, to: path)
                case .host(let object as ChartValue): try object.chart.save(to: path)
                default: throw args.typeError("value", expected: "a model or a chart")
                }
                return .nilValue
            },
            builtin("load", [Parameter("model", documentation: "a model of the same architecture"), Parameter("path")],
                    summary: "Loads weights saved by save() into a model of the same architecture (checked before anything is written).",
                    example: "enc = mlp([4, 2])\nsave(enc, \"/tmp/selfsup-example-load.safetensors\")\nload(copy(enc), \"/tmp/selfsup-example-load.safetensors\")",
                    lesson: LessonNumber.summary) { args, context in
                guard case .host(let object as ModelValue) = args["model"] else { throw args.typeError("model", expected: "a model") }
                try load(object.module, from: try args.string("path"))
                return .nilValue
            },
        ])
    }
}
