import XCTest
@testable import SelfSupervised

/// The verdict logic of `CollapseDiagnosis` on synthetic histories: each verdict, each
/// threshold's edge, where it shows, and that the configuration words the cause without
/// changing the verdict.
final class CollapseDiagnosisTests: XCTestCase {
    let t = CollapseThresholds.standard

    static func meters(share: Double = 0.4, rank: Double = 20, std: Double = 0.15, width: Int = 32) -> OutputStatistics {
        OutputStatistics(std: std, centredStd: 0.17, rankMe: rank, meanShare: share, dimension: width)
    }

    /// A history whose outputs take the given meters epoch by epoch (the first entry is the initial measurement).
    static func history(losses: [Double], _ outputs: [NetworkOutput: [OutputStatistics]], probe: Int = 256) -> TrainingHistory {
        var h = TrainingHistory()
        h.probeSize = probe
        for (output, series) in outputs { h.initialOutputs[output] = series[0] }
        h.epochs = losses.enumerated().map { i, loss in
            EpochRecord(epoch: i + 1, meanLoss: loss, seconds: 0,
                        outputs: outputs.mapValues { $0[Swift.min(i + 1, $0.count - 1)] })
        }
        return h
    }

    func healthyHistory() -> TrainingHistory {
        Self.history(losses: [5.0, 4.6, 4.4], [.encoder: [Self.meters(share: 0.96, rank: 24), Self.meters(rank: 22), Self.meters(rank: 20), Self.meters(rank: 19)],
                                              .projector: [Self.meters(share: 0.99, rank: 24, width: 64), Self.meters(rank: 30, width: 64),
                                                           Self.meters(rank: 25, width: 64), Self.meters(rank: 20, width: 64)]])
    }

    func testHealthyRunIsHealthyAndHasNoWhereOrFix() {
        let d = CollapseDiagnosis(history: healthyHistory(), run: RunDescription(method: "simclr", settings: ["temperature": .number(0.5)]))
        XCTAssertEqual(d.verdict, .healthy)
        XCTAssertNil(d.location)
        XCTAssertEqual(d.fix, [])
        XCTAssertNil(d.lesson)
        XCTAssertEqual(d.crossed, [])
        // The initial projector's mean share of 0.99 (a fresh BatchNorm) is not judged.
        XCTAssertEqual(d.outputs.map(\.output), [.encoder, .projector])
        XCTAssertEqual(d.trivialLoss ?? 0, log(2 * 256 - 1), accuracy: 1e-12)
    }

    func testCompleteCollapseAtTheMeanShareThresholdAndItsEdge() {
        func run(_ share: Double) -> CollapseDiagnosis {
            CollapseDiagnosis(history: Self.history(losses: [-0.9, -0.99], [.encoder: [Self.meters(share: 0.96), Self.meters(share: 0.9), Self.meters(share: share, rank: 17)]]))
        }
        XCTAssertEqual(run(t.completeMeanShare).verdict, .completeCollapse)
        XCTAssertEqual(run(t.completeMeanShare).location, .encoder)
        XCTAssertEqual(run(t.completeMeanShare.nextDown).verdict, .healthy)
        XCTAssertEqual(run(0.9999).crossed.first?.hasPrefix("encoder.mean_share"), true)
    }

    func testAnOutputCollapsedFromTheStartIsJudgedAfterTwoEpochs() {
        // A fresh BatchNorm projector after a couple of steps: its mean share is still near 1.
        let fresh = [Self.meters(share: 0.999), Self.meters(share: 0.99)]
        XCTAssertEqual(CollapseDiagnosis(history: Self.history(losses: [21.2], [.projector: fresh])).verdict, .healthy)
        // Collapsed from the start and still collapsed after two epochs (an encoder collapsed before).
        let kept = [Self.meters(share: 0.9998), Self.meters(share: 0.998, rank: 9), Self.meters(share: 0.997, rank: 10)]
        XCTAssertEqual(CollapseDiagnosis(history: Self.history(losses: [5.0, 4.3], [.encoder: kept])).verdict, .completeCollapse)
        // Spread at the start and collapsed after one epoch: judged at once.
        let fast = [Self.meters(share: 0.95.nextDown), Self.meters(share: 0.999)]
        XCTAssertEqual(CollapseDiagnosis(history: Self.history(losses: [-0.98], [.encoder: fast])).verdict, .completeCollapse)
    }

    func testConstantZeroOutputsAreCompleteCollapse() {
        let zero = OutputStatistics(std: 0, centredStd: 0, rankMe: 1, meanShare: 0, dimension: 32)
        let d = CollapseDiagnosis(history: Self.history(losses: [1, 0.5], [.encoder: [zero, zero, zero]]))
        XCTAssertEqual(d.verdict, .completeCollapse)
    }

    func testWhereIsTheFirstOutputThatShowsIt() {
        // Encoder spread, projector collapsed (BYOL without predictor): where = projector.
        let h = Self.history(losses: [-0.7, -0.99], [.encoder: [Self.meters(), Self.meters(), Self.meters()],
                                                      .projector: [Self.meters(), Self.meters(share: 0.97), Self.meters(share: 0.99)],
                                                      .predictor: [Self.meters(), Self.meters(share: 0.97), Self.meters(share: 0.99)]])
        let d = CollapseDiagnosis(history: h, run: RunDescription(method: "byol", identityHeads: ["predictor"]))
        XCTAssertEqual(d.verdict, .completeCollapse)
        XCTAssertEqual(d.location, .projector)
        XCTAssertEqual(d.cause, .noPredictor(method: "byol"))
        XCTAssertEqual(d.fix, ["predictor: nil"])
        XCTAssertEqual(d.lesson, 7)
    }

    func testDimensionalCollapseAgainstThePeakAndItsEdge() {
        func run(_ last: Double) -> CollapseDiagnosis {
            CollapseDiagnosis(history: Self.history(losses: [5.53, 5.2], [.projector: [Self.meters(rank: 25, width: 64), Self.meters(rank: 40, width: 64),
                                                                                    Self.meters(rank: last, width: 64)]]))
        }
        XCTAssertEqual(run(t.dimensionalPeakFraction * 40 - 0.01).verdict, .dimensionalCollapse)
        XCTAssertEqual(run(t.dimensionalPeakFraction * 40 - 0.01).location, .projector)
        XCTAssertEqual(run(t.dimensionalPeakFraction * 40 + 0.01).verdict, .healthy)
    }

    func testDimensionalCollapseAgainstTheWidth() {
        // No fall from a peak (a network that started narrow), but far fewer directions than the width.
        let h = Self.history(losses: [70, 30], [.projector: [Self.meters(rank: 9, width: 128), Self.meters(rank: 9, width: 128), Self.meters(rank: 9, width: 128)]])
        let d = CollapseDiagnosis(history: h, run: RunDescription(method: "barlow", settings: ["lambda": .number(0)]))
        XCTAssertEqual(d.verdict, .dimensionalCollapse)
        XCTAssertEqual(d.cause, .noRedundancyTerm)
        XCTAssertEqual(d.trivialLoss, 128)
        let wide = Self.history(losses: [70, 30], [.projector: [Self.meters(rank: 13, width: 128), Self.meters(rank: 15, width: 128), Self.meters(rank: 13, width: 128)]])
        XCTAssertEqual(CollapseDiagnosis(history: wide).verdict, .healthy)
    }

    func testAPredictorsLowRankIsNotDimensionalCollapse() {
        let h = Self.history(losses: [-0.1, -0.6], [.encoder: [Self.meters(), Self.meters(), Self.meters()],
                                                     .predictor: [Self.meters(rank: 30), Self.meters(rank: 30), Self.meters(rank: 3)]])
        XCTAssertEqual(CollapseDiagnosis(history: h).verdict, .healthy)
    }

    func testNotLearningWhenTheLossStandsStillAndItsEdge() {
        func run(_ last: Double) -> CollapseDiagnosis {
            CollapseDiagnosis(history: Self.history(losses: [5.4, 5.41, last], [.encoder: [Self.meters(), Self.meters(rank: 22), Self.meters(rank: 21), Self.meters(rank: 19)]]),
                              run: RunDescription(method: "simclr", learningRate: 1e-9))
        }
        let still = run(5.4 * (1 + t.stillLossChange / 2))
        XCTAssertEqual(still.verdict, .notLearning)
        XCTAssertEqual(still.cause, .lowLearningRate(1e-9))
        XCTAssertEqual(still.fix, ["learning_rate: 0.001"])
        XCTAssertEqual(run(5.4 * (1 - 2 * t.stillLossChange)).verdict, .healthy)
        // One epoch says nothing about movement.
        let one = CollapseDiagnosis(history: Self.history(losses: [5.4], [.encoder: [Self.meters(), Self.meters()]]))
        XCTAssertEqual(one.verdict, .healthy)
    }

    func testNotLearningNeedsEveryEpochsLossNearTheFirst() {
        // DeepCluster: targets change every epoch, the loss goes up and down and ends near where it began.
        let meters = [Self.meters(), Self.meters(rank: 22), Self.meters(rank: 18), Self.meters(rank: 15)]
        let d = CollapseDiagnosis(history: Self.history(losses: [2.09, 2.24, 2.092], [.encoder: meters]))
        XCTAssertEqual(d.verdict, .healthy)
    }

    func testDivergedOnNonFiniteOrExplodingLoss() {
        let meters = [Self.meters(), Self.meters(rank: 22), Self.meters(rank: 19)]
        let nan = CollapseDiagnosis(history: Self.history(losses: [5, .nan], [.encoder: meters]))
        XCTAssertEqual(nan.verdict, .diverged)
        let vicreg = RunDescription(method: "vicreg", settings: ["mu": .number(25)], learningRate: 1)
        let exploding = CollapseDiagnosis(history: Self.history(losses: [25 * t.explodingFactor + 1, 160], [.projector: meters]), run: vicreg)
        XCTAssertEqual(exploding.verdict, .diverged)
        XCTAssertEqual(exploding.cause, .highLearningRate(1, optimizer: "adam"))
        XCTAssertEqual(exploding.fix.first, "learning_rate: 0.001")
        XCTAssertEqual(CollapseDiagnosis(history: Self.history(losses: [25 * t.explodingFactor - 1, 20], [.projector: meters]), run: vicreg).verdict, .healthy)
        var badMeters = meters
        badMeters[2].rankMe = .nan
        XCTAssertEqual(CollapseDiagnosis(history: Self.history(losses: [5, 4], [.encoder: badMeters])).verdict, .diverged)
    }

    func testTheConfigurationWordsTheCauseButNeverTheVerdict() {
        // A risky configuration that stayed spread is healthy.
        let risky = CollapseDiagnosis(history: healthyHistory(), run: RunDescription(method: "vicreg", settings: ["mu": .number(0)]))
        XCTAssertEqual(risky.verdict, .healthy)
        // A safe configuration that collapsed is diagnosed from the measurement, cause unexplained.
        let collapsed = Self.history(losses: [5.0, 4.3], [.encoder: [Self.meters(share: 1), Self.meters(share: 0.999), Self.meters(share: 0.998)]])
        let d = CollapseDiagnosis(history: collapsed, run: RunDescription(method: "simclr", settings: ["temperature": .number(0.5)]))
        XCTAssertEqual(d.verdict, .completeCollapse)
        XCTAssertEqual(d.cause, .unexplained)
        XCTAssertEqual(d.fix, ["method: \"vicreg\""])
        XCTAssertEqual(CollapseDiagnosis(history: collapsed).verdict, .completeCollapse)
        // Positive-only, SimSiam without stop-gradient, VICReg μ = 0, high temperature.
        let cases: [(RunDescription, DiagnosisCause)] = [
            (RunDescription(method: "positive-only"), .positivePairsOnly),
            (RunDescription(method: "simsiam", settings: ["stop_gradient": .bool(false)]), .noStopGradient),
            (RunDescription(method: "vicreg", settings: ["mu": .number(0)]), .noVarianceTerm),
            (RunDescription(method: "simclr", settings: ["temperature": .number(50)]), .highTemperature(50)),
            (RunDescription(method: "simclr", settings: ["temperature": .number(0.5)], batchSize: 2), .tinyBatch(size: 2)),
        ]
        for (run, cause) in cases {
            XCTAssertEqual(CollapseDiagnosis(history: collapsed, run: run).cause, cause, run.method)
        }
    }

    func testAnEncoderMeasuredOnceIsJudgedOnItsState() {
        var h = TrainingHistory()
        h.probeSize = 256
        h.initialOutputs[.encoder] = Self.meters(share: 0.999)
        let d = CollapseDiagnosis(history: h)
        XCTAssertEqual(d.verdict, .completeCollapse)
        XCTAssertEqual(d.location, .encoder)
        XCTAssertEqual(d.fix, ["method: \"vicreg\""])
        h.initialOutputs[.encoder] = Self.meters(share: 0.6, rank: 2, width: 32)
        XCTAssertEqual(CollapseDiagnosis(history: h).verdict, .dimensionalCollapse)
        h.initialOutputs[.encoder] = Self.meters(share: 0.6, rank: 20, width: 32)
        XCTAssertEqual(CollapseDiagnosis(history: h).verdict, .healthy)
    }
}
