import Foundation
import LabScript
import TensorCore

/// Elementwise functions and matrix products. Each one's derivative is in TensorCore, so
/// everything here works with `backward`.
extension Builtins {
    static func elementwise(_ state: BuiltinState) -> BuiltinGroup {
        let x = Parameter("x", documentation: "a tensor (numbers and lists are converted)")
        func unary(_ name: String, _ summary: String, _ example: String, lesson: Int = LessonNumber.tensors,
                   _ f: @escaping (Tensor) -> Tensor) -> NativeFunction {
            builtin(name, method: true, [x], summary: summary, example: example, lesson: lesson) { args, context in
                if case .number = args["x"], let number = state.languageBuiltins[name] {
                    return try context.call(.native(number), [args["x"]])
                }
                return state.wrap(f(try args.tensor("x", context)))
            }
        }
        func binary(_ name: String, _ op: BinaryOperator, _ summary: String, _ example: String) -> NativeFunction {
            builtin(name, [Parameter("a"), Parameter("b")], summary: summary, example: example, lesson: LessonNumber.tensors) { args, context in
                state.wrap(try TensorValue.apply(op, try args.tensor("a", context), try args.tensor("b", context), context: context))
            }
        }
        return BuiltinGroup("Elementwise and matrix operations", [
            unary("relu", "max(x, 0), elementwise (the rectified linear unit).", "print(relu(tensor([-1, 2])))") { relu($0) },
            unary("sigmoid", "1 / (1 + e^−x), elementwise.", "print(sigmoid(tensor([0])))") { sigmoid($0) },
            unary("tanh", "The hyperbolic tangent, elementwise.", "print(tanh(tensor([0, 1])))") { tanh($0) },
            unary("exp", "e^x, elementwise; of a number, a number.", "print(exp(tensor([0, 1])))") { exp($0) },
            unary("log", "The natural logarithm, elementwise (−inf at 0, nan below); of a number, a number.", "print(log(tensor([1, 2.718281828])))") { log($0) },
            unary("sqrt", "The square root, elementwise; of a number, a number.", "print(sqrt(tensor([4, 9])))") { sqrt($0) },
            unary("abs", "|x|, elementwise; of a number, a number.", "print(abs(tensor([-3, 2])))") { abs($0) },
            builtin("pow", method: true, [x, Parameter("p", documentation: "a number or a tensor broadcast against x")],
                    summary: "x raised to the power p, elementwise (the same as x ^ p).",
                    example: "print(pow(tensor([1, 2, 3]), 2))", lesson: LessonNumber.tensors) { args, context in
                if case .number(let a) = args["x"], case .number(let p) = args["p"] { return .number(Foundation.pow(a, p)) }
                let base = try args.tensor("x", context)
                if case .number(let p) = args["p"] { return state.wrap(pow(base, Float(p))) }
                return state.wrap(try TensorValue.apply(.power, base, try args.tensor("p", context), context: context))
            },
            binary("add", .add, "a + b with broadcasting.", "print(add(ones(2, 3), tensor([1, 2, 3])))"),
            binary("mul", .multiply, "a * b elementwise, with broadcasting.", "print(mul(tensor([1, 2]), 3))"),
            builtin("maximum", [Parameter("a"), Parameter("b")], summary: "The larger of a and b, elementwise, with broadcasting.",
                    example: "print(maximum(tensor([1, 5]), tensor([3, 2])))", lesson: LessonNumber.tensors) { args, context in
                let (a, b) = (try args.tensor("a", context), try args.tensor("b", context))
                try context.checkShape(try broadcastShape(a.shape, b.shape, op: "maximum"), operation: "maximum")
                return state.wrap(try maximum(a, b))
            },
            builtin("minimum", [Parameter("a"), Parameter("b")], summary: "The smaller of a and b, elementwise, with broadcasting.",
                    example: "print(minimum(tensor([1, 5]), 2))", lesson: LessonNumber.tensors) { args, context in
                let (a, b) = (try args.tensor("a", context), try args.tensor("b", context))
                try context.checkShape(try broadcastShape(a.shape, b.shape, op: "minimum"), operation: "minimum")
                return state.wrap(try minimum(a, b))
            },
            builtin("where", [Parameter("condition"), Parameter("a"), Parameter("b")],
                    summary: "a where condition is non-zero, else b (all three broadcast together).",
                    example: "x = tensor([-1, 2])\nprint(where(x > 0, x, 0))", lesson: LessonNumber.tensors) { args, context in
                let (c, a, b) = (try args.tensor("condition", context), try args.tensor("a", context), try args.tensor("b", context))
                let shape = try broadcastShape(try broadcastShape(c.shape, a.shape, op: "where"), b.shape, op: "where")
                try context.checkShape(shape, operation: "where")
                return state.wrap(try which(c, a, b))
            },
            builtin("matmul", method: true, [Parameter("a"), Parameter("b")],
                    summary: "The matrix product a @ b (vectors and batches of matrices as in PyTorch).",
                    details: "[n, k] @ [k, m] is [n, m]; the inner sizes must agree, else the error names both shapes.",
                    example: "print(matmul(ones(2, 3), ones(3, 4)).shape)   # [2, 4]", lesson: LessonNumber.tensors) { args, context in
                state.wrap(try TensorValue.apply(.matmul, try args.tensor("a", context), try args.tensor("b", context), context: context))
            },
            builtin("outer", [Parameter("a"), Parameter("b")], summary: "The outer product of two vectors: [n] and [m] give [n, m] with aᵢ·bⱼ.",
                    example: "print(outer(tensor([1, 2]), tensor([1, 10, 100])))", lesson: LessonNumber.tensors) { args, context in
                let (a, b) = (try args.tensor("a", context), try args.tensor("b", context))
                try context.checkShape([a.count, b.count], operation: "outer")
                return state.wrap(try outer(a, b))
            },
            builtin("diag", [x], summary: "The diagonal of a matrix as a vector; for a vector, the matrix with it on the diagonal.",
                    example: "print(diag(eye(3) * 2))", lesson: LessonNumber.nonContrastive) { args, context in
                let x = try args.tensor("x", context)
                if x.rank == 1 { try context.checkShape([x.count, x.count], operation: "diag") }
                return state.wrap(try diag(x))
            },
            builtin("offdiag", [x], summary: "The off-diagonal elements of a square matrix, row by row, as a vector of n(n − 1).",
                    details: "The Barlow Twins redundancy term is sum(offdiag(c) ^ 2).",
                    example: "print(offdiag(tensor([[1, 2], [3, 4]])))", lesson: LessonNumber.nonContrastive) { args, context in
                state.wrap(try offdiag(try args.tensor("x", context)))
            },
            builtin("masked_fill", [x, Parameter("mask"), Parameter("value")],
                    summary: "x with value wherever mask (broadcast to x's shape) is non-zero.",
                    details: "NT-Xent uses it to put −inf on the diagonal of the similarity matrix.",
                    example: "print(masked_fill(ones(2, 2), eye(2), -inf))", lesson: LessonNumber.contrastive) { args, context in
                state.wrap(try maskedFill(try args.tensor("x", context), mask: try args.tensor("mask", context), value: try args.float("value")))
            },
        ])
    }
}
