import TensorCore

/// Pooling and reshaping layers for convolutional networks (no parameters).

/// The largest value of each k×k window of [N, C, H, W] input (stride defaults to k).
public final class MaxPool2d: Module {
    public let kernelSize: Int
    public let stride: Int

    public init(_ kernelSize: Int, stride: Int? = nil) {
        precondition(kernelSize > 0 && (stride ?? 1) > 0, "MaxPool2d: kernel \(kernelSize) and stride must be positive")
        self.kernelSize = kernelSize
        self.stride = stride ?? kernelSize
        super.init()
    }

    public override func forward(_ x: Tensor) throws -> Tensor { try maxPool2d(x, kernel: kernelSize, stride: stride) }
    public override func copy() -> Module { let c = MaxPool2d(kernelSize, stride: stride); copyMode(to: c); return c }
    public override var summary: String { "MaxPool2d(\(kernelSize)\(stride != kernelSize ? ", stride: \(stride)" : ""))" }
}

/// The mean of each k×k window of [N, C, H, W] input (stride defaults to k).
public final class AvgPool2d: Module {
    public let kernelSize: Int
    public let stride: Int

    public init(_ kernelSize: Int, stride: Int? = nil) {
        precondition(kernelSize > 0 && (stride ?? 1) > 0, "AvgPool2d: kernel \(kernelSize) and stride must be positive")
        self.kernelSize = kernelSize
        self.stride = stride ?? kernelSize
        super.init()
    }

    public override func forward(_ x: Tensor) throws -> Tensor { try avgPool2d(x, kernel: kernelSize, stride: stride) }
    public override func copy() -> Module { let c = AvgPool2d(kernelSize, stride: stride); copyMode(to: c); return c }
    public override var summary: String { "AvgPool2d(\(kernelSize)\(stride != kernelSize ? ", stride: \(stride)" : ""))" }
}

/// The mean over all positions of each channel: [N, C, H, W] → [N, C]. This is PyTorch's
/// `AdaptiveAvgPool2d(1)` followed by `Flatten()`.
public final class GlobalAvgPool: Module {
    public override init() { super.init() }

    public override func forward(_ x: Tensor) throws -> Tensor {
        guard x.rank == 4 else {
            throw TensorError.argument(op: "GlobalAvgPool", template: "needs [N, C, H, W], got shape {shape}",
                values: ["shape": formatShape(x.shape)])
        }
        let (n, c) = (x.shape[0], x.shape[1])
        return try mean(x.reshape([n, c, x.shape[2] * x.shape[3]]), axis: 2)
    }

    public override func copy() -> Module { let c = GlobalAvgPool(); copyMode(to: c); return c }
    public override var summary: String { "GlobalAvgPool()" }
}

/// All axes after the batch axis merged: [N, d₁, d₂, …] → [N, d₁·d₂·…].
public final class Flatten: Module {
    public override init() { super.init() }

    public override func forward(_ x: Tensor) throws -> Tensor {
        guard x.rank >= 1 else {
            throw TensorError.argument(op: "Flatten", template: "needs a batch axis, got a scalar", values: [:])
        }
        return try flatten(x, startAxis: 1)
    }

    public override func copy() -> Module { let c = Flatten(); copyMode(to: c); return c }
    public override var summary: String { "Flatten()" }
}
