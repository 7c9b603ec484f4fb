import LabScript
import LabSupport
import SelfSupervised

/// The result of `train(...)`: `.loss` (the last epoch's mean loss), `.losses` (one per
/// epoch), `.history` (the run epoch by epoch, a `HistoryValue`), `.steps`, `.seconds`
/// (wall), `.cpu_seconds`, `.method`, `.interrupted` (true when Ctrl-C stopped it: the
/// epochs so far), and the method's `.projector` / `.predictor` models when it has them.
public final class RunValue: HostObject {
    public let history: TrainingHistory
    let methodName: String
    let settings: String
    let heads: [(String, Value)]
    /// Stopped by an interrupt before its last step (`.interrupted`).
    let interrupted: Bool
    /// The configuration as `diagnose(run)` words its cause and fix (nil: unknown).
    let description: RunDescription?

    init(history: TrainingHistory, methodName: String, settings: String, heads: [(String, Value)], interrupted: Bool = false,
         description: RunDescription? = nil) {
        self.history = history
        self.methodName = methodName
        self.settings = settings
        self.heads = heads
        self.interrupted = interrupted
        self.description = description
    }

    public var typeName: String { "run" }

    public var scriptDescription: String {
        let losses = history.losses.map { Value.format(($0 * 10_000).rounded() / 10_000) }.joined(separator: ", ")
        let arguments = ["method": methodName, "settings": settings, "epochs": String(history.epochs.count),
                         "steps": String(history.steps), "losses": losses]
        return interrupted
            ? Messages.text("{method} ({settings}): {epochs} epochs, {steps} steps, loss per epoch [{losses}] (interrupted)", arguments)
            : Messages.text("{method} ({settings}): {epochs} epochs, {steps} steps, loss per epoch [{losses}]", arguments)
    }

    public var memberNames: [String] { ["loss", "losses", "history", "steps", "seconds", "cpu_seconds", "method", "interrupted"] + heads.map(\.0) }

    public func field(_ name: String, context: CallContext) throws -> Value? {
        switch name {
        case "loss": return history.losses.last.map { .number($0) } ?? .nilValue
        case "losses": return .list(history.losses.map { .number($0) })
        case "history": return .host(HistoryValue(history))
        case "steps": return .int(history.steps)
        case "seconds": return .number(history.seconds)
        case "cpu_seconds": return .number(history.cpuSeconds)
        case "method": return .string(methodName)
        case "interrupted": return .bool(interrupted)
        default: return heads.first { $0.0 == name }?.1
        }
    }
}

/// A run's history (`run.history`), read as columns or as rows. One row per finished
/// epoch (an interrupted run: the epochs it finished).
///
/// - Columns, a list with one entry per epoch: `.epoch`, `.loss` (the epoch's mean loss),
///   `.seconds`, the method's own metrics (`.nmi`, `.largest_cluster`, `.reseeded` for
///   DeepCluster; `.target_distance` for BYOL), and per network output `.encoder`,
///   `.projector`, `.predictor` (those the method has): a record of the collapse meters
///   of `OutputStatistics` on the run's fixed probe batch, each a column:
///   `.std`, `.centred_std`, `.rankme`, `.mean_share` (e.g. `run.history.projector.std`).
/// - `.initial`: the same meters before the first step (`initial.projector.std`), and
///   `.probe_size`: how many training inputs the probe batch holds.
/// - Rows: `h[i]` (negative from the end) and `.rows` give a record per epoch
///   (`h[-1].projector.rankme`); `len(h)` is the number of epochs. `h["projector"]` is
///   the field named by a string (a column or output chosen by a variable).
public final class HistoryValue: HostObject {
    public let history: TrainingHistory

    init(_ history: TrainingHistory) { self.history = history }

    public var typeName: String { "history" }

    /// The meters of `OutputStatistics`, by their script names.
    static var meters: [(String, KeyPath<OutputStatistics, Double>)] {
        [("std", \.std), ("centred_std", \.centredStd), ("rankme", \.rankMe), ("mean_share", \.meanShare)]
    }

    /// The method's metric names, in order (every epoch's, first seen first).
    var metricNames: [String] {
        var names: [String] = []
        for record in history.epochs { for key in record.metrics.keys.sorted() where !names.contains(key) { names.append(key) } }
        return names
    }

    var outputNames: [String] { history.measuredOutputs.map(\.rawValue) }

    public var scriptDescription: String {
        Messages.text("history of {epochs} epochs: columns {columns}; {outputs} each with {meters}",
                      ["epochs": String(history.epochs.count),
                       "columns": (["epoch", "loss", "seconds"] + metricNames).joined(separator: ", "),
                       "outputs": outputNames.isEmpty ? "–" : outputNames.joined(separator: ", "),
                       "meters": Self.meters.map(\.0).joined(separator: ", ")])
    }

    public var memberNames: [String] {
        ["epoch", "loss", "seconds"] + metricNames + outputNames + ["initial", "probe_size", "rows", "len"]
    }

    static func meters(_ statistics: OutputStatistics?) -> Value {
        guard let statistics else { return .nilValue }
        return .record(Record(meters.map { ($0.0, .number(statistics[keyPath: $0.1])) }))
    }

    func row(_ record: EpochRecord) -> Value {
        .record(Record([("epoch", .int(record.epoch)), ("loss", .number(record.meanLoss)), ("seconds", .number(record.seconds))]
                       + record.metrics.sorted { $0.key < $1.key }.map { ($0.key, Value.number($0.value)) }
                       + history.measuredOutputs.map { ($0.rawValue, Self.meters(record.outputs[$0])) }))
    }

    public func field(_ name: String, context: CallContext) throws -> Value? {
        let epochs = history.epochs
        switch name {
        case "epoch": return .list(epochs.map { .int($0.epoch) })
        case "loss": return .list(epochs.map { .number($0.meanLoss) })
        case "seconds": return .list(epochs.map { .number($0.seconds) })
        case "len": return .int(epochs.count)
        case "rows": return .list(epochs.map(row))
        case "probe_size": return .int(history.probeSize)
        case "initial":
            return .record(Record(history.measuredOutputs.map { ($0.rawValue, Self.meters(history.initialOutputs[$0])) }))
        default:
            if let output = NetworkOutput(rawValue: name), history.measuredOutputs.contains(output) {
                return .record(Record(Self.meters.map { meter in
                    (meter.0, Value.list(history.series(output, meter.1).map { $0.map(Value.number) ?? .nilValue }))
                }))
            }
            guard metricNames.contains(name) else { return nil }
            return .list(epochs.map { $0.metrics[name].map(Value.number) ?? .nilValue })
        }
    }

    public func index(_ components: [IndexComponent], context: CallContext) throws -> Value? {
        if components.count == 1, case .value(.string(let name)) = components[0], let column = try field(name, context: context) {
            return column
        }
        guard components.count == 1, case .integer(let position) = components[0] else {
            throw context.error(Messages.text("a history is indexed by one epoch's position, as h[0] or h[-1], or by a column's name, as h[\"loss\"]"))
        }
        guard let resolved = IndexComponent.resolve(position, count: history.epochs.count) else {
            throw RuntimeError(.index, Messages.text("epoch position {position} is out of range for a history of {count} epochs",
                                                     ["position": String(position), "count": String(history.epochs.count)]),
                               at: context.range)
        }
        return row(history.epochs[resolved])
    }
}
