import XCTest
@testable import TensorCore

/// `setThreads`: the parallel kernels give the same numbers, bit for bit, for any thread
/// count (each split is fixed by the problem size, and partial sums are added in order).
final class ThreadTests: XCTestCase {
    override func tearDown() { setThreads(1) }

    /// The value and the input gradients of `f`, computed with `threads` threads.
    func run(threads: Int, _ inputs: [Tensor], _ f: ([Tensor]) throws -> Tensor) throws -> [[Float]] {
        setThreads(threads)
        let leaves = inputs.map { Tensor(shape: $0.shape, data: $0.data, requiresGrad: true) }
        let y = try f(leaves)
        let weights = randomTensor(y.shape, seed: 99)
        try sum(y * weights).backward()
        return [y.data] + leaves.map { $0.grad?.data ?? [] }
    }

    func assertSameForAnyThreadCount(_ inputs: [Tensor], file: StaticString = #filePath, line: UInt = #line,
                                     _ f: ([Tensor]) throws -> Tensor) throws {
        let one = try run(threads: 1, inputs, f)
        for threads in [2, 3, 8] {
            let many = try run(threads: threads, inputs, f)
            for (a, b) in zip(one, many) {
                let differing = zip(a, b).filter { $0.0.bitPattern != $0.1.bitPattern }.count
                XCTAssertEqual(differing, 0, "\(threads) threads: \(differing) of \(a.count) values differ",
                               file: file, line: line)
            }
        }
    }

    func testConvolution() throws {
        for (s, p) in [(1, 1), (2, 1), (1, 0)] {
            try assertSameForAnyThreadCount([randomTensor([13, 3, 8, 9], seed: 8), randomTensor([5, 3, 3, 3], seed: 9),
                                             randomTensor([5], seed: 10)]) {
                try conv2d($0[0], $0[1], bias: $0[2], stride: s, padding: p)
            }
        }
    }

    func testBatchNormAndPooling() throws {
        try assertSameForAnyThreadCount([randomTensor([13, 4, 5, 6], seed: 11, low: 2, high: 9),
                                         randomTensor([4], seed: 12), randomTensor([4], seed: 13)]) {
            try batchNorm($0[0], weight: $0[1], bias: $0[2]).output
        }
        try assertSameForAnyThreadCount([randomTensor([13, 4, 6, 20], seed: 14)]) { try maxPool2d($0[0], kernel: 2) }
        try assertSameForAnyThreadCount([randomTensor([13, 4, 7, 7], seed: 15)]) { try maxPool2d($0[0], kernel: 3, stride: 2) }
    }
}
