import XCTest
@testable import TensorCore

/// conv2d and pooling against naive loops, and their gradients.
final class ConvPoolTests: XCTestCase {
    /// The definition, one output element at a time.
    func naiveConv(_ x: Tensor, _ w: Tensor, _ b: Tensor?, stride s: Int, padding p: Int) -> [Float] {
        let (n, c, h, wd) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        let (o, kh, kw) = (w.shape[0], w.shape[2], w.shape[3])
        let oh = (h + 2 * p - kh) / s + 1, ow = (wd + 2 * p - kw) / s + 1
        var out = [Float]()
        for img in 0..<n { for oc in 0..<o { for i in 0..<oh { for j in 0..<ow {
            var acc: Float = b?.data[oc] ?? 0
            for ic in 0..<c { for u in 0..<kh { for v in 0..<kw {
                let ih = i * s - p + u, iw = j * s - p + v
                if ih >= 0 && ih < h && iw >= 0 && iw < wd {
                    acc += w.data[((oc * c + ic) * kh + u) * kw + v] * x.data[((img * c + ic) * h + ih) * wd + iw]
                }
            } } }
            out.append(acc)
        } } } }
        return out
    }

    func testConvMatchesNaiveLoops() throws {
        let x = randomTensor([2, 3, 7, 6], seed: 71), w = randomTensor([4, 3, 3, 2], seed: 72)
        let b = randomTensor([4], seed: 73)
        for (s, p) in [(1, 0), (1, 1), (2, 0), (2, 1), (3, 2)] {
            let y = try conv2d(x, w, bias: b, stride: s, padding: p)
            XCTAssertEqual(y.shape, [2, 4, (7 + 2 * p - 3) / s + 1, (6 + 2 * p - 2) / s + 1])
            assertClose(y.data, naiveConv(x, w, b, stride: s, padding: p))
        }
        assertClose(try conv2d(x, w).data, naiveConv(x, w, nil, stride: 1, padding: 0))
    }

    /// "Same" padding (stride 1, output as large as the input), the convolution of every
    /// CNN here; more than `convGroups` images exercise the grouped sweep.
    func testConvSamePaddingFastPath() throws {
        let x = randomTensor([11, 3, 6, 7], seed: 171)
        for (k, p) in [(3, 1), (5, 2), (1, 0)] {
            let w = randomTensor([4, 3, k, k], seed: 172 + UInt64(k)), b = randomTensor([4], seed: 179)
            assertClose(try conv2d(x, w, bias: b, padding: p).data, naiveConv(x, w, b, stride: 1, padding: p))
        }
        let small = randomTensor([3, 2, 4, 5], seed: 180)
        assertGradcheck({ try conv2d($0[0], $0[1], bias: $0[2], padding: 1) },
                        [small, randomTensor([3, 2, 3, 3], seed: 181), randomTensor([3], seed: 182)])
        assertGradcheck({ try conv2d($0[0], $0[1], padding: 2) }, [small, randomTensor([2, 2, 5, 5], seed: 183)])
    }

    /// im2col (through its padded copy, in SIMD runs) against the definition, entry by
    /// entry, and col2im as its adjoint, for strides 1 and 2 and paddings 0–2.
    func testIm2colMatchesDefinitionAndCol2imIsItsAdjoint() {
        for (s, p) in [(1, 1), (1, 0), (2, 1), (1, 2)] {
            let geo = ConvGeometry(channels: 2, height: 5, width: 19, kernelH: 3, kernelW: 3, stride: s, padding: p)
            let x = randomTensor([2, 5, 19], seed: 184).data
            let k = geo.patchSize * geo.outSize
            var cols = [Float](repeating: .nan, count: k), expected = cols
            var scratch = [Float](repeating: .nan, count: geo.paddedSize)
            x.withUnsafeBufferPointer { px in
                scratch.withUnsafeMutableBufferPointer { ps in
                    cols.withUnsafeMutableBufferPointer { geo.im2col(px.baseAddress!, $0.baseAddress!, padded: ps.baseAddress) }
                }
            }
            for c in 0..<2 { for ki in 0..<3 { for kj in 0..<3 {
                for i in 0..<geo.outH { for j in 0..<geo.outW {
                    let (ih, iw) = (i * s - p + ki, j * s - p + kj)
                    let inside = ih >= 0 && ih < 5 && iw >= 0 && iw < 19
                    expected[(((c * 3 + ki) * 3 + kj) * geo.outH + i) * geo.outW + j] = inside ? x[(c * 5 + ih) * 19 + iw] : 0
                } }
            } } }
            XCTAssertEqual(cols, expected, "stride \(s) padding \(p)")
            // <im2col(x), y> = <x, col2im(y)>, and col2im adds to what dx holds.
            let y = randomTensor([k], seed: 185).data
            var back = [Float](repeating: 1, count: x.count)
            y.withUnsafeBufferPointer { py in
                scratch.withUnsafeMutableBufferPointer { ps in
                    back.withUnsafeMutableBufferPointer { geo.col2im(py.baseAddress!, $0.baseAddress!, padded: ps.baseAddress) }
                }
            }
            let lhs = zip(cols, y).reduce(0) { $0 + Double($1.0 * $1.1) }
            let rhs = zip(x, back).reduce(0) { $0 + Double($1.0 * ($1.1 - 1)) }
            XCTAssertEqual(lhs, rhs, accuracy: 1e-4, "stride \(s) padding \(p)")
        }
    }

    func testConvGradients() {
        let x = randomTensor([2, 2, 5, 4], seed: 74), w = randomTensor([3, 2, 3, 3], seed: 75)
        let b = randomTensor([3], seed: 76)
        for (s, p) in [(1, 1), (2, 0), (2, 2)] {
            assertGradcheck({ try conv2d($0[0], $0[1], bias: $0[2], stride: s, padding: p) }, [x, w, b])
        }
        assertGradcheck({ try conv2d($0[0], $0[1]) }, [x, randomTensor([1, 2, 1, 1], seed: 77)])
    }

    func testPoolingForward() throws {
        let x = Tensor(shape: [1, 1, 4, 4], data: (0..<16).map { Float(($0 * 7) % 16) })
        // x = (np.arange(16) * 7 % 16).reshape(4, 4); x.reshape(2, 2, 2, 2).max((1, 3))
        XCTAssertEqual(try maxPool2d(x, kernel: 2).data, [12, 14, 15, 13])
        // x.reshape(2, 2, 2, 2).mean((1, 3))
        XCTAssertEqual(try avgPool2d(x, kernel: 2).data, [5.5, 7.5, 9.5, 7.5])
        XCTAssertEqual(try maxPool2d(x, kernel: 3, stride: 1).shape, [1, 1, 2, 2])
    }

    /// maxPool2d's 2×2 fast path (SIMD lanes) against the definition: the first largest
    /// element of each window in row-major order, ties included, and an odd width and height
    /// whose last column and row no window reads (their gradient is 0).
    func testMaxPool2x2FastPathMatchesDefinition() throws {
        let (n, c, h, w) = (3, 2, 7, 21)
        var rng = RandomGenerator(seed: 186)
        let x = Tensor(shape: [n, c, h, w], data: (0..<(n * c * h * w)).map { _ in Float(Int(rng.nextFloat() * 4)) }, requiresGrad: true)
        let (oh, ow) = (3, 10)
        var expected = [Float](), argmax = [Int]()
        for p in 0..<(n * c) { for i in 0..<oh { for j in 0..<ow {
            var best = p * h * w + 2 * i * w + 2 * j
            for (u, v) in [(0, 1), (1, 0), (1, 1)] {
                let at = p * h * w + (2 * i + u) * w + 2 * j + v
                if x.data[at] > x.data[best] { best = at }
            }
            expected.append(x.data[best]); argmax.append(best)
        } } }
        let y = try maxPool2d(x, kernel: 2)
        XCTAssertEqual(y.data, expected)
        let g = (0..<y.count).map { Float($0 + 1) }
        try sum(y * Tensor(shape: y.shape, data: g)).backward()
        var dx = [Float](repeating: 0, count: x.count)
        for (o, at) in argmax.enumerated() { dx[at] += g[o] }
        XCTAssertEqual(x.grad?.data, dx)
    }

    func testPoolingGradients() {
        let x = spreadTensor([2, 2, 5, 6], seed: 78)
        assertGradcheck({ try maxPool2d($0[0], kernel: 2) }, [x])
        assertGradcheck({ try maxPool2d($0[0], kernel: 3, stride: 2) }, [x])
        assertGradcheck({ try avgPool2d($0[0], kernel: 2) }, [x])
        assertGradcheck({ try avgPool2d($0[0], kernel: 3, stride: 1) }, [x])
    }
}
