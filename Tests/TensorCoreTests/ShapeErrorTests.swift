import XCTest
@testable import TensorCore

/// Every op a script could misuse throws a TensorError that names the op and the shapes.
final class ShapeErrorTests: XCTestCase {
    let a = Tensor.zeros([2, 3])
    let b = Tensor.zeros([4, 5])

    func testBinaryOpsNameBothShapes() {
        assertShapeError("add", [[2, 3], [4, 5]]) { try self.a + self.b }
        assertShapeError("sub", [[2, 3], [4, 5]]) { try self.a - self.b }
        assertShapeError("mul", [[2, 3], [4, 5]]) { try self.a * self.b }
        assertShapeError("div", [[2, 3], [4, 5]]) { try self.a / self.b }
        assertShapeError("pow", [[2, 3], [4, 5]]) { try pow(self.a, self.b) }
        assertShapeError("maximum", [[2, 3], [4, 5]]) { try maximum(self.a, self.b) }
        assertShapeError("minimum", [[2, 3], [4, 5]]) { try minimum(self.a, self.b) }
        assertShapeError("where", [[2, 3], [4, 5]]) { try which(self.a, self.a, self.b) }
        assertShapeError("maskedFill", [[2, 3], [4, 5]]) { try maskedFill(self.a, mask: self.b, value: 0) }
        assertShapeError("maskedFill", [[2, 3], [4, 2, 3]]) { try maskedFill(self.a, mask: .zeros([4, 2, 3]), value: 0) }
        assertShapeError("greater", [[2, 3], [4, 5]]) { try greater(self.a, self.b) }
        assertShapeError("less", [[2, 3], [4, 5]]) { try less(self.a, self.b) }
        assertShapeError("equal", [[2, 3], [4, 5]]) { try equal(self.a, self.b) }
        assertShapeError("expand", [[2, 3], [3]]) { try expand(self.a, to: [3]) }
        assertShapeError("expand", [[2, 3], [4, 3]]) { try expand(self.a, to: [4, 3]) }
        assertShapeError("mse", [[2, 3], [4, 5]]) { try mse(self.a, self.b) }
        assertShapeError("cosineSimilarity", [[2, 3], [4, 5]]) { try cosineSimilarity(self.a, self.b) }
        assertShapeError("outer", [[2, 3], [4, 5]]) { try outer(self.a, self.b) }
    }

    func testMatmul() {
        assertShapeError("matmul", [[2, 3], [4, 5]]) { try matmul(self.a, self.b) }
        assertShapeError("linear", [[2, 3], [4, 5]]) { try linear(self.a, weight: self.b) }
        assertShapeError("linear", [[4, 3], [3]]) { try linear(self.a, weight: .zeros([4, 3]), bias: .zeros([3])) }
        assertShapeError("matmul", [[2, 3], [2, 3]]) { try matmul(self.a, self.a, transposeA: true, transposeB: true) }
        assertShapeError("matmul", [[3], [3, 2]]) { try matmul(.zeros([3]), .zeros([3, 2])) }
        assertShapeError("matmul", [[2, 2, 3], [3, 3, 1]]) { try matmul(.zeros([2, 2, 3]), .zeros([3, 3, 1])) }
    }

    func testAxesAndReductions() {
        for (op, f) in [("sum", { try sum(self.a, axis: 2) }), ("mean", { try mean(self.a, axis: -3) }),
                        ("max", { try max(self.a, axis: 5) }), ("min", { try min(self.a, axis: 2) }),
                        ("argmax", { try argmax(self.a, axis: 2) }), ("softmax", { try softmax(self.a, axis: 2) }),
                        ("logSoftmax", { try logSoftmax(self.a, axis: 2) }), ("logsumexp", { try logsumexp(self.a, axis: 2) }),
                        ("variance", { try variance(self.a, axis: 2) }), ("std", { try std(self.a, axis: 2) }),
                        ("standardize", { try standardize(self.a, axis: 2) }), ("normalize", { try normalize(self.a, axis: 2) }),
                        ("transpose", { try transpose(self.a, 0, 2) }), ("squeeze", { try squeeze(self.a, axis: 3) }),
                        ("flatten", { try flatten(self.a, startAxis: 2) }), ("unsqueeze", { try unsqueeze(self.a, axis: 4) }),
                        ("concat", { try concat([self.a], axis: 2) }), ("slice", { try slice(self.a, axis: 2, .all) }),
                        ("indexSelect", { try indexSelect(self.a, axis: 2, indices: [0]) })] as [(String, () throws -> Tensor)] {
            assertShapeError(op, [[2, 3]], f)
        }
        assertShapeError("sum", []) { try sum(self.a, axes: [0, 0]) }
        assertShapeError("max", [[0]]) { try max(Tensor.zeros([0])) }
        assertShapeError("argmax", [[0]]) { try argmax(Tensor.zeros([0])) }
    }

    func testShapeOps() {
        assertShapeError("reshape", [[2, 3], [4, 2]]) { try reshape(self.a, [4, 2]) }
        assertShapeError("reshape", [[2, 3], [4, -1]]) { try reshape(self.a, [4, -1]) }
        assertShapeError("reshape", [[2, 3], [-1, -1]]) { try reshape(self.a, [-1, -1]) }
        assertShapeError("permute", [[2, 3]]) { try permute(self.a, [0, 0]) }
        assertShapeError("permute", [[2, 3]]) { try permute(self.a, [0]) }
    }

    func testIndexing() {
        assertShapeError("slice", [[2, 3]]) { try slice(self.a, [.all, .all, .all]) }
        assertShapeError("slice", []) { try slice(self.a, axis: 0, SliceRange(0, 1, step: 0)) }
        assertShapeError("select", [[2, 3]]) { try select(self.a, axis: 1, index: 3) }
        assertShapeError("indexSelect", [[2, 3]]) { try indexSelect(self.a, axis: 0, indices: [0, 2]) }
        assertShapeError("gather", [[2, 3], [3, 1]]) { try gather(self.a, axis: 1, index: .zeros([3, 1])) }
        assertShapeError("gather", []) { try gather(self.a, axis: 1, index: Tensor(shape: [2, 1], data: [0, 3])) }
        assertShapeError("gather", []) { try gather(self.a, axis: 1, index: Tensor(shape: [2, 1], data: [0, 0.5])) }
        assertShapeError("crossEntropy", [[2, 3], [3]]) { try crossEntropy(self.a, labels: [0, 1, 2]) }
        assertShapeError("crossEntropy", []) { try crossEntropy(self.a, labels: [0, 3]) }
        assertShapeError("crossEntropy", []) { try crossEntropy(self.a, labels: Tensor([0, -1])) }
        assertShapeError("crossEntropy", [[2, 3], [2, 1]]) { try crossEntropy(self.a, labels: .zeros([2, 1])) }
    }

    func testJoins() {
        assertShapeError("concat", [[2, 3], [4, 5]]) { try concat([self.a, self.b], axis: 0) }
        assertShapeError("concat", [[2, 3], [3]]) { try concat([self.a, .zeros([3])]) }
        assertShapeError("concat", []) { try concat([]) }
        assertShapeError("stack", [[2, 3], [4, 5]]) { try stack([self.a, self.b]) }
        assertShapeError("stack", []) { try stack([]) }
        assertShapeError("pad", [[2, 3]]) { try pad(self.a, [(1, 1), (1, 1), (1, 1)]) }
        assertShapeError("pad", [[2, 3]]) { try pad(self.a, [(-1, 0)]) }
    }

    func testConvAndPool() {
        let x = Tensor.zeros([1, 3, 5, 5])
        assertShapeError("conv2d", [[1, 3, 5, 5], [4, 2, 3, 3]]) { try conv2d(x, .zeros([4, 2, 3, 3])) }
        assertShapeError("conv2d", [[2, 3], [4, 3, 3, 3]]) { try conv2d(self.a, .zeros([4, 3, 3, 3])) }
        assertShapeError("conv2d", [[1, 3, 5, 5], [4, 3, 7, 7]]) { try conv2d(x, .zeros([4, 3, 7, 7])) }
        assertShapeError("conv2d", [[4, 3, 3, 3], [3]]) { try conv2d(x, .zeros([4, 3, 3, 3]), bias: .zeros([3])) }
        assertShapeError("conv2d", []) { try conv2d(x, .zeros([4, 3, 3, 3]), stride: 0) }
        assertShapeError("maxPool2d", [[2, 3]]) { try maxPool2d(self.a, kernel: 2) }
        assertShapeError("maxPool2d", [[1, 3, 5, 5]]) { try maxPool2d(x, kernel: 6) }
        assertShapeError("avgPool2d", [[1, 3, 5, 5]]) { try avgPool2d(x, kernel: 2, stride: 0) }
    }

    func testMatrixHelpersAndScalars() {
        assertShapeError("diag", [[2, 2, 2]]) { try diag(.zeros([2, 2, 2])) }
        assertShapeError("offdiag", [[2, 3]]) { try offdiag(self.a) }
        assertShapeError("item", [[2, 3]]) { try self.a.item() }
        assertShapeError("gradcheck", []) { try gradcheck({ _ in Tensor.zeros([2]) }, [self.a]) }
    }

    func testErrorTextReadsWell() {
        XCTAssertEqual(TensorError.shapeMismatch(op: "add", lhs: [2, 3], rhs: [4, 5], detail: "").description,
                       "add: shapes [2, 3] and [4, 5] do not match")
    }
}
