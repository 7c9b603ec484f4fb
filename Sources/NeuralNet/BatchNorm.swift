import TensorCore

/// Batch normalisation (Ioffe & Szegedy, 2015) over axis 1 (channels) of its input,
/// with PyTorch's semantics; `BatchNorm1d` and `BatchNorm2d` only fix the input rank.
///
/// Training mode: normalise with the batch statistics of each channel (over the
/// m = N·H·W values), using the biased variance,
///
///     y = (x − μ_B)/√(σ²_B + eps) · γ + β,
///
/// and update the running statistics with the *unbiased* variance:
///
///     running_mean ← (1 − momentum)·running_mean + momentum·μ_B
///     running_var  ← (1 − momentum)·running_var  + momentum·σ²_B·m/(m − 1)
///
/// Evaluation mode: y = (x − running_mean)/√(running_var + eps) · γ + β.
///
/// Defaults: momentum 0.1, eps 1e-5, γ = 1, β = 0, running mean 0 and variance 1.
/// `affine: false` drops γ and β (SimSiam's last projector BatchNorm has none).
public class BatchNorm: Module {
    public let numFeatures: Int
    public let eps: Float
    public let momentum: Float
    /// γ [C], or nil when not affine.
    public let weight: Tensor?
    /// β [C], or nil when not affine.
    public let bias: Tensor?
    /// The running mean [C] (a buffer: saved, not trained).
    public let runningMean: Tensor
    /// The running (unbiased) variance [C] (a buffer).
    public let runningVar: Tensor
    /// The ranks of input this layer accepts (e.g. [2, 3] for BatchNorm1d).
    let acceptedRanks: [Int]

    init(numFeatures: Int, eps: Float, momentum: Float, affine: Bool, acceptedRanks: [Int]) {
        precondition(numFeatures > 0, "BatchNorm: numFeatures \(numFeatures) must be positive")
        self.numFeatures = numFeatures
        self.eps = eps
        self.momentum = momentum
        self.acceptedRanks = acceptedRanks
        weight = affine ? Tensor(shape: [numFeatures], data: [Float](repeating: 1, count: numFeatures), requiresGrad: true) : nil
        bias = affine ? Tensor(shape: [numFeatures], data: [Float](repeating: 0, count: numFeatures), requiresGrad: true) : nil
        runningMean = Tensor.zeros([numFeatures])
        runningVar = Tensor.ones([numFeatures])
        super.init()
    }

    /// Whether the layer has γ and β.
    public var isAffine: Bool { weight != nil }

    var name: String { String(describing: type(of: self)) }

    public override func forward(_ x: Tensor) throws -> Tensor {
        try forward(x, thenReLU: false)
    }

    /// `forward(x)`, then ReLU if `thenReLU`: in training mode one fused primitive
    /// (`batchNorm(…, relu: true)`), which `Sequential` uses for a BatchNorm followed by a
    /// ReLU layer.
    public func forward(_ x: Tensor, thenReLU: Bool) throws -> Tensor {
        guard acceptedRanks.contains(x.rank), x.shape[1] == numFeatures else {
            throw TensorError.shapeMismatch(op: "\(name)(\(numFeatures))", lhs: x.shape, rhs: [numFeatures],
                                            detail: "needs input with \(numFeatures) channels on axis 1 and rank \(acceptedRanks.map(String.init).joined(separator: " or "))")
        }
        let m = x.count / numFeatures
        if isTraining {
            guard m > 1 else {
                throw TensorError.argument(op: "\(name)(\(numFeatures))",
                    template: "needs more than one value per channel in training mode, got shape {shape}",
                        values: ["shape": formatShape(x.shape)])
            }
            let result = try batchNormTraining(x, weight: weight, bias: bias, eps: eps, relu: thenReLU)
            updateRunningStatistics(mean: result.mean, biasedVariance: result.variance, count: m)
            return result.output
        }
        let y = try normalizeWithRunningStatistics(x)
        return thenReLU ? relu(y) : y
    }

    /// running ← (1 − momentum)·running + momentum·batch, with the unbiased variance.
    func updateRunningStatistics(mean: [Float], biasedVariance: [Float], count m: Int) {
        let unbias = Float(m) / Float(m - 1)
        let keep = 1 - momentum
        for c in 0..<numFeatures {
            runningMean.data[c] = keep * runningMean.data[c] + momentum * mean[c]
            runningVar.data[c] = keep * runningVar.data[c] + momentum * biasedVariance[c] * unbias
        }
    }

    /// y = x·s + t per channel, with s = γ/√(running_var + eps) and t = β − running_mean·s.
    /// γ and β still receive gradients (through s and t), as in PyTorch's eval mode.
    func normalizeWithRunningStatistics(_ x: Tensor) throws -> Tensor {
        let channelShape = [1, numFeatures] + [Int](repeating: 1, count: x.rank - 2)
        let invStd = Tensor(shape: [numFeatures], data: runningVar.data.map { 1 / ($0 + eps).squareRoot() })
        var scale = invStd
        if let weight { scale = try weight * invStd }
        var shift = try -(runningMean * scale)
        if let bias { shift = try bias + shift }
        return try x * scale.reshape(channelShape) + shift.reshape(channelShape)
    }

    public override var localParameters: [(name: String, tensor: Tensor)] {
        guard let weight, let bias else { return [] }
        return [("weight", weight), ("bias", bias)]
    }

    public override var localBuffers: [(name: String, tensor: Tensor)] {
        [("running_mean", runningMean), ("running_var", runningVar)]
    }

    /// Copies parameters, buffers and mode into `other` (a freshly made layer of the same kind).
    func copyState(into other: BatchNorm) -> Module {
        for (mine, theirs) in zip(stateTensors(), other.stateTensors()) {
            theirs.tensor.data = mine.tensor.data
            theirs.tensor.requiresGrad = mine.tensor.requiresGrad
        }
        copyMode(to: other)
        return other
    }

    public override var summary: String {
        "\(name)(\(numFeatures)\(isAffine ? "" : ", affine: false"))"
    }
}

/// BatchNorm over the features of [N, C] (or [N, C, L]) input; see `BatchNorm`.
public final class BatchNorm1d: BatchNorm {
    public init(_ numFeatures: Int, eps: Float = 1e-5, momentum: Float = 0.1, affine: Bool = true) {
        super.init(numFeatures: numFeatures, eps: eps, momentum: momentum, affine: affine, acceptedRanks: [2, 3])
    }

    public override func copy() -> Module {
        copyState(into: BatchNorm1d(numFeatures, eps: eps, momentum: momentum, affine: isAffine))
    }
}

/// BatchNorm over the channels of [N, C, H, W] input; see `BatchNorm`.
public final class BatchNorm2d: BatchNorm {
    public init(_ numFeatures: Int, eps: Float = 1e-5, momentum: Float = 0.1, affine: Bool = true) {
        super.init(numFeatures: numFeatures, eps: eps, momentum: momentum, affine: affine, acceptedRanks: [4])
    }

    public override func copy() -> Module {
        copyState(into: BatchNorm2d(numFeatures, eps: eps, momentum: momentum, affine: isAffine))
    }
}
