import XCTest
import TensorCore
@testable import NeuralNet

final class BatchNormTests: XCTestCase {
    func makeBN1d() -> BatchNorm1d {
        let bn = BatchNorm1d(3)
        bn.weight!.data = [1.5, 0.5, -1.0]
        bn.bias!.data = [0.1, 0.2, -0.3]
        return bn
    }

    func testBatchNorm1dTrainingMatchesPyTorch() throws {
        let bn = makeBN1d()
        let x = leaf([4, 3], Golden.bn1X)
        let y = try bn(x)
        assertClose(y.data, Golden.bn1TrainY, "y")
        try weightedSum(y, Golden.bn1C).backward()
        assertClose(x.grad!.data, Golden.bn1TrainGradX, tol: 1e-4, "dx")
        assertClose(bn.weight!.grad!.data, Golden.bn1TrainGradWeight, "dγ")
        assertClose(bn.bias!.grad!.data, Golden.bn1TrainGradBias, "dβ")
        assertClose(bn.runningMean.data, Golden.bn1RunningMean, "running mean")
        assertClose(bn.runningVar.data, Golden.bn1RunningVar, "running var (unbiased)")
    }

    func testBatchNorm1dEvalUsesRunningStatistics() throws {
        let bn = makeBN1d()
        _ = try bn(Tensor(shape: [4, 3], data: Golden.bn1X))   // one training step, as in the golden
        bn.eval()
        let x = leaf([4, 3], Golden.bn1X)
        let y = try bn(x)
        assertClose(y.data, Golden.bn1EvalY, "y")
        try weightedSum(y, Golden.bn1C).backward()
        assertClose(x.grad!.data, Golden.bn1EvalGradX, "dx")
        assertClose(bn.weight!.grad!.data, Golden.bn1EvalGradWeight, "dγ")
        assertClose(bn.bias!.grad!.data, Golden.bn1EvalGradBias, "dβ")
        // Eval mode leaves the running statistics alone.
        assertClose(bn.runningMean.data, Golden.bn1RunningMean, "running mean")
    }

    func testBatchNorm2dTrainingTwoStepsThenEvalMatchPyTorch() throws {
        let bn = BatchNorm2d(2)
        bn.weight!.data = [0.7, 1.3]
        bn.bias!.data = [-0.2, 0.4]
        let x = leaf([3, 2, 2, 2], Golden.bn2X)
        try weightedSum(try bn(x), Golden.bn2C).backward()
        assertClose(x.grad!.data, Golden.bn2TrainGradX, tol: 1e-4, "dx")
        assertClose(bn.weight!.grad!.data, Golden.bn2TrainGradWeight, "dγ")
        assertClose(bn.bias!.grad!.data, Golden.bn2TrainGradBias, "dβ")
        let y2 = try bn(x * 2)
        assertClose(y2.data, Golden.bn2TrainY, "y (second step)")
        assertClose(bn.runningMean.data, Golden.bn2RunningMean, "running mean")
        assertClose(bn.runningVar.data, Golden.bn2RunningVar, "running var")
        bn.eval()
        assertClose(try bn(x).data, Golden.bn2EvalY, "eval y")
    }

    func testNamesShapesAndErrors() throws {
        let bn = BatchNorm1d(3, affine: false)
        XCTAssertEqual(bn.namedParameters().count, 0)
        XCTAssertEqual(bn.stateTensors().map(\.name), ["running_mean", "running_var"])
        XCTAssertThrowsError(try bn(Tensor.zeros([4, 5])))
        XCTAssertThrowsError(try bn(Tensor.zeros([1, 3]))) { error in
            XCTAssertTrue("\(error)".contains("more than one value"), "\(error)")
        }
        XCTAssertThrowsError(try BatchNorm2d(3)(Tensor.zeros([4, 3])))
        // Without affine parameters the output is the plain standardised input.
        let y = try bn(Tensor(shape: [4, 3], data: Golden.bn1X))
        for c in 0..<3 {
            let column = (0..<4).map { y.data[$0 * 3 + c] }
            XCTAssertEqual(column.reduce(0, +) / 4, 0, accuracy: 1e-6)
            XCTAssertEqual(column.map { $0 * $0 }.reduce(0, +) / 4, 1, accuracy: 1e-3)
        }
    }

    /// Sequential fuses a BatchNorm followed by a ReLU into one primitive: the same output,
    /// gradients and running statistics as the two layers run one after the other, in
    /// training and in eval mode.
    func testSequentialFusesBatchNormAndReLU() throws {
        var rng = RandomGenerator(seed: 5)
        let x0 = Tensor(shape: [6, 3, 4, 4], data: (0..<288).map { _ in rng.nextFloat(in: -1, 2) })
        for training in [true, false] {
            func run(fused: Bool) throws -> [[Float]] {
                let (bn, act) = (BatchNorm2d(3), ReLU())
                bn.weight!.data = [1.5, 0.5, -1.0]
                bn.bias!.data = [0.1, 0.2, -0.3]
                let net = Sequential(bn, act)
                net.setTraining(training)
                let x = Tensor(shape: x0.shape, data: x0.data, requiresGrad: true)
                let y = fused ? try net(x) : try act(try bn(x))
                try sum(y * y).backward()
                return [y.data, x.grad?.data ?? [], bn.weight!.grad?.data ?? [], bn.runningMean.data, bn.runningVar.data]
            }
            XCTAssertEqual(try run(fused: true), try run(fused: false), "training \(training)")
        }
    }
}
