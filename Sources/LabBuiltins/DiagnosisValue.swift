import Display
import Foundation
import LabScript
import LabSupport
import SelfSupervised

/// The result of `diagnose(run)` or `diagnose(enc, data)`: the collapse autopsy of
/// `CollapseDiagnosis`, read by scripts as a record. Fields (identifiers, in English in
/// every language): `.verdict` ("healthy", "complete collapse", "dimensional collapse",
/// "not learning", "diverged"), `.where` ("encoder", "projector", "predictor"; nil when
/// healthy), `.evidence` (a record: `thresholds`, the crossed thresholds as text; `loss`,
/// first/last/peak epoch loss and the method's `trivial` loss; one record of meters per
/// network output; `trajectory`, the loss and the located output's RankMe and mean share
/// from before the first step to the last epoch), `.cause` (a sentence), `.fix` (a list of
/// runnable `train` arguments), `.lesson` (the lesson that explains the fix).
public final class DiagnosisValue: HostObject {
    public let diagnosis: CollapseDiagnosis
    public let history: TrainingHistory

    init(_ diagnosis: CollapseDiagnosis, history: TrainingHistory) {
        self.diagnosis = diagnosis
        self.history = history
    }

    public var typeName: String { "diagnosis" }

    public var memberNames: [String] { ["verdict", "where", "evidence", "cause", "fix", "lesson"] }

    public var scriptDescription: String {
        let d = diagnosis
        var lines: [String] = []
        if let location = d.location {
            lines.append(Messages.text("diagnosis: {verdict} at the {output}", ["verdict": d.verdict.rawValue, "output": location.rawValue]))
        } else {
            lines.append(Messages.text("diagnosis: {verdict}", ["verdict": d.verdict.rawValue]))
        }
        var evidence = d.crossed
        if let first = d.firstLoss, let last = d.lastLoss {
            let trivial = d.trivialLoss.map { Messages.text("; the constant solution's loss is {value}", ["value": Self.number($0)]) } ?? ""
            evidence.append(Messages.text("loss {first} → {last} over {epochs} epochs", ["first": Self.number(first), "last": Self.number(last),
                                                                                         "epochs": String(d.epochs)]) + trivial)
        }
        if let e = d.located {
            evidence.append(Messages.text("{output}: mean share {share}, RankMe {rank} of {width} (peak {peak}), std {std}",
                                          ["output": e.output.rawValue, "share": Self.number(e.final.meanShare), "rank": Self.number(e.final.rankMe),
                                           "width": String(e.final.dimension), "peak": Self.number(e.peakRank), "std": Self.number(e.final.std)]))
        }
        lines.append(Messages.text("  evidence: {evidence}", ["evidence": evidence.joined(separator: Messages.text("; "))]))
        lines.append(Messages.text("  cause: {cause}", ["cause": cause]))
        if !d.fix.isEmpty {
            let lesson = d.lesson.map { Messages.text(" (lesson {number})", ["number": String($0)]) } ?? ""
            lines.append(Messages.text("  fix: {changes}", ["changes": d.fix.joined(separator: Messages.text(" or "))]) + lesson)
        }
        return lines.joined(separator: "\n")
    }

    /// The live monitor's one line: the verdict, where, since which epoch, and the fix.
    public static func liveWarning(_ d: CollapseDiagnosis, epoch: Int) -> String {
        let fix = d.fix.isEmpty ? "" : Messages.text(" — fix: {changes}", ["changes": d.fix.joined(separator: Messages.text(" or "))])
            + (d.lesson.map { Messages.text(" (lesson {number})", ["number": String($0)]) } ?? "")
        return Messages.text("⚠ {verdict} at the {output} from epoch {epoch}", ["verdict": d.verdict.rawValue, "output": d.location?.rawValue ?? "–",
                                                                            "epoch": String(epoch)]) + fix
    }

    /// The collapse dashboard `show(diagnose(run))` draws: per network output, the std of
    /// the L2-normalised outputs (log scale) and the centred RankMe from before the first step
    /// (epoch 0) to the last epoch; the singular values of each output's last measurement,
    /// centred, largest first, on a log scale (`spectrum()`); then the loss per epoch against
    /// the constant solution's loss.
    public func dashboard() throws -> [Chart] {
        let outputs = history.measuredOutputs
        let epochs = [0.0] + history.epochs.map { Double($0.epoch) }
        func series(_ meter: KeyPath<OutputStatistics, Double>) throws -> [Series] {
            try outputs.map { output in
                let values = [history.initialOutputs[output]] + history.epochs.map { $0.outputs[output] }
                return try Series(name: output.rawValue, x: epochs, y: values.map { $0?[keyPath: meter] ?? .nan })
            }
        }
        var charts: [Chart] = []
        if !outputs.isEmpty {
            charts.append(try plot(try series(\.std), title: Messages.text("std of the L2-normalised outputs, per epoch (0: before training)"),
                                   xLabel: Messages.text("epoch"), yLabel: "std", logY: true))
            charts.append(try plot(try series(\.rankMe), title: Messages.text("centred RankMe, per epoch (0: before training)"),
                                   xLabel: Messages.text("epoch"), yLabel: "rankme"))
            let spectra = try spectrum()
            if spectra.contains(where: { $0.y.contains { $0 > 0 && $0.isFinite } }) {
                charts.append(try plot(spectra, title: Messages.text("singular values of the last centred outputs, largest first (log scale)"),
                                       xLabel: "k", yLabel: "σ_k", logY: true))
            }
        }
        if !history.losses.isEmpty {
            let xs = history.epochs.map { Double($0.epoch) }
            var lines = [try Series(name: Messages.text("loss"), x: xs, y: history.losses)]
            if let trivial = diagnosis.trivialLoss {
                lines.append(try Series(name: Messages.text("constant solution"), x: xs, y: xs.map { _ in trivial }))
            }
            var loss = try plot(lines, title: Messages.text("loss per epoch against the constant solution's loss"), xLabel: Messages.text("epoch"), yLabel: Messages.text("loss"))
            loss.xCounts = true
            charts.append(loss)
        }
        return charts
    }

    /// Per network output, the singular values of its last measurement (after the last
    /// epoch, or before the first step when the run has none), centred, largest first,
    /// against k = 1, 2, …: the spectrum RankMe summarises. Outputs measured without a
    /// spectrum are left out.
    public func spectrum() throws -> [Series] {
        try history.measuredOutputs.compactMap { output in
            let last = history.epochs.last(where: { $0.outputs[output] != nil })?.outputs[output] ?? history.initialOutputs[output]
            guard let sigma = last?.singularValues, !sigma.isEmpty else { return nil }
            return try Series(name: output.rawValue, x: sigma.indices.map { Double($0 + 1) }, y: sigma)
        }
    }

    /// The cause as a sentence in the session's language.
    public var cause: String { Self.cause(diagnosis) }

    static func number(_ v: Double) -> String {
        guard v.isFinite else { return String(v) }
        return String(format: "%.4g", v)
    }

    /// `diagnosis.cause` as a sentence (`Messages`); an unexplained failure says what was measured.
    public static func cause(_ d: CollapseDiagnosis) -> String {
        if d.verdict == .healthy {
            return Messages.text("no failure measured: every meter stayed on the healthy side of its threshold")
        }
        switch d.cause {
        case .positivePairsOnly:
            return Messages.text("positive pairs only, with no predictor, no stop-gradient and no negatives: the constant solution has the lowest loss")
        case .noStopGradient:
            return Messages.text("SimSiam with stop_gradient: false: gradients flow through both branches, and the constant solution is within reach")
        case .noPredictor(let method):
            return Messages.text("{method} without its predictor (the one given does nothing): nothing breaks the symmetry between the two branches",
                                 ["method": TrainingMethods.named(method)?.title ?? method])
        case .noVarianceTerm:
            return Messages.text("VICReg with the variance weight μ = 0: no term keeps each dimension's spread up")
        case .noCovarianceTerm:
            return Messages.text("VICReg with the covariance weight ν = 0: nothing decorrelates the dimensions, so they can all copy the same few features")
        case .noRedundancyTerm:
            return Messages.text("Barlow Twins with λ = 0: nothing decorrelates the dimensions, so they can all copy the same few features")
        case .highTemperature(let t):
            return Messages.text("temperature {value}: every negative weighs about the same, so the loss no longer separates them",
                                 ["value": number(t)])
        case .tinyBatch(let size):
            return Messages.text("a batch of {size}: too few negatives to push the embeddings apart", ["size": String(size)])
        case .identicalViews:
            return Messages.text("views: none — both views are the same image, the task is trivial")
        case .highLearningRate(let rate, let optimizer):
            return Messages.text("learning rate {rate} with {optimizer}: the updates overshoot", ["rate": number(Double(rate)), "optimizer": optimizer])
        case .lowLearningRate(let rate):
            return Messages.text("learning rate {rate}: the steps are too small to change the networks", ["rate": number(Double(rate))])
        case .unexplained:
            return Messages.text("measured {measurement}; the configuration alone does not explain it", ["measurement": measurement(d)])
        }
    }

    /// What was measured at the located output, for an unexplained failure.
    static func measurement(_ d: CollapseDiagnosis) -> String {
        var parts = d.crossed
        if let e = d.located, d.epochs > 0 {
            parts.append(Messages.text("{output} before the first step: mean share {share}, RankMe {rank}",
                                       ["output": e.output.rawValue, "share": number(e.firstMeanShare), "rank": number(e.firstRank)]))
        }
        return parts.joined(separator: Messages.text("; "))
    }

    static func meters(_ e: OutputEvidence) -> Value {
        .record(Record([("std", .number(e.final.std)), ("centred_std", .number(e.final.centredStd)), ("rankme", .number(e.final.rankMe)),
                        ("mean_share", .number(e.final.meanShare)), ("dimension", .int(e.final.dimension)),
                        ("peak_rankme", .number(e.peakRank)), ("initial_rankme", .number(e.firstRank)),
                        ("initial_mean_share", .number(e.firstMeanShare))]))
    }

    var evidence: Value {
        let d = diagnosis
        func optional(_ v: Double?) -> Value { v.map(Value.number) ?? .nilValue }
        var fields: [(String, Value)] = [
            ("thresholds", .list(d.crossed.map(Value.string))),
            ("loss", .record(Record([("first", optional(d.firstLoss)), ("last", optional(d.lastLoss)), ("peak", optional(d.peakLoss)),
                                     ("trivial", optional(d.trivialLoss)), ("epochs", .int(d.epochs))]))),
        ]
        fields += d.outputs.map { ($0.output.rawValue, Self.meters($0)) }
        var trajectory: [(String, Value)] = [("loss", .list(history.losses.map(Value.number)))]
        if let output = d.located?.output {
            let series = [history.initialOutputs[output]] + history.epochs.map { $0.outputs[output] }
            trajectory.append(("rankme", .list(series.map { $0.map { Value.number($0.rankMe) } ?? .nilValue })))
            trajectory.append(("mean_share", .list(series.map { $0.map { Value.number($0.meanShare) } ?? .nilValue })))
        }
        fields.append(("trajectory", .record(Record(trajectory))))
        return .record(Record(fields))
    }

    public func field(_ name: String, context: CallContext) throws -> Value? {
        let d = diagnosis
        switch name {
        case "verdict": return .string(d.verdict.rawValue)
        case "where": return d.location.map { .string($0.rawValue) } ?? .nilValue
        case "evidence": return evidence
        case "cause": return .string(cause)
        case "fix": return .list(d.fix.map(Value.string))
        case "lesson": return d.lesson.map { .int($0) } ?? .nilValue
        default: return nil
        }
    }
}
