import XCTest
import TensorCore
@testable import NeuralNet

/// Finite-difference checks of the layers' gradients with respect to their input
/// (TensorCore's `gradcheck`) and to each of their parameters (the same central
/// differences, done here on the layer's own parameter tensors).
final class LayerGradientTests: XCTestCase {
    func testLinearAndConvGradients() throws {
        var rng = RandomGenerator(seed: 21)
        try assertParameterGradients(Linear(5, 3, rng: &rng), input: Tensor.randn([4, 5], using: &rng))
        try assertParameterGradients(Conv2d(2, 3, kernelSize: 3, stride: 2, padding: 1, rng: &rng),
                                     input: Tensor.randn([2, 2, 5, 5], using: &rng))
    }

    func testBatchNormGradientsInTrainingAndEvalMode() throws {
        var rng = RandomGenerator(seed: 22)
        let bn = BatchNorm1d(3)
        bn.weight!.data = [1.2, -0.7, 0.4]
        bn.bias!.data = [0.1, 0.0, -0.3]
        try assertParameterGradients(bn, input: Tensor.randn([6, 3], using: &rng))
        let bn2 = BatchNorm2d(2)
        try assertParameterGradients(bn2, input: Tensor.randn([2, 2, 3, 3], using: &rng))
        bn2.runningVar.data = [0.5, 2]
        bn2.runningMean.data = [0.3, -0.2]
        bn2.eval()
        try assertParameterGradients(bn2, input: Tensor.randn([2, 2, 3, 3], using: &rng))
    }

    func testGELUAndSmallNetworkGradients() throws {
        var rng = RandomGenerator(seed: 23)
        let net = Sequential(Linear(3, 4, rng: &rng), GELU(), Linear(4, 2, rng: &rng), Tanh())
        try assertParameterGradients(net, input: Tensor.randn([5, 3], using: &rng))
    }
}
