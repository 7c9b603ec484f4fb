import LabScript
import NeuralNet
import SelfSupervised
import TensorCore
import ToyData

/// One `train(...)` call, set up exactly as `train` sets it up (same seed draw, default
/// views, flattening, heads and MoCo queue from the session generator, in the same order),
/// but not run: what `export_pytorch` and `selfsup export-pytorch` write out.
///
/// The arguments are read by `TrainingSetup.experiment`, the code `train` itself uses;
/// `PyTorchExportTests` checks that a full reference run of the export gives the same
/// per-epoch losses as `train` in a fresh session with the same seed.
struct PyTorchExperiment {
    var methodName: String
    var method: RepresentationMethod
    /// The trainable networks by their names in the script: encoder, projector, predictor, head.
    var networks: [(name: String, module: Module)]
    var configuration: TrainingConfiguration
    var data: Dataset
    /// Hyperparameters of the method, as Python literals, by the script's names.
    var hyperparameters: [(String, String)]

    /// The networks of lab `method` by their script names, in the order of `trainableModules`.
    static func networkNames(_ method: RepresentationMethod) -> [String]? {
        switch method {
        case is SimCLR, is MoCo, is DCLMethod, is BarlowTwins, is VICReg, is PositiveOnlySiamese: return ["encoder", "projector"]
        case is BYOL, is SimSiam: return ["encoder", "projector", "predictor"]
        case is Supervised: return ["encoder", "head"]
        default: return nil
        }
    }

    /// Sets up the call with `train`'s arguments. `copyNetworks` builds the method on deep
    /// copies of the encoder and of given heads (for the reference run).
    static func make(_ args: BoundArguments, state: BuiltinState, context: CallContext, seed givenSeed: UInt64? = nil,
                     copyNetworks: Bool = false) throws -> (PyTorchExperiment, seed: UInt64) {
        let setup = try TrainingSetup.experiment(args, state: state, context: context, seed: givenSeed,
                                                 networks: { copyNetworks ? $0.copy() : $0 })
        let (methodName, c, data) = (setup.methodName, setup.configuration, setup.data)
        let method = setup.built.method
        guard let names = networkNames(method) else {
            throw RuntimeError(.argument, "\(args.functionName): the method \"\(methodName)\" (\(method.name)) cannot be exported to PyTorch yet; "
                               + "exportable: simclr, moco, byol, simsiam, barlow, vicreg, dcl, positive-only, supervised", at: args.range(of: "method"))
        }
        if method.parameters.contains(where: { !$0.requiresGrad }) {
            throw RuntimeError(.argument, "\(args.functionName): a network has frozen parameters, which the exporter cannot express; unfreeze it first",
                               at: args.range(of: "encoder"))
        }
        let experiment = PyTorchExperiment(methodName: methodName, method: method, networks: Array(zip(names, method.trainableModules)),
                                           configuration: c, data: data, hyperparameters: hyperparameters(of: method))
        return (experiment, c.seed)
    }

    /// The settings of the method object, as the script's EXPERIMENT entries.
    static func hyperparameters(of method: RepresentationMethod) -> [(String, String)] {
        switch method {
        case let m as SimCLR: return [("temperature", python(m.temperature))]
        case let m as DCLMethod: return [("temperature", python(m.temperature))]
        case let m as MoCo:
            return [("temperature", python(m.temperature)), ("momentum", python(m.momentum)),
                    ("momentum_schedule", python(m.momentumSchedule)), ("queue_size", "\(m.queue.capacity)"),
                    ("embedding_dim", "\(m.queue.dimension)")]
        case let m as BYOL: return [("momentum", python(m.momentum)), ("momentum_schedule", python(m.momentumSchedule))]
        case let m as SimSiam: return [("stop_gradient", python(m.stopGradient))]
        case let m as BarlowTwins: return [("lambda", python(m.lambda))]
        case let m as VICReg: return [("lambda", python(m.lambda)), ("mu", python(m.mu)), ("nu", python(m.nu))]
        case let m as PositiveOnlySiamese: return [("distance", python(m.distance.rawValue))]
        default: return []
        }
    }

    /// Extra tensors of the initial state: MoCo's queue.
    var extraInitialTensors: [(name: String, tensor: Tensor)] {
        (method as? MoCo).map { [("queue", $0.queue.keys)] } ?? []
    }

    /// The batch the loop uses (a data set smaller than one batch is one batch).
    var batchSize: Int { min(configuration.batchSize, data.count) }

    /// Every tensor of the trainable networks, named `network.tensor`.
    var prefixedState: [(name: String, tensor: Tensor)] {
        networks.flatMap { network in network.module.stateTensors().map { (network.name + "." + $0.name, $0.tensor) } }
    }
}
