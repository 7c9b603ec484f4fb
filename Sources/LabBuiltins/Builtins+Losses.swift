import LabScript
import LabSupport
import SelfSupervised
import TensorCore

/// Loss functions: the supervised ones from TensorCore and the self-supervised ones from
/// SelfSupervised, each a composition readable as its formula.
extension Builtins {
    static func losses(_ state: BuiltinState) -> BuiltinGroup {
        let z1 = Parameter("z1", documentation: "embeddings of the first views [n, d]")
        let z2 = Parameter("z2", documentation: "embeddings of the second views [n, d]")
        func pair(_ args: BoundArguments, _ context: CallContext) throws -> (Tensor, Tensor) {
            (try args.tensor("z1", context), try args.tensor("z2", context))
        }
        func temperature(_ args: BoundArguments, _ name: String = "temperature") throws -> Float {
            let t = try args.number(name)
            guard t > 0, t.isFinite else {
                let message = Messages.text("{name} must be a positive number, got {value}", ["name": name, "value": Value.format(t)])
                throw RuntimeError(.argument, Messages.text("{function}: {message}", ["function": args.functionName, "message": message]),
                                   at: args.range(of: name))
            }
            return Float(t)
        }
        return BuiltinGroup("Losses", [
            builtin("cross_entropy", [Parameter("logits", documentation: "[n, classes] scores"),
                                      Parameter("labels", documentation: "n class indices (a list or a tensor)")],
                    summary: "The mean over rows of −log softmax(logits)[label]: the classification loss.",
                    details: "Computed stably with logsumexp. Labels must lie in 0 ..< classes.",
                    example: "print(cross_entropy(tensor([[2, 0], [0, 2]]), [0, 1]))", lesson: LessonNumber.masked) { args, context in
                let logits = try args.tensor("logits", context)
                let labels = try TensorConversion.integers(from: args["labels"], context: context, what: "cross_entropy")
                return state.wrap(try crossEntropy(logits, labels: labels))
            },
            builtin("mse", [Parameter("a"), Parameter("b")],
                    summary: "The mean squared error mean((a − b)²), with broadcasting.",
                    example: "print(mse(tensor([1, 2]), tensor([1, 4])))   # 2.0", lesson: LessonNumber.masked) { args, context in
                let (a, b) = (try args.tensor("a", context), try args.tensor("b", context))
                try context.checkShape(try broadcastShape(a.shape, b.shape, op: "mse"), operation: "mse")
                return state.wrap(try mse(a, b))
            },
            builtin("nt_xent", [z1, z2, Parameter("temperature", default: .number(0.5), documentation: "τ dividing the cosine similarities")],
                    summary: "SimCLR's NT-Xent: for each of the 2n views, cross-entropy of finding its partner among the other 2n − 1 by cosine similarity / τ.",
                    details: "ℓ(i, j) = −log exp(sim(zᵢ, zⱼ)/τ) / Σ_{k≠i} exp(sim(zᵢ, z_k)/τ), averaged over all 2n views.",
                    example: "z = randn(8, 4)\nprint(item(nt_xent(z, z + 0.01 * randn(8, 4), temperature: 0.5)) < item(nt_xent(z, randn(8, 4))))   # true",
                    lesson: LessonNumber.contrastive) { args, context in
                let (a, b) = try pair(args, context)
                return state.wrap(try ntXent(a, b, temperature: try temperature(args)))
            },
            builtin("info_nce", [Parameter("query", documentation: "[n, d]"), Parameter("key", documentation: "positive keys [n, d]"),
                                 Parameter("queue", documentation: "negative keys [K, d] (MoCo's queue)"), Parameter("temperature", default: .number(0.2))],
                    summary: "InfoNCE as in MoCo: each query must pick its key out of the key plus the queue of negatives.",
                    details: "The similarities are plain dot products divided by τ: pass unit vectors (normalize them first), as MoCo does.",
                    example: "q = normalize(randn(4, 8))\nprint(info_nce(q, q, normalize(randn(16, 8))))", lesson: LessonNumber.contrastive) { args, context in
                state.wrap(try infoNCE(query: try args.tensor("query", context), key: try args.tensor("key", context),
                                       queue: try args.tensor("queue", context), temperature: try temperature(args)))
            },
            builtin("barlow_twins", [z1, z2, Parameter("lambda", default: .number(0.005), documentation: "weight of the redundancy (off-diagonal) term")],
                    summary: "Barlow Twins: drive the cross-correlation of the standardized embeddings to the identity.",
                    details: "L = Σᵢ (1 − Cᵢᵢ)² + λ Σ_{i≠j} Cᵢⱼ², C = standardize(z1)ᵀ standardize(z2) / n.",
                    example: "z = randn(16, 4)\nprint(item(barlow_twins(z, z)) < 0.1)   # true", lesson: LessonNumber.nonContrastive) { args, context in
                let (a, b) = try pair(args, context)
                return state.wrap(try barlowTwins(a, b, lambda: try args.float("lambda")))
            },
            builtin("vicreg", [z1, z2, Parameter("lambda", default: .number(25), documentation: "invariance weight"),
                               Parameter("mu", default: .number(25), documentation: "variance weight"), Parameter("nu", default: .number(1), documentation: "covariance weight"),
                               Parameter("eps", default: .number(1e-4))],
                    summary: "VICReg: λ·invariance (MSE of the views) + μ·variance (hinge on each dimension's std) + ν·covariance (off-diagonal²).",
                    example: "print(vicreg(randn(16, 4), randn(16, 4)))", lesson: LessonNumber.nonContrastive) { args, context in
                let (a, b) = try pair(args, context)
                return state.wrap(try vicreg(a, b, lambda: try args.float("lambda"), mu: try args.float("mu"), nu: try args.float("nu"), eps: try args.float("eps")))
            },
            builtin("negative_cosine", [Parameter("p", documentation: "predictions [n, d]"), Parameter("z", documentation: "targets [n, d] (detach them for SimSiam)")],
                    summary: "SimSiam's loss: −mean cosine similarity of predictions and targets.",
                    example: "z = randn(4, 3)\nprint(negative_cosine(z, detach(z)))", lesson: LessonNumber.nonContrastive) { args, context in
                state.wrap(try negativeCosine(try args.tensor("p", context), try args.tensor("z", context)))
            },
            builtin("positive_only", [z1, z2, Parameter("distance", default: .string("cosine"), documentation: "\"cosine\" or \"squared\"")],
                    summary: "Pulls positive pairs together and nothing else: the loss that collapses.",
                    example: "print(positive_only(randn(4, 3), randn(4, 3)))", lesson: LessonNumber.collapse) { args, context in
                let (a, b) = try pair(args, context)
                let name = try args.string("distance")
                guard let distance = PositiveDistance(rawValue: name) else {
                    throw RuntimeError(.argument, Messages.text("positive_only: distance must be \"cosine\" or \"squared\", got \"{value}\"", ["value": name]), at: args.range(of: "distance"))
                }
                return state.wrap(try positiveOnly(a, b, distance: distance))
            },
            builtin("dcl", [z1, z2, Parameter("temperature", default: .number(0.1)), Parameter("weighted", default: .bool(false)), Parameter("sigma", default: .number(0.5))],
                    summary: "Decoupled contrastive loss: NT-Xent without the positive pair in the denominator.",
                    example: "print(dcl(randn(8, 4), randn(8, 4)))", lesson: LessonNumber.contrastive) { args, context in
                let (a, b) = try pair(args, context)
                return state.wrap(try dcl(a, b, temperature: try temperature(args), weighted: try args.bool("weighted"), sigma: try args.float("sigma")))
            },
            builtin("wmse", [z1, z2, Parameter("eps", default: .number(0))],
                    summary: "W-MSE: whiten the batch of embeddings, then the mean squared distance of the positive pairs.",
                    example: "print(wmse(randn(16, 4), randn(16, 4)))", lesson: LessonNumber.nonContrastive) { args, context in
                let (a, b) = try pair(args, context)
                return state.wrap(try wmse(a, b, eps: try args.float("eps")))
            },
            builtin("cross_correlation", [z1, z2],
                    summary: "The d × d cross-correlation matrix of the standardized embeddings (the matrix Barlow Twins drives to the identity).",
                    example: "z = randn(32, 3)\nprint(heatmap(cross_correlation(z, z)))", lesson: LessonNumber.nonContrastive) { args, context in
                let (a, b) = try pair(args, context)
                return state.wrap(try crossCorrelation(a, b))
            },
        ])
    }
}
