import Foundation
import NeuralNet
import SelfSupervised
import TensorCore

/// Writes an experiment as a folder a PyTorch user can run: train.py, init.safetensors,
/// data.safetensors, order.safetensors, README.md and, when asked, reference.safetensors
/// (the lab's own first steps, for the parity check).
///
/// train.py is the template `Resources/train.py` with the experiment's values and network
/// code filled in (`TrainScript`); the README is `ExportReadme`. This module knows nothing
/// of scripts: LabBuiltins turns `export_pytorch`'s (and `selfsup export-pytorch`'s)
/// arguments into a `PyTorchExperiment` and `PyTorchExportError`s into script errors.
public enum PyTorchExport {
    /// The permutations exported per run are capped at this many indices in all.
    static let maxOrderEntries = 1 << 22

    /// Writes the folder and returns a one-line summary. With `referenceSteps` > 0,
    /// `referenceCopy` gives the same experiment again on copies of the networks (set up
    /// from the same generator state), which the lab's own loop trains for that many
    /// steps; it is called after train.py is generated, so nothing runs for an experiment
    /// that cannot be exported.
    public static func export(_ experiment: PyTorchExperiment, to directory: String, referenceSteps: Int,
                              referenceCopy: () throws -> PyTorchExperiment) throws -> String {
        let title = "\(experiment.method.name) on \(experiment.data.name)"
        let script = try TrainScript.make(experiment, title: title)

        var reference: (losses: [Float], state: [(name: String, tensor: Tensor)])?
        if referenceSteps > 0 {
            reference = try run(try referenceCopy(), steps: referenceSteps)
        }

        let fm = FileManager.default
        do {
            try fm.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw PyTorchExportError(.file, "export_pytorch: cannot create the folder '\(directory)': \(error.localizedDescription)")
        }
        let c = experiment.configuration
        let n = experiment.data.count
        let orderEpochs = min(c.epochs, maxOrderEntries / max(n, 1))
        var order: [Float] = []
        for epoch in 0..<orderEpochs {
            let batches = try experiment.data.batches(size: experiment.batchSize, seed: c.seed &+ UInt64(epoch + 1), dropLast: c.dropLast)
            order += batches.order.map(Float.init)
        }
        let path = { (name: String) in (directory as NSString).appendingPathComponent(name) }
        let metadata = ["format": "pt", "generator": "SelfSup Lab export_pytorch", "experiment": title]
        try saveTensors(experiment.prefixedState + experiment.extraInitialTensors, to: path("init.safetensors"), metadata: metadata)
        try saveTensors([("inputs", experiment.data.inputs),
                         ("labels", Tensor(shape: [n], data: experiment.data.labels.map(Float.init)))],
                        to: path("data.safetensors"), metadata: metadata)
        try saveTensors([("order", Tensor(shape: [orderEpochs, n], data: order))], to: path("order.safetensors"), metadata: metadata)
        if let reference {
            // Whether the lab's views were the inputs themselves: only then can train.py repeat the run.
            let plain = c.views.map { $0.first.steps.allSatisfy { $0.probability <= 0 } && $0.second.steps.allSatisfy { $0.probability <= 0 } } ?? true
            try saveTensors([("losses", Tensor(shape: [reference.losses.count], data: reference.losses))] + reference.state,
                            to: path("reference.safetensors"), metadata: metadata.merging(["views": plain ? "none" : "random"]) { $1 })
        }
        try write(script, to: path("train.py"))
        try write(ExportReadme.make(experiment, title: title, referenceSteps: reference?.losses.count ?? 0, orderEpochs: orderEpochs),
                  to: path("README.md"))
        return "exported \(title) to \(directory): train.py, init.safetensors, data.safetensors, order.safetensors"
            + (reference != nil ? ", reference.safetensors" : "") + ", README.md"
    }

    /// The lab's own training loop (the one `train` runs) for the first `steps` steps: each
    /// step's loss and every network's tensors afterwards.
    static func run(_ e: PyTorchExperiment, steps: Int) throws -> (losses: [Float], state: [(name: String, tensor: Tensor)]) {
        var losses: [Float] = []
        _ = try SelfSupervised.train(e.method, on: e.data, configuration: e.configuration,
                      shouldCancel: { losses.count >= steps || OperationCancellation.requested },
                      progress: { losses.append(Float($0.loss)) })
        if OperationCancellation.requested {
            throw PyTorchExportError(.cancelled, "interrupted: the reference run stopped after \(losses.count) steps")
        }
        return (losses, e.prefixedState.map { ($0.name, Tensor(shape: $0.tensor.shape, data: $0.tensor.data)) })
    }

    /// Writes text atomically.
    static func write(_ text: String, to path: String) throws {
        do {
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        } catch {
            throw PyTorchExportError(.file, "export_pytorch: cannot write '\(path)': \(error.localizedDescription)")
        }
    }
}
