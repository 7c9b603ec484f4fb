import TensorCore

/// A 2-D convolution layer over [N, C, H, W] input: weight [O, C, k, k], bias [O],
/// output [N, O, (H + 2p − k)/s + 1, (W + 2p − k)/s + 1] (see TensorCore's `conv2d`,
/// im2col + one sgemm per image).
///
/// Initialisation as PyTorch's: weight and bias uniform in ±1/√(C·k·k).
public final class Conv2d: Module {
    public let inChannels: Int
    public let outChannels: Int
    public let kernelSize: Int
    public let stride: Int
    public let padding: Int
    /// [O, C, k, k].
    public let weight: Tensor
    /// [O], or nil.
    public let bias: Tensor?

    public init(_ inChannels: Int, _ outChannels: Int, kernelSize: Int, stride: Int = 1, padding: Int = 0,
                bias: Bool = true, rng: inout RandomGenerator) {
        precondition(inChannels > 0 && outChannels > 0 && kernelSize > 0 && stride > 0 && padding >= 0,
                     "Conv2d: bad configuration \(inChannels)→\(outChannels), kernel \(kernelSize), stride \(stride), padding \(padding)")
        let fanIn = inChannels * kernelSize * kernelSize
        self.inChannels = inChannels
        self.outChannels = outChannels
        self.kernelSize = kernelSize
        self.stride = stride
        self.padding = padding
        weight = uniformInit([outChannels, inChannels, kernelSize, kernelSize], fanIn: fanIn, using: &rng)
        self.bias = bias ? uniformInit([outChannels], fanIn: fanIn, using: &rng) : nil
        super.init()
    }

    /// A layer with the given weight [O, C, k, k] and bias [O].
    public init(weight: Tensor, bias: Tensor?, stride: Int = 1, padding: Int = 0) {
        precondition(weight.rank == 4 && weight.shape[2] == weight.shape[3],
                     "Conv2d: weight must be [O, C, k, k], got \(formatShape(weight.shape))")
        precondition(bias == nil || bias!.shape == [weight.shape[0]],
                     "Conv2d: bias \(formatShape(bias?.shape ?? [])) does not fit weight \(formatShape(weight.shape))")
        inChannels = weight.shape[1]
        outChannels = weight.shape[0]
        kernelSize = weight.shape[2]
        self.stride = stride
        self.padding = padding
        self.weight = weight
        self.bias = bias
        super.init()
    }

    public override func forward(_ x: Tensor) throws -> Tensor {
        guard x.rank == 4, x.shape[1] == inChannels else {
            throw TensorError.shapeMismatch(op: summary, lhs: x.shape, rhs: weight.shape,
                                            detail: "needs input [N, \(inChannels), H, W]")
        }
        return try conv2d(x, weight, bias: bias, stride: stride, padding: padding)
    }

    public override var localParameters: [(name: String, tensor: Tensor)] {
        [("weight", weight)] + (bias.map { [("bias", $0)] } ?? [])
    }

    public override func copy() -> Module {
        let c = Conv2d(weight: cloneTensor(weight), bias: bias.map(cloneTensor), stride: stride, padding: padding)
        copyMode(to: c)
        return c
    }

    public override var summary: String {
        "Conv2d(\(inChannels), \(outChannels), kernelSize: \(kernelSize)" + (stride != 1 ? ", stride: \(stride)" : "") +
            (padding != 0 ? ", padding: \(padding)" : "") + (bias == nil ? ", bias: false" : "") + ")"
    }
}
