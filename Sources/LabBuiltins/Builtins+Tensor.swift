import LabScript
import LabSupport
import TensorCore

/// Making tensors: from lists, constant fills, ranges and the session's random generator.
extension Builtins {
    static func creation(_ state: BuiltinState) -> BuiltinGroup {
        let shapeParameter = Parameter.variadic("shape", documentation: "the size of each axis: zeros(2, 3) or zeros([2, 3])")
        let gradParameter = Parameter("requires_grad", default: .bool(false), documentation: "track gradients (a leaf for backward)")
        func make(_ tensor: Tensor, _ args: BoundArguments) throws -> Value {
            if args.parameters.contains(where: { $0.name == "requires_grad" }) {
                tensor.requiresGrad = try args.bool("requires_grad")
            }
            return state.wrap(tensor)
        }
        return BuiltinGroup("Tensors", [
            builtin("tensor", [Parameter("data", documentation: "a number or (nested) list of numbers"), gradParameter],
                    summary: "A tensor holding the numbers of a (nested) list; the nesting gives the shape.",
                    details: "A number gives a scalar (shape []); a list of equal-length lists a matrix. Values are stored as 32-bit floats.",
                    example: "x = tensor([[1, 2], [3, 4]])\nprint(x.shape)   # [2, 2]", lesson: LessonNumber.tensors) { args, context in
                let source = try TensorConversion.tensor(from: args["data"], context: context, what: "tensor")
                return try make(Tensor(shape: source.shape, data: source.data), args)
            },
            builtin("zeros", [shapeParameter, gradParameter], summary: "A tensor of zeros of the given shape.",
                    example: "print(zeros(2, 3).shape)   # [2, 3]", lesson: LessonNumber.tensors) { args, context in
                try make(Tensor.zeros(try args.shape(context)), args)
            },
            builtin("ones", [shapeParameter, gradParameter], summary: "A tensor of ones of the given shape.",
                    example: "print(sum(ones(2, 3)))   # 6.0", lesson: LessonNumber.tensors) { args, context in
                try make(Tensor.ones(try args.shape(context)), args)
            },
            builtin("full", [Parameter("shape", documentation: "a list of sizes, e.g. [2, 3]"), Parameter("value"), gradParameter],
                    summary: "A tensor of the given shape with every element equal to value.",
                    example: "print(full([2], 7))", lesson: LessonNumber.tensors) { args, context in
                let shape = try TensorConversion.integers(from: args["shape"], context: context, what: "full")
                try context.checkShape(shape, operation: "full")
                return try make(Tensor.full(shape, try args.float("value")), args)
            },
            builtin("eye", [Parameter.count("n", in: 0...BoundArguments.maxCount, documentation: "the number of rows and columns")],
                    summary: "The n×n identity matrix.",
                    example: "print(eye(3))", lesson: LessonNumber.nonContrastive) { args, context in
                let n = try args.count("n")
                try context.checkShape([n, n], operation: "eye")
                return state.wrap(Tensor.eye(n))
            },
            builtin("arange", [Parameter("start"), Parameter("end", default: .nilValue), Parameter("step", default: .number(1))],
                    summary: "start, start + step, … up to but not including end; arange(n) is 0, 1, …, n − 1.",
                    example: "print(arange(5))\nprint(arange(0, 1, 0.25))", lesson: LessonNumber.tensors) { args, context in
                var start = try args.number("start")
                var end = 0.0
                if let given = try args.optionalNumber("end") { end = given } else { (start, end) = (0, start) }
                let step = try args.number("step")
                guard step != 0, step.isFinite, start.isFinite, end.isFinite, Float(step) != 0,
                      Float(step).isFinite, Float(start).isFinite, Float(end).isFinite else {
                    throw context.error(Messages.text("arange: step must be a finite non-zero number and the bounds finite"))
                }
                let count = max(0.0, ((end - start) / step).rounded(.up))
                guard count <= Double(context.limits.maxElements) else {
                    throw RuntimeError(.limit, Messages.text("{function}: {count} elements is more than the limit of {limit}", ["function": "arange", "count": Value.format(count), "limit": String(context.limits.maxElements)]), at: context.range)
                }
                return state.wrap(Tensor.arange(Float(start), Float(end), step: Float(step)))
            },
            builtin("linspace", [Parameter("start"), Parameter("end"), Parameter.count("count", default: .number(50), in: 0...BoundArguments.maxCount)],
                    summary: "count evenly spaced numbers from start to end, both included.",
                    example: "print(linspace(0, 1, 5))", lesson: LessonNumber.tensors) { args, context in
                let count = try args.count("count")
                try context.checkShape([count], operation: "linspace")
                return state.wrap(Tensor.linspace(try args.float("start"), try args.float("end"), count: count))
            },
            builtin("rand", [shapeParameter, gradParameter],
                    summary: "Uniform random numbers in [0, 1) from the session generator.",
                    details: "The session generator starts from a fixed seed, so runs repeat; seed(n) restarts it.",
                    example: "seed(1)\nprint(rand(3).shape)   # [3]", lesson: LessonNumber.tensors) { args, context in
                let shape = try args.shape(context)
                return try make(Tensor.rand(shape, using: &state.rng), args)
            },
            builtin("randn", [shapeParameter, gradParameter],
                    summary: "Standard normal random numbers (mean 0, std 1) from the session generator.",
                    example: "w = randn(3, 2, requires_grad: true)\nprint(w.requires_grad)   # true", lesson: LessonNumber.tensors) { args, context in
                let shape = try args.shape(context)
                return try make(Tensor.randn(shape, using: &state.rng), args)
            },
            builtin("randint", [Parameter("low"), Parameter("high"), shapeParameter],
                    summary: "Random whole numbers in low ≤ k < high, of the given shape.",
                    example: "print(randint(0, 10, 5).shape)   # [5]", lesson: LessonNumber.tensors) { args, context in
                let (low, high) = (try args.int("low"), try args.int("high"))
                guard low < high else { throw context.error(Messages.text("randint: the range {low} ≤ k < {high} is empty", ["low": String(low), "high": String(high)])) }
                let shape = try args.shape(context)
                return state.wrap(Tensor.randint(low, high, shape, using: &state.rng))
            },
            builtin("randperm", [Parameter.count("n", in: 0...BoundArguments.maxCount)],
                    summary: "A random ordering of 0, 1, …, n − 1.",
                    example: "print(item(sum(randperm(4))))   # 6", lesson: LessonNumber.tensors) { args, context in
                let n = try args.count("n")
                try context.checkShape([n], operation: "randperm")
                return state.wrap(Tensor.randperm(n, using: &state.rng))
            },
            builtin("zeros_like", [Parameter("x")], summary: "Zeros of the same shape as x.",
                    example: "print(zeros_like(ones(2, 2)))", lesson: LessonNumber.tensors) { args, context in
                state.wrap(Tensor.zeros(like: try args.tensor("x", context)))
            },
            builtin("ones_like", [Parameter("x")], summary: "Ones of the same shape as x.",
                    example: "print(ones_like(zeros(3)))", lesson: LessonNumber.tensors) { args, context in
                state.wrap(Tensor.ones(like: try args.tensor("x", context)))
            },
            builtin("item", method: true, [Parameter("x")], summary: "The value of a one-element tensor, as a number.",
                    example: "print(item(sum(tensor([1, 2]))))   # 3", lesson: LessonNumber.tensors) { args, context in
                .number(Double(try args.tensor("x", context).item()))
            },
            builtin("tolist", method: true, [Parameter("x")], summary: "The elements of a tensor as (nested) lists of numbers.",
                    example: "print(tolist(tensor([[1, 2]])))   # [[1, 2]]", lesson: LessonNumber.tensors) { args, context in
                TensorConversion.list(from: try args.tensor("x", context))
            },
            builtin("clone", method: true, [Parameter("x")], summary: "A copy of x with its own storage (gradients still flow through it).",
                    example: "a = ones(2)\nb = clone(a)\nb[0] = 5\nprint(item(a[0]))   # 1", lesson: LessonNumber.tensors) { args, context in
                state.wrap(try args.tensor("x", context) + 0)
            },
            builtin("shape", [Parameter("x")], summary: "The shape of a tensor as a list of sizes.",
                    example: "print(shape(zeros(4, 2)))   # [4, 2]", lesson: LessonNumber.tensors) { args, context in
                .list(try args.tensor("x", context).shape.map { .int($0) })
            },
            builtin("rows", [Parameter("x")], summary: "The size of the first axis (the number of rows, the batch size).",
                    example: "print(rows(zeros(4, 2)))   # 4", lesson: LessonNumber.nonContrastive) { args, context in
                let x = try args.tensor("x", context)
                guard let first = x.shape.first else { throw context.error(Messages.text("rows: a scalar (shape []) has no rows")) }
                return .int(first)
            },
            builtin("cols", [Parameter("x")], summary: "The size of the last axis (the number of columns, features).",
                    example: "print(cols(zeros(4, 2)))   # 2", lesson: LessonNumber.nonContrastive) { args, context in
                let x = try args.tensor("x", context)
                guard x.rank >= 2 else { throw context.error(Messages.text("cols: needs a tensor of at least 2 axes, got shape {shape}", ["shape": formatShape(x.shape)])) }
                return .int(x.shape[x.rank - 1])
            },
        ])
    }
}
