import Foundation
import XCTest
import TensorCore
@testable import NeuralNet

/// Embedding, LayerNorm, SelfAttention and TransformerBlock: the block against a NumPy
/// reference (`Fixtures/make_transformer_golden.py`), finite-difference gradients for every
/// parameter and the input, and the inspectable attention weights.
final class TransformerTests: XCTestCase {
    /// Fills parameter k (in `namedParameters` order) with sin(1.3·k + 0.7·i)·0.5, as the
    /// golden script does.
    func fillDeterministically(_ module: Module) {
        for (k, p) in module.parameters().enumerated() {
            p.data = (0..<p.count).map { Float(sin(1.3 * Double(k) + 0.7 * Double($0)) * 0.5) }
        }
    }

    /// x[i] = cos(0.37·i)·1.5, shape [2, 3, 4].
    let goldenInput = Tensor(shape: [2, 3, 4], data: (0..<24).map { Float(cos(0.37 * Double($0)) * 1.5) })

    func testTransformerBlockMatchesNumPy() throws {
        var rng = RandomGenerator(seed: 1)
        let block = TransformerBlock(dim: 4, heads: 2, hidden: 6, rng: &rng)
        XCTAssertEqual(block.namedParameters().map(\.name), [
            "norm1.weight", "norm1.bias", "attention.query.weight", "attention.query.bias", "attention.key.weight",
            "attention.key.bias", "attention.value.weight", "attention.value.bias", "attention.output.weight",
            "attention.output.bias", "norm2.weight", "norm2.bias", "feed_forward.0.weight", "feed_forward.0.bias",
            "feed_forward.2.weight", "feed_forward.2.bias"])
        fillDeterministically(block)
        let y = try block(goldenInput)
        XCTAssertEqual(y.shape, [2, 3, 4])
        assertClose(y.data, TransformerGolden.blockOutput, tol: 1e-5, "block output")
        XCTAssertEqual(block.attention.lastWeights?.shape, [2, 2, 3, 3])
        assertClose(block.attention.lastWeights?.data ?? [], TransformerGolden.blockWeights, tol: 1e-5, "attention weights")
        assertClose(try block.norm1(goldenInput).data, TransformerGolden.layerNorm, tol: 1e-5, "layer norm")
    }

    func testCausalBlockMatchesNumPyAndLooksOnlyLeft() throws {
        var rng = RandomGenerator(seed: 2)
        let block = TransformerBlock(dim: 4, heads: 2, hidden: 6, causal: true, rng: &rng)
        fillDeterministically(block)
        assertClose(try block(goldenInput).data, TransformerGolden.causalOutput, tol: 1e-5, "causal output")
        let w = try XCTUnwrap(block.attention.lastWeights)
        assertClose(w.data, TransformerGolden.causalWeights, tol: 1e-5, "causal weights")
        for k in 0..<w.count where k % 3 > (k / 3) % 3 { XCTAssertEqual(w.data[k], 0) }
    }

    /// `assertParameterGradients` with this file's seed and tolerance.
    func assertGradients(_ module: Module, input x: Tensor, checkInput: Bool = true,
                         file: StaticString = #filePath, line: UInt = #line) throws {
        try assertParameterGradients(module, input: x, tolerance: 3e-3, seed: 77, checkInput: checkInput, file: file, line: line)
    }

    func testEmbeddingAndLayerNormGradients() throws {
        var rng = RandomGenerator(seed: 3)
        let emb = Embedding(vocabularySize: 5, dim: 3, maxLength: 4, rng: &rng)
        try assertGradients(emb, input: Tensor([[0, 4, 4], [2, 0, 1]]), checkInput: false)
        let norm = LayerNorm(3)
        norm.weight.data = [1.3, -0.4, 0.8]
        norm.bias.data = [0.2, 0, -0.1]
        try assertGradients(norm, input: Tensor.randn([2, 4, 3], using: &rng))
    }

    func testAttentionAndBlockGradients() throws {
        var rng = RandomGenerator(seed: 4)
        let x = Tensor.randn([2, 3, 4], using: &rng)
        try assertGradients(SelfAttention(dim: 4, heads: 1, rng: &rng), input: x)
        try assertGradients(SelfAttention(dim: 4, heads: 2, causal: true, rng: &rng), input: x)
        try assertGradients(TransformerBlock(dim: 4, heads: 2, hidden: 5, rng: &rng), input: x)
    }

    func testEmbeddingAddsLearnedPositions() throws {
        let emb = Embedding(weight: Tensor([[1, 0], [0, 1]]), position: Tensor([[10, 20], [30, 40], [50, 60]]))
        let y = try emb(Tensor([[1, 0], [0, 0]]))
        XCTAssertEqual(y.shape, [2, 2, 2])
        XCTAssertEqual(y.data, [10, 21, 31, 40, 11, 20, 31, 40])
        XCTAssertThrowsError(try emb(Tensor([[0, 0, 0, 0]])))   // longer than the 3 positions
        XCTAssertThrowsError(try emb(Tensor([[2]])))            // not in the vocabulary
        XCTAssertThrowsError(try emb(Tensor([1, 0])))           // not [B, L]
    }

    func testCopiesAreIndependentAndShapesAreChecked() throws {
        var rng = RandomGenerator(seed: 5)
        let block = TransformerBlock(dim: 4, heads: 2, rng: &rng)
        let twin = deepCopy(block)
        let x = Tensor.randn([1, 2, 4], using: &rng)
        XCTAssertEqual(try block(x).data, try twin(x).data)
        twin.parameters()[2].data[0] += 1
        XCTAssertNotEqual(try block(x).data, try twin(x).data)
        XCTAssertEqual(block.summary, "TransformerBlock(4, heads: 2, hidden: 8)")
        XCTAssertThrowsError(try block(Tensor.zeros([2, 4])))
        XCTAssertThrowsError(try block(Tensor.zeros([1, 2, 5])))
        XCTAssertEqual(deepCopy(Embedding(vocabularySize: 3, dim: 2, rng: &rng)).parameterCount, 6)
    }
}
