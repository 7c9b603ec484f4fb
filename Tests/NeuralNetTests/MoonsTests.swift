import XCTest
#if canImport(Glibc)
import Glibc
#endif
import TensorCore
@testable import NeuralNet

/// Two interleaving half circles (scikit-learn's `make_moons`): class 0 on
/// (cos t, sin t), class 1 on (1 − cos t, ½ − sin t), t uniform in [0, π], plus Gaussian
/// noise. A tiny local helper: the dataset proper lives in ToyData.
func moons(_ n: Int, noise: Float, rng: inout RandomGenerator) -> (x: Tensor, labels: [Int]) {
    var data: [Float] = [], labels: [Int] = []
    for i in 0..<n {
        let t = rng.nextFloat() * Float.pi
        let label = i % 2
        let (px, py) = label == 0 ? (cosf(t), sinf(t)) : (1 - cosf(t), 0.5 - sinf(t))
        data += [px + noise * rng.nextNormal(), py + noise * rng.nextNormal()]
        labels.append(label)
    }
    return (Tensor(shape: [n, 2], data: data), labels)
}

final class MoonsTests: XCTestCase {
    func testMLPLearnsTwoMoons() throws {
        var rng = RandomGenerator(seed: 11)
        let train = moons(512, noise: 0.1, rng: &rng), test = moons(512, noise: 0.1, rng: &rng)
        let model = mlp([2, 32, 32, 2], batchNorm: true, rng: &rng)
        let opt = Adam(model.parameters(), learningRate: 0.01)
        for step in 0..<300 {
            let rows = (0..<64).map { _ in rng.nextInt(below: 512) }
            let x = try indexSelect(train.x, axis: 0, indices: rows)
            opt.zeroGrad()
            try crossEntropy(model(x), labels: rows.map { train.labels[$0] }).backward()
            opt.learningRate = LearningRateSchedule.cosine(base: 0.01, totalSteps: 300)(step)
            opt.step()
        }
        model.eval()
        let predicted = try argmax(model(test.x), axis: 1).data.map { Int($0) }
        let accuracy = Float(zip(predicted, test.labels).filter { $0 == $1 }.count) / 512
        XCTAssertGreaterThan(accuracy, 0.95)
    }
}
