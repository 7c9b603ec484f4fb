import TensorCore

/// How the PyTorch export (module PyTorchExport) writes a method: set on its table entry
/// with `exported(_:)`; an entry without it cannot be exported (train.py has no code for
/// its loss). train.py's networks are the ones the entry declares (`TrainingMethod.networks`):
/// the trained ones by their names ("encoder", "projector", "predictor", "head"), in the order
/// of `trainableModules`, and EMA copies of those its targets copy; its settings are the entry's own, with the values the method was built with
/// (`BuiltMethod.settings`). A `MethodExport` adds what the method derives itself.
public struct MethodExport: Sendable {
    /// A setting's value as train.py reads it.
    public enum Value: Sendable, Equatable {
        case float(Float)
        case int(Int)
        case bool(Bool)
        case string(String)
    }

    /// Settings train.py reads that the method derives (MoCo: the width of its keys),
    /// written after the entry's own.
    public let derivedSettings: @Sendable (RepresentationMethod) -> [(name: String, value: Value)]
    /// Tensors train.py starts from besides the networks' weights (MoCo: its queue of keys),
    /// stored in init.safetensors.
    public let initialState: @Sendable (RepresentationMethod) -> [(name: String, tensor: Tensor)]
    /// How the export's README names `initialState`, e.g. "MoCo's initial `queue`".
    public let initialStateDescription: String?
    /// The method's loss as train.py computes it, for the settings' values the method was
    /// built with (DCL's `weighted` and positive-only's `distance` choose the criterion).
    public let loss: @Sendable (_ settings: [String: MethodOption]) -> MethodLoss

    /// A method whose train.py needs nothing beyond its networks, the entry's settings and its loss.
    public init(loss: MethodLoss) {
        self.init(loss: { _ in loss })
    }

    /// A method whose loss depends on the values of its settings.
    public init(loss: @escaping @Sendable (_ settings: [String: MethodOption]) -> MethodLoss) {
        derivedSettings = { _ in [] }
        initialState = { _ in [] }
        initialStateDescription = nil
        self.loss = loss
    }

    /// A method of class `M` that derives settings or starts from more than its networks.
    public init<M: RepresentationMethod>(_ type: M.Type, loss: MethodLoss,
                                         derivedSettings: @escaping @Sendable (M) -> [(name: String, value: Value)] = { _ in [] },
                                         initialState: @escaping @Sendable (M) -> [(name: String, tensor: Tensor)] = { _ in [] },
                                         initialStateDescription: String? = nil) {
        self.loss = { _ in loss }
        self.derivedSettings = { ($0 as? M).map(derivedSettings) ?? [] }
        self.initialState = { ($0 as? M).map(initialState) ?? [] }
        self.initialStateDescription = initialStateDescription
    }
}

extension TrainingMethod {
    /// This entry, exportable to PyTorch as `export` says.
    public func exported(_ export: MethodExport) -> TrainingMethod {
        var entry = self
        entry.export = export
        return entry
    }
}

extension TrainingMethods {
    /// The methods the PyTorch export can write, in table order.
    public static var exportable: [TrainingMethod] { all.filter { $0.export != nil } }
}

/// A method's loss as train.py computes it: written into train.py's `LOSS`, which its one
/// `Method` class reads (train.py has no code per method). The loss is `criterion` (a
/// lightly loss class, or one of train.py's formulas: its `CRITERIA`) made with `arguments`,
/// applied to `first` and `second`, each a pair of tensors by view.
public struct MethodLoss: Sendable {
    /// What one side of the loss is.
    public enum Side: String, Sendable, CaseIterable {
        /// The projector's outputs on the two views.
        case projections
        /// The predictor's outputs on the projections.
        case predictions
        /// The classifier head's outputs on the inputs (one view: the inputs themselves).
        case head
        /// The EMA target networks' projections of the two views (no gradient).
        case targets
        /// The examples' labels.
        case labels
        /// The nearest neighbour (cosine; ties: the lower row) of each of the two views'
        /// projections among the rows of the queue, the support set (NNCLR); no gradient.
        case neighbours
    }

    /// A queue of unit-length keys kept across steps (`MethodExport.initialState`'s "queue":
    /// its rows at the start), a ring buffer as `KeyQueue`: after each optimiser step `joins`
    /// of the views `views` (1, 2; in this order) is L2-normalised and written over the oldest
    /// rows, as the method's `afterStep` does.
    public struct Queue: Sendable, Equatable {
        /// The side whose outputs of the step join the queue (computed before the step).
        public let joins: Side
        /// The views whose outputs join, in order: MoCo [1, 2], NNCLR [2].
        public let views: [Int]
        /// The criterion's keyword argument the queue is passed as (MoCo's "queue"); nil: the
        /// criterion does not read it (NNCLR reads it through the `neighbours` side).
        public let argument: String?

        public init(joins: Side, views: [Int], argument: String? = nil) {
            precondition(!views.isEmpty && views.allSatisfy { $0 == 1 || $0 == 2 }, "MethodLoss.Queue: views are 1 and 2")
            self.joins = joins
            self.views = views
            self.argument = argument
        }
    }

    /// An argument's value: a setting of the method (as train.py's `EXPERIMENT` holds it) or a constant.
    public enum Argument: Sendable, Equatable {
        case setting(String)
        case constant(MethodExport.Value)
    }

    /// The lightly loss class or train.py formula, e.g. "NTXentLoss", "InfoNCE", "squared_distance".
    public let criterion: String
    /// The criterion's keyword arguments, in order.
    public let arguments: [(name: String, value: Argument)]
    public let first: Side
    public let second: Side
    /// The mean of the loss of (first of view 1, second of view 2) and of (first of view 2,
    /// second of view 1); otherwise the first pair only (with labels: first of view 1).
    public let symmetric: Bool
    /// Both sides gathered from every process before the criterion (Barlow Twins standardises
    /// over the global batch).
    public let gather: Bool
    /// Whether the second side is detached (a setting, or a constant).
    public let stopGradient: Argument
    /// The queue of keys the loss reads, as its criterion's argument (MoCo's negatives) or
    /// through the `neighbours` side (NNCLR's support set); nil: none.
    public let queue: Queue?

    public init(_ criterion: String, _ arguments: KeyValuePairs<String, Argument> = [:], first: Side, second: Side,
                symmetric: Bool = false, gather: Bool = false, stopGradient: Argument = .constant(.bool(false)),
                queue: Queue? = nil) {
        precondition(queue != nil || (first != .neighbours && second != .neighbours),
                     "MethodLoss: the neighbours side needs a queue, the support set")
        self.criterion = criterion
        self.arguments = arguments.map { ($0.key, $0.value) }
        self.first = first
        self.second = second
        self.symmetric = symmetric
        self.gather = gather
        self.stopGradient = stopGradient
        self.queue = queue
    }
}
