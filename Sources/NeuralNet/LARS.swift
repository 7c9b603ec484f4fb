import TensorCore

/// LARS, layer-wise adaptive rate scaling (You et al., 2017), in the form SimCLR, BYOL and
/// Barlow Twins train with (the Barlow Twins reference code). Per parameter p with
/// gradient g, where "adapted" means p is not excluded (see below):
///
///     d = g + weightDecay·p                          (adapted only)
///     q = η·‖p‖/‖d‖ if ‖p‖ > 0 and ‖d‖ > 0, else 1   (adapted only; unadapted: q = 1)
///     b = momentum·b + q·d                           (b starts at 0)
///     p = p − lr·b
///
/// with trust coefficient η = 0.001 and Euclidean norms over the whole parameter tensor.
/// When `excludeBiasAndNorm` is set (the default, as in those papers), every 1-D
/// parameter — biases and BatchNorm's γ and β — gets neither weight decay nor adaptation:
/// it is plain SGD with momentum.
public final class LARS: Optimizer {
    public let momentum: Float
    public let weightDecay: Float
    public let trustCoefficient: Float
    public let excludeBiasAndNorm: Bool

    public init(_ parameters: [Tensor], learningRate: Float, momentum: Float = 0.9, weightDecay: Float = 0,
                trustCoefficient: Float = 0.001, excludeBiasAndNorm: Bool = true) {
        self.momentum = momentum
        self.weightDecay = weightDecay
        self.trustCoefficient = trustCoefficient
        self.excludeBiasAndNorm = excludeBiasAndNorm
        super.init(parameters: parameters, learningRate: learningRate)
    }

    /// Whether `p` gets weight decay and the trust ratio (not a bias or norm parameter).
    public func isAdapted(_ p: Tensor) -> Bool {
        !(excludeBiasAndNorm && p.rank <= 1)
    }

    /// The momentum buffer b, zero to start.
    public override func makeState(for parameter: Tensor) -> [[Float]] {
        [[Float](repeating: 0, count: parameter.count)]
    }

    public override func update(_ u: inout ParameterUpdate) {
        let n = u.value.count
        let adapted = isAdapted(u.parameter)
        var d = u.grad
        if adapted {
            if weightDecay != 0 { for i in 0..<n { d[i] += weightDecay * u.value[i] } }
            let pNorm = norm(u.value), dNorm = norm(d)
            let q = pNorm > 0 && dNorm > 0 ? trustCoefficient * pNorm / dNorm : 1
            for i in 0..<n { d[i] *= q }
        }
        let (lr, mu) = (u.learningRate, momentum)
        for i in 0..<n {
            u.state[0][i] = mu * u.state[0][i] + d[i]
            u.value[i] -= lr * u.state[0][i]
        }
    }

    /// ‖v‖₂, accumulated in Double.
    func norm(_ v: [Float]) -> Float {
        Float(v.reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot())
    }
}
