import LabScript
import LabSupport
import TensorCore

/// Changing shape and joining tensors, plus the image operations (convolution, pooling).
extension Builtins {
    static func shapeOperations(_ state: BuiltinState) -> BuiltinGroup {
        let x = Parameter("x", documentation: "a tensor")
        let tensorsParameter = Parameter("tensors", documentation: "a list of tensors")
        func tensorList(_ args: BoundArguments, _ context: CallContext) throws -> [Tensor] {
            let items = try args.list("tensors")
            guard !items.isEmpty else { throw context.error(Messages.text("{function}: needs at least one tensor", ["function": args.functionName])) }
            return try items.map { try TensorConversion.tensor(from: $0, context: context, what: args.functionName) }
        }
        func joined(_ name: String, summary: String, example: String, stacking: Bool) -> NativeFunction {
            builtin(name, [tensorsParameter, Parameter("axis", default: .number(0))], summary: summary,
                    example: example, lesson: LessonNumber.tensors) { args, context in
                let tensors = try tensorList(args, context)
                try context.checkElementCount(tensors.reduce(0) { $0 + $1.count }, operation: name)
                let axis = try args.int("axis")
                return state.wrap(stacking ? try stack(tensors, axis: axis) : try concat(tensors, axis: axis))
            }
        }
        return BuiltinGroup("Shapes, joining and images", [
            builtin("reshape", method: true, [x, .variadic("shape", documentation: "the new sizes; one may be -1 (inferred)")],
                    summary: "The same elements in a new shape (row-major); one size may be -1.",
                    example: "print(reshape(arange(6), 2, 3))", lesson: LessonNumber.tensors) { args, context in
                state.wrap(try reshape(try args.tensor("x", context), try args.variadicInts()))
            },
            builtin("transpose", method: true, [x, Parameter("axis0", default: .number(-2)), Parameter("axis1", default: .number(-1))],
                    summary: "x with two axes swapped (the last two by default; x.T for a matrix).",
                    example: "print(transpose(zeros(2, 3)).shape)   # [3, 2]", lesson: LessonNumber.tensors) { args, context in
                state.wrap(try transpose(try args.tensor("x", context), try args.int("axis0"), try args.int("axis1")))
            },
            builtin("permute", method: true, [x, .variadic("axes", documentation: "the new order of the axes")],
                    summary: "x with its axes reordered: permute(x, 0, 2, 3, 1) moves channels last.",
                    example: "print(permute(zeros(2, 3, 4), 2, 0, 1).shape)   # [4, 2, 3]", lesson: LessonNumber.tensors) { args, context in
                state.wrap(try permute(try args.tensor("x", context), try args.variadicInts()))
            },
            builtin("flatten", method: true, [x, Parameter("start_axis", default: .number(0), documentation: "axes from here on are merged")],
                    summary: "x with the axes from start_axis on merged into one (flatten(x, 1) keeps the batch axis).",
                    example: "print(flatten(zeros(2, 3, 4), 1).shape)   # [2, 12]", lesson: LessonNumber.tensors) { args, context in
                state.wrap(try flatten(try args.tensor("x", context), startAxis: try args.int("start_axis")))
            },
            builtin("squeeze", method: true, [x, Parameter("axis", default: .nilValue)], summary: "x without axes of size 1 (or only the given one).",
                    example: "print(squeeze(zeros(1, 3, 1)).shape)   # [3]", lesson: LessonNumber.tensors) { args, context in
                state.wrap(try squeeze(try args.tensor("x", context), axis: try args.axis()))
            },
            builtin("unsqueeze", method: true, [x, Parameter("axis")], summary: "x with a new axis of size 1 at axis.",
                    example: "print(unsqueeze(zeros(3), 0).shape)   # [1, 3]", lesson: LessonNumber.tensors) { args, context in
                state.wrap(try unsqueeze(try args.tensor("x", context), axis: try args.int("axis")))
            },
            joined("cat", summary: "The tensors joined along an existing axis (sizes must agree on the other axes).",
                   example: "print(cat([ones(2, 3), zeros(1, 3)]).shape)   # [3, 3]", stacking: false),
            joined("concat", summary: "The same as cat: the tensors joined along an existing axis.",
                   example: "print(concat([ones(2), zeros(2)]))", stacking: false),
            joined("stack", summary: "The tensors (all of one shape) stacked along a new axis.",
                   example: "print(stack([ones(3), zeros(3)]).shape)   # [2, 3]", stacking: true),
            builtin("pad", [x, Parameter("padding", documentation: "a list of [before, after] pairs, one per leading axis, or one number for every axis"),
                            Parameter("value", default: .number(0))],
                    summary: "x with value added around it: pad(x, [[1, 1], [2, 2]]) adds 1 row above and below, 2 columns each side.",
                    example: "print(pad(ones(1, 2), [[1, 1], [0, 0]]).shape)   # [3, 2]", lesson: LessonNumber.augmentations) { args, context in
                let input = try args.tensor("x", context)
                var pairs: [(before: Int, after: Int)] = []
                if case .number = args["padding"] {
                    let p = try args.count("padding")
                    pairs = Array(repeating: (p, p), count: input.rank)
                } else {
                    for item in try args.list("padding") {
                        let pair = try TensorConversion.integers(from: item, context: context, what: "pad")
                        guard pair.count == 2, pair[0] >= 0, pair[1] >= 0 else {
                            throw context.error(Messages.text("pad: each padding entry must be [before, after] with whole numbers ≥ 0"))
                        }
                        pairs.append((pair[0], pair[1]))
                    }
                }
                guard pairs.count <= input.rank else {
                    throw context.error(Messages.text("pad: {count} padding pairs for a tensor of shape {shape}", ["count": String(pairs.count), "shape": formatShape(input.shape)]))
                }
                var shape = input.shape
                for (axis, pair) in pairs.enumerated() { shape[axis] += pair.before + pair.after }
                try context.checkShape(shape, operation: "pad")
                return state.wrap(try pad(input, pairs, value: try args.float("value")))
            },
            builtin("conv2d", [x, Parameter("weight", documentation: "[out_channels, in_channels, kh, kw]"),
                               Parameter("bias", default: .nilValue, documentation: "[out_channels] or nil"),
                               Parameter("stride", default: .number(1)), Parameter("padding", default: .number(0))],
                    summary: "2-D convolution (cross-correlation) of images x [N, C, H, W] with weight [O, C, kh, kw].",
                    details: "out[n, o, i, j] = bias[o] + Σ weight[o, c, u, v] · x[n, c, i·s − p + u, j·s − p + v]; zero outside the image.",
                    example: "y = conv2d(ones(1, 1, 4, 4), ones(1, 1, 3, 3), padding: 1)\nprint(y.shape)   # [1, 1, 4, 4]",
                    lesson: LessonNumber.augmentations) { args, context in
                let (input, weight) = (try args.tensor("x", context), try args.tensor("weight", context))
                let stride = try args.count("stride", atLeast: 1), padding = try args.count("padding")
                if input.rank == 4, weight.rank == 4 {
                    let ho = max(0, (input.shape[2] + 2 * padding - weight.shape[2]) / stride + 1)
                    let wo = max(0, (input.shape[3] + 2 * padding - weight.shape[3]) / stride + 1)
                    try context.checkShape([input.shape[0], weight.shape[0], ho, wo], operation: "conv2d")
                    try context.checkShape([input.shape[1] * weight.shape[2] * weight.shape[3], ho, wo], operation: "conv2d")
                }
                return state.wrap(try conv2d(input, weight, bias: try args.optionalTensor("bias", context), stride: stride, padding: padding))
            },
            builtin("max_pool2d", [x, Parameter("kernel"), Parameter("stride", default: .nilValue, documentation: "defaults to kernel")],
                    summary: "The maximum over each kernel×kernel window of images [N, C, H, W].",
                    example: "print(max_pool2d(arange(16).reshape(1, 1, 4, 4), 2))", lesson: LessonNumber.augmentations) { args, context in
                state.wrap(try maxPool2d(try args.tensor("x", context), kernel: try args.int("kernel"), stride: try args.optionalInt("stride")))
            },
            builtin("avg_pool2d", [x, Parameter("kernel"), Parameter("stride", default: .nilValue, documentation: "defaults to kernel")],
                    summary: "The mean over each kernel×kernel window of images [N, C, H, W].",
                    example: "print(avg_pool2d(ones(1, 1, 4, 4), 2).shape)   # [1, 1, 2, 2]", lesson: LessonNumber.augmentations) { args, context in
                state.wrap(try avgPool2d(try args.tensor("x", context), kernel: try args.int("kernel"), stride: try args.optionalInt("stride")))
            },
        ])
    }
}
