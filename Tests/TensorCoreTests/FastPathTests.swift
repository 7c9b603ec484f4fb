import XCTest
@testable import TensorCore

/// Every op that keeps a hand-written backward for speed (a fast path) against its plain
/// composition in `Composed`: the same values and the same gradients, on random inputs
/// and on the points where the derivative has a kink or a tie (0 for relu and abs, equal
/// operands for min and max).
final class FastPathTests: XCTestCase {
    /// `fast` and `plain` of the same inputs: values within `tol`, and the gradients of
    /// Σ r·f(inputs) for a random r (so that every output element weighs differently).
    func assertAgree(_ name: String, _ inputs: [Tensor], tol: Float = 1e-5,
                     fast: ([Tensor]) throws -> Tensor, plain: ([Tensor]) throws -> Tensor,
                     file: StaticString = #filePath, line: UInt = #line) throws {
        func run(_ f: ([Tensor]) throws -> Tensor) throws -> (value: [Float], grads: [[Float]]) {
            let leaves = inputs.map { Tensor(shape: $0.shape, data: $0.data, requiresGrad: true) }
            let y = try f(leaves)
            let r = randomTensor(y.shape, seed: 99, low: 0.5, high: 1.5)
            try sum(mul(y, r)).backward()
            return (y.data, leaves.map { $0.grad?.data ?? [Float](repeating: 0, count: $0.count) })
        }
        let (fastValue, fastGrads) = try run(fast)
        let (plainValue, plainGrads) = try run(plain)
        XCTAssertFalse(fastValue.isEmpty, name, file: file, line: line)
        assertClose(fastValue, plainValue, tol: tol, file: file, line: line)
        for (i, (f, p)) in zip(fastGrads, plainGrads).enumerated() {
            XCTAssertTrue(f.contains { $0 != 0 }, "\(name): the gradient of input \(i) is all zero, so the check is empty",
                          file: file, line: line)
            assertClose(f, p, tol: tol, file: file, line: line)
        }
    }

    /// Random values, with some exact zeros among them (the kinks of relu and abs).
    func inputs(_ shape: [Int], seed: UInt64) -> Tensor {
        let t = randomTensor(shape, seed: seed, low: -3, high: 3)
        var data = t.data
        for i in stride(from: 0, to: data.count, by: 5) { data[i] = 0 }
        return Tensor(shape: shape, data: data)
    }

    func testArithmeticFastPaths() throws {
        let a = inputs([4, 5], seed: 1), b = randomTensor([5], seed: 2, low: 0.5, high: 2)
        try assertAgree("sub", [a, b], fast: { try sub($0[0], $0[1]) }, plain: { try Composed.sub($0[0], $0[1]) })
        try assertAgree("neg", [a], fast: { neg($0[0]) }, plain: { try Composed.neg($0[0]) })
        try assertAgree("add c", [a], fast: { add($0[0], 0.7) }, plain: { try Composed.add($0[0], 0.7) })
        try assertAgree("mul c", [a], fast: { mul($0[0], -1.3) }, plain: { try Composed.mul($0[0], -1.3) })
        try assertAgree("c / x", [b], fast: { div(2.5, $0[0]) }, plain: { try Composed.div(2.5, $0[0]) })
    }

    func testActivationFastPaths() throws {
        let x = inputs([6, 7], seed: 3)
        try assertAgree("relu", [x], fast: { relu($0[0]) }, plain: { try Composed.relu($0[0]) })
        try assertAgree("abs", [x], fast: { abs($0[0]) }, plain: { try Composed.abs($0[0]) })
        try assertAgree("sigmoid", [x], fast: { sigmoid($0[0]) }, plain: { try Composed.sigmoid($0[0]) })
        try assertAgree("tanh", [x], tol: 1e-4, fast: { tanh($0[0]) }, plain: { try Composed.tanh($0[0]) })
    }

    /// Ties included: where a == b both give the gradient to a.
    func testMinimumAndMaximumFastPaths() throws {
        let a = inputs([5, 4], seed: 4)
        var bData = randomTensor([5, 4], seed: 5, low: -3, high: 3).data
        for i in stride(from: 0, to: bData.count, by: 3) { bData[i] = a.data[i] }
        let b = Tensor(shape: [5, 4], data: bData)
        try assertAgree("minimum", [a, b], fast: { try minimum($0[0], $0[1]) }, plain: { try Composed.minimum($0[0], $0[1]) })
        // c = 0 ties with the zeros `inputs` puts in.
        try assertAgree("maximum c", [a], fast: { maximum($0[0], 0) }, plain: { try Composed.maximum($0[0], 0) })
        try assertAgree("minimum c", [a], fast: { minimum($0[0], 0) }, plain: { try Composed.minimum($0[0], 0) })
    }

    func testAveragePoolFastPath() throws {
        let x = randomTensor([2, 3, 7, 6], seed: 6)
        try assertAgree("avgPool2d k2", [x], fast: { try avgPool2d($0[0], kernel: 2) },
                        plain: { try Composed.avgPool2d($0[0], kernel: 2) })
        try assertAgree("avgPool2d k3 s2", [x], fast: { try avgPool2d($0[0], kernel: 3, stride: 2) },
                        plain: { try Composed.avgPool2d($0[0], kernel: 3, stride: 2) })
    }

    /// The fused kernels' bias gradient is the adjoint of broadcasting the bias, the same
    /// sum `sumToShape` computes for `expand`.
    func testBiasGradientIsTheBroadcastAdjoint() {
        for (n, c, inner) in [(5, 3, 1), (4, 19, 1), (3, 2, 9), (2, 5, 37)] {
            let g = randomTensor([n, c, inner], seed: UInt64(n * 100 + c), low: -2, high: 2).data
            assertClose(biasGradient(g, n: n, channels: c, inner: inner),
                        sumToShape(g, from: [n, c, inner], to: [1, c, 1]), tol: 1e-5)
        }
    }
}
