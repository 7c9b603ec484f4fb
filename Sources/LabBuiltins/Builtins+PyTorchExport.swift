import LabScript

/// `export_pytorch(enc, data, path, method: …)`: the experiment `train` would run, written
/// as a PyTorch + lightly folder (see `PyTorchExport`). It takes `train`'s own parameters,
/// read from the `train` entry, so the two cannot drift apart.
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
                        + "Methods: simclr, moco, byol, simsiam, barlow, vicreg, dcl, positive-only, supervised. From the shell: selfsup export-pytorch FILE.lab -o DIR.",
                    example: "enc = mlp([2, 8, 4])\nprint(export_pytorch(enc, blobs(count: 32), \"/tmp/selfsup-example-export\", method: \"simclr\", epochs: 1, batch_size: 16))",
                    lesson: LessonNumber.contrastive) { args, context in
                let steps = try args.count("reference_steps")
                return .string(try PyTorchExport.export(args, to: try args.string("path"), referenceSteps: steps, state: state, context: context))
            },
        ])
    }
}

extension BuiltinContext {
    /// `export_pytorch` for a `train(...)` call's own arguments (what `selfsup
    /// export-pytorch` does at the script's experiment): returns the one-line summary.
    public func exportPyTorch(_ args: BoundArguments, to directory: String, referenceSteps: Int, context: CallContext) throws -> String {
        try bridged(context) {
            try PyTorchExport.export(args, to: directory, referenceSteps: referenceSteps, state: state, context: context)
        }
    }
}
