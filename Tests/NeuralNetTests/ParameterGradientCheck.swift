import XCTest
import TensorCore
import NeuralNet

extension XCTestCase {
    /// Compares p.grad after backward of L = Σ w·module(x), w uniform in [−1, 1) drawn with
    /// `seed`, with (L(p + eps·eᵢ) − L(p − eps·eᵢ)) / (2·eps), for every element of every
    /// parameter, to `tolerance` + 1 % of the numeric value; then (when `checkInput`) the
    /// input's gradient with TensorCore's `gradcheck`.
    func assertParameterGradients(_ module: Module, input x: Tensor, eps: Float = 1e-2, tolerance: Float = 2e-3,
                                  seed: UInt64 = 99, checkInput: Bool = true,
                                  file: StaticString = #filePath, line: UInt = #line) throws {
        var rng = RandomGenerator(seed: seed)
        let w = Tensor.rand(try module(x).shape, low: -1, high: 1, using: &rng)
        func loss() throws -> Tensor { sum(try module(x) * w) }
        module.zeroGrad()
        try loss().backward()
        for (name, p) in module.namedParameters() {
            let analytic = try XCTUnwrap(p.grad, "\(name) has no gradient", file: file, line: line).data
            for i in 0..<p.count {
                let original = p.data[i]
                p.data[i] = original + eps
                let plus = try withNoGrad { try loss().item() }
                p.data[i] = original - eps
                let minus = try withNoGrad { try loss().item() }
                p.data[i] = original
                let numeric = (plus - minus) / (2 * eps)
                XCTAssertEqual(analytic[i], numeric, accuracy: tolerance + 1e-2 * Swift.abs(numeric),
                               "\(name)[\(i)]", file: file, line: line)
            }
        }
        if checkInput {
            let r = try gradcheck({ try module($0[0]) }, [x])
            XCTAssertTrue(r.passed, "input: \(r)", file: file, line: line)
        }
    }
}
