import LabScript
import PyTorchExport
import SelfSupervised

/// `export_pytorch(enc, data, path, method: …)`: the experiment `train` would run, written
/// as a PyTorch + lightly folder. The exporter is module PyTorchExport; this file is its
/// script binding. It takes `train`'s own parameters, read from the `train` entry, so the
/// two cannot drift apart.
extension Builtins {
    static func pytorchExport(_ state: BuiltinState) -> BuiltinGroup {
        let trainParameters = methods(state).entries.first { $0.name == "train" }?.parameters ?? []
        let parameters = Array(trainParameters.prefix(2))
            + [Parameter("path", documentation: "the folder to write (created if missing; files in it are replaced)")]
            + trainParameters.dropFirst(2)
            + [Parameter.count("reference_steps", default: .number(0), in: 0...10_000,
                         documentation: "also run the lab's own training for this many steps and write reference.safetensors (losses, weights) for train.py --check-reference")]
        return BuiltinGroup("PyTorch export", [
            builtin("export_pytorch", parameters,
                    summary: "Writes the experiment train(...) would run as a PyTorch + lightly folder: train.py, init.safetensors, data, README.",
                    details: "Takes train's arguments and sets the experiment up exactly as train does (same heads, seed and views, drawn from the session in the same order), "
                        + "but does not train the encoder. train.py runs on CPU or GPU, under torchrun for DDP, on the exported data or CIFAR-10, "
                        + "and saves the encoder with the lab's names, so load(enc, path) brings it back. "
                        + "Methods: \(TrainingMethods.exportable.map(\.name).joined(separator: ", ")). From the shell: selfsup export-pytorch FILE.lab -o DIR.",
                    example: "enc = mlp([2, 8, 4])\nprint(export_pytorch(enc, blobs(count: 32), \"/tmp/selfsup-example-export\", method: \"simclr\", epochs: 1, batch_size: 16))",
                    lesson: LessonNumber.contrastive) { args, context in
                let steps = try args.count("reference_steps")
                return .string(try exportPyTorch(args, to: try args.string("path"), referenceSteps: steps, state: state, context: context))
            },
        ])
    }
}

extension BuiltinContext {
    /// `export_pytorch` for a `train(...)` call's own arguments (what `selfsup
    /// export-pytorch` does at the script's experiment): returns the one-line summary.
    public func exportPyTorch(_ args: BoundArguments, to directory: String, referenceSteps: Int, context: CallContext) throws -> String {
        try bridged(context) {
            try Builtins.exportPyTorch(args, to: directory, referenceSteps: referenceSteps, state: state, context: context)
        }
    }
}

extension Builtins {
    /// Sets up `train`'s arguments as `train` does (`TrainingSetup.experiment`), writes the
    /// folder and returns the one-line summary. The session generator moves on exactly as
    /// `train` would move it; the reference run sets the experiment up again from the same
    /// generator state, on copies of the networks.
    static func exportPyTorch(_ args: BoundArguments, to directory: String, referenceSteps: Int,
                              state: BuiltinState, context: CallContext) throws -> String {
        let before = state.rng
        let experiment = try located(args, context) { try pytorchExperiment(args, state: state, context: context) }
        let after = state.rng
        return try located(args, context) {
            try PyTorchExport.export(experiment, to: directory, referenceSteps: referenceSteps) {
                state.rng = before
                let copy = try pytorchExperiment(args, state: state, context: context, copyNetworks: true)
                state.rng = after
                return copy
            }
        }
    }

    /// The exporter's input for `train`'s arguments; `copyNetworks` builds the method on
    /// deep copies of the encoder and of given heads (for the reference run).
    static func pytorchExperiment(_ args: BoundArguments, state: BuiltinState, context: CallContext,
                                  copyNetworks: Bool = false) throws -> PyTorchExperiment {
        let setup = try TrainingSetup.experiment(args, state: state, context: context, networks: { copyNetworks ? $0.copy() : $0 })
        return try PyTorchExperiment(setup, caller: args.functionName)
    }

    /// Runs `body`, turning a `PyTorchExportError` into a script error: what train.py cannot
    /// express at its argument (a network's problem at the argument that gives it), an
    /// interrupted reference run and a file that cannot be written at the call.
    static func located<T>(_ args: BoundArguments, _ context: CallContext, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as PyTorchExportError {
            switch error.kind {
            case .unsupported:
                let argument = error.subject.map { ["method", "views", "encoder", "predictor"].contains($0) ? $0 : "projector" }
                let at = argument.map { args.range(of: $0) } ?? args.range(of: "encoder")
                throw RuntimeError(.argument, error.message, at: at ?? args.callRange)
            case .cancelled:
                throw RuntimeError(.cancelled, error.message, at: context.range)
            case .file:
                throw context.error(error.message)
            }
        }
    }
}
