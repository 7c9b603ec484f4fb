import Foundation
import NeuralNet

/// Exponential moving average of parameters, for BYOL's and MoCo's target networks:
///
///     θ_target ← τ θ_target + (1 − τ) θ_online
///
/// over the parameters in order (the two networks must have the same architecture).
/// Buffers (BatchNorm running statistics) are not averaged, as in lightly's
/// `update_momentum`; the target computes its own in training mode.
public func updateMomentum(target: Module, online: Module, tau: Float) {
    let t = target.parameters(), o = online.parameters()
    precondition(t.count == o.count, "updateMomentum: \(t.count) target and \(o.count) online parameters")
    for (pt, po) in zip(t, o) {
        precondition(pt.count == po.count, "updateMomentum: parameter shapes \(pt.shape) and \(po.shape)")
        let src = po.data
        pt.data.withUnsafeMutableBufferPointer { dst in
            for i in 0..<dst.count { dst[i] = tau * dst[i] + (1 - tau) * src[i] }
        }
    }
}

/// BYOL's cosine momentum schedule: τ rises from `base` at the start to 1 at the end,
///
///     τ(p) = 1 − (1 − base) · (cos(π p) + 1) / 2,    p = progress in [0, 1]
///
/// (lightly `cosine_schedule(step, max_steps, base, 1)`).
public func cosineMomentum(base: Float, progress: Double) -> Float {
    let p = Swift.min(Swift.max(progress, 0), 1)
    return 1 - (1 - base) * Float((Foundation.cos(Double.pi * p) + 1) / 2)
}

/// A target network: a deep copy of `online` that receives no gradient.
func frozenCopy<M: Module>(_ online: M) -> M {
    let target = deepCopy(online)
    target.freeze()
    return target
}
