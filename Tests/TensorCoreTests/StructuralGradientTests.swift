import XCTest
@testable import TensorCore

/// Central-difference gradient checks for reductions, matmul, shape, index and join ops.
final class StructuralGradientTests: XCTestCase {
    let x = randomTensor([2, 3, 4], seed: 21)

    func testSumAndMean() {
        assertGradcheck({ sum($0[0]) }, [x])
        for axis in [0, 1, 2, -1] {
            assertGradcheck({ try sum($0[0], axis: axis) }, [x])
            assertGradcheck({ try mean($0[0], axis: axis, keepDim: true) }, [x])
        }
        assertGradcheck({ try sum($0[0], axes: [0, 2], keepDim: true) }, [x])
        assertGradcheck({ try mean($0[0], axes: [0, 2]) }, [x])
        assertGradcheck({ mean($0[0]) }, [x])
        assertGradcheck({ try sum($0[0], axis: 1) }, [randomTensor([3, 1, 2], seed: 22)])
    }

    func testMaxMin() {
        let s = spreadTensor([2, 3, 4], seed: 23)
        assertGradcheck({ try max($0[0]) }, [s])
        assertGradcheck({ try min($0[0]) }, [s])
        for axis in [0, 1, 2] {
            assertGradcheck({ try max($0[0], axis: axis) }, [s])
            assertGradcheck({ try min($0[0], axis: axis, keepDim: true) }, [s])
        }
    }

    func testMatmulPlainTransposedAndBatched() {
        let a = randomTensor([3, 4], seed: 24), b = randomTensor([4, 5], seed: 25)
        assertGradcheck({ try matmul($0[0], $0[1]) }, [a, b])
        assertGradcheck({ try matmul($0[0], $0[1], transposeA: true) }, [randomTensor([4, 3], seed: 26), b])
        assertGradcheck({ try matmul($0[0], $0[1], transposeB: true) }, [a, randomTensor([5, 4], seed: 27)])
        assertGradcheck({ try matmul($0[0], $0[1], transposeA: true, transposeB: true) },
                        [randomTensor([4, 3], seed: 28), randomTensor([5, 4], seed: 29)])
        // z·zᵀ: one tensor used as both operands.
        assertGradcheck({ try matmul($0[0], $0[0], transposeB: true) }, [a])
        let ba = randomTensor([2, 3, 4], seed: 30), bb = randomTensor([2, 4, 5], seed: 31)
        assertGradcheck({ try matmul($0[0], $0[1]) }, [ba, bb])
        assertGradcheck({ try matmul($0[0], $0[1], transposeA: true, transposeB: true) },
                        [randomTensor([2, 4, 3], seed: 32), randomTensor([2, 5, 4], seed: 33)])
        // A shared 2-D weight for every batch entry, on either side.
        assertGradcheck({ try matmul($0[0], $0[1]) }, [ba, b])
        assertGradcheck({ try matmul($0[0], $0[1], transposeA: true) }, [randomTensor([4, 3], seed: 34), bb])
    }

    func testLinear() throws {
        let x = randomTensor([5, 3], seed: 90), w = randomTensor([4, 3], seed: 91), b = randomTensor([4], seed: 92)
        assertGradcheck({ try linear($0[0], weight: $0[1], bias: $0[2]) }, [x, w, b])
        assertGradcheck({ try linear($0[0], weight: $0[1]) }, [x, w])
        // The same as the composition x·Wᵀ + b.
        assertClose(try linear(x, weight: w, bias: b).data, try (matmul(x, w, transposeB: true) + b).data)
    }

    func testReshapePermuteTranspose() {
        assertGradcheck({ try reshape($0[0], [4, -1]) }, [x])
        assertGradcheck({ try permute($0[0], [2, 0, 1]) }, [x])
        assertGradcheck({ try transpose($0[0], 0, 2) }, [x])
        assertGradcheck({ $0[0].T }, [randomTensor([3, 5], seed: 35)])
        assertGradcheck({ try flatten($0[0], startAxis: 1) }, [x])
        assertGradcheck({ try squeeze(unsqueeze($0[0], axis: 1)) }, [x])
    }

    func testSliceSelectIndexSelectGather() {
        assertGradcheck({ try slice($0[0], [SliceRange(0, 2), SliceRange(1, nil, step: 2), SliceRange(-3, -1)]) }, [x])
        assertGradcheck({ try slice($0[0], axis: 2, SliceRange(nil, nil, step: 3)) }, [x])
        assertGradcheck({ try select($0[0], axis: 1, index: -1) }, [x])
        assertGradcheck({ try indexSelect($0[0], axis: 1, indices: [2, 0, 2]) }, [x])
        let index = Tensor(shape: [3, 2], data: [1, 1, 0, 3, 2, 0])
        assertGradcheck({ try gather($0[0], axis: 1, index: index) }, [randomTensor([3, 4], seed: 36)])
        assertGradcheck({ try gather($0[0], axis: 0, index: Tensor(shape: [1, 4], data: [2, 0, 1, 2])) },
                        [randomTensor([3, 4], seed: 37)])
    }

    func testConcatStackPad() {
        let y = randomTensor([2, 1, 4], seed: 38)
        assertGradcheck({ try concat([$0[0], $0[1], $0[0]], axis: 1) }, [x, y])
        assertGradcheck({ try stack([$0[0], $0[1]], axis: 2) }, [x, randomTensor([2, 3, 4], seed: 39)])
        assertGradcheck({ try pad($0[0], [(1, 0), (0, 2), (1, 1)], value: 0.5) }, [x])
    }
}
