import XCTest
@testable import TensorCore

/// Layer norm, the embedding look-up and attention masks: values against NumPy,
/// finite-difference gradient checks, and the errors a script can cause.
final class LayerNormEmbeddingMaskTests: XCTestCase {
    // MARK: layerNorm

    func testLayerNormMatchesNumPy() throws {
        let x = Tensor([[0.5, -1.2, 2.0], [0.3, 0.1, -0.7]])
        let w = Tensor([1.5, -0.5, 2.0]), b = Tensor([0.1, 0.2, -0.3])
        // ((x - x.mean(1, keepdims=True)) / np.sqrt(x.var(1, keepdims=True) + 1e-5) * w + b).round(7)
        assertClose(try layerNorm(x, weight: w, bias: b).data, [0.1764965, 0.8247218, 2.0968917, 1.488693, -0.0314488, -3.0773859])
    }

    func testLayerNormEqualsTheComposition() throws {
        let x = randomTensor([2, 3, 5], seed: 1, low: -2, high: 2)
        let w = randomTensor([5], seed: 2), b = randomTensor([5], seed: 3)
        let composed = try standardize(x, axis: -1) * w + b
        assertClose(try layerNorm(x, weight: w, bias: b).data, composed.data, tol: 1e-5)
        // Each row of the plain layer norm has mean 0 and (biased) variance 1.
        let plain = try layerNorm(x)
        assertClose(try mean(plain, axis: -1).data, [Float](repeating: 0, count: 6), tol: 1e-6)
        assertClose(try variance(plain, axis: -1, unbiased: false).data, [Float](repeating: 1, count: 6), tol: 1e-3)
    }

    func testLayerNormGradients() {
        assertGradcheck({ try layerNorm($0[0], weight: $0[1], bias: $0[2]) },
                        [randomTensor([3, 2, 4], seed: 4, low: -2, high: 2), randomTensor([4], seed: 5), randomTensor([4], seed: 6)])
        assertGradcheck({ try layerNorm($0[0]) }, [randomTensor([5, 3], seed: 7, low: -2, high: 2)])
    }

    func testLayerNormShapeErrors() {
        assertShapeError("layerNorm", [[2, 3], [4]]) { try layerNorm(.zeros([2, 3]), weight: .ones([4])) }
        XCTAssertThrowsError(try layerNorm(.zeros([2, 0])))
        XCTAssertThrowsError(try layerNorm(.zeros([2, 3]), eps: 0))
    }

    // MARK: embedding

    func testEmbeddingLooksUpRowsInTheIndicesShape() throws {
        let table = try reshape(Tensor.arange(8), [4, 2])       // rows [0 1], [2 3], [4 5], [6 7]
        let out = try embedding(table, indices: Tensor([[3, 0], [1, 3]]))
        XCTAssertEqual(out.shape, [2, 2, 2])
        // np.arange(8.).reshape(4, 2)[[[3, 0], [1, 3]]].ravel()
        XCTAssertEqual(out.data, [6, 7, 0, 1, 2, 3, 6, 7])
    }

    func testEmbeddingGradientIsAScatterAdd() throws {
        let table = Tensor(shape: [4, 2], data: [Float](repeating: 0, count: 8), requiresGrad: true)
        let out = try embedding(table, indices: Tensor([3, 0, 3]))
        try sum(out * Tensor([[1, 2], [3, 4], [5, 6]])).backward()
        // Row 3 is used twice (gradients 1,2 and 5,6 add up), row 0 once, rows 1 and 2 never.
        XCTAssertEqual(table.grad?.data, [3, 4, 0, 0, 0, 0, 6, 8])
        assertGradcheck({ try embedding($0[0], indices: Tensor([[1, 1, 2], [0, 2, 2]])) }, [randomTensor([3, 4], seed: 8)])
    }

    func testEmbeddingRejectsBadIds() {
        let table = Tensor.zeros([4, 2])
        XCTAssertThrowsError(try embedding(table, indices: Tensor([4]))) { XCTAssertEqual(($0 as? TensorError)?.op, "embedding") }
        XCTAssertThrowsError(try embedding(table, indices: Tensor([-1])))
        XCTAssertThrowsError(try embedding(table, indices: Tensor([1.5])))
        XCTAssertThrowsError(try embedding(Tensor.zeros([4]), indices: Tensor([1])))
    }

    // MARK: masks

    func testCausalAndPaddingMasks() throws {
        XCTAssertEqual(try causalMask(3).data, [0, 1, 1, 0, 0, 1, 0, 0, 0])
        XCTAssertEqual(try causalMask(0).shape, [0, 0])
        XCTAssertThrowsError(try causalMask(-1))
        let pad = try paddingMask(Tensor([[5, 2, 0], [0, 0, 1]]), padToken: 0)
        XCTAssertEqual(pad.shape, [2, 1, 3])
        XCTAssertEqual(pad.data, [0, 0, 1, 1, 1, 0])
        XCTAssertThrowsError(try paddingMask(Tensor([1, 2]), padToken: 0))
    }

    func testMaskedSoftmaxGivesMaskedKeysZeroWeightAndNoGradient() throws {
        let scores = randomTensor([2, 3, 3], seed: 9, low: -2, high: 2)
        let weights = try softmax(maskedFill(scores, mask: causalMask(3), value: -Float.infinity), axis: -1)
        for b in 0..<2 {
            for i in 0..<3 {
                let row = Array(weights.data[(b * 3 + i) * 3..<(b * 3 + i + 1) * 3])
                XCTAssertEqual(row.reduce(0, +), 1, accuracy: 1e-6)
                for j in 0..<3 where j > i { XCTAssertEqual(row[j], 0) }
            }
        }
        assertGradcheck({ try softmax(maskedFill($0[0], mask: causalMask(3), value: -Float.infinity), axis: -1) }, [scores])
        let leaf = Tensor(shape: scores.shape, data: scores.data, requiresGrad: true)
        let w = try softmax(maskedFill(leaf, mask: causalMask(3), value: -Float.infinity), axis: -1)
        try sum(w * randomTensor([2, 3, 3], seed: 10)).backward()
        let g = try XCTUnwrap(leaf.grad).data
        for k in 0..<18 where (k % 3) > ((k / 3) % 3) { XCTAssertEqual(g[k], 0, "masked score \(k) got a gradient") }
    }
}
