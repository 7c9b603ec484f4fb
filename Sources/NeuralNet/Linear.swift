import TensorCore

/// A fully connected layer: y = x·Wᵀ + b, for x [N, in], weight W [out, in] (PyTorch's
/// layout, so model files exchange directly) and bias b [out].
///
/// Initialisation as PyTorch's: W and b uniform in ±1/√in (see `uniformInit`).
/// The forward pass is one sgemm onto the broadcast bias (see `affine`).
public final class Linear: Module {
    public let inFeatures: Int
    public let outFeatures: Int
    /// W [out, in].
    public let weight: Tensor
    /// b [out], or nil for a layer without bias.
    public let bias: Tensor?

    /// A layer from `inFeatures` to `outFeatures`, initialised from `rng`.
    public init(_ inFeatures: Int, _ outFeatures: Int, bias: Bool = true, rng: inout RandomGenerator) {
        precondition(inFeatures > 0 && outFeatures > 0, "Linear: sizes \(inFeatures), \(outFeatures) must be positive")
        self.inFeatures = inFeatures
        self.outFeatures = outFeatures
        weight = uniformInit([outFeatures, inFeatures], fanIn: inFeatures, using: &rng)
        self.bias = bias ? uniformInit([outFeatures], fanIn: inFeatures, using: &rng) : nil
        super.init()
    }

    /// A layer with the given weight [out, in] and bias [out] (used by `copy()` and tests).
    public init(weight: Tensor, bias: Tensor?) {
        precondition(weight.rank == 2, "Linear: weight must be [out, in], got \(formatShape(weight.shape))")
        precondition(bias == nil || bias!.shape == [weight.shape[0]],
                     "Linear: bias \(formatShape(bias?.shape ?? [])) does not fit weight \(formatShape(weight.shape))")
        inFeatures = weight.shape[1]
        outFeatures = weight.shape[0]
        self.weight = weight
        self.bias = bias
        super.init()
    }

    public override func forward(_ x: Tensor) throws -> Tensor {
        guard x.rank == 2, x.shape[1] == inFeatures else {
            throw TensorError.shapeMismatch(op: "Linear(\(inFeatures), \(outFeatures))", lhs: x.shape, rhs: weight.shape,
                                            detail: "needs input [N, \(inFeatures)]")
        }
        return try affine(x, weight: weight, bias: bias)
    }

    public override var localParameters: [(name: String, tensor: Tensor)] {
        [("weight", weight)] + (bias.map { [("bias", $0)] } ?? [])
    }

    public override func copy() -> Module {
        let c = Linear(weight: cloneTensor(weight), bias: bias.map(cloneTensor))
        copyMode(to: c)
        return c
    }

    public override var summary: String {
        "Linear(\(inFeatures), \(outFeatures)\(bias == nil ? ", bias: false" : ""))"
    }
}
