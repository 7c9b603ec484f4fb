import TensorCore

/// Activation layers: stateless wrappers of elementwise functions.

/// The input unchanged: a placeholder where a layer is switched off (e.g. SimSiam
/// without its predictor).
public final class Identity: Module {
    public override init() { super.init() }
    public override func forward(_ x: Tensor) throws -> Tensor { x }
    public override func copy() -> Module { let c = Identity(); copyMode(to: c); return c }
    public override var summary: String { "Identity()" }
}

/// max(x, 0).
public final class ReLU: Module {
    public override init() { super.init() }
    public override func forward(_ x: Tensor) throws -> Tensor { relu(x) }
    public override func copy() -> Module { let c = ReLU(); copyMode(to: c); return c }
    public override var summary: String { "ReLU()" }
}

/// tanh x.
public final class Tanh: Module {
    public override init() { super.init() }
    public override func forward(_ x: Tensor) throws -> Tensor { tanh(x) }
    public override func copy() -> Module { let c = Tanh(); copyMode(to: c); return c }
    public override var summary: String { "Tanh()" }
}

/// GELU with the tanh approximation (PyTorch's `nn.GELU(approximate="tanh")`):
///
///     gelu(x) = ½·x·(1 + tanh(√(2/π)·(x + 0.044715·x³)))
///
/// It differs from the exact x·Φ(x) by less than 1e-3 everywhere; TensorCore has no erf.
/// A composition, so its gradient comes from the primitives.
public final class GELU: Module {
    public override init() { super.init() }
    public override func forward(_ x: Tensor) throws -> Tensor { try gelu(x) }
    public override func copy() -> Module { let c = GELU(); copyMode(to: c); return c }
    public override var summary: String { "GELU()" }
}

/// ½·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))), the tanh approximation of GELU.
public func gelu(_ x: Tensor) throws -> Tensor {
    let c = Float((2 / Double.pi).squareRoot())
    let inner = try (x + 0.044715 * pow(x, 3)) * c
    return try 0.5 * x * (1 + tanh(inner))
}
