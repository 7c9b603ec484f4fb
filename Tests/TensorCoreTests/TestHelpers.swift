import XCTest
@testable import TensorCore

/// A reproducible random tensor with values in [low, high).
func randomTensor(_ shape: [Int], seed: UInt64, low: Float = -1, high: Float = 1) -> Tensor {
    var rng = RandomGenerator(seed: seed)
    return Tensor.rand(shape, low: low, high: high, using: &rng)
}

/// A reproducible tensor whose values are at least `gap` apart from each other (so max,
/// relu kinks and ties stay out of reach of finite differences).
func spreadTensor(_ shape: [Int], seed: UInt64, gap: Float = 0.05) -> Tensor {
    var rng = RandomGenerator(seed: seed)
    let n = shape.reduce(1, *)
    let values = rng.permutation(n).map { (Float($0) - Float(n) / 2) * gap + 0.013 }
    return Tensor(shape: shape, data: values)
}

/// Asserts that `gradcheck` passes, printing the result otherwise.
func assertGradcheck(_ f: @escaping ([Tensor]) throws -> Tensor, _ inputs: [Tensor],
                     eps: Float = 1e-2, rtol: Float = 1e-2, atol: Float = 1e-3,
                     file: StaticString = #filePath, line: UInt = #line) {
    do {
        let r = try gradcheck(f, inputs, eps: eps, rtol: rtol, atol: atol)
        XCTAssertTrue(r.passed, "\(r)", file: file, line: line)
    } catch {
        XCTFail("gradcheck threw \(error)", file: file, line: line)
    }
}

/// Asserts two float arrays agree elementwise within `tol` (absolute + relative).
func assertClose(_ a: [Float], _ b: [Float], tol: Float = 1e-5,
                 file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(a.count, b.count, "element counts differ", file: file, line: line)
    for (i, (x, y)) in zip(a, b).enumerated() where !(Swift.abs(x - y) <= tol * (1 + Swift.abs(y))) {
        XCTFail("element \(i): \(x) vs \(y)", file: file, line: line)
        return
    }
}

/// Asserts that `body` throws a TensorError for `op` whose message names each of `shapes`.
func assertShapeError(_ op: String, _ shapes: [[Int]], file: StaticString = #filePath, line: UInt = #line,
                      _ body: () throws -> Any) {
    do {
        _ = try body()
        XCTFail("\(op): expected a TensorError", file: file, line: line)
    } catch let e as TensorError {
        XCTAssertEqual(e.op, op, "\(e)", file: file, line: line)
        for s in shapes {
            XCTAssertTrue(e.description.contains(formatShape(s)), "\(e) does not name \(formatShape(s))", file: file, line: line)
        }
    } catch {
        XCTFail("\(op): unexpected error \(error)", file: file, line: line)
    }
}
