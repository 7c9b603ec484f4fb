import RunSupport

/// Max-pooling and average-pooling over 2-D windows of [N, C, H, W] tensors (no padding;
/// output [N, C, (H − k)/s + 1, (W − k)/s + 1]). The loops are in
/// `Kernels/PoolKernels.swift`.

/// Checks a pooling configuration and returns its geometry (per channel plane).
func poolGeometry(_ x: Tensor, kernel: Int, stride: Int, op: String) throws -> ConvGeometry {
    guard x.rank == 4 else {
        throw TensorError.argument(op: op, template: "needs [N, C, H, W], got shape {shape}", values: ["shape": formatShape(x.shape)])
    }
    guard kernel >= 1, stride >= 1, kernel <= x.shape[2], kernel <= x.shape[3] else {
        throw TensorError.argument(
            op: op, template: "kernel {kernel} and stride {stride} do not fit shape {shape}",
                values: ["kernel": "\(kernel)", "stride": "\(stride)", "shape": formatShape(x.shape)])
    }
    return ConvGeometry(channels: 1, height: x.shape[2], width: x.shape[3],
                        kernelH: kernel, kernelW: kernel, stride: stride, padding: 0)
}

/// The largest value of each k×k window (stride `stride`, default k).
/// Derivative: each window's gradient goes to its (first) largest element.
public func maxPool2d(_ x: Tensor, kernel: Int, stride: Int? = nil) throws -> Tensor {
    return try OpProfile.measure(.pooling) {
        let s = stride ?? kernel
        let geo = try poolGeometry(x, kernel: kernel, stride: s, op: "maxPool2d")
        let sweep = PoolSweep(geo, planes: x.shape[0] * x.shape[1], kernel: kernel, stride: s)
        let (out, argmax) = sweep.maxForward(x.data)
        let count = x.count
        return Tensor.result(shape: [x.shape[0], x.shape[1], geo.outH, geo.outW], data: out, parents: [x]) { g in
            x.accumulateGrad(sweep.maxBackward(g, argmax: argmax, count: count))
        }
    }
}

/// The mean of each k×k window (stride `stride`, default k). Fast path of
/// `Composed.avgPool2d`, a convolution of each channel with a constant 1/k² kernel.
/// Derivative: each window's gradient shared equally, 1/k², among its elements.
public func avgPool2d(_ x: Tensor, kernel: Int, stride: Int? = nil) throws -> Tensor {
    return try OpProfile.measure(.pooling) {
        let s = stride ?? kernel
        let geo = try poolGeometry(x, kernel: kernel, stride: s, op: "avgPool2d")
        let sweep = PoolSweep(geo, planes: x.shape[0] * x.shape[1], kernel: kernel, stride: s)
        let scale = 1 / Float(kernel * kernel)
        let out = sweep.avgForward(x.data, scale: scale)
        let count = x.count
        return Tensor.result(shape: [x.shape[0], x.shape[1], geo.outH, geo.outW], data: out, parents: [x]) { g in
            x.accumulateGrad(sweep.avgBackward(g, scale: scale, count: count))
        }
    }
}

extension Composed {
    /// avgPool2d as a convolution: every channel plane, on its own, with one k×k kernel of 1/k².
    static func avgPool2d(_ x: Tensor, kernel: Int, stride: Int? = nil) throws -> Tensor {
        let (n, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        let weight = Tensor(shape: [1, 1, kernel, kernel],
                            data: [Float](repeating: 1 / Float(kernel * kernel), count: kernel * kernel))
        let y = try conv2d(reshape(x, [n * c, 1, h, w]), weight, stride: stride ?? kernel)
        return try reshape(y, [n, c, y.shape[2], y.shape[3]])
    }
}
