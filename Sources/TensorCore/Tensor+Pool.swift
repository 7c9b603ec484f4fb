/// Max-pooling and average-pooling over 2-D windows of [N, C, H, W] tensors (no padding;
/// output [N, C, (H − k)/s + 1, (W − k)/s + 1]).

/// Checks a pooling configuration and returns its geometry (per channel plane).
func poolGeometry(_ x: Tensor, kernel: Int, stride: Int, op: String) throws -> ConvGeometry {
    guard x.rank == 4 else {
        throw TensorError.invalidArgument(op: op, message: "needs [N, C, H, W], got shape \(formatShape(x.shape))")
    }
    guard kernel >= 1, stride >= 1, kernel <= x.shape[2], kernel <= x.shape[3] else {
        throw TensorError.invalidArgument(
            op: op, message: "kernel \(kernel) and stride \(stride) do not fit shape \(formatShape(x.shape))")
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
        let planes = x.shape[0] * x.shape[1]
        let (h, w, oh, ow) = (geo.height, geo.width, geo.outH, geo.outW)
        var argmax = [Int32](repeating: 0, count: planes * oh * ow)
        let out = uninitializedArray(planes * oh * ow) { y in
            x.data.withUnsafeBufferPointer { px in
                argmax.withUnsafeMutableBufferPointer { pa in
                    for p in 0..<planes {
                        let plane = px.baseAddress! + p * h * w
                        for i in 0..<oh {
                            for j in 0..<ow {
                                var best = (i * s) * w + j * s
                                var bestValue = plane[best]
                                for u in 0..<kernel {
                                    let rowStart = (i * s + u) * w + j * s
                                    for v in 0..<kernel where plane[rowStart + v] > bestValue {
                                        bestValue = plane[rowStart + v]; best = rowStart + v
                                    }
                                }
                                let o = (p * oh + i) * ow + j
                                y[o] = bestValue
                                pa[o] = Int32(best)
                            }
                        }
                    }
                }
            }
        }
        let count = x.count
        return Tensor.result(shape: [x.shape[0], x.shape[1], oh, ow], data: out, parents: [x]) { g in
            var gx = [Float](repeating: 0, count: count)
            gx.withUnsafeMutableBufferPointer { dx in
                for p in 0..<planes {
                    for q in 0..<(oh * ow) {
                        let o = p * oh * ow + q
                        dx[p * h * w + Int(argmax[o])] += g[o]
                    }
                }
            }
            x.accumulateGrad(gx)
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
        let planes = x.shape[0] * x.shape[1]
        let (h, w, oh, ow) = (geo.height, geo.width, geo.outH, geo.outW)
        let scale = 1 / Float(kernel * kernel)
        let out = uninitializedArray(planes * oh * ow) { y in
            x.data.withUnsafeBufferPointer { px in
                for p in 0..<planes {
                    let plane = px.baseAddress! + p * h * w
                    for i in 0..<oh {
                        for j in 0..<ow {
                            var acc: Float = 0
                            for u in 0..<kernel {
                                let rowStart = (i * s + u) * w + j * s
                                for v in 0..<kernel { acc += plane[rowStart + v] }
                            }
                            y[(p * oh + i) * ow + j] = acc * scale
                        }
                    }
                }
            }
        }
        let count = x.count
        return Tensor.result(shape: [x.shape[0], x.shape[1], oh, ow], data: out, parents: [x]) { g in
            var gx = [Float](repeating: 0, count: count)
            gx.withUnsafeMutableBufferPointer { dx in
                g.withUnsafeBufferPointer { pg in
                    for p in 0..<planes {
                        let plane = dx.baseAddress! + p * h * w
                        for i in 0..<oh {
                            for j in 0..<ow {
                                let share = pg[(p * oh + i) * ow + j] * scale
                                for u in 0..<kernel {
                                    let rowStart = (i * s + u) * w + j * s
                                    for v in 0..<kernel { plane[rowStart + v] += share }
                                }
                            }
                        }
                    }
                }
            }
            x.accumulateGrad(gx)
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
