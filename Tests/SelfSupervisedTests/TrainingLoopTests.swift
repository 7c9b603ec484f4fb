import XCTest
import NeuralNet
import ToyData
@testable import SelfSupervised

/// Every method through the shared loop on a small digits subset: the loss goes down;
/// the NaN guard and cancellation work.
final class TrainingLoopTests: XCTestCase {
    nonisolated(unsafe) static let data: Dataset? = try? digits().split(testCount: 1797 - 320, seed: 0).train

    func subset() throws -> Dataset { try XCTUnwrap(Self.data, "digits() failed to load") }

    func configuration(epochs: Int = 6, lr: Float = 2e-3) -> TrainingConfiguration {
        TrainingConfiguration(epochs: epochs, batchSize: 64, learningRate: lr, optimizer: .adam(),
                              seed: 1, views: ViewPipelines.digits(), flattenInputs: true, augmentationThreads: 1)
    }

    /// Each method with small networks (encoder 64→32→32, projector 32→32→16).
    func methods() -> [RepresentationMethod] {
        var rng = RandomGenerator(seed: 7)
        func enc() -> Sequential { mlp([64, 32, 32], lastActivation: true, rng: &rng) }
        func proj(_ out: Int = 16) -> Sequential { mlp([32, 32, out], rng: &rng) }
        return [
            Supervised(encoder: enc(), head: Linear(32, 10, rng: &rng)),
            SimCLR(encoder: enc(), projector: proj()),
            MoCo(encoder: enc(), projector: proj(), embeddingDimension: 16, queueSize: 128, rng: &rng),
            BYOL(encoder: enc(), projector: proj(), predictor: mlp([16, 32, 16], rng: &rng)),
            SimSiam(encoder: enc(), projector: proj(), predictor: mlp([16, 32, 16], rng: &rng)),
            BarlowTwins(encoder: enc(), projector: proj(), lambda: 1.0 / 16),
            VICReg(encoder: enc(), projector: proj()),
            WMSE(encoder: enc(), projector: proj(8)),
            DCLMethod(encoder: enc(), projector: proj()),
            PositiveOnlySiamese(encoder: mlp([64, 32, 32], batchNorm: false, rng: &rng)),
        ]
    }

    func testEveryMethodLowersItsLoss() throws {
        let data = try subset()
        for method in methods() {
            let history = try train(method, on: data, configuration: configuration(epochs: 10))
            XCTAssertEqual(history.epochs.count, 10)
            XCTAssertEqual(history.outcome, .completed)
            // MoCo's queue starts as random unit vectors (easy negatives); its loss rises
            // while the queue fills with real keys (128 keys: the first epoch), so compare
            // from the second epoch on.
            let first = history.losses[method is MoCo ? 1 : 0], last = history.losses[9]
            XCTAssertLessThan(last, first - 0.02 * Swift.abs(first), "\(method.name): loss \(history.losses)")
        }
    }

    func testNaNGuardNamesTheStepOnAPoisonedLearningRate() throws {
        var rng = RandomGenerator(seed: 3)
        let method = VICReg(encoder: mlp([64, 32, 32], batchNorm: false, rng: &rng),
                            projector: mlp([32, 32, 16], batchNorm: false, rng: &rng))
        var config = configuration(epochs: 50, lr: 1e4)
        config.optimizer = .sgd(momentum: 0.9)
        XCTAssertThrowsError(try train(method, on: try subset(), configuration: config)) { error in
            guard case let TrainingError.nonFinite(_, step, _, _, cause) = error else {
                return XCTFail("expected nonFinite, got \(error)")
            }
            XCTAssertGreaterThan(step, 0)
            XCTAssertTrue(cause.contains("learning rate"), cause)
            XCTAssertTrue("\(error)".contains("step \(step)"))
        }
    }

    func testCancellationStopsTheLoopAtTheNextStep() throws {
        var rng = RandomGenerator(seed: 4)
        let method = SimCLR(encoder: mlp([64, 32, 32], rng: &rng), projector: mlp([32, 16], rng: &rng))
        var steps = 0
        let history = try train(method, on: try subset(), configuration: configuration(epochs: 100),
                                shouldCancel: { steps >= 7 }, progress: { steps = $0.step })
        XCTAssertEqual(history.outcome, .cancelled(step: 8))
        XCTAssertEqual(history.steps, 7)
        XCTAssertEqual(steps, 7)
    }

    func testSameSeedSameNumbers() throws {
        func run() throws -> [Double] {
            var rng = RandomGenerator(seed: 5)
            let m = BarlowTwins(encoder: mlp([64, 32, 32], rng: &rng), projector: mlp([32, 16], rng: &rng))
            return try train(m, on: try subset(), configuration: configuration(epochs: 2)).losses
        }
        XCTAssertEqual(try run(), try run())
    }

    func testMomentumScheduleAndEMA() throws {
        // BYOL: the target starts as a copy and follows the online network by EMA.
        var rng = RandomGenerator(seed: 6)
        let byol = BYOL(encoder: mlp([64, 8], rng: &rng), projector: mlp([8, 4], rng: &rng),
                        predictor: Identity(), momentum: 0.5, momentumSchedule: false)
        XCTAssertEqual(byol.targetEncoder.parameters()[0].data, byol.encoder.parameters()[0].data)
        XCTAssertTrue(byol.targetEncoder.isFrozen)
        let before = byol.targetEncoder.parameters()[0].data
        for p in byol.encoder.parameters() { p.data = p.data.map { $0 + 1 } }
        try byol.afterStep(step: 1, totalSteps: 10)
        for (got, want) in zip(byol.targetEncoder.parameters()[0].data, before.map { $0 + 0.5 }) {
            XCTAssertEqual(got, want, accuracy: 1e-6)
        }
    }

    func testScheduleWarmsUpThenDecays() {
        let s = TrainingSchedule.cosine(warmupEpochs: 1)
        XCTAssertEqual(s.rate(base: 1, step: 0, totalSteps: 20, stepsPerEpoch: 10), 0.1, accuracy: 1e-6)
        XCTAssertEqual(s.rate(base: 1, step: 10, totalSteps: 20, stepsPerEpoch: 10), 1, accuracy: 1e-6)
        XCTAssertLessThan(s.rate(base: 1, step: 19, totalSteps: 20, stepsPerEpoch: 10), 0.05)
    }
}
