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
        let threads = computeThreads()
        let poolParts = Swift.min(planes, 64)  // blocks of planes handed out to the threads
        let out = uninitializedArray(planes * oh * ow) { y in
            x.data.withUnsafeBufferPointer { px in
                argmax.withUnsafeMutableBufferPointer { pa in
                    let (x0, y0, a0) = (SendablePointer(px.baseAddress!), SendableMutablePointer(y),
                                        SendableMutablePointer(pa.baseAddress!))
                    parallelFor(poolParts, threads: threads) { part in
                        for p in partRange(part, of: poolParts, count: planes) {
                            let plane = x0.p + p * h * w
                            let (yp, ap) = (y0.p + p * oh * ow, a0.p + p * oh * ow)
                            if kernel == 2 && s == 2 {
                                maxPool2x2(plane, width: w, outH: oh, outW: ow, yp, ap)
                                continue
                            }
                            // Plain definition: scan each window in row-major order.
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
                                    yp[i * ow + j] = bestValue
                                    ap[i * ow + j] = Int32(best)
                                }
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
                g.withUnsafeBufferPointer { pg in
                    argmax.withUnsafeBufferPointer { pa in
                        let (d0, g0, a0) = (SendableMutablePointer(dx.baseAddress!), SendablePointer(pg.baseAddress!),
                                            SendablePointer(pa.baseAddress!))
                        parallelFor(poolParts, threads: threads) { part in
                            for p in partRange(part, of: poolParts, count: planes) {
                                let (dp, gp, ap) = (d0.p + p * h * w, g0.p + p * oh * ow, a0.p + p * oh * ow)
                                for q in 0..<(oh * ow) { dp[Int(ap[q])] += gp[q] }
                            }
                        }
                    }
                }
            }
            x.accumulateGrad(gx)
        }
    }
}

/// Fast path of `maxPool2d` for 2×2 windows at stride 2 (the usual pooling): eight windows
/// at a time in SIMD lanes, with the same comparisons in the same order as the plain loop
/// (top-left, top-right, bottom-left, bottom-right; a later element wins only if strictly
/// larger), so the same maxima and the same argmax. `PoolTests` compares the two.
@inline(__always)
func maxPool2x2(_ plane: UnsafePointer<Float>, width w: Int, outH oh: Int, outW ow: Int,
                _ y: UnsafeMutablePointer<Float>, _ argmax: UnsafeMutablePointer<Int32>) {
    let lanes = SIMD8<Int32>(0, 2, 4, 6, 8, 10, 12, 14)
    for i in 0..<oh {
        let (r0, r1) = (plane + 2 * i * w, plane + (2 * i + 1) * w)
        let rowBase = Int32(2 * i * w)
        var j = 0
        while j + 8 <= ow {
            let top = load16(r0 + 2 * j), bottom = load16(r1 + 2 * j)
            var best = top.evenHalf
            var offset = SIMD8<Int32>(repeating: 0)
            var wins = top.oddHalf .> best
            best.replace(with: top.oddHalf, where: wins)
            offset.replace(with: 1, where: wins)
            wins = bottom.evenHalf .> best
            best.replace(with: bottom.evenHalf, where: wins)
            offset.replace(with: Int32(w), where: wins)
            wins = bottom.oddHalf .> best
            best.replace(with: bottom.oddHalf, where: wins)
            offset.replace(with: Int32(w + 1), where: wins)
            let index = offset &+ lanes &+ SIMD8(repeating: rowBase + Int32(2 * j))
            UnsafeMutableRawPointer(y + i * ow + j).storeBytes(of: best, as: SIMD8<Float>.self)
            UnsafeMutableRawPointer(argmax + i * ow + j).storeBytes(of: index, as: SIMD8<Int32>.self)
            j += 8
        }
        while j < ow {
            var best = 2 * j, bestValue = r0[2 * j]
            if r0[2 * j + 1] > bestValue { bestValue = r0[2 * j + 1]; best = 2 * j + 1 }
            if r1[2 * j] > bestValue { bestValue = r1[2 * j]; best = w + 2 * j }
            if r1[2 * j + 1] > bestValue { bestValue = r1[2 * j + 1]; best = w + 2 * j + 1 }
            y[i * ow + j] = bestValue
            argmax[i * ow + j] = Int32(2 * i * w + best)
            j += 1
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
