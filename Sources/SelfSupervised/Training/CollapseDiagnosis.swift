import Foundation
import NeuralNet

/// What went wrong with a run, read from its `TrainingHistory`: the collapse autopsy behind
/// `diagnose(run)` and the live warning of `train`.
///
/// `verdict` and `where` come from the recorded measurements alone (`CollapseThresholds`);
/// the run's configuration (`RunDescription`) only chooses `cause` and `fix`. A risky
/// configuration that stayed spread is healthy, and a collapse the configuration does not
/// explain gets `DiagnosisCause.unexplained`.
public enum CollapseVerdict: String, CaseIterable, Sendable {
    case healthy
    /// Every input maps near one point: the common mean is almost all of each output.
    case completeCollapse = "complete collapse"
    /// The outputs vary along far fewer directions than they did or than the space has.
    case dimensionalCollapse = "dimensional collapse"
    /// The loss did not move over the run (and nothing collapsed).
    case notLearning = "not learning"
    /// A loss or meter that is not finite, or a loss far above anything the method can give.
    case diverged
}

/// The thresholds of `CollapseDiagnosis`, in one place. Chosen from runs of every method on
/// the digits (MLP encoder 64-128-128-32, batch 128, 6 to 12 epochs, seeds 1-3; the bank
/// of `DiagnosisBank` is scored on other seeds):
///
/// - complete collapse: `meanShare` ≥ 0.95 at the end, i.e. the spread around the common
///   mean is under about a third of the outputs' norm. Healthy runs ended at most at 0.87
///   (VICReg μ = 0 with a BatchNorm projector), collapsed ones at 0.99-1.0; BYOL without
///   predictor at 0.991, VICReg μ = 0 at 0.96-0.97 after 12 epochs. Measured after
///   training only: networks with BatchNorm start near 1 (their running statistics are
///   not yet those of the data), so the initial value is never judged, and an output past
///   the threshold from the start is judged only after two epochs. An output that starts
///   below it is judged against that start: collapsed when the part that varies,
///   √(1 − mean share²), also shrank to at most `completeSpreadFraction` (half) of its
///   value before the first step (networks without BatchNorm start at 0.9 and more: VICReg
///   μ = 25 without BatchNorm ends its encoder at 0.955, 0.69 of its start; μ = 0 at 0.98,
///   0.38-0.48). The output the loss reads is not judged collapsed while the loss lies more
///   than `stillLossChange` below the loss every constant output gives (VICReg μ = 25
///   without BatchNorm: 19 against 25 at a mean share of 0.97).
/// - dimensional collapse (encoder and projector outputs; a predictor is low-rank by design,
///   BYOL's and SimSiam's healthy predictors end at RankMe 4-12): the centred RankMe at
///   the end below 0.45 × its peak over the run (initial value included), or below 0.1 ×
///   min(probe size, width). Healthy runs kept ≥ 0.52 of their peak and ≥ 0.19 of the
///   width; SimSiam without predictor or stop-gradient, SimCLR with τ = 50 and Barlow
///   Twins with λ = 0 fell to 0.16-0.43 of it. Centred, so a shared offset does not count.
///   Where the loss reads an output through k outputs (`MethodCollapse.lossDirections`:
///   DeepCluster's k-way classifier), the peak counts at most k: a healthy DeepCluster run
///   narrows a random encoder's 24 directions towards its 10 clusters (to 11-14).
/// - not learning: over ≥ 2 epochs every epoch's mean loss stayed within 1 % of the first
///   epoch's (SimCLR at learning rate 1e-9: 0.1-0.2 %; the slowest healthy run, MoCo: 4 %;
///   DeepCluster, whose targets change every epoch, moves 5-7 % up and down). Not read
///   from the meters: a converged healthy run's RankMe moves as little over its second half
///   (Barlow Twins: 0.35 %) as a frozen one's (0.04-0.23 %), and a loss near 0 (BYOL's at
///   learning rate 1e-9, −0.03) is all noise, so such a frozen BYOL run reads healthy.
/// - diverged: a non-finite loss or meter, or an epoch's mean loss above 100 × the
///   method's trivial loss (VICReg at learning rate 1: 643,091 against 25).
public struct CollapseThresholds: Sendable, Equatable {
    public var completeMeanShare = 0.95
    public var completeSpreadFraction = 0.5
    public var dimensionalPeakFraction = 0.45
    public var dimensionalWidthFraction = 0.1
    public var stillLossChange = 0.01
    public var explodingFactor = 100.0

    public init() {}
    public static let standard = CollapseThresholds()
}

/// What `cause` and `fix` need to know of a run's configuration (nothing of it decides the
/// verdict).
public struct RunDescription: Sendable, Equatable {
    /// The method's name in `TrainingMethods` ("simclr", "positive-only", …).
    public var method: String
    /// Every setting the method was built with (given or default), as `BuiltMethod.settings`.
    public var settings: [String: MethodOption]
    public var learningRate: Float
    public var optimizer: OptimizerChoice
    public var batchSize: Int
    public var epochs: Int
    /// Both views are the input itself (`views: "none"`, or no pipeline).
    public var identicalViews: Bool
    /// The heads given as an identity (a predictor that does nothing), by role.
    public var identityHeads: Set<String>

    public init(method: String, settings: [String: MethodOption] = [:], learningRate: Float = 1e-3,
                optimizer: OptimizerChoice = .adam(), batchSize: Int = 256, epochs: Int = 10,
                identicalViews: Bool = false, identityHeads: Set<String> = []) {
        self.method = method; self.settings = settings; self.learningRate = learningRate; self.optimizer = optimizer
        self.batchSize = batchSize; self.epochs = epochs; self.identicalViews = identicalViews; self.identityHeads = identityHeads
    }

    /// Whether `module` computes nothing: `Identity`, or a `Sequential` of no layers or only identities.
    public static func isIdentity(_ module: Module) -> Bool {
        if module is Identity { return true }
        if let sequential = module as? Sequential { return sequential.layers.allSatisfy(isIdentity) }
        return false
    }

    func number(_ name: String) -> Double? {
        if case .number(let v)? = settings[name] { return v }
        return nil
    }

    func bool(_ name: String) -> Bool? {
        if case .bool(let v)? = settings[name] { return v }
        return nil
    }

    var optimizerName: String {
        switch optimizer {
        case .adam: return "adam"
        case .sgd: return "sgd"
        case .lars: return "lars"
        }
    }
}

/// The loss a method reaches when every output is the same vector (the constant solution),
/// which `evidence` compares the run's loss with: −1 for the negative cosine (BYOL, SimSiam,
/// positive-only cosine), 0 for the positive-only squared distance, log(2N − 1) for NT-Xent
/// with N pairs (every similarity equal), log(2N − 2) for DCL, log(K + 1) for MoCo's queue
/// of K keys, μ for VICReg (variance hinge 1, no invariance or covariance), D for Barlow
/// Twins (a zero cross-correlation). nil where no such value is defined (W-MSE, DeepCluster,
/// supervised).
public func trivialLoss(of run: RunDescription, width: Int?) -> Double? {
    TrainingMethods.named(run.method)?.collapse.trivialLoss(run, width)
}

/// Why this configuration allows the failure measured (worded by the caller, with `Messages`).
public enum DiagnosisCause: Sendable, Equatable {
    /// Positive pairs only: the constant solution has the lowest loss.
    case positivePairsOnly
    /// SimSiam with `stop_gradient: false`.
    case noStopGradient
    /// BYOL or SimSiam with a predictor that does nothing.
    case noPredictor(method: String)
    /// VICReg with μ = 0: no term keeps each dimension's variance up.
    case noVarianceTerm
    /// VICReg with ν = 0: nothing decorrelates the dimensions.
    case noCovarianceTerm
    /// Barlow Twins with λ = 0: nothing decorrelates the dimensions.
    case noRedundancyTerm
    /// A contrastive loss with a temperature so high that every negative weighs the same.
    case highTemperature(Double)
    /// A contrastive loss with a batch of `size`: too few negatives.
    case tinyBatch(size: Int)
    /// Both views are the same input: the task is trivial.
    case identicalViews
    /// A learning rate too large for the optimiser.
    case highLearningRate(Float, optimizer: String)
    /// A learning rate too small to move the networks.
    case lowLearningRate(Float)
    /// Nothing in the configuration explains it: only the measurement.
    case unexplained
}

/// The measured numbers of one network output at the end of the run, and how they moved.
public struct OutputEvidence: Sendable, Equatable {
    public var output: NetworkOutput
    public var final: OutputStatistics
    /// The largest RankMe over the run, the initial measurement included.
    public var peakRank: Double
    /// The first and last measurements of RankMe and mean share (initial, then last epoch).
    public var firstRank: Double
    public var firstMeanShare: Double
}

/// The autopsy of one run (see `CollapseVerdict`).
public struct CollapseDiagnosis: Sendable, Equatable {
    public var verdict: CollapseVerdict
    /// The network output where the verdict shows first (in the order the networks apply); nil when healthy.
    public var location: NetworkOutput?
    public var cause: DiagnosisCause
    /// One or two changes, each a runnable `train` argument (`mu: 25`, `method: "simclr"`).
    public var fix: [String]
    /// The lesson that explains the fix (nil when healthy).
    public var lesson: Int?
    /// The thresholds crossed, each as `meter value < threshold` text (identifiers and numbers).
    public var crossed: [String]
    /// Per measured output, the numbers behind the verdict.
    public var outputs: [OutputEvidence]
    public var firstLoss: Double?
    public var lastLoss: Double?
    /// The largest epoch mean loss.
    public var peakLoss: Double?
    /// The loss of the constant solution (`trivialLoss`), when the method has one.
    public var trivialLoss: Double?
    /// How many epochs the history holds.
    public var epochs: Int

    /// Diagnoses `history` (any prefix of a run: the live monitor passes the epochs so far).
    public init(history: TrainingHistory, run: RunDescription? = nil, thresholds t: CollapseThresholds = .standard) {
        epochs = history.epochs.count
        let losses = history.losses
        firstLoss = losses.first
        lastLoss = losses.last
        peakLoss = losses.contains { !$0.isFinite } ? losses.first { !$0.isFinite } : losses.max()
        var outputs: [OutputEvidence] = []
        for output in history.measuredOutputs {
            let series = [history.initialOutputs[output]] + history.epochs.map { $0.outputs[output] }
            let present = series.compactMap { $0 }
            guard let last = present.last, let first = present.first else { continue }
            outputs.append(OutputEvidence(output: output, final: last, peakRank: present.map(\.rankMe).max() ?? last.rankMe,
                                          firstRank: first.rankMe, firstMeanShare: first.meanShare))
        }
        self.outputs = outputs
        let width = outputs.last?.final.dimension
        trivialLoss = run.flatMap { SelfSupervised.trivialLoss(of: $0, width: width.flatMap { $0 > 0 ? $0 : nil }) }
        // A single measurement (no epoch): only states are judged, not movements.
        let trained = !history.epochs.isEmpty
        var verdict = CollapseVerdict.healthy
        var location: NetworkOutput?
        var crossed: [String] = []
        func fmt(_ v: Double) -> String { String(format: "%.4g", v) }

        // Diverged: anything not finite, or a loss far above the constant solution's.
        let scale = Swift.max(Swift.abs(trivialLoss ?? 1), 1)
        if let bad = outputs.first(where: { !$0.final.isFinite }) {
            verdict = .diverged; location = bad.output
            crossed.append("\(bad.output.rawValue) meters not finite")
        } else if losses.contains(where: { !$0.isFinite }) {
            verdict = .diverged; location = outputs.last?.output
            crossed.append("loss not finite")
        } else if let peak = peakLoss, peak > t.explodingFactor * scale {
            verdict = .diverged; location = outputs.last?.output
            crossed.append("loss \(fmt(peak)) > \(fmt(t.explodingFactor)) × \(fmt(scale))")
        }
        // Complete collapse: the common mean is almost all of every output.
        // An output already past the threshold before the first step is judged only after two
        // epochs: after a few steps BatchNorm's running statistics are still near their
        // initial values, which put a fresh projector's mean share near 1 (VICReg's expander
        // after 2 steps: 0.99).
        //
        // Mean share is scale-free: a network without BatchNorm whose ReLU outputs share a
        // large positive offset is at 0.9 before any step. So an output is judged against
        // its own starting point where that start is a real measurement (below the
        // threshold): it collapsed when the part of it that varies, √(1 − mean share²),
        // shrank to at most `completeSpreadFraction` of what the same network had before
        // the first step (VICReg μ = 25 without BatchNorm: its encoder goes from 0.90 to
        // 0.955 while its probe improves; μ = 0: to 0.98-0.99, its varying part 0.38-0.48
        // of its start's). And the output the loss reads is not one point while the loss
        // lies below what every constant output gives by more than `stillLossChange` (VICReg
        // μ = 25 without BatchNorm: 19 against 25, its dimensions' std averaging at least
        // 0.24, though the mean share is 0.97). A loss whose constant solution is its minimum
        // (negative cosine, positive only, VICReg μ = 0) never gives that certificate.
        let epochCount = history.epochs.count
        let lossOutput = outputs.last?.output
        var lossCertifiesSpread = false
        if let trivial = trivialLoss, let last = losses.last, last.isFinite {
            lossCertifiesSpread = last < trivial - t.stillLossChange * Swift.max(Swift.abs(trivial), 1)
        }
        func spreadShare(_ meanShare: Double) -> Double { (Swift.max(0, 1 - meanShare * meanShare)).squareRoot() }
        func collapsed(_ e: OutputEvidence) -> Bool {
            if e.final.isConstant { return epochCount != 1 || e.firstMeanShare < t.completeMeanShare }
            guard e.final.meanShare >= t.completeMeanShare else { return false }
            if e.output == lossOutput, lossCertifiesSpread { return false }
            if e.firstMeanShare < t.completeMeanShare {
                return spreadShare(e.final.meanShare) <= t.completeSpreadFraction * spreadShare(e.firstMeanShare)
            }
            return epochCount != 1
        }
        if verdict == .healthy, let hit = outputs.first(where: collapsed) {
            verdict = .completeCollapse; location = hit.output
            crossed.append("\(hit.output.rawValue).mean_share \(fmt(hit.final.meanShare)) ≥ \(fmt(t.completeMeanShare))")
        }
        // Dimensional collapse of the encoder's or projector's centred outputs.
        if verdict == .healthy {
            let readDirections = run.flatMap { TrainingMethods.named($0.method)?.collapse.lossDirections($0) }
            for e in outputs where e.output != .predictor {
                // Where the loss reads this output through k outputs, a healthy run narrows it towards k directions.
                let cap = e.output == lossOutput ? readDirections.map(Double.init) : nil
                let peak = Swift.min(e.peakRank, cap ?? .infinity)
                let room = Double(Swift.min(history.probeSize > 0 ? history.probeSize : Int.max, e.final.dimension > 0 ? e.final.dimension : Int.max))
                if trained, e.final.rankMe < t.dimensionalPeakFraction * peak {
                    verdict = .dimensionalCollapse; location = e.output
                    let against = peak < e.peakRank ? "\(Int(peak)) directions the loss reads" : "peak \(fmt(e.peakRank))"
                    crossed.append("\(e.output.rawValue).rankme \(fmt(e.final.rankMe)) < \(fmt(t.dimensionalPeakFraction)) × \(against)")
                } else if room.isFinite, room < Double(Int.max), e.final.rankMe < t.dimensionalWidthFraction * room {
                    verdict = .dimensionalCollapse; location = e.output
                    crossed.append("\(e.output.rawValue).rankme \(fmt(e.final.rankMe)) < \(fmt(t.dimensionalWidthFraction)) × \(Int(room))")
                }
                if verdict != .healthy { break }
            }
        }
        // Not learning: the loss stood still.
        if verdict == .healthy, losses.count >= 2, let first = losses.first {
            let lossMove = losses.map { Swift.abs($0 - first) }.max() ?? 0
            if lossMove < t.stillLossChange * Swift.max(Swift.abs(first), 1e-12) {
                verdict = .notLearning; location = outputs.first?.output
                crossed.append("loss moved at most \(fmt(lossMove)) < \(fmt(t.stillLossChange)) × \(fmt(Swift.abs(first)))")
            }
        }
        self.verdict = verdict
        self.location = location
        self.crossed = crossed
        (cause, fix, lesson) = Self.explain(verdict, location: location, run: run)
    }

    /// The evidence of the output where the verdict shows (or the last one measured).
    public var located: OutputEvidence? { outputs.first { $0.output == location } ?? outputs.last }

    /// What in `run` allows `verdict`, the change that removes it, and the lesson that explains it.
    static func explain(_ verdict: CollapseVerdict, location: NetworkOutput?, run: RunDescription?) -> (DiagnosisCause, [String], Int?) {
        guard verdict != .healthy else { return (.unexplained, [], nil) }
        // An encoder measured alone: a loss with a variance term spreads its outputs again.
        guard let run else { return (.unexplained, verdict == .diverged ? [] : ["method: \"vicreg\""], verdict == .diverged ? nil : 7) }
        let profile = TrainingMethods.named(run.method)?.collapse ?? MethodCollapse()
        let contrastive = profile.negatives
        let defaultTemperature = TrainingMethods.named(run.method)?.defaultValue("temperature")
        switch verdict {
        case .diverged:
            if run.learningRate >= (run.optimizerName == "adam" ? 0.1 : 1) {
                return (.highLearningRate(run.learningRate, optimizer: run.optimizerName),
                        [run.optimizerName == "adam" ? "learning_rate: 0.001" : "learning_rate: 0.05", "schedule: \"cosine\""], 1)
            }
            return (.unexplained, ["learning_rate: \(shortNumber(Double(run.learningRate) / 10))"], 1)
        case .notLearning:
            if run.learningRate < 1e-6 { return (.lowLearningRate(run.learningRate), ["learning_rate: 0.001"], 1) }
            if contrastive, let t = run.number("temperature"), t >= 5 {
                return (.highTemperature(t), ["temperature: \(defaultTemperature.map(\.description) ?? "0.5")"], 4)
            }
            if run.identicalViews { return (.identicalViews, ["views: nil"], 5) }
            return (.unexplained, ["learning_rate: \(shortNumber(Double(run.learningRate) * 10))"], 1)
        case .completeCollapse, .dimensionalCollapse:
            if let risk = profile.risks.first(where: { $0.applies(run) }) { return (risk.cause, risk.fix, risk.lesson) }
            if contrastive, let t = run.number("temperature"), t >= 5 {
                return (.highTemperature(t), ["temperature: \(defaultTemperature.map(\.description) ?? "0.5")"], 4)
            }
            if contrastive, run.batchSize <= 8 { return (.tinyBatch(size: run.batchSize), ["batch_size: 256"], 4) }
            if run.identicalViews { return (.identicalViews, ["views: nil"], 5) }
            if run.learningRate >= (run.optimizerName == "adam" ? 0.1 : 1) {
                return (.highLearningRate(run.learningRate, optimizer: run.optimizerName), ["learning_rate: 0.001"], 1)
            }
            // Measured, not explained by the configuration: a variance term spreads the outputs
            // whatever state the networks came in (lesson 7), negatives do otherwise (lesson 4).
            return (.unexplained, profile.unexplainedFix, profile.unexplainedLesson)
        case .healthy:
            return (.unexplained, [], nil)
        }
    }
}

func shortNumber(_ v: Double) -> String { String(format: "%g", v) }

extension OutputStatistics {
    /// Every meter is a finite number.
    public var isFinite: Bool { std.isFinite && centredStd.isFinite && rankMe.isFinite && meanShare.isFinite }
    /// Every output is the same vector (all zero ones included, whose mean share is 0).
    public var isConstant: Bool { std == 0 && centredStd == 0 }
}
