import XCTest
import TensorCore
@testable import NeuralNet

final class ConvPoolTests: XCTestCase {
    func testConv2dForwardAndBackwardMatchPyTorch() throws {
        let conv = Conv2d(weight: leaf([3, 2, 3, 3], Golden.convW), bias: leaf([3], Golden.convB), stride: 2, padding: 1)
        let x = leaf([2, 2, 5, 5], Golden.convX)
        let y = try conv(x)
        XCTAssertEqual(y.shape, [2, 3, 3, 3])
        assertClose(y.data, Golden.convY, "y")
        try weightedSum(y, Golden.convC).backward()
        assertClose(x.grad!.data, Golden.convGradX, "dx")
        assertClose(conv.weight.grad!.data, Golden.convGradW, "dW")
        assertClose(conv.bias!.grad!.data, Golden.convGradB, "db")
    }

    func testConv2dInitialisationAndErrors() {
        var rng = RandomGenerator(seed: 4)
        let conv = Conv2d(3, 8, kernelSize: 3, padding: 1, rng: &rng)
        let bound = 1 / Float(27).squareRoot()
        XCTAssertTrue(conv.weight.data.allSatisfy { Swift.abs($0) <= bound })
        XCTAssertEqual(conv.weight.shape, [8, 3, 3, 3])
        XCTAssertEqual(conv.parameterCount, 8 * 27 + 8)
        XCTAssertThrowsError(try conv(Tensor.zeros([1, 4, 8, 8])))
        XCTAssertThrowsError(try conv(Tensor.zeros([4, 8, 8])))
    }

    func testPoolingFlattenAndGlobalAveragePool() throws {
        // x[n, c, i, j] = 16·(2n + c) + 4i + j: each 2×2 window's max is its bottom-right value.
        let x = Tensor(shape: [2, 2, 4, 4], data: (0..<64).map(Float.init))
        let maxed = try MaxPool2d(2)(x)
        XCTAssertEqual(maxed.shape, [2, 2, 2, 2])
        XCTAssertEqual(Array(maxed.data[0..<4]), [5, 7, 13, 15])
        let averaged = try AvgPool2d(2)(x)
        XCTAssertEqual(Array(averaged.data[0..<4]), [2.5, 4.5, 10.5, 12.5])
        let pooled = try GlobalAvgPool()(x)
        XCTAssertEqual(pooled.shape, [2, 2])
        XCTAssertEqual(pooled.data, [7.5, 23.5, 39.5, 55.5])
        XCTAssertEqual(try Flatten()(x).shape, [2, 32])
        XCTAssertThrowsError(try GlobalAvgPool()(Tensor.zeros([2, 3])))
        XCTAssertThrowsError(try MaxPool2d(3)(Tensor.zeros([1, 1, 2, 2])))
    }

    func testGeluMatchesPyTorchTanhApproximation() throws {
        let y = try GELU()(Tensor(Golden.geluX))
        assertClose(y.data, Golden.geluY, tol: 1e-6, "gelu")
        let g = try gradcheck({ try gelu($0) }, Tensor([-2.1, -0.7, 0.05, 0.9, 1.6]))
        XCTAssertTrue(g.passed, "\(g)")
    }

    func testConvnetIsThePeerCNN() throws {
        var rng = RandomGenerator(seed: 5)
        let net = convnet(widths: [32, 64, 128], rng: &rng)
        // sum(p.numel() for p in enc.parameters()) for the peer's conv blocks + pooling: 93696
        XCTAssertEqual(net.parameterCount, 93696)
        XCTAssertEqual(net.count, 12)
        XCTAssertTrue(net[3] is MaxPool2d && net[7] is MaxPool2d && net[11] is GlobalAvgPool)
        let y = try net(Tensor.randn([2, 3, 8, 8], using: &rng))
        XCTAssertEqual(y.shape, [2, 128])

        let flat = flatConvnet(rng: &rng)
        XCTAssertEqual(try flat(Tensor.randn([2, 3, 16, 16], using: &rng)).shape, [2, 128])
    }
}
