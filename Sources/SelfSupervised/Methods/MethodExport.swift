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

    /// A method whose train.py needs nothing beyond its networks and the entry's settings.
    public init() {
        derivedSettings = { _ in [] }
        initialState = { _ in [] }
        initialStateDescription = nil
    }

    /// A method of class `M` that derives settings or starts from more than its networks.
    public init<M: RepresentationMethod>(_ type: M.Type,
                                         derivedSettings: @escaping @Sendable (M) -> [(name: String, value: Value)] = { _ in [] },
                                         initialState: @escaping @Sendable (M) -> [(name: String, tensor: Tensor)] = { _ in [] },
                                         initialStateDescription: String? = nil) {
        self.derivedSettings = { ($0 as? M).map(derivedSettings) ?? [] }
        self.initialState = { ($0 as? M).map(initialState) ?? [] }
        self.initialStateDescription = initialStateDescription
    }
}

extension TrainingMethod {
    /// This entry, exportable to PyTorch as `export` says.
    public func exported(_ export: MethodExport = MethodExport()) -> TrainingMethod {
        var entry = self
        entry.export = export
        return entry
    }
}

extension TrainingMethods {
    /// The methods the PyTorch export can write, in table order.
    public static var exportable: [TrainingMethod] { all.filter { $0.export != nil } }
}
