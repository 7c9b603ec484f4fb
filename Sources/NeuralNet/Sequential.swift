import TensorCore

/// Modules applied one after another: `Sequential([Linear(…), BatchNorm1d(…), ReLU()])`.
/// Children are named "0", "1", … as in PyTorch, so parameters are "0.weight", "1.running_mean";
/// `Sequential(named: [("encoder", e), ("projector", p)])` names them instead
/// ("encoder.0.weight", "projector.1.running_var", …).
public final class Sequential: Module {
    public private(set) var layers: [Module]
    /// The children's names ("0", "1", … unless given).
    public private(set) var names: [String]

    public init(_ layers: [Module]) {
        self.layers = layers
        names = layers.indices.map(String.init)
        super.init()
    }

    /// Layers with their own names, which must be distinct and free of dots.
    public init(named layers: [(String, Module)]) {
        precondition(Set(layers.map(\.0)).count == layers.count && !layers.contains { $0.0.contains(".") || $0.0.isEmpty },
                     "Sequential: names \(layers.map(\.0)) must be distinct, non-empty and without dots")
        self.layers = layers.map(\.1)
        names = layers.map(\.0)
        super.init()
    }

    /// `Sequential(Linear(…), ReLU(), …)`.
    public convenience init(_ layers: Module...) {
        self.init(layers)
    }

    /// Appends a layer at the end (named by its position).
    public func append(_ layer: Module) {
        names.append(String(layers.count))
        layers.append(layer)
        layer.setTraining(isTraining)
    }

    /// The number of layers.
    public var count: Int { layers.count }

    /// The i-th layer.
    public subscript(i: Int) -> Module { layers[i] }

    /// The layers in order; a BatchNorm directly followed by a ReLU runs as one fused
    /// primitive (`BatchNorm.forward(_:thenReLU:)`, the same values and gradients).
    public override func forward(_ x: Tensor) throws -> Tensor {
        var h = x
        var i = 0
        while i < layers.count {
            if let norm = layers[i] as? BatchNorm, i + 1 < layers.count, layers[i + 1] is ReLU {
                h = try norm.forward(h, thenReLU: true)
                i += 2
            } else {
                h = try layers[i](h)
                i += 1
            }
        }
        return h
    }

    public override var children: [(name: String, module: Module)] {
        Array(zip(names, layers))
    }

    public override func copy() -> Module {
        let c = Sequential(named: Array(zip(names, layers.map { $0.copy() })))
        copyMode(to: c)
        return c
    }

    public override var summary: String {
        "Sequential(\n" + zip(names, layers).map { "  (\($0.0)): " + $0.1.summary.split(separator: "\n", omittingEmptySubsequences: false).joined(separator: "\n  ") }
            .joined(separator: "\n") + "\n)"
    }
}
