import LabScript
import LabSupport
import TensorCore

/// Reductions (over everything, or one axis with `axis:`), statistics and the softmax
/// family. Axes count from 0; negative axes count from the end (−1 is the last).
extension Builtins {
    static func reductions(_ state: BuiltinState) -> BuiltinGroup {
        let x = Parameter("x", documentation: "a tensor")
        let axis = Parameter("axis", default: .nilValue, documentation: "reduce this axis only (nil: all elements)")
        let keepdim = Parameter("keepdim", default: .bool(false), documentation: "keep the reduced axis with size 1")
        func reduction(_ name: String, _ summary: String, _ example: String, lesson: Int = LessonNumber.tensors,
                       whole: @escaping (Tensor) throws -> Tensor,
                       along: @escaping (Tensor, Int, Bool) throws -> Tensor) -> NativeFunction {
            builtin(name, method: true, [x, axis, keepdim], summary: summary, example: example, lesson: lesson) { args, context in
                let input = try args.tensor("x", context)
                guard let axis = try args.axis() else { return state.wrap(try whole(input)) }
                return state.wrap(try along(input, axis, try args.bool("keepdim")))
            }
        }
        /// `max(x, axis:, keepdim:)` for one tensor; `max(1, 2)` and `max([1, 2])` stay numbers.
        func extremum(_ name: String, _ summary: String, _ example: String,
                      whole: @escaping (Tensor) throws -> Tensor,
                      along: @escaping (Tensor, Int, Bool) throws -> Tensor) -> NativeFunction {
            builtin(name, method: true, [.variadic("values", documentation: "one tensor, or numbers"), axis, keepdim],
                    summary: summary, example: example, lesson: LessonNumber.tensors) { args, context in
                guard args.variadic.count == 1, case .host(let object as TensorValue) = args.variadic[0] else {
                    guard let number = state.languageBuiltins[name] else { throw context.error(Messages.text("{function}: expected a tensor", ["function": name])) }
                    if args.wasPassed("axis") { throw context.error(Messages.text("{function}: axis: needs a tensor", ["function": name])) }
                    return try context.call(.native(number), args.variadic)
                }
                guard let axis = try args.axis() else { return state.wrap(try whole(object.tensor)) }
                return state.wrap(try along(object.tensor, axis, try args.bool("keepdim")))
            }
        }
        return BuiltinGroup("Reductions, statistics and softmax", [
            reduction("sum", "The sum of the elements (or along axis).", "print(sum(tensor([[1, 2], [3, 4]]), axis: 0))",
                      whole: { TensorCore.sum($0) }, along: { try TensorCore.sum($0, axis: $1, keepDim: $2) }),
            reduction("mean", "The mean of the elements (or along axis).", "print(mean(tensor([1, 2, 3, 4])))   # 2.5",
                      whole: { TensorCore.mean($0) }, along: { try TensorCore.mean($0, axis: $1, keepDim: $2) }),
            extremum("max", "The largest element of a tensor (or along axis); of numbers, the largest number.",
                     "print(max(tensor([3, 7, 5])))   # 7.0\nprint(max(2, 9))   # 9",
                     whole: { try TensorCore.max($0) }, along: { try TensorCore.max($0, axis: $1, keepDim: $2) }),
            extremum("min", "The smallest element of a tensor (or along axis); of numbers, the smallest number.",
                     "print(min(tensor([3, 7, 5])))   # 3.0\nprint(min(2, 9))   # 2",
                     whole: { try TensorCore.min($0) }, along: { try TensorCore.min($0, axis: $1, keepDim: $2) }),
            reduction("argmax", "The index of the largest element (flat index without axis), as a tensor of whole numbers.",
                      "print(argmax(tensor([[1, 9], [8, 2]]), axis: 1))",
                      whole: { try TensorCore.argmax($0) }, along: { try TensorCore.argmax($0, axis: $1, keepDim: $2) }),
            builtin("var", method: true, [x, axis, Parameter("unbiased", default: .bool(true), documentation: "divide by n − 1 (true) or n"), keepdim],
                    summary: "The variance of the elements (or along axis); unbiased (n − 1) by default, as PyTorch.",
                    example: "print(var(tensor([1, 2, 3, 4])))", lesson: LessonNumber.collapse) { args, context in
                let input = try args.tensor("x", context)
                let unbiased = try args.bool("unbiased")
                guard let axis = try args.axis() else { return state.wrap(try variance(input, unbiased: unbiased)) }
                return state.wrap(try variance(input, axis: axis, unbiased: unbiased, keepDim: try args.bool("keepdim")))
            },
            builtin("std", method: true, [x, axis, Parameter("unbiased", default: .bool(true), documentation: "divide by n − 1 (true) or n"), keepdim],
                    summary: "The standard deviation of the elements (or along axis); unbiased by default.",
                    details: "A collapsed encoder has std(normalize(z), axis: 0) near 0 in every dimension.",
                    example: "print(std(tensor([1, 2, 3, 4]), unbiased: false))", lesson: LessonNumber.collapse) { args, context in
                let input = try args.tensor("x", context)
                let unbiased = try args.bool("unbiased")
                guard let axis = try args.axis() else { return state.wrap(try TensorCore.std(input, unbiased: unbiased)) }
                return state.wrap(try TensorCore.std(input, axis: axis, unbiased: unbiased, keepDim: try args.bool("keepdim")))
            },
            builtin("softmax", method: true, [x, Parameter("axis", default: .number(-1), documentation: "the axis that sums to 1")],
                    summary: "exp(x) / sum(exp(x)) along axis (computed stably).",
                    example: "print(softmax(tensor([1, 2, 3])))", lesson: LessonNumber.masked) { args, context in
                state.wrap(try softmax(try args.tensor("x", context), axis: try args.int("axis")))
            },
            builtin("log_softmax", method: true, [x, Parameter("axis", default: .number(-1))],
                    summary: "log(softmax(x)) along axis, computed stably as x − logsumexp(x).",
                    example: "print(log_softmax(tensor([1, 2, 3])))", lesson: LessonNumber.masked) { args, context in
                state.wrap(try logSoftmax(try args.tensor("x", context), axis: try args.int("axis")))
            },
            builtin("logsumexp", [x, Parameter("axis", default: .number(-1)), keepdim],
                    summary: "log Σ exp(x) along axis, stable for large x (the max is subtracted first).",
                    example: "print(logsumexp(tensor([1000, 1000])))", lesson: LessonNumber.contrastive) { args, context in
                state.wrap(try logsumexp(try args.tensor("x", context), axis: try args.int("axis"), keepDim: try args.bool("keepdim")))
            },
            builtin("normalize", method: true, [x, Parameter("axis", default: .number(-1)), Parameter("eps", default: .number(1e-12))],
                    summary: "x divided by its L2 norm along axis (rows of unit length by default).",
                    details: "x / max(‖x‖₂, eps), as torch.nn.functional.normalize.",
                    example: "print(normalize(tensor([[3, 4]])))", lesson: LessonNumber.collapse) { args, context in
                state.wrap(try normalize(try args.tensor("x", context), axis: try args.int("axis"), eps: try args.float("eps")))
            },
            builtin("standardize", [x, Parameter("axis", default: .number(0)), Parameter("eps", default: .number(1e-5))],
                    summary: "(x − mean) / std along axis (each column of a batch by default), with the biased std.",
                    details: "Barlow Twins standardizes each embedding dimension over the batch before the cross-correlation.",
                    example: "z = standardize(tensor([[1, 10], [3, 30]]))\nprint(z)", lesson: LessonNumber.nonContrastive) { args, context in
                state.wrap(try standardize(try args.tensor("x", context), axis: try args.int("axis"), eps: try args.float("eps")))
            },
            builtin("cosine_similarity", [Parameter("a"), Parameter("b"), Parameter("axis", default: .number(-1)), Parameter("eps", default: .number(1e-8))],
                    summary: "a·b / (‖a‖‖b‖) along axis, with broadcasting.",
                    example: "print(cosine_similarity(tensor([1, 0]), tensor([1, 1])))", lesson: LessonNumber.contrastive) { args, context in
                state.wrap(try cosineSimilarity(try args.tensor("a", context), try args.tensor("b", context),
                                                axis: try args.int("axis"), eps: try args.float("eps")))
            },
        ])
    }
}
