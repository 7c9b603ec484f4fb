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

    func testAnOutputThatStartsSpreadIsJudgedAgainstItsStart() {
        // Without BatchNorm a ReLU network starts offset-heavy: mean share 0.90 before any step.
        func run(_ share: Double) -> CollapseDiagnosis {
            CollapseDiagnosis(history: Self.history(losses: [1.0, 0.8, 0.7], [.encoder: [Self.meters(share: 0.90), Self.meters(share: 0.93),
                                                                                        Self.meters(share: 0.94), Self.meters(share: share)]]))
        }
        // 0.955: the part that varies, √(1 − 0.955²) = 0.30, is 0.68 of its start's 0.44 — not collapsed.
        XCTAssertEqual(run(0.955).verdict, .healthy)
        // At or under half of its start's: collapsed (√(1 − 0.985²) = 0.17 ≤ 0.22).
        XCTAssertEqual(run(0.985).verdict, .completeCollapse)
        XCTAssertEqual(run(0.985).location, .encoder)
        let edge = (1 - pow(t.completeSpreadFraction * (1 - 0.9 * 0.9).squareRoot(), 2)).squareRoot()
        XCTAssertEqual(run(edge + 1e-9).verdict, .completeCollapse)
        XCTAssertEqual(run(edge - 1e-6).verdict, .healthy)
    }

    func testALossBelowTheConstantSolutionsKeepsTheOutputItReadsFromCompleteCollapse() {
        // VICReg μ = 25 without BatchNorm: the expander's mean share falls from 0.9985 to 0.973,
        // and the loss, 19, lies below the 25 every constant output gives.
        let vicreg = RunDescription(method: "vicreg", settings: ["mu": .number(25), "lambda": .number(25), "nu": .number(1)])
        let expander = [Self.meters(share: 0.9985, width: 128), Self.meters(share: 0.99, width: 128),
                        Self.meters(share: 0.98, width: 128), Self.meters(share: 0.973, width: 128)]
        func history(_ last: Double) -> TrainingHistory { Self.history(losses: [24.7, 22, last], [.projector: expander]) }
        XCTAssertEqual(CollapseDiagnosis(history: history(19), run: vicreg).verdict, .healthy)
        // Within 1 % of the constant solution's loss, or with no method to know that loss: collapsed.
        XCTAssertEqual(CollapseDiagnosis(history: history(24.9), run: vicreg).verdict, .completeCollapse)
        XCTAssertEqual(CollapseDiagnosis(history: history(19)).verdict, .completeCollapse)
        // The certificate is for the output the loss reads: an encoder before it is judged as ever.
        let both = Self.history(losses: [24.7, 22, 19], [.encoder: [Self.meters(share: 0.999), Self.meters(share: 0.9995), Self.meters(share: 0.9996), Self.meters(share: 0.9997)],
                                                          .projector: [Self.meters(share: 0.9985, width: 128), Self.meters(share: 0.99, width: 128),
                                                                       Self.meters(share: 0.98, width: 128), Self.meters(share: 0.973, width: 128)]])
        XCTAssertEqual(CollapseDiagnosis(history: both, run: vicreg).verdict, .completeCollapse)
        XCTAssertEqual(CollapseDiagnosis(history: both, run: vicreg).location, .encoder)
    }

    func testAClassifiersKDirectionsCapThePeakDimensionalCollapseIsJudgedAgainst() {
        // DeepCluster with 10 clusters narrows a random encoder's 24.6 directions towards 10.
        func run(_ rank: Double, clusters: Double? = 10) -> CollapseDiagnosis {
            let h = Self.history(losses: [2.1, 2.2, 2.0], [.encoder: [Self.meters(share: 0.96, rank: 24.6), Self.meters(share: 0.7, rank: 21),
                                                                     Self.meters(share: 0.5, rank: 15), Self.meters(share: 0.5, rank: rank)]])
            return CollapseDiagnosis(history: h, run: clusters.map { RunDescription(method: "deepcluster", settings: ["clusters": .number($0), "balanced": .bool(true)]) })
        }
        XCTAssertEqual(run(10.5).verdict, .healthy)
        // Without the method's k the same run is judged against its peak, 24.6.
        XCTAssertEqual(run(10.5, clusters: nil).verdict, .dimensionalCollapse)
        // Fewer than 0.45 × 10 directions: collapsed all the same, against the classifier's 10.
        XCTAssertEqual(run(4).verdict, .dimensionalCollapse)
        XCTAssertEqual(run(4).crossed.first, "encoder.rankme 4 < 0.45 × 10 directions the loss reads")
        XCTAssertEqual(run(4.6).verdict, .healthy)
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
        // (Its loss stays at the constant solution's, log(2·256 − 1) = 6.24 for SimCLR: a loss
        // well below it would show that the outputs it reads are not one point.)
        let collapsed = Self.history(losses: [6.3, 6.25], [.encoder: [Self.meters(share: 1), Self.meters(share: 0.999), Self.meters(share: 0.998)]])
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
