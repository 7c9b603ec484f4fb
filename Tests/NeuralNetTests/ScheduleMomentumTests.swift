import XCTest
import TensorCore
@testable import NeuralNet

final class ScheduleMomentumTests: XCTestCase {
    func testLARSMatchesTheBarlowTwinsReference() {
        // Reference: lars_two_steps in Fixtures/make_golden.py (the Barlow Twins LARS step,
        // exclude_bias_and_norm), a [2, 3] weight (adapted) and a [3] bias (excluded).
        let w = leaf([2, 3], Golden.optP0), b = leaf([3], [0.2, -0.4, 0.6])
        let opt = LARS([w, b], learningRate: 0.5, momentum: 0.9, weightDecay: 0.01, trustCoefficient: 0.001)
        XCTAssertTrue(opt.isAdapted(w))
        XCTAssertFalse(opt.isAdapted(b))
        for (gw, gb) in [(Golden.optG1, [Float(0.3), 0.1, -0.2]), (Golden.optG2, [-0.1, 0.5, 0.05])] {
            w.grad = Tensor(shape: [2, 3], data: gw)
            b.grad = Tensor(gb)
            opt.step()
        }
        assertClose(w.data + b.data, Golden.larsMatrixThenBias, tol: 1e-6, "lars")
    }

    func testLARSTrustRatioByHand() {
        // One step, no momentum history: p − lr·η·‖p‖/‖g‖·g. ‖p‖ = 5, ‖g‖ = 1.
        let p = leaf([1, 2], [3, 4])
        p.grad = Tensor(shape: [1, 2], data: [0.6, 0.8])
        LARS([p], learningRate: 1, trustCoefficient: 0.1).step()
        assertClose(p.data, [3 - 0.5 * 0.6, 4 - 0.5 * 0.8], tol: 1e-6)
    }

    func testLearningRateSchedules() {
        XCTAssertEqual(LearningRateSchedule.constant(base: 0.3)(1000), 0.3)
        let step = LearningRateSchedule.step(base: 1, stepSize: 10, gamma: 0.5)
        XCTAssertEqual([0, 9, 10, 25].map { step($0) }, [1, 1, 0.5, 0.25])
        let cosine = LearningRateSchedule.cosine(base: 1, warmupSteps: 4, totalSteps: 14, final: 0.1)
        XCTAssertEqual([0, 1, 3].map { cosine($0) }, [0.25, 0.5, 1])
        XCTAssertEqual(cosine(4), 1, accuracy: 1e-6)
        XCTAssertEqual(cosine(9), 0.55, accuracy: 1e-6)     // halfway: (1 + 0.1)/2
        XCTAssertEqual(cosine(14), 0.1, accuracy: 1e-6)
        XCTAssertEqual(cosine(100), 0.1, accuracy: 1e-6)
        XCTAssertEqual(LearningRateSchedule.cosine(base: 2, totalSteps: 10)(5), 1, accuracy: 1e-6)
    }

    func testMomentumUpdateFormula() throws {
        var rng = RandomGenerator(seed: 7)
        let online = mlp([3, 4, 2], rng: &rng)
        let target = deepCopy(online)
        _ = try online(Tensor.randn([5, 3], using: &rng))      // changes online's running statistics
        let opt = SGD(online.parameters(), learningRate: 0.5)
        try sum(online(Tensor.randn([5, 3], using: &rng))).backward()
        opt.step()
        let xiBefore = target.parameters().map(\.data)
        try updateMomentum(target: target, online: online, m: 0.9)
        for (k, (xi, theta)) in zip(target.parameters(), online.parameters()).enumerated() {
            let expected = zip(xiBefore[k], theta.data).map { 0.9 * $0 + 0.1 * $1 }
            assertClose(xi.data, expected, tol: 1e-6, "parameter \(k)")
        }
        XCTAssertEqual(target.namedBuffers().map(\.tensor.data), online.namedBuffers().map(\.tensor.data))
        // m = 1 keeps the target; m = 0 copies the online network.
        let kept = target.parameters().map(\.data)
        try updateMomentum(target: target, online: online, m: 1)
        XCTAssertEqual(target.parameters().map(\.data), kept)
        try updateMomentum(target: target, online: online, m: 0)
        XCTAssertEqual(target.parameters().map(\.data), online.parameters().map(\.data))
        // Different structures are refused and the target is left alone.
        let other = mlp([3, 5, 2], rng: &rng)
        let snapshot = target.stateTensors().map(\.tensor.data)
        XCTAssertThrowsError(try updateMomentum(target: target, online: other, m: 0.5)) { error in
            XCTAssertTrue("\(error)".contains("0.weight"), "\(error)")
        }
        XCTAssertEqual(target.stateTensors().map(\.tensor.data), snapshot)
    }

    func testCosineMomentumSchedule() {
        XCTAssertEqual(cosineMomentum(step: 0, totalSteps: 100, base: 0.996), 0.996, accuracy: 1e-7)
        XCTAssertEqual(cosineMomentum(step: 50, totalSteps: 100, base: 0.996), 0.998, accuracy: 1e-6)
        XCTAssertEqual(cosineMomentum(step: 100, totalSteps: 100, base: 0.996), 1, accuracy: 1e-7)
    }
}
