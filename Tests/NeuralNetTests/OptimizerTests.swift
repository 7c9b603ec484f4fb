import XCTest
import TensorCore
@testable import NeuralNet

/// One or two optimiser steps against `torch.optim` (see Fixtures/make_golden.py): from
/// p0, set p.grad = g1 and step, then p.grad = g2 and step.
final class OptimizerTests: XCTestCase {
    func twoSteps(_ make: ([Tensor]) -> Optimizer) -> [Float] {
        let p = leaf([2, 3], Golden.optP0)
        let opt = make([p])
        for g in [Golden.optG1, Golden.optG2] {
            p.grad = Tensor(shape: [2, 3], data: g)
            opt.step()
        }
        return p.data
    }

    func testSGDMatchesPyTorch() {
        assertClose(twoSteps { SGD($0, learningRate: 0.1, momentum: 0.9) }, Golden.sgdMomentum, tol: 1e-6, "momentum")
        assertClose(twoSteps { SGD($0, learningRate: 0.1, momentum: 0.9, nesterov: true) }, Golden.sgdNesterov, tol: 1e-6, "nesterov")
        assertClose(twoSteps { SGD($0, learningRate: 0.1, momentum: 0.9, dampening: 0.1, weightDecay: 0.01) },
                    Golden.sgdWeightDecay, tol: 1e-6, "weight decay + dampening")
        assertClose(twoSteps { SGD($0, learningRate: 0.1, weightDecay: 0.05) }, Golden.sgdPlain, tol: 1e-6, "plain")
    }

    func testAdamAndAdamWMatchPyTorch() {
        assertClose(twoSteps { Adam($0, learningRate: 0.01) }, Golden.adam, tol: 1e-6, "adam")
        assertClose(twoSteps { Adam($0, learningRate: 0.01, beta1: 0.8, beta2: 0.99, weightDecay: 0.1) },
                    Golden.adamL2, tol: 1e-6, "adam L2")
        assertClose(twoSteps { AdamW($0, learningRate: 0.01, weightDecay: 0.1) }, Golden.adamW, tol: 1e-6, "adamw")
    }

    func testParametersWithoutGradientAreSkipped() {
        let p = leaf([2], [1, 2]), q = leaf([2], [3, 4])
        let opt = Adam([p, q], learningRate: 0.1)
        p.grad = Tensor([1, 1])
        opt.step()
        XCTAssertEqual(q.data, [3, 4])
        XCTAssertNotEqual(p.data, [1, 2])
        opt.zeroGrad()
        XCTAssertNil(p.grad)
    }
}
