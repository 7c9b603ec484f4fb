import Foundation
import SelfSupervised

/// The README.md of an export folder: what is in it, the versions it was generated for,
/// the commands to run it and to bring the weights back into the lab.
enum ExportReadme {
    static func make(_ e: PyTorchExperiment, title: String, referenceSteps: Int, orderEpochs: Int) -> String {
        let versions = TrainScript.versions.map { "| \($0.0) | \($0.1) | \($0.2) |" }.joined(separator: "\n")
        let encoder = (e.networks.first?.module.summary ?? "").split(separator: "\n")
            .map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
        let reference = referenceSteps > 0 ? """
            - `reference.safetensors`: the lab's own run of this experiment for its first \(referenceSteps) steps
              (`losses`, and every network's weights after them, named `encoder.…`, `projector.…`).

            """ : ""
        return """
            # \(title): a PyTorch + lightly export

            Written by SelfSup Lab's `export_pytorch` (or `selfsup export-pytorch`). The same experiment as
            the lab's `train(..., method: "\(e.methodName)")`: networks, initial weights, loss, optimiser,
            learning-rate schedule, batch order and view parameters.

            ## Files

            - `train.py`: the experiment in PyTorch, lightly's losses, heads, `update_momentum` and
              `cosine_schedule`; torchvision v2 transforms for the views; runs on one process or under torchrun.
            - `init.safetensors`: the lab's initial weights, named `encoder.<lab name>`, `projector.…`\(e.export.initialStateDescription.map { ", and " + $0 } ?? "").
            - `data.safetensors`: the data set `\(e.data.name)` (\(e.data.count) samples of \(e.data.sampleShape)): `inputs` (float32) and `labels` (class indices stored as float32).
            - `order.safetensors`: the lab's batch order, one permutation per epoch for the first \(orderEpochs) epochs (`order`, float32); later epochs shuffle with torch.
            \(reference)- `README.md`: this file.

            ## Versions

            | package | written for | checked with |
            |---|---|---|
            \(versions)

            Install: `python3 -m venv venv && venv/bin/pip install torch torchvision lightly safetensors`.

            ## Run

            ```
            python train.py --epochs 1 --out weights.safetensors          # one process, CPU or --device cuda
            torchrun --nproc_per_node 2 train.py --device cpu --epochs 1   # DDP, 2 processes (gloo; nccl on GPUs)
            python train.py --data cifar10 --data-dir DIR                  # CIFAR-10 from torchvision (download it yourself)
            python train.py --data imagefolder --data-dir DIR              # your own images, class per folder
            python train.py --views none --check-reference reference.safetensors   # parity with the lab
            ```

            `--batch-size` is the global batch: under torchrun each of the N processes takes 1/N of it, BatchNorm
            and the losses see the whole batch (lightly's `gather_distributed=True`; Barlow Twins gathers the
            embeddings first, because lightly's distributed form standardises each process's part on its own),
            so N processes train as one process would. CIFAR-10 or folder images are resized to \(e.data.sampleShape)
            (grey when the encoder takes one channel).

            ## Back in the lab

            `--out` holds the encoder under the lab's names:

            ```
            enc = …   # an encoder of the exported architecture, e.g. the script's own mlp(...) or convnet(...) call
            load(enc, "weights.safetensors")
            ```

            The exported encoder is `\(encoder)`.

            Then probe, plot and measure it as any lab model (`linear_probe`, `knn_accuracy`, `embedding_std`, …).

            ## What is not the same

            - Random numbers: torch's generator draws other augmentations than the lab's (same distribution,
              different images). Parity checks therefore use `--views none` with an export made with `views: "none"`.
            - Views on CIFAR-10 or your images use the exported parameters (crop size, jitter, …) as they are.
            """
    }
}
