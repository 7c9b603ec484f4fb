import XCTest
@testable import TensorCore

/// Creation helpers, and the promise that the same seed gives the same bits.
final class CreationAndDeterminismTests: XCTestCase {
    func testLiteralsAndConstants() throws {
        let m = Tensor([[1, 2], [3, 4]])
        XCTAssertEqual(m.shape, [2, 2])
        XCTAssertEqual(m.data, [1, 2, 3, 4])
        XCTAssertEqual(Tensor([[[1], [2]], [[3], [4]]]).shape, [2, 2, 1])
        XCTAssertEqual(try Tensor(2.5).item(), 2.5)
        XCTAssertEqual(Tensor.zeros([2, 3]).data, [Float](repeating: 0, count: 6))
        XCTAssertEqual(Tensor.ones([2]).data, [1, 1])
        XCTAssertEqual(Tensor.full([1, 2], 7).data, [7, 7])
        XCTAssertEqual(Tensor.eye(3).data, [1, 0, 0, 0, 1, 0, 0, 0, 1])
    }

    func testRanges() {
        // np.arange(1, 2, 0.25)
        XCTAssertEqual(Tensor.arange(1, 2, step: 0.25).data, [1, 1.25, 1.5, 1.75])
        XCTAssertEqual(Tensor.arange(3).data, [0, 1, 2])
        XCTAssertEqual(Tensor.arange(3, 0, step: -1).data, [3, 2, 1])
        // np.linspace(0, 1, 5)
        XCTAssertEqual(Tensor.linspace(0, 1, count: 5).data, [0, 0.25, 0.5, 0.75, 1])
    }

    func testRandomTensorsHaveTheRightRangeAndMoments() {
        var rng = RandomGenerator(seed: 7)
        let u = Tensor.rand([1000], low: 2, high: 3, using: &rng)
        XCTAssertTrue(u.data.allSatisfy { $0 >= 2 && $0 < 3 })
        let z = Tensor.randn([4000], mean: 1, std: 2, using: &rng)
        XCTAssertEqual(try mean(z).item(), 1, accuracy: 0.15)
        XCTAssertEqual(try std(z).item(), 2, accuracy: 0.15)
        let k = Tensor.randint(-2, 3, [500], using: &rng)
        XCTAssertEqual(Set(k.data), [-2, -1, 0, 1, 2])
        XCTAssertEqual(Tensor.randperm(10, using: &rng).data.sorted(), (0..<10).map(Float.init))
    }

    func testSameSeedGivesBitIdenticalTensors() throws {
        func draw(_ seed: UInt64) throws -> [UInt32] {
            var rng = RandomGenerator(seed: seed)
            let x = Tensor.randn([8, 5], using: &rng)
            let w = Tensor.rand([5, 3], using: &rng)
            w.requiresGrad = true
            let y = try softmax(matmul(x, w)) * Tensor.randint(0, 4, [8, 3], using: &rng)
            try sum(y).backward()
            let p = Tensor.randperm(6, using: &rng)
            return (y.data + w.grad!.data + p.data).map(\.bitPattern)
        }
        XCTAssertEqual(try draw(42), try draw(42))
        XCTAssertNotEqual(try draw(42), try draw(43))
    }

    func testThreadSetting() {
        let before = computeThreads()
        setThreads(3)
        XCTAssertEqual(computeThreads(), 3)
        XCTAssertEqual(blasThreads(), 1, "OpenBLAS runs one thread; TensorCore splits the work")
        setThreads(0)
        XCTAssertEqual(computeThreads(), 1)
        setThreads(before)
    }

    func testArgmax() throws {
        let x = Tensor([[1, 5, 5], [7, 0, 2]])
        XCTAssertEqual(try argmax(x).item(), 3)
        XCTAssertEqual(try argmax(x, axis: 1).data, [1, 0])
        XCTAssertEqual(try argmax(x, axis: 0, keepDim: true).shape, [1, 3])
    }
}

/// The vectorised exp against the C library's expf over its whole range.
final class ExpKernelTests: XCTestCase {
    func testVectorisedExpMatchesExpf() {
        let xs = (0..<20_000).map { -90 + Float($0) * 0.009_1 } + [0, -0.0, 1e-8, .infinity, -.infinity, .nan, 88.7, 88.72, -87.3, -100]
        let fast = exp(Tensor(xs)).data
        var worst: Float = 0
        for (x, y) in zip(xs, fast) {
            let reference = expf(x)
            if reference.isNaN { XCTAssertTrue(y.isNaN); continue }
            if reference.isInfinite || reference == 0 { XCTAssertEqual(y, reference, "exp(\(x))"); continue }
            worst = Swift.max(worst, Swift.abs(y - reference) / reference)
        }
        XCTAssertLessThan(worst, 4e-7, "largest relative error")
    }
}
