import XCTest
@testable import TensorCore

/// Forward values of the compositions against NumPy (float64, rounded), each with the
/// line that produced it. Common set-up in Python:
///     import numpy as np
///     x = np.array([[0.5, -1.2, 2.0], [0.3, 0.1, -0.7]])
///     y = np.array([[1.0, 0.2, -0.4], [-0.3, 0.8, 0.6]])
final class GoldenCompositionTests: XCTestCase {
    let x = Tensor([[0.5, -1.2, 2.0], [0.3, 0.1, -0.7]])
    let y = Tensor([[1.0, 0.2, -0.4], [-0.3, 0.8, 0.6]])

    func testSoftmaxFamily() throws {
        // (np.exp(x) / np.exp(x).sum(1, keepdims=True)).round(7)
        assertClose(try softmax(x, axis: 1).data, [0.1765421, 0.0322513, 0.7912066, 0.4573289, 0.3744292, 0.1682419])
        // (x - np.log(np.exp(x).sum(1, keepdims=True))).round(7)
        assertClose(try logSoftmax(x, axis: 1).data, [-1.7341961, -3.4341961, -0.2341961, -0.7823525, -0.9823525, -1.7823525])
        // np.log(np.exp(x).sum(0)).round(7)
        assertClose(try logsumexp(x, axis: 0).data, [1.0981389, 0.3410085, 2.0650436])
        // -np.mean((x - np.log(np.exp(x).sum(1, keepdims=True)))[[0, 1], [2, 0]]).round(7)
        assertClose(try crossEntropy(x, labels: [2, 0]).data, [0.5082743])
    }

    func testLogsumexpIsStableForLargeValues() throws {
        // Naively exp(1000) overflows; the max-shifted form gives 1000 + log 2.
        let big = Tensor([[1000, 1000]])
        assertClose(try logsumexp(big, axis: 1).data, [1000.6931472])
        XCTAssertTrue(try softmax(big).data.allSatisfy { $0 == 0.5 })
    }

    func testStatistics() throws {
        // ((x - y) ** 2).mean().round(7)
        assertClose(try mse(x, y).data, [1.7516667])
        // (x / np.maximum(np.linalg.norm(x, axis=1, keepdims=True), 1e-12)).round(7)
        assertClose(try normalize(x, axis: 1).data, [0.2096109, -0.5030662, 0.8384436, 0.3905667, 0.1301889, -0.9113224])
        // ((x * y).sum(1) / np.linalg.norm(x, axis=1) / np.linalg.norm(y, axis=1)).round(7)
        assertClose(try cosineSimilarity(x, y, axis: 1).data, [-0.2066555, -0.536203])
        // x.var(0, ddof=1).round(7)
        assertClose(try variance(x, axis: 0).data, [0.02, 0.845, 3.645])
        // x.var(1).round(7)
        assertClose(try variance(x, axis: 1, unbiased: false).data, [1.7088889, 0.1866667])
        // x.var(ddof=1).round(7)
        assertClose(try variance(x).data, [1.2226667])
        // x.std(1, ddof=1).round(7)
        assertClose(try std(x, axis: 1).data, [1.6010413, 0.5291503])
        // x.std().round(7)
        assertClose(try std(x, unbiased: false).data, [1.0094003])
        // ((x - x.mean(0)) / np.sqrt(x.var(0) + 1e-5)).round(6)
        assertClose(try standardize(x, axis: 0).data, [0.9995, -0.999988, 0.999997, -0.9995, 0.999988, -0.999997], tol: 1e-5)
    }

    func testNormalizeOfZeroIsZero() throws {
        XCTAssertEqual(try normalize(Tensor.zeros([2, 3]), axis: 1).data, [Float](repeating: 0, count: 6))
    }

    func testMatrixHelpers() throws {
        // m = np.arange(9.).reshape(3, 3) * 0.5 - 1
        let m = try reshape(Tensor.arange(9) * 0.5 - 1, [3, 3])
        // np.diag(m)
        XCTAssertEqual(try diag(m).data, [-1.0, 1.0, 3.0])
        // m[~np.eye(3, dtype=bool)]
        XCTAssertEqual(try offdiag(m).data, [-0.5, 0.0, 0.5, 1.5, 2.0, 2.5])
        // np.outer([1, 2, 3], [0.5, -1])
        XCTAssertEqual(try outer(Tensor([1, 2, 3]), Tensor([0.5, -1])).data, [0.5, -1.0, 1.0, -2.0, 1.5, -3.0])
        // np.diag([1, 2])
        XCTAssertEqual(try diag(Tensor([1, 2])).data, [1, 0, 0, 2])
    }
}
