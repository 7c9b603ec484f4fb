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

/// The convolutional encoder of the cnn-barlow benchmark (`Bench/torch_peer.py`): for each width
/// a block Conv2d(3×3, padding 1), BatchNorm2d, ReLU, with a 2×2 max-pool after every
/// block but the last, then a global average pool: [N, C, H, W] → [N, widths.last].
///
/// `convnet(widths: [32, 64, 128])` followed by `mlp([128, 256, 256])` is exactly the
/// peer's `cnn()` (its projector is Linear, BatchNorm1d, ReLU, Linear).
public func convnet(widths: [Int] = [32, 64, 128], inChannels: Int = 3, rng: inout RandomGenerator) -> Sequential {
    precondition(!widths.isEmpty && widths.allSatisfy { $0 > 0 } && inChannels > 0,
                 "convnet: needs positive widths and input channels, got \(widths), \(inChannels)")
    var layers: [Module] = []
    var channels = inChannels
    for (i, width) in widths.enumerated() {
        layers += [Conv2d(channels, width, kernelSize: 3, padding: 1, rng: &rng), BatchNorm2d(width), ReLU()]
        if i < widths.count - 1 { layers.append(MaxPool2d(2)) }
        channels = width
    }
    layers.append(GlobalAvgPool())
    return Sequential(layers)
}

/// The small "flatten" conv encoder of the pilot's shapes experiments: for each width a
/// block Conv2d(3×3, padding 1), BatchNorm2d, ReLU, MaxPool2d(2) (so the side halves each
/// time), then Flatten and Linear to `features`. For 16×16 images and widths 16/32/64:
/// 16→8→4→2, 64·2·2 = 256 values, Linear(256, 128). Unlike `convnet`, it keeps where
/// things are in the image (no global pooling).
public func flatConvnet(widths: [Int] = [16, 32, 64], inChannels: Int = 3, imageSize: Int = 16, features: Int = 128,
                        rng: inout RandomGenerator) -> Sequential {
    let side = widths.reduce(imageSize) { s, _ in s / 2 }
    precondition(!widths.isEmpty && widths.allSatisfy { $0 > 0 } && side >= 1 && features > 0,
                 "flatConvnet: \(widths.count) poolings do not fit \(imageSize)×\(imageSize) images")
    var layers: [Module] = []
    var channels = inChannels
    for width in widths {
        layers += [Conv2d(channels, width, kernelSize: 3, padding: 1, rng: &rng), BatchNorm2d(width), ReLU(), MaxPool2d(2)]
        channels = width
    }
    layers += [Flatten(), Linear(channels * side * side, features, rng: &rng)]
    return Sequential(layers)
}
