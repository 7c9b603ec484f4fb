import XCTest
@testable import TensorCore

/// Central-difference gradient checks for the compositions (softmax and friends,
/// statistics, matrix helpers): their gradients come from the primitives.
final class CompositionGradientTests: XCTestCase {
    let x = randomTensor([3, 5], seed: 41, low: -2, high: 2)

    func testSoftmaxFamily() {
        assertGradcheck({ try softmax($0[0]) }, [x])
        assertGradcheck({ try softmax($0[0], axis: 0) }, [x])
        assertGradcheck({ try logSoftmax($0[0], axis: 1) }, [x])
        assertGradcheck({ try logsumexp($0[0], axis: 1) }, [x])
        assertGradcheck({ try logsumexp($0[0], axis: 0, keepDim: true) }, [x])
        assertGradcheck({ try crossEntropy($0[0], labels: [4, 0, 2]) }, [x])
        assertGradcheck({ try crossEntropy($0[0], labels: Tensor([1, 1, 3])) }, [x])
    }

    func testStatistics() {
        let y = randomTensor([3, 5], seed: 42)
        assertGradcheck({ try mse($0[0], $0[1]) }, [x, y])
        assertGradcheck({ try mse($0[0], $0[1]) }, [x, randomTensor([5], seed: 43)])
        for unbiased in [true, false] {
            assertGradcheck({ try variance($0[0], axis: 0, unbiased: unbiased) }, [x])
            assertGradcheck({ try std($0[0], axis: 1, unbiased: unbiased, keepDim: true) }, [x])
            assertGradcheck({ try variance($0[0], unbiased: unbiased) }, [x])
            assertGradcheck({ try std($0[0], unbiased: unbiased) }, [x])
        }
        assertGradcheck({ try standardize($0[0], axis: 0) }, [x])
        assertGradcheck({ try normalize($0[0], axis: 1) }, [x])
        assertGradcheck({ try normalize($0[0], axis: 0) }, [x])
        assertGradcheck({ try cosineSimilarity($0[0], $0[1]) }, [x, y])
        assertGradcheck({ try cosineSimilarity($0[0], $0[1], axis: 1) }, [x, randomTensor([1, 5], seed: 44)])
    }

    func testMatrixHelpers() {
        let square = randomTensor([4, 4], seed: 45)
        assertGradcheck({ try diag($0[0]) }, [square])
        assertGradcheck({ try diag($0[0]) }, [randomTensor([3, 5], seed: 46)])
        assertGradcheck({ try diag($0[0]) }, [randomTensor([4], seed: 47)])
        assertGradcheck({ try offdiag($0[0]) }, [square])
        assertGradcheck({ try outer($0[0], $0[1]) }, [randomTensor([3], seed: 48), randomTensor([4], seed: 49)])
    }

    /// Barlow Twins written as in the paper, through the whole stack.
    func testBarlowTwinsStyleLoss() {
        let z1 = randomTensor([6, 3], seed: 50), z2 = randomTensor([6, 3], seed: 51)
        assertGradcheck({ v in
            let a = try standardize(v[0], axis: 0), b = try standardize(v[1], axis: 0)
            let c = try matmul(a, b, transposeA: true) / 6
            return try sum(pow(diag(c) - 1, 2)) + 0.005 * sum(pow(offdiag(c), 2))
        }, [z1, z2])
    }

    /// NT-Xent with a −∞ diagonal, as SimCLR computes it.
    func testNTXentStyleLoss() {
        let z1 = randomTensor([4, 3], seed: 52), z2 = randomTensor([4, 3], seed: 53)
        assertGradcheck({ v in
            let z = try normalize(concat([v[0], v[1]]), axis: 1)
            let s = try matmul(z, z, transposeB: true) / 0.5
            let masked = try maskedFill(s, mask: Tensor.eye(8), value: -Float.infinity)
            return try crossEntropy(masked, labels: [4, 5, 6, 7, 0, 1, 2, 3])
        }, [z1, z2])
    }
}
