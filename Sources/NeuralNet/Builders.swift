import TensorCore

/// A multilayer perceptron: Linear layers of sizes `dims[0] → dims[1] → … → dims.last`,
/// with `BatchNorm1d` (when `batchNorm`) and `ReLU` between consecutive Linears, and after
/// the last one only if `lastActivation` (then BatchNorm + ReLU too, when `batchNorm`).
///
/// `mlp([64, 256, 256, 128])` is Linear(64, 256), BN, ReLU, Linear(256, 256), BN, ReLU,
/// Linear(256, 128): the encoder of the mlp-simclr benchmark. Linears keep their bias even
/// before BatchNorm, as in the PyTorch peer. Needs at least two sizes.
public func mlp(_ dims: [Int], batchNorm: Bool = true, lastActivation: Bool = false,
                rng: inout RandomGenerator) -> Sequential {
    precondition(dims.count >= 2 && dims.allSatisfy { $0 > 0 }, "mlp: needs at least two positive sizes, got \(dims)")
    var layers: [Module] = []
    for i in 0..<(dims.count - 1) {
        layers.append(Linear(dims[i], dims[i + 1], rng: &rng))
        let isLast = i == dims.count - 2
        if !isLast || lastActivation {
            if batchNorm { layers.append(BatchNorm1d(dims[i + 1])) }
            layers.append(ReLU())
        }
    }
    return Sequential(layers)
}
