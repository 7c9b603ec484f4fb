import XCTest
@testable import TensorCore

/// Central-difference gradient checks for the elementwise primitives, including
/// broadcasting and size-1 dimensions.
final class ElementwiseGradientTests: XCTestCase {
    let a = randomTensor([3, 4], seed: 1)
    let b = randomTensor([3, 4], seed: 2)
    let positive = randomTensor([3, 4], seed: 3, low: 0.5, high: 2)

    func testAddSubMulDivSameShape() {
        assertGradcheck({ try $0[0] + $0[1] }, [a, b])
        assertGradcheck({ try $0[0] - $0[1] }, [a, b])
        assertGradcheck({ try $0[0] * $0[1] }, [a, b])
        assertGradcheck({ try $0[0] / $0[1] }, [a, positive])
        assertGradcheck({ -$0[0] }, [a])
    }

    func testBroadcastRowColumnScalarAndSize1() {
        let row = randomTensor([4], seed: 4), column = randomTensor([3, 1], seed: 5)
        let scalar = randomTensor([], seed: 6), single = randomTensor([1, 1], seed: 7)
        assertGradcheck({ try $0[0] + $0[1] }, [a, row])
        assertGradcheck({ try $0[0] * $0[1] }, [a, column])
        assertGradcheck({ try $0[0] - $0[1] }, [scalar, a])
        assertGradcheck({ try $0[0] / $0[1] }, [a, single.detach() + 2])
        // [3, 1] against [1, 4]: both operands expand.
        assertGradcheck({ try $0[0] * $0[1] }, [column, randomTensor([1, 4], seed: 8)])
        // Channel bias over NCHW.
        assertGradcheck({ try $0[0] + $0[1] }, [randomTensor([2, 3, 2, 2], seed: 9), randomTensor([3, 1, 1], seed: 10)])
    }

    func testExpand() {
        assertGradcheck({ try expand($0[0], to: [2, 3, 4]) }, [randomTensor([3, 1], seed: 11)])
        assertGradcheck({ try expand($0[0], to: [2, 3]) }, [randomTensor([], seed: 12)])
    }

    func testConstantMixes() {
        assertGradcheck({ $0[0] * 3 + 1 }, [a])
        assertGradcheck({ 2 - $0[0] / 4 }, [a])
        assertGradcheck({ 1 / $0[0] }, [positive])
    }

    func testPowExpLogSqrt() {
        assertGradcheck({ pow($0[0], 2) }, [a])
        assertGradcheck({ pow($0[0], 3.5) }, [positive])
        assertGradcheck({ try pow($0[0], $0[1]) }, [positive, b])
        assertGradcheck({ try pow($0[0], $0[1]) }, [positive, randomTensor([1, 4], seed: 13)])
        assertGradcheck({ exp($0[0]) }, [a])
        assertGradcheck({ log($0[0]) }, [positive])
        assertGradcheck({ sqrt($0[0]) }, [positive])
    }

    func testActivations() {
        let s = spreadTensor([3, 4], seed: 14, gap: 0.1)
        assertGradcheck({ abs($0[0]) }, [s])
        assertGradcheck({ relu($0[0]) }, [s])
        assertGradcheck({ sigmoid($0[0]) }, [a * 3])
        assertGradcheck({ tanh($0[0]) }, [a * 2])
    }

    func testMaximumMinimumWhere() {
        let s = spreadTensor([3, 4], seed: 15, gap: 0.1), t = spreadTensor([3, 4], seed: 16, gap: 0.1) + 0.04
        assertGradcheck({ try maximum($0[0], $0[1]) }, [s, t])
        assertGradcheck({ try minimum($0[0], $0[1]) }, [s, t])
        assertGradcheck({ try maximum($0[0], $0[1]) }, [s, Tensor([0.063, -0.3, 0.12, 0.5])])
        assertGradcheck({ maximum($0[0], 0.063) }, [s])
        assertGradcheck({ minimum($0[0], 0.063) }, [s])
        let condition = Tensor(shape: [3, 1], data: [1, 0, 1])
        assertGradcheck({ try which(condition, $0[0], $0[1]) }, [a, randomTensor([4], seed: 17)])
        let mask = Tensor.eye(3)
        assertGradcheck({ try maskedFill($0[0], mask: mask, value: -5) }, [randomTensor([3, 3], seed: 18)])
    }

    func testValueUsedTwiceAccumulates() throws {
        // d/dx (x·x + x) = 2x + 1
        let x = Tensor(shape: [3], data: [1, -2, 0.5], requiresGrad: true)
        try sum(try x * x + x).backward()
        XCTAssertEqual(x.grad?.data, [3, -3, 2])
        assertGradcheck({ try $0[0] * $0[0] + exp($0[0]) }, [a])
    }
}
