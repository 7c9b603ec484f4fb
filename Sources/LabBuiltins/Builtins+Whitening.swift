import LabScript
import LabSupport
import SelfSupervised
import TensorCore

/// Whitening, W-MSE's way of ruling out collapse: a batch made to have identity covariance.
extension Builtins {
    static func whitening(_ state: BuiltinState) -> BuiltinGroup {
        BuiltinGroup("Whitening", [
            builtin("whiten", [Parameter("z", documentation: "embeddings [n, d] with n > d"),
                               Parameter("eps", default: .number(0), documentation: "shrinks the covariance towards I: (1 − ε) Σ + ε I")],
                    summary: "The batch whitened as W-MSE does: centred and multiplied by L⁻ᵀ (Σ = L Lᵀ), so its covariance is the identity.",
                    details: "Σ = z̄ᵀz̄ / (n − 1) is the batch covariance; with n ≤ d it is singular and the batch cannot be whitened.",
                    example: "w = whiten(randn(64, 3) * 5)\nprint(max(abs(matmul(w.T, w) / 63 - eye(3))).item() < 0.001)   # true",
                    lesson: LessonNumber.positives) { args, context in
                let z = try args.tensor("z", context)
                guard z.rank == 2 else {
                    throw RuntimeError(.argument, Messages.text("whiten: z must be [n, d], got shape {shape}", ["shape": formatShape(z.shape)]), at: args.range(of: "z"))
                }
                guard z.shape[0] > z.shape[1], z.shape[1] > 0 else {
                    throw RuntimeError(.argument, Messages.text("whiten: needs more examples than dimensions (n > d), got shape {shape}", ["shape": formatShape(z.shape)]),
                                       at: args.range(of: "z"))
                }
                let eps = try args.number("eps")
                guard eps >= 0, eps < 1 else { throw RuntimeError(.argument, Messages.text("whiten: eps must lie in [0, 1)"), at: args.range(of: "eps")) }
                return state.wrap(try whiten(z, eps: Float(eps)))
            },
        ])
    }
}
