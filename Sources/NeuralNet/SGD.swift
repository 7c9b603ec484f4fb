import TensorCore

/// Stochastic gradient descent with momentum, Nesterov momentum and weight decay, with
/// PyTorch's semantics (`torch.optim.SGD`). Per parameter p with gradient g:
///
///     d = g + weightDecay·p
///     b = d                                  on the first step
///     b = momentum·b + (1 − dampening)·d     afterwards
///     d = d + momentum·b  (Nesterov)   or   d = b
///     p = p − lr·d
///
/// Without momentum, simply p = p − lr·(g + weightDecay·p). (PyTorch refuses Nesterov
/// without momentum or with dampening; here the formula above is simply applied.)
public final class SGD: Optimizer {
    public let momentum: Float
    public let dampening: Float
    public let weightDecay: Float
    public let nesterov: Bool

    public init(_ parameters: [Tensor], learningRate: Float, momentum: Float = 0, dampening: Float = 0,
                weightDecay: Float = 0, nesterov: Bool = false) {
        self.momentum = momentum
        self.dampening = dampening
        self.weightDecay = weightDecay
        self.nesterov = nesterov
        super.init(parameters: parameters, learningRate: learningRate)
    }

    public override func update(_ u: inout ParameterUpdate) {
        let (lr, wd, mu, damp) = (u.learningRate, weightDecay, momentum, dampening)
        let n = u.value.count
        let first = u.state.isEmpty
        if mu != 0 && first { u.state = [[Float](repeating: 0, count: n)] }
        u.value.withUnsafeMutableBufferPointer { p in
            u.grad.withUnsafeBufferPointer { g in
                if mu == 0 {
                    for i in 0..<n { p[i] -= lr * (g[i] + wd * p[i]) }
                    return
                }
                u.state[0].withUnsafeMutableBufferPointer { b in
                    for i in 0..<n {
                        let d = wd == 0 ? g[i] : g[i] + wd * p[i]
                        b[i] = first ? d : mu * b[i] + (1 - damp) * d
                        p[i] -= lr * (nesterov ? d + mu * b[i] : b[i])
                    }
                }
            }
        }
    }
}
