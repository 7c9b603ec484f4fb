import LabScript
import LabSupport
import TensorCore

/// Reverse-mode autodiff from scripts, PyTorch style: `randn(3, requires_grad: true)`,
/// `backward(loss)`, `w.grad`, `zero_grad(w)`, `detach`, `no_grad(fn() { … })`, and
/// `gradcheck(f, x)` comparing backward's gradient with finite differences.
extension Builtins {
    static func autograd(_ state: BuiltinState) -> BuiltinGroup {
        BuiltinGroup("Autodiff", [
            builtin("backward", method: true, [Parameter("loss", documentation: "a one-element tensor")],
                    summary: "Computes the gradient of loss with respect to every tensor with requires_grad it depends on; read it from .grad.",
                    details: "Gradients add up over calls (as in PyTorch): call zero_grad before the next backward. "
                        + "The graph is released afterwards, so backward through the same result twice is an error.",
                    example: "w = tensor([1, 2], requires_grad: true)\nbackward(sum(w * w))\nprint(w.grad)   # [2, 4]",
                    lesson: LessonNumber.tensors) { args, context in
                try args.tensor("loss", context).backward()
                return .nilValue
            },
            builtin("zero_grad", method: true, [Parameter("x", documentation: "a tensor or a list of tensors")],
                    summary: "Forgets the accumulated gradient of a tensor (or of each tensor of a list).",
                    example: "w = ones(2, requires_grad: true)\nbackward(sum(w))\nzero_grad(w)\nprint(w.grad)   # nil",
                    lesson: LessonNumber.tensors) { args, context in
                let items: [Value]
                if case .list(let list) = args["x"] { items = list } else { items = [args["x"]] }
                for item in items {
                    guard case .host(let object as TensorValue) = item else {
                        throw context.error(Messages.text("zero_grad: expected a tensor or a list of tensors, found {type}", ["type": item.typeName]))
                    }
                    object.tensor.zeroGrad()
                }
                return .nilValue
            },
            builtin("detach", method: true, [Parameter("x")],
                    summary: "The same values cut from the graph: no gradient flows back through the result (stop-gradient).",
                    details: "SimSiam and BYOL stop the gradient through the target branch this way.",
                    example: "w = ones(2, requires_grad: true)\nprint(detach(w * 2).requires_grad)   # false",
                    lesson: LessonNumber.nonContrastive) { args, context in
                state.wrap(try args.tensor("x", context).detach())
            },
            builtin("no_grad", [Parameter("f", documentation: "a function of no arguments")],
                    summary: "Calls f() without recording the graph (results never require a gradient) and returns its result.",
                    example: "w = ones(2, requires_grad: true)\ny = no_grad(fn() { return w * 2 })\nprint(y.requires_grad)   # false",
                    lesson: LessonNumber.tensors) { args, context in
                let f = try args.function("f")
                return try withNoGrad { try context.call(f, []) }
            },
            builtin("gradcheck", [Parameter("f", documentation: "a function of the input tensors returning a tensor"),
                                  .variadic("inputs", documentation: "the tensors to differentiate with respect to"),
                                  Parameter("eps", default: .number(1e-2), documentation: "finite-difference step"),
                                  Parameter("rtol", default: .number(1e-2)), Parameter("atol", default: .number(1e-3))],
                    summary: "Compares the gradient backward computes for f with central finite differences.",
                    details: "∂L/∂xᵢ ≈ (L(x + eps·eᵢ) − L(x − eps·eᵢ)) / (2·eps), with L = Σ f(x)·w for fixed random weights w. "
                        + "Passes when every |analytic − numeric| ≤ atol + rtol·|numeric|. The result prints the largest errors; "
                        + "read .passed, .max_abs_error and .max_rel_error.",
                    example: "fn f(x) { return sum(tanh(x) * x) }\nr = gradcheck(f, randn(4))\nprint(r.passed)   # true",
                    lesson: LessonNumber.tensors) { args, context in
                let f = try args.function("f")
                let inputs = try args.variadic.map { try TensorConversion.tensor(from: $0, context: context, what: "gradcheck") }
                guard !inputs.isEmpty else { throw context.error(Messages.text("gradcheck: give f and at least one input tensor")) }
                let eps = try args.float("eps"), rtol = try args.float("rtol"), atol = try args.float("atol")
                guard eps > 0, eps.isFinite else { throw context.error(Messages.text("gradcheck: eps must be a positive number")) }
                let result = try gradcheck({ (xs: [Tensor]) throws -> Tensor in
                    let output = try context.call(f, xs.map { state.wrap($0) })
                    guard case .host(let object as TensorValue) = output else {
                        throw context.error(Messages.text("gradcheck: f must return a tensor, it returned a {type}", ["type": output.typeName]))
                    }
                    return object.tensor
                }, inputs, eps: eps, rtol: rtol, atol: atol)
                return .host(GradcheckValue(result))
            },
        ])
    }
}

/// The result of `gradcheck`, printable: `gradcheck passed: max abs error 2.1e-05, …`.
final class GradcheckValue: HostObject {
    let result: GradcheckResult
    init(_ result: GradcheckResult) { self.result = result }

    var typeName: String { "gradcheck_result" }
    /// Shown to a person, in the chosen language; a script reads the fields.
    var scriptDescription: String {
        let arguments = ["abs": "\(result.maxAbsError)", "rel": "\(result.maxRelError)",
                         "input": String(result.worstInput), "element": String(result.worstIndex)]
        return result.passed
            ? Messages.text("gradcheck passed: max abs error {abs}, max rel error {rel} (input {input}, element {element})", arguments)
            : Messages.text("gradcheck FAILED: max abs error {abs}, max rel error {rel} (input {input}, element {element})", arguments)
    }
    var memberNames: [String] { ["passed", "max_abs_error", "max_rel_error", "worst_input", "worst_index"] }

    func field(_ name: String, context: CallContext) throws -> Value? {
        switch name {
        case "passed": return .bool(result.passed)
        case "max_abs_error": return .number(result.maxAbsError)
        case "max_rel_error": return .number(result.maxRelError)
        case "worst_input": return .int(result.worstInput)
        case "worst_index": return .int(result.worstIndex)
        default: return nil
        }
    }
}
