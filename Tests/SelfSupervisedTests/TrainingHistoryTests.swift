import XCTest
import NeuralNet
import ToyData
@testable import SelfSupervised

/// The per-epoch record of network outputs (`EpochRecord.outputs`): its values are the
/// collapse meters of the probe batch, measuring changes nothing else, an interrupted run
/// keeps one row per finished epoch.
final class TrainingHistoryTests: XCTestCase {
    nonisolated(unsafe) static let data: Dataset? = try? digits().split(testCount: 1797 - 320, seed: 0).train

    func subset() throws -> Dataset { try XCTUnwrap(Self.data, "digits() failed to load") }

    func configuration(epochs: Int, probeSize: Int = 100) -> TrainingConfiguration {
        TrainingConfiguration(epochs: epochs, batchSize: 64, learningRate: 2e-3, seed: 3, views: ViewPipelines.digits(),
                              flattenInputs: true, augmentationThreads: 1, probeSize: probeSize)
    }

    func simsiam(seed: UInt64 = 11) -> SimSiam {
        var rng = RandomGenerator(seed: seed)
        return SimSiam(encoder: mlp([64, 32, 32], lastActivation: true, rng: &rng), projector: mlp([32, 32, 16], rng: &rng),
                       predictor: mlp([16, 8, 16], rng: &rng))
    }

    func testRecordedMetersAreTheMetersOfTheProbeBatch() throws {
        let data = try subset()
        let method = simsiam()
        let c = configuration(epochs: 2)
        let history = try train(method, on: data, configuration: c)
        XCTAssertEqual(history.probeSize, 100)
        XCTAssertEqual(history.measuredOutputs, [.encoder, .projector, .predictor])
        XCTAssertEqual(history.epochs.count, 2)
        let last = try XCTUnwrap(history.epochs.last)
        // The same probe rows, through the trained networks in evaluation mode.
        let probe = try XCTUnwrap(try OutputProbe(data: data, configuration: c))
        method.setTraining(false)
        let h = try withNoGrad { try method.encoder(probe.inputs) }
        let z = try withNoGrad { try method.projector(h) }
        let p = try withNoGrad { try method.predictor(z) }
        for (output, values) in [(NetworkOutput.encoder, h), (.projector, z), (.predictor, p)] {
            let recorded = try XCTUnwrap(last.outputs[output], "\(output)")
            let (n, d) = (values.shape[0], values.shape[1])
            let centred = try values - mean(values, axis: 0, keepDim: true)
            XCTAssertEqual(recorded.std, try embeddingStd(values), accuracy: 1e-12, "\(output)")
            XCTAssertEqual(recorded.centredStd, try embeddingStd(centred), accuracy: 1e-6, "\(output)")
            XCTAssertEqual(recorded.rankMe, try rankMe(centred), accuracy: 1e-3, "\(output)")
            // ‖mean‖ / mean ‖z‖, from the rows.
            var meanRow = [Double](repeating: 0, count: d), norms = 0.0
            for r in 0..<n {
                let row = (0..<d).map { Double(values.data[r * d + $0]) }
                for j in 0..<d { meanRow[j] += row[j] / Double(n) }
                norms += row.reduce(0) { $0 + $1 * $1 }.squareRoot() / Double(n)
            }
            XCTAssertEqual(recorded.meanShare, meanRow.reduce(0) { $0 + $1 * $1 }.squareRoot() / norms, accuracy: 1e-9, "\(output)")
        }
        XCTAssertEqual(history.series(.projector, \.std).compactMap { $0 }.count, 2)
        XCTAssertNotEqual(history.initialOutputs[.projector], last.outputs[.projector], "training moved the projector's outputs")
    }

    func testMeasuringChangesNothingElseAndRepeats() throws {
        let data = try subset()
        let measured = try train(simsiam(), on: data, configuration: configuration(epochs: 2))
        let unmeasured = try train(simsiam(), on: data, configuration: configuration(epochs: 2, probeSize: 0))
        XCTAssertEqual(measured.losses, unmeasured.losses)
        XCTAssertTrue(unmeasured.initialOutputs.isEmpty && unmeasured.epochs.allSatisfy { $0.outputs.isEmpty })
        let again = try train(simsiam(), on: data, configuration: configuration(epochs: 2))
        XCTAssertEqual(again.epochs.map(\.outputs), measured.epochs.map(\.outputs))
        XCTAssertEqual(again.initialOutputs, measured.initialOutputs)
    }

    func testAnInterruptedRunKeepsOneRowPerFinishedEpoch() throws {
        // 320 examples in batches of 64: 5 steps an epoch; stopped before step 13.
        var steps = 0
        let history = try train(simsiam(), on: try subset(), configuration: configuration(epochs: 10),
                                shouldCancel: { steps >= 12 }, progress: { steps = $0.step })
        XCTAssertEqual(history.outcome, .cancelled(step: 13))
        XCTAssertEqual(history.epochs.map(\.epoch), [1, 2])
        XCTAssertTrue(history.epochs.allSatisfy { $0.outputs.count == 3 })
    }

    func testACollapsedOutputReadsAsCollapsed() throws {
        // Every row the same vector plus tiny noise along one direction.
        var rng = RandomGenerator(seed: 2)
        let base = (0..<16).map { _ in rng.nextNormal() }
        var rows: [Float] = []
        for _ in 0..<64 {
            var row = base
            row[0] += rng.nextNormal() * 1e-3
            rows += row
        }
        let s = try OutputStatistics(of: Tensor(shape: [64, 16], data: rows))
        XCTAssertLessThan(s.std, 1e-3)
        XCTAssertGreaterThan(s.meanShare, 0.999)
        XCTAssertLessThan(s.rankMe, 1.01)          // the variation is along one direction
        XCTAssertGreaterThan(s.centredStd, 0.05)   // centred, that direction is all there is
    }

    func testTheSpectrumIsTheCentredOutputsSingularValuesLargestFirst() throws {
        // Rows ±a·e₀, ±b·e₁, ±c·e₂ plus a common offset: centred, ZᵀZ = diag(2a², 2b², 2c²),
        // so the singular values are √2·(a, b, c), whatever the offset, and 0 along e₃.
        let (a, b, c): (Float, Float, Float) = (1, 5, 0.5)
        let offset: [Float] = [3, -2, 7, 1]
        var rows: [Float] = []
        for (axis, scale) in [(0, a), (1, b), (2, c)] {
            for sign: Float in [1, -1] {
                var row = offset
                row[axis] += sign * scale
                rows += row
            }
        }
        let s = try OutputStatistics(of: Tensor(shape: [6, 4], data: rows))
        XCTAssertEqual(s.singularValues.count, 4)
        for (got, want) in zip(s.singularValues, [b, a, c, 0].map { Double($0) * 2.0.squareRoot() }) {
            XCTAssertEqual(got, want, accuracy: 1e-4, "\(s.singularValues)")
        }
        XCTAssertEqual(try singularValues(Tensor(shape: [6, 4], data: rows)).count, 4)
        // RankMe is the entropy of the same spectrum.
        let sigma = s.singularValues, total = sigma.reduce(0, +)
        let entropy = sigma.reduce(0.0) { h, v in let p = v / total + 1e-7; return h - p * log(p) }
        XCTAssertEqual(s.rankMe, exp(entropy), accuracy: 1e-9)
    }
}
