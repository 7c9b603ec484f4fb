/// Progress of the training loop, reported after every step (for progress bars).
public struct TrainingProgress: Sendable {
    /// Steps done so far (1 after the first step) and in total.
    public var step: Int
    public var totalSteps: Int
    /// The current epoch, 1-based, and the number of epochs.
    public var epoch: Int
    public var epochs: Int
    /// This step's loss.
    public var loss: Double
    /// Training examples per second so far.
    public var examplesPerSecond: Double
    /// The learning rate of this step.
    public var learningRate: Float
}

/// One epoch of the history: its mean loss, its metrics and how long it took.
public struct EpochRecord: Sendable {
    public var epoch: Int
    public var meanLoss: Double
    public var seconds: Double
    /// Whatever the `evaluate` callback returned after this epoch (e.g. `probe`, `std`).
    public var metrics: [String: Double]
}

/// How training ended.
public enum TrainingOutcome: Sendable, Equatable {
    case completed
    /// `shouldCancel` returned true before step `step` (1-based) ran.
    case cancelled(step: Int)
}

/// The result of `train`: one record per finished epoch, and how training ended.
public struct TrainingHistory: Sendable {
    public var epochs: [EpochRecord] = []
    public var outcome: TrainingOutcome = .completed
    public var steps = 0
    /// Wall-clock seconds of the whole run.
    public var seconds = 0.0
    /// CPU seconds the process used meanwhile (all threads; on a busy machine this is the
    /// fairer measure of the work done: wall time includes waiting for a core).
    public var cpuSeconds = 0.0
    public var losses: [Double] { epochs.map(\.meanLoss) }
}

/// Why training stopped with an error.
public enum TrainingError: Error, Equatable, CustomStringConvertible {
    /// The loss (or a gradient) stopped being a finite number.
    case nonFinite(method: String, step: Int, epoch: Int, what: String, likelyCause: String)
    /// The configuration cannot be trained (empty data, bad sizes).
    case invalidConfiguration(String)

    public var description: String {
        switch self {
        case let .nonFinite(method, step, epoch, what, cause):
            return "\(method): \(what) is not finite at step \(step) (epoch \(epoch)); likely cause: \(cause)"
        case let .invalidConfiguration(message):
            return "training: \(message)"
        }
    }
}
