import NeuralNet
import TensorCore
import ToyData
import XCTest
@testable import SelfSupervised

/// `Experiment`, the typed experiment a Swift user builds: it runs end to end, its set-up
/// policy reads the data's shape (not its name), and a wrong value is refused naming its
/// parameter.
final class ExperimentTests: XCTestCase {
    /// A tiny run from Swift alone: points become one-pixel images with noise views, the
    /// heads are built to fit, and the same seed gives the same losses.
    func testSwiftUserRunsATinyExperiment() throws {
        func tinyRun() throws -> (PreparedExperiment, TrainingHistory) {
            var rng = RandomGenerator(seed: 7)
            let encoder = mlp([2, 16, 8], rng: &rng)
            let experiment = Experiment(data: try blobs(count: 32), encoder: encoder, method: "simclr", epochs: 2, batchSize: 16, seed: 3)
            return try experiment.run(using: &rng)
        }
        let (prepared, history) = try tinyRun()
        XCTAssertEqual(history.outcome, .completed)
        XCTAssertEqual(history.epochs.count, 2)
        XCTAssertTrue(history.epochs.allSatisfy { $0.meanLoss.isFinite })
        XCTAssertEqual(prepared.data.inputs.shape, [32, 2, 1, 1], "points travel as one-pixel images")
        XCTAssertTrue(prepared.configuration.flattenInputs)
        XCTAssertEqual(prepared.configuration.views?.first.steps.map { "\(type(of: $0))" }, ["GaussianNoise"])
        XCTAssertEqual(prepared.built.heads.map(\.0), ["projector"], "SimCLR's default projector")
        let (_, again) = try tinyRun()
        XCTAssertEqual(again.epochs.map(\.meanLoss), history.epochs.map(\.meanLoss), "same seed, same numbers")
    }

    /// Single-channel 8×8 images get the digits views whatever their name; a data set
    /// called "digits" of another shape does not.
    func testDefaultViewsFollowTheShapeNotTheName() throws {
        func images(_ name: String, _ shape: [Int]) -> Dataset {
            Dataset(name: name, inputs: Tensor(shape: shape, data: [Float](repeating: 0.5, count: shape.reduce(1, *))),
                    labels: [0, 1], classNames: ["a", "b"])
        }
        func steps(_ views: ViewPipelines?) -> [String]? { views?.first.steps.map { "\(type(of: $0))" } }
        let digitsViews = steps(ViewPipelines.digits())
        XCTAssertEqual(steps(try Experiment.defaultViews(for: images("scans", [2, 1, 8, 8]), method: "byol")), digitsViews)
        XCTAssertEqual(steps(try Experiment.defaultViews(for: try digits(), method: "simclr")), digitsViews)
        let colour = try Experiment.defaultViews(for: images("digits", [2, 3, 8, 8]), method: "simclr")
        XCTAssertNotNil(colour)
        XCTAssertNotEqual(steps(colour), digitsViews)
        XCTAssertNotEqual(steps(try Experiment.defaultViews(for: images("digits", [2, 1, 16, 16]), method: "simclr")), digitsViews)
        XCTAssertNil(try Experiment.defaultViews(for: try blobs(count: 4), method: "simclr"), "points get no image pipeline")
        // The experiment applies the same rule.
        var rng = RandomGenerator(seed: 0)
        let prepared = try Experiment(data: images("scans", [2, 1, 8, 8]), encoder: mlp([64, 8], rng: &rng), epochs: 0, batchSize: 2)
            .prepare(using: &rng)
        XCTAssertEqual(steps(prepared.configuration.views), digitsViews)
        XCTAssertTrue(prepared.configuration.flattenInputs, "an MLP encoder gets images flattened")
    }

    /// Each wrong value is refused with the parameter a script error would point at.
    func testWrongValuesAreRefusedWithTheirParameter() throws {
        func refusal(_ change: (inout Experiment) -> Void) throws -> ExperimentError? {
            var rng = RandomGenerator(seed: 0)
            var experiment = Experiment(data: try blobs(count: 16), encoder: mlp([2, 4], rng: &rng), epochs: 1, batchSize: 8)
            change(&experiment)
            do {
                _ = try experiment.prepare(using: &rng)
                return nil
            } catch let error as ExperimentError {
                return error
            }
        }
        XCTAssertNil(try refusal { _ in }, "the defaults are valid")
        XCTAssertEqual(try refusal { $0.learningRate = 0 }, .invalid(parameter: "learning_rate", "learning_rate must be positive"))
        XCTAssertEqual(try refusal { $0.learningRate = .nan }?.parameter, "learning_rate")
        XCTAssertEqual(try refusal { $0.batchSize = 1 }?.parameter, "batch_size")
        XCTAssertEqual(try refusal { $0.schedule = .cosine(warmupEpochs: -1) }?.parameter, "warmup_epochs")
        XCTAssertEqual(try refusal { $0.settings["temperature"] = .number(-1) },
                       .invalid(parameter: "temperature", "temperature must be a number > 0, got -1"))
        XCTAssertEqual(try refusal { $0.method = "byol"; $0.settings["temperature"] = .number(0.1) }?.parameter, "temperature",
                       "a setting the method does not read")
        XCTAssertEqual(try refusal { $0.method = "simclrr" }, .unknownMethod("simclrr"))
        XCTAssertEqual(try refusal { $0.method = "simclrr" }?.parameter, "method")
        XCTAssertEqual(try refusal { $0.data = try! $0.data.selecting([0]) }?.parameter, .some(nil), "one sample: the data as a whole")
        XCTAssertThrowsError(try OptimizerChoice(named: "rmsprop", weightDecay: 0)) { error in
            XCTAssertEqual(error as? ExperimentError,
                           .invalid(parameter: "optimizer", "optimizer must be \"adam\", \"sgd\" or \"lars\", got \"rmsprop\""))
        }
        XCTAssertEqual((try? TrainingSchedule(named: "step", warmupEpochs: { 0 })), nil)
    }
}
