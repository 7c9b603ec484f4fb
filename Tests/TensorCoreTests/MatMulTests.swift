import XCTest
@testable import TensorCore

/// matmul against a naive triple loop, for every transpose combination and batching.
final class MatMulTests: XCTestCase {
    /// The textbook product of row-major [m, k] and [k, n] matrices.
    func naive(_ a: [Float], _ b: [Float], m: Int, k: Int, n: Int) -> [Float] {
        var c = [Float](repeating: 0, count: m * n)
        for i in 0..<m { for j in 0..<n {
            var s: Float = 0
            for p in 0..<k { s += a[i * k + p] * b[p * n + j] }
            c[i * n + j] = s
        } }
        return c
    }

    func testTwoDimensionalWithEveryTransposeFlag() throws {
        let (m, k, n) = (7, 5, 3)
        let a = randomTensor([m, k], seed: 61), b = randomTensor([k, n], seed: 62)
        let expected = naive(a.data, b.data, m: m, k: k, n: n)
        assertClose(try matmul(a, b).data, expected)
        assertClose(try matmul(a.T, b, transposeA: true).data, expected)
        assertClose(try matmul(a, b.T, transposeB: true).data, expected)
        assertClose(try matmul(a.T, b.T, transposeA: true, transposeB: true).data, expected)
        XCTAssertEqual(try matmul(a, b).shape, [m, n])
    }

    func testBatched() throws {
        let a = randomTensor([3, 4, 6], seed: 63), b = randomTensor([3, 6, 2], seed: 64)
        let c = try matmul(a, b)
        XCTAssertEqual(c.shape, [3, 4, 2])
        for i in 0..<3 {
            let expected = naive(Array(a.data[(i * 24)..<((i + 1) * 24)]), Array(b.data[(i * 12)..<((i + 1) * 12)]), m: 4, k: 6, n: 2)
            assertClose(Array(c.data[(i * 8)..<((i + 1) * 8)]), expected)
        }
        let shared = randomTensor([6, 2], seed: 65)
        let d = try matmul(a, shared)
        for i in 0..<3 {
            assertClose(Array(d.data[(i * 8)..<((i + 1) * 8)]),
                        naive(Array(a.data[(i * 24)..<((i + 1) * 24)]), shared.data, m: 4, k: 6, n: 2))
        }
    }

    func testGradientsMatchExplicitFormulas() throws {
        // dL/dA = G·Bᵀ, dL/dB = Aᵀ·G with G = 1 for L = sum(A·B).
        let a = randomTensor([4, 3], seed: 66), b = randomTensor([3, 2], seed: 67)
        a.requiresGrad = true; b.requiresGrad = true
        try sum(matmul(a, b)).backward()
        let ones = [Float](repeating: 1, count: 8)
        assertClose(a.grad!.data, naive(ones, b.T.data, m: 4, k: 2, n: 3))
        assertClose(b.grad!.data, naive(a.T.data, ones, m: 3, k: 4, n: 2))
    }
}
