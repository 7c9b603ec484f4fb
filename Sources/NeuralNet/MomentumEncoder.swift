#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import LabSupport
import TensorCore

/// Momentum (EMA) target networks, as in BYOL and MoCo.

/// An error from pairing two models that do not have the same structure.
public struct ModelMismatchError: Error, CustomStringConvertible, Equatable {
    public var message: String
    public var description: String { message }
}

/// ξ ← m·ξ + (1 − m)·θ for every parameter ξ of `target` and the matching θ of `online`;
/// buffers (BatchNorm running statistics) are copied from `online`. No gradient is
/// recorded. Both models must have the same parameter names and shapes, else nothing is
/// changed and a `ModelMismatchError` names the first difference.
public func updateMomentum(target: Module, online: Module, m: Float) throws {
    let t = target.stateTensors(), o = online.stateTensors()
    guard t.count == o.count else {
        throw ModelMismatchError(message: "updateMomentum: " + Messages.text("the target has {target} tensors and the online network {online}",
            ["target": "\(t.count)", "online": "\(o.count)"]))
    }
    for (a, b) in zip(t, o) where a.name != b.name || a.tensor.shape != b.tensor.shape {
        throw ModelMismatchError(message: "updateMomentum: " + Messages.text("target {target} {targetShape} does not match online {online} {onlineShape}",
            ["target": a.name, "targetShape": formatShape(a.tensor.shape), "online": b.name, "onlineShape": formatShape(b.tensor.shape)]))
    }
    let buffers = Set(target.namedBuffers().map(\.name))
    for (a, b) in zip(t, o) {
        if buffers.contains(a.name) {
            a.tensor.data = b.tensor.data
            continue
        }
        let n = a.tensor.count
        let theta = b.tensor.data
        a.tensor.data.withUnsafeMutableBufferPointer { xi in
            theta.withUnsafeBufferPointer { th in
                for i in 0..<n { xi[i] = m * xi[i] + (1 - m) * th[i] }
            }
        }
    }
}

/// BYOL's momentum schedule: τ = 1 − (1 − base)·(cos(π·step/totalSteps) + 1)/2, going
/// from `base` (e.g. 0.996) at step 0 to 1 at `totalSteps`.
public func cosineMomentum(step: Int, totalSteps: Int, base: Float = 0.996) -> Float {
    let progress = Float(Swift.min(Swift.max(step, 0), Swift.max(totalSteps, 1))) / Float(Swift.max(totalSteps, 1))
    return 1 - (1 - base) * (cosf(Float.pi * progress) + 1) / 2
}
