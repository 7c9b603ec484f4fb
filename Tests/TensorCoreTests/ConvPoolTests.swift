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

    func testPoolingGradients() {
        let x = spreadTensor([2, 2, 5, 6], seed: 78)
        assertGradcheck({ try maxPool2d($0[0], kernel: 2) }, [x])
        assertGradcheck({ try maxPool2d($0[0], kernel: 3, stride: 2) }, [x])
        assertGradcheck({ try avgPool2d($0[0], kernel: 2) }, [x])
        assertGradcheck({ try avgPool2d($0[0], kernel: 3, stride: 1) }, [x])
    }
}
