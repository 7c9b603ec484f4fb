/// The optimised loops of max- and average-pooling (`Tensor+Pool.swift` holds the ops and
/// their derivatives): per channel plane, max-pooling in blocks of planes that run in
/// parallel with `setThreads`, and 2×2 max-pooling in SIMD lanes.

/// The sweeps of one pooling op over `planes` channel planes of `geo`'s size, with a
/// `kernel`×`kernel` window at `stride`.
struct PoolSweep {
    let geo: ConvGeometry
    let planes, kernel, stride: Int
    /// Max-pooling's threads (read once, when the sweep is made) and the blocks of planes
    /// handed out to them.
    let threads, parts: Int

    init(_ geo: ConvGeometry, planes: Int, kernel: Int, stride: Int) {
        self.geo = geo
        (self.planes, self.kernel, self.stride) = (planes, kernel, stride)
        threads = computeThreads()
        parts = Swift.min(planes, 64)
    }

    /// Each window's largest value, and the index in its plane of its (first) largest element.
    func maxForward(_ xv: [Float]) -> (out: [Float], argmax: [Int32]) {
        let (planes, kernel, s, threads, poolParts) = (self.planes, self.kernel, self.stride, self.threads, self.parts)
        let (h, w, oh, ow) = (geo.height, geo.width, geo.outH, geo.outW)
        var argmax = [Int32](repeating: 0, count: planes * oh * ow)
        let out = uninitializedArray(planes * oh * ow) { y in
            xv.withUnsafeBufferPointer { px in
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
        return (out, argmax)
    }

    /// The input gradient of max-pooling: each window's gradient added at its `argmax`.
    func maxBackward(_ g: [Float], argmax: [Int32], count: Int) -> [Float] {
        let (planes, threads, poolParts) = (self.planes, self.threads, self.parts)
        let (h, w, oh, ow) = (geo.height, geo.width, geo.outH, geo.outW)
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
        return gx
    }

    /// Each window's sum times `scale` (1/k² for the mean), plane by plane.
    func avgForward(_ xv: [Float], scale: Float) -> [Float] {
        let (planes, kernel, s) = (self.planes, self.kernel, self.stride)
        let (h, w, oh, ow) = (geo.height, geo.width, geo.outH, geo.outW)
        return uninitializedArray(planes * oh * ow) { y in
            xv.withUnsafeBufferPointer { px in
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
    }

    /// The input gradient of average-pooling: each window's gradient times `scale` added
    /// to every element of the window.
    func avgBackward(_ g: [Float], scale: Float, count: Int) -> [Float] {
        let (planes, kernel, s) = (self.planes, self.kernel, self.stride)
        let (h, w, oh, ow) = (geo.height, geo.width, geo.outH, geo.outW)
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
        return gx
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
