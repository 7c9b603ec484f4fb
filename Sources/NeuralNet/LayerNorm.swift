import TensorCore

/// Layer normalisation over the last axis (PyTorch `nn.LayerNorm(dim)`): every token's
/// vector standardised on its own, then γ·x̂ + β with learned `weight` γ (starts at 1) and
/// `bias` β (starts at 0). See `layerNorm` in TensorCore for the formula and its derivative.
public final class LayerNorm: Module {
    public let dim: Int
    public let eps: Float
    public let weight: Tensor
    public let bias: Tensor

    public init(_ dim: Int, eps: Float = 1e-5) {
        precondition(dim > 0 && eps > 0, "LayerNorm: dim \(dim) and eps \(eps) must be positive")
        self.dim = dim
        self.eps = eps
        weight = Tensor(shape: [dim], data: [Float](repeating: 1, count: dim), requiresGrad: true)
        bias = Tensor(shape: [dim], data: [Float](repeating: 0, count: dim), requiresGrad: true)
        super.init()
    }

    public override func forward(_ x: Tensor) throws -> Tensor {
        guard x.shape.last == dim else {
            throw TensorError.shapeMismatch(op: summary, lhs: x.shape, rhs: [dim], detail: "needs input [..., \(dim)]")
        }
        return try layerNorm(x, weight: weight, bias: bias, eps: eps)
    }

    public override var localParameters: [(name: String, tensor: Tensor)] { [("weight", weight), ("bias", bias)] }

    public override func copy() -> Module {
        let c = LayerNorm(dim, eps: eps)
        c.weight.data = weight.data
        c.bias.data = bias.data
        c.weight.requiresGrad = weight.requiresGrad
        c.bias.requiresGrad = bias.requiresGrad
        copyMode(to: c)
        return c
    }

    public override var summary: String { "LayerNorm(\(dim))" }
}
