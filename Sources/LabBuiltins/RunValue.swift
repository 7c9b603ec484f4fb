import LabScript
import SelfSupervised

/// The result of `train(...)`: `.loss` (the last epoch's mean loss), `.losses` (one per
/// epoch), `.history` (a record per epoch: epoch, loss, seconds and the method's own
/// metrics, e.g. DeepCluster's nmi, reseeded, largest_cluster), `.steps`, `.seconds` (wall), `.cpu_seconds`,
/// `.method`, `.interrupted` (true when Ctrl-C stopped it: the losses so far), and the
/// method's `.projector` / `.predictor` models when it has them.
public final class RunValue: HostObject {
    public let history: TrainingHistory
    let methodName: String
    let settings: String
    let heads: [(String, Value)]
    /// Stopped by an interrupt before its last step (`.interrupted`).
    let interrupted: Bool

    init(history: TrainingHistory, methodName: String, settings: String, heads: [(String, Value)], interrupted: Bool = false) {
        self.history = history
        self.methodName = methodName
        self.settings = settings
        self.heads = heads
        self.interrupted = interrupted
    }

    public var typeName: String { "run" }

    public var scriptDescription: String {
        let losses = history.losses.map { Value.format(($0 * 10_000).rounded() / 10_000) }.joined(separator: ", ")
        return "\(methodName) (\(settings)): \(history.epochs.count) epochs, \(history.steps) steps, loss per epoch [\(losses)]"
            + (interrupted ? " (interrupted)" : "")
    }

    public var memberNames: [String] { ["loss", "losses", "history", "steps", "seconds", "cpu_seconds", "method", "interrupted"] + heads.map(\.0) }

    public func field(_ name: String, context: CallContext) throws -> Value? {
        switch name {
        case "loss": return history.losses.last.map { .number($0) } ?? .nilValue
        case "losses": return .list(history.losses.map { .number($0) })
        case "history":
            return .list(history.epochs.map { record in
                .record(Record([("epoch", .int(record.epoch)), ("loss", .number(record.meanLoss)), ("seconds", .number(record.seconds))]
                               + record.metrics.sorted { $0.key < $1.key }.map { ($0.key, Value.number($0.value)) }))
            })
        case "steps": return .int(history.steps)
        case "seconds": return .number(history.seconds)
        case "cpu_seconds": return .number(history.cpuSeconds)
        case "method": return .string(methodName)
        case "interrupted": return .bool(interrupted)
        default: return heads.first { $0.0 == name }?.1
        }
    }
}
