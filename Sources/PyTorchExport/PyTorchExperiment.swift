import NeuralNet
import SelfSupervised
import TensorCore
import ToyData

/// One experiment set up but not run, as the exporter writes it: the method built from its
/// table entry (with its heads and settings), the training configuration and the data as
/// trained on. It is made from a `PreparedExperiment` (SelfSupervised's `Experiment` set
/// up: what `train` itself runs), so the export is what `train` would run.
///
/// What train.py cannot express is refused here: a method whose entry has no
/// `MethodExport`, and frozen parameters.
public struct PyTorchExperiment {
    /// The method's name in the table.
    public let methodName: String
    public let method: RepresentationMethod
    /// The trainable networks by their names in train.py, as the entry declares them
    /// (`TrainingMethod.trainedNetworks`): "encoder", then the heads by role.
    public let networks: [(name: String, module: Module)]
    /// The trained networks that train.py copies into EMA targets (`TrainingMethod.targetNetworks`).
    public let targets: [String]
    public let configuration: TrainingConfiguration
    public let data: Dataset
    /// How the method's entry says it is exported.
    let export: MethodExport
    /// The method's settings, as Python literals, by train.py's names.
    let hyperparameters: [(String, String)]
    /// The method's loss, as its entry declares it for these settings.
    let loss: MethodLoss

    /// `caller` starts the messages of the errors thrown here (the script function, e.g.
    /// `export_pytorch` or `train`).
    public init(methodName: String, built: BuiltMethod, configuration: TrainingConfiguration, data: Dataset,
                caller: String) throws {
        let method = built.method
        let entry = TrainingMethods.named(methodName)
        let names = entry?.trainedNetworks ?? []
        let modules = method.trainableModules
        // The networks are the entry's: the encoder, then the heads the factory built by those roles.
        guard let entry, let export = entry.export, names.count == modules.count, modules.first === method.encoder,
              built.heads.map(\.0) == Array(names.dropFirst()),
              zip(modules.dropFirst(), built.heads).allSatisfy({ $0 === $1.1 }) else {
            throw PyTorchExportError(.unsupported, subject: "method",
                                     "\(caller): the method \"\(methodName)\" (\(method.name)) cannot be exported to PyTorch yet; "
                                     + "exportable: \(TrainingMethods.exportable.map(\.name).joined(separator: ", "))")
        }
        if method.parameters.contains(where: { !$0.requiresGrad }) {
            throw PyTorchExportError(.unsupported, subject: "encoder",
                                     "\(caller): a network has frozen parameters, which the exporter cannot express; unfreeze it first")
        }
        self.methodName = methodName
        self.method = method
        self.networks = Array(zip(names, modules))
        self.targets = entry.targetNetworks.compactMap(\.targetOf)
        self.configuration = configuration
        self.data = data
        self.export = export
        let settings = entry.settings.map { spec in (spec, built.settings[spec.name] ?? spec.defaultValue) }
        self.hyperparameters = settings.map { (spec, value) in (spec.name, python(spec, value)) }
            + export.derivedSettings(method).map { ($0.name, python($0.value)) }
        self.loss = export.loss(Dictionary(settings.map { ($0.0.name, $0.1) }, uniquingKeysWith: { first, _ in first }))
    }

    /// The export of an experiment set up as `train` sets it up (`Experiment.prepare`).
    public init(_ prepared: PreparedExperiment, caller: String) throws {
        try self.init(methodName: prepared.methodName, built: prepared.built, configuration: prepared.configuration,
                      data: prepared.data, caller: caller)
    }

    /// Extra tensors of the initial state (MoCo's queue).
    var extraInitialTensors: [(name: String, tensor: Tensor)] { export.initialState(method) }

    /// The batch the loop uses (a data set smaller than one batch is one batch).
    var batchSize: Int { min(configuration.batchSize, data.count) }

    /// Every tensor of the trainable networks, named `network.tensor`.
    var prefixedState: [(name: String, tensor: Tensor)] {
        networks.flatMap { network in network.module.stateTensors().map { (network.name + "." + $0.name, $0.tensor) } }
    }
}

/// A setting as a Python literal: whole numbers for counts; other numbers as the Float the
/// method holds (its factory reads them with `MethodRequest.float`).
func python(_ spec: MethodSettingSpec, _ value: MethodOption) -> String {
    switch (spec.kind, value) {
    case (.count, .number(let v)): return python(.int(Int(v)))
    case (_, .number(let v)): return python(.float(Float(v)))
    case (_, .bool(let b)): return python(.bool(b))
    case (_, .string(let s)): return python(.string(s))
    }
}

func python(_ value: MethodExport.Value) -> String {
    switch value {
    case .float(let v): return python(v)
    case .int(let v): return "\(v)"
    case .bool(let b): return python(b)
    case .string(let s): return python(s)
    }
}

/// Why an experiment cannot be exported, or why the export stopped.
public struct PyTorchExportError: Error, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// The experiment has something train.py cannot express (`subject` names it).
        case unsupported
        /// The reference run was interrupted.
        case cancelled
        /// A file or folder could not be written (or the bundled template read).
        case file
    }
    public var kind: Kind
    /// What an `unsupported` problem belongs to: "method", "views", or a network's name
    /// in train.py ("encoder", "projector", "predictor", "head").
    public var subject: String?
    public var message: String
    public var description: String { message }

    public init(_ kind: Kind, subject: String? = nil, _ message: String) {
        self.kind = kind; self.subject = subject; self.message = message
    }
}
