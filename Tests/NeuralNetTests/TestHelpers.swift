import XCTest
import TensorCore
@testable import NeuralNet

/// Asserts two float arrays agree elementwise within `tol`·(1 + |expected|).
func assertClose(_ a: [Float], _ b: [Float], tol: Float = 1e-5, _ what: String = "",
                 file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(a.count, b.count, "\(what): element counts differ", file: file, line: line)
    for (i, (x, y)) in zip(a, b).enumerated() where !(Swift.abs(x - y) <= tol * (1 + Swift.abs(y))) {
        XCTFail("\(what) element \(i): \(x) vs expected \(y)", file: file, line: line)
        return
    }
}

/// A leaf tensor that requires a gradient.
func leaf(_ shape: [Int], _ data: [Float]) -> Tensor {
    Tensor(shape: shape, data: data, requiresGrad: true)
}

/// Σ y·c, the scalar the PyTorch goldens back-propagate from.
func weightedSum(_ y: Tensor, _ c: [Float]) throws -> Tensor {
    sum(try y * Tensor(shape: y.shape, data: c))
}
