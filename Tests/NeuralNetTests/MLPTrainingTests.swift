import XCTest
import TensorCore
@testable import NeuralNet

final class MLPTrainingTests: XCTestCase {
    /// An MLP fits one fixed batch of 16 points with random labels to near-zero loss.
    func testOverfitsOneBatch() throws {
        var rng = RandomGenerator(seed: 3)
        let model = mlp([8, 32, 32, 4], batchNorm: false, rng: &rng)
        let x = Tensor.randn([16, 8], using: &rng)
        let labels = (0..<16).map { _ in rng.nextInt(below: 4) }
        let opt = Adam(model.parameters(), learningRate: 1e-2)
        var loss: Float = .infinity
        for _ in 0..<300 {
            opt.zeroGrad()
            let l = try crossEntropy(model(x), labels: labels)
            try l.backward()
            opt.step()
            loss = try l.item()
        }
        XCTAssertLessThan(loss, 1e-3)
    }
}
