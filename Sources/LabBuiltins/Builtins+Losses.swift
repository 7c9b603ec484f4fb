import LabScript
import TensorCore

/// Loss functions. The supervised ones come from TensorCore; the self-supervised losses
/// are bridged from the SelfSupervised module as it lands.
extension Builtins {
    static func losses(_ state: BuiltinState) -> BuiltinGroup {
        BuiltinGroup("Losses", [
            builtin("cross_entropy", [Parameter("logits", documentation: "[n, classes] scores"),
                                      Parameter("labels", documentation: "n class indices (a list or a tensor)")],
                    summary: "The mean over rows of −log softmax(logits)[label]: the classification loss.",
                    details: "Computed stably with logsumexp. Labels must lie in 0 ..< classes.",
                    example: "print(cross_entropy(tensor([[2, 0], [0, 2]]), [0, 1]))", lesson: Lesson.masked) { args, context in
                let logits = try args.tensor("logits", context)
                let labels = try TensorConversion.integers(from: args["labels"], context: context, what: "cross_entropy")
                return state.wrap(try crossEntropy(logits, labels: labels))
            },
            builtin("mse", [Parameter("a"), Parameter("b")],
                    summary: "The mean squared error mean((a − b)²), with broadcasting.",
                    example: "print(mse(tensor([1, 2]), tensor([1, 4])))   # 2", lesson: Lesson.masked) { args, context in
                let (a, b) = (try args.tensor("a", context), try args.tensor("b", context))
                try context.checkShape(try broadcastShape(a.shape, b.shape, op: "mse"), operation: "mse")
                return state.wrap(try mse(a, b))
            },
        ])
    }
}
