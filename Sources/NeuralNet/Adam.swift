#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import TensorCore

/// Adam (Kingma & Ba, 2015) with PyTorch's semantics (`torch.optim.Adam`), and AdamW
/// (Loshchilov & Hutter, 2019) when `decoupledWeightDecay` is set. At update t of p:
///
///     g = g + weightDecay·p                 (Adam: L2 in the gradient)
///     p = p·(1 − lr·weightDecay)            (AdamW instead: decoupled decay)
///     m = β₁·m + (1 − β₁)·g
///     v = β₂·v + (1 − β₂)·g²
///     p = p − (lr/(1 − β₁ᵗ)) · m / (√v/√(1 − β₂ᵗ) + eps)
///
/// which is p − lr·m̂/(√v̂ + eps) with the bias-corrected m̂ and v̂, computed in PyTorch's order.
public class Adam: Optimizer {
    public let beta1: Float
    public let beta2: Float
    public let eps: Float
    public let weightDecay: Float
    /// AdamW's decoupled decay instead of Adam's L2 term.
    public let decoupledWeightDecay: Bool

    public init(_ parameters: [Tensor], learningRate: Float = 1e-3, beta1: Float = 0.9, beta2: Float = 0.999,
                eps: Float = 1e-8, weightDecay: Float = 0, decoupledWeightDecay: Bool = false) {
        self.beta1 = beta1
        self.beta2 = beta2
        self.eps = eps
        self.weightDecay = weightDecay
        self.decoupledWeightDecay = decoupledWeightDecay
        super.init(parameters: parameters, learningRate: learningRate)
    }

    /// The first and second moment estimates m and v, zero to start.
    public override func makeState(for parameter: Tensor) -> [[Float]] {
        [[Float](repeating: 0, count: parameter.count), [Float](repeating: 0, count: parameter.count)]
    }

    public override func update(_ u: inout ParameterUpdate) {
        let (lr, b1, b2, eps, wd) = (u.learningRate, beta1, beta2, eps, weightDecay)
        let t = Float(u.step)
        let stepSize = lr / (1 - powf(b1, t))
        let bc2Sqrt = (1 - powf(b2, t)).squareRoot()
        let decay: Float = decoupledWeightDecay ? 1 - lr * wd : 1
        let l2: Float = decoupledWeightDecay ? 0 : wd
        let n = u.value.count
        var m = u.state[0], v = u.state[1]
        u.state = []
        let (oneMinusB1, oneMinusB2) = (1 - b1, 1 - b2)
        u.value.withUnsafeMutableBufferPointer { p in
            u.grad.withUnsafeBufferPointer { gBuf in
                m.withUnsafeMutableBufferPointer { m in
                    v.withUnsafeMutableBufferPointer { v in
                        // No branches inside: with decay 1 and l2 0 the extra terms are exact
                        // no-ops, and the loop vectorises.
                        for i in 0..<n {
                            let pi = p[i] * decay
                            let g = gBuf[i] + l2 * pi
                            m[i] += (g - m[i]) * oneMinusB1
                            v[i] = b2 * v[i] + oneMinusB2 * g * g
                            p[i] = pi - stepSize * m[i] / (v[i].squareRoot() / bc2Sqrt + eps)
                        }
                    }
                }
            }
        }
        u.state = [m, v]
    }
}

/// AdamW: Adam with decoupled weight decay (default 0.01, as `torch.optim.AdamW`).
public final class AdamW: Adam {
    public init(_ parameters: [Tensor], learningRate: Float = 1e-3, beta1: Float = 0.9, beta2: Float = 0.999,
                eps: Float = 1e-8, weightDecay: Float = 0.01) {
        super.init(parameters, learningRate: learningRate, beta1: beta1, beta2: beta2, eps: eps,
                   weightDecay: weightDecay, decoupledWeightDecay: true)
    }
}
