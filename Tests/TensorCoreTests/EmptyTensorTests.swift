import XCTest
@testable import TensorCore

/// Tensors with a zero-sized dimension (as `x[0:0]` makes) flow through every op
/// without crashing, forward and backward.
final class EmptyTensorTests: XCTestCase {
    func testOpsOnEmptyTensors() throws {
        let e = Tensor(shape: [0, 3], data: [], requiresGrad: true)
        let ops: [(String, () throws -> Tensor)] = [
            ("add", { try e + Tensor.ones([3]) }), ("mul", { try e * e }), ("exp", { exp(e) }),
            ("relu", { relu(e) }), ("sum axis", { try sum(e, axis: 0) }), ("sum axis 1", { try sum(e, axis: 1) }),
            ("sum", { sum(e) }), ("mean", { mean(e) }),
            ("matmul", { try matmul(e, Tensor.ones([3, 2])) }), ("matmul k=0", { try matmul(e, e, transposeA: true) }),
            ("matmul nt", { try matmul(e, e, transposeB: true) }),
            ("linear", { try linear(e, weight: Tensor.ones([2, 3]), bias: Tensor.ones([2])) }),
            ("reshape", { try reshape(e, [3, 0]) }), ("permute", { try permute(e, [1, 0]) }), ("T", { e.T }),
            ("slice", { try slice(e, axis: 1, SliceRange(0, 2)) }), ("indexSelect", { try indexSelect(e, axis: 1, indices: [0]) }),
            ("concat", { try concat([e, e], axis: 0) }), ("pad", { try pad(e, [(1, 1)]) }),
            ("softmax", { try softmax(e, axis: 1) }), ("logsumexp", { try logsumexp(e, axis: 1) }),
            ("normalize", { try normalize(e, axis: 1) }), ("expand", { try expand(e, to: [2, 0, 3]) }),
            ("batchNorm", { try batchNorm(Tensor(shape: [2, 0], data: [], requiresGrad: true)).output }),
            ("conv2d", { try conv2d(Tensor(shape: [0, 1, 3, 3], data: [], requiresGrad: true), Tensor.ones([2, 1, 2, 2])) }),
            ("maxPool2d", { try maxPool2d(Tensor(shape: [0, 1, 4, 4], data: [], requiresGrad: true), kernel: 2) }),
            ("avgPool2d", { try avgPool2d(Tensor(shape: [1, 0, 4, 4], data: [], requiresGrad: true), kernel: 2) }),
            ("slice to empty", { try slice(Tensor.ones([2, 3]), axis: 0, SliceRange(1, 1)) }),
        ]
        for (name, op) in ops {
            let y = try op()
            XCTAssertEqual(y.count, y.shape.reduce(1, *), name)
            if y.requiresGrad {
                try sum(y).backward()
            }
        }
        XCTAssertEqual(try slice(Tensor.ones([5]), axis: 0, SliceRange(1, nil, step: Int.max)).count, 1)
    }
}
