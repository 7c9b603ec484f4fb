import XCTest
import TensorCore
@testable import NeuralNet

final class LinearTests: XCTestCase {
    func testForwardAndBackwardMatchPyTorch() throws {
        let layer = Linear(weight: leaf([3, 4], Golden.linearW), bias: leaf([3], Golden.linearB))
        let x = leaf([2, 4], Golden.linearX)
        let y = try layer(x)
        XCTAssertEqual(y.shape, [2, 3])
        assertClose(y.data, Golden.linearY, "y")
        try weightedSum(y, Golden.linearC).backward()
        assertClose(x.grad!.data, Golden.linearGradX, "dx")
        assertClose(layer.weight.grad!.data, Golden.linearGradW, "dW")
        assertClose(layer.bias!.grad!.data, Golden.linearGradB, "db")
    }

    func testDefaultInitialisationBoundsAndNames() {
        var rng = RandomGenerator(seed: 1)
        let layer = Linear(100, 7, rng: &rng)
        let bound = 1 / Float(100).squareRoot()
        XCTAssertTrue(layer.weight.data.allSatisfy { Swift.abs($0) <= bound })
        XCTAssertTrue(layer.bias!.data.allSatisfy { Swift.abs($0) <= bound })
        // Uniform on ±b has standard deviation b/√3: check the spread is not degenerate.
        let w = layer.weight.data
        let rms = (w.map { $0 * $0 }.reduce(0, +) / Float(w.count)).squareRoot()
        XCTAssertEqual(rms, bound / Float(3).squareRoot(), accuracy: 0.1 * bound)
        XCTAssertEqual(layer.namedParameters().map(\.name), ["weight", "bias"])
        XCTAssertEqual(layer.parameterCount, 707)
        XCTAssertTrue(layer.weight.requiresGrad)
    }

    func testWrongInputShapeThrows() {
        var rng = RandomGenerator(seed: 1)
        let layer = Linear(4, 2, rng: &rng)
        XCTAssertThrowsError(try layer(Tensor.zeros([3, 5]))) { error in
            XCTAssertTrue("\(error)".contains("[3, 5]"), "\(error)")
        }
        XCTAssertThrowsError(try layer(Tensor.zeros([4])))
    }
}
