import TensorCore

/// Modules applied one after another: `Sequential([Linear(…), BatchNorm1d(…), ReLU()])`.
/// Children are named "0", "1", … as in PyTorch, so parameters are "0.weight", "1.running_mean".
public final class Sequential: Module {
    public private(set) var layers: [Module]

    public init(_ layers: [Module]) {
        self.layers = layers
        super.init()
    }

    /// Appends a layer at the end.
    public func append(_ layer: Module) {
        layers.append(layer)
        layer.setTraining(isTraining)
    }

    /// The number of layers.
    public var count: Int { layers.count }

    /// The i-th layer.
    public subscript(i: Int) -> Module { layers[i] }

    public override func forward(_ x: Tensor) throws -> Tensor {
        var h = x
        for layer in layers { h = try layer(h) }
        return h
    }

    public override var children: [(name: String, module: Module)] {
        layers.enumerated().map { (String($0.offset), $0.element) }
    }

    public override func copy() -> Module {
        let c = Sequential(layers.map { $0.copy() })
        copyMode(to: c)
        return c
    }

    public override var summary: String {
        "Sequential(\n" + layers.enumerated().map { "  (\($0.offset)): " + $0.element.summary.split(separator: "\n", omittingEmptySubsequences: false).joined(separator: "\n  ") }
            .joined(separator: "\n") + "\n)"
    }
}
