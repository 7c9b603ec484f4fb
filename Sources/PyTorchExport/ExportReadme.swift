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

            ## On GPUs, with real data and real backbones

            ```
            python train.py --device cuda --data imagefolder --data-dir DIR --workers 8     # views on the GPU, in batches
            python train.py --device cuda --data cifar10 --data-dir DIR --workers 8 \\
                --backbone resnet18 --precision bf16 --channels-last --compile            # a real backbone, mixed precision
            python train.py --device cuda --data imagefolder --data-dir DIR --workers 8 --benchmark 50   # images/s
            python train.py --log run.csv --checkpoint ckpt --knn-every 5                 # log, resume, kNN accuracy
            ```

            - Views: `--views-on device` (the default on CUDA) makes both views of the whole batch at once on
              the GPU, each image with its own random parameters drawn from the same distributions as the
              per-image torchvision transforms of train.py; `--views-on cpu` (the default on the CPU) runs those
              transforms image by image in the DataLoader's workers.
            - Data: CIFAR-10 and image folders are decoded batch by batch by `--workers` processes (pinned
              memory, non-blocking copies, persistent workers), never all at once unless `--cache`; the
              exported data set stays in memory.
            - `--backbone resnet18|resnet50`: torchvision's ResNet (for images up to 64 pixels the CIFAR stem:
              a 3×3 first convolution and no max-pool), randomly initialised, with the heads resized to its
              features; `--out` then holds it under PyTorch's names (the lab has no ResNet to load it into).
              The default, `lab`, is the exported encoder: the parity path.
            - `--precision bf16` runs the networks under autocast (the losses stay float32); `--channels-last`
              and `--compile` (torch.compile) help convolutions on GPUs.
            - `--log FILE.csv`: step, loss, learning rate, images/s. `--checkpoint DIR`: the whole state after
              each epoch (and each `--checkpoint-every` steps), written atomically; run the same command
              again after a kill and it resumes where the checkpoint left off, with the same numbers as an
              uninterrupted run (exactly so when the views are made on the device or `--workers 0`: the
              per-image views of restarted workers draw other random numbers).
            - `--knn-every N`: every N epochs the kNN top-1 accuracy of the encoder's features on a held-out
              split (CIFAR-10's test set, else `--knn-holdout` of the data, kept out of training): k = 200,
              cosine similarity, temperature 0.1 (lightly's `knn_predict`), printed with the best so far.
            - `--benchmark N`: N steps after `--warmup` steps; prints images/s, the step time split into the
              wait for the data loader and the rest (views on the device, forward, backward, optimiser),
              and the peak GPU memory. These are the throughput numbers to trust: they are measured on your
              machine, with your data. If the data wait is a large part of the step, raise `--workers`.

            What changes between the CPU, one GPU and many: on the CPU, `--device cpu`, views image by image,
            float32; on one GPU, `--device cuda`, views on the GPU, and `--precision bf16 --channels-last`
            for convolutional backbones; on G GPUs of one machine, `torchrun --nproc_per_node G train.py`
            (nccl, SyncBatchNorm, each process takes `--batch-size`/G of the global batch); on several
            machines, the same command on each with a rendezvous that every machine can reach:

            ```
            torchrun --nnodes 2 --nproc_per_node 8 --rdzv_backend c10d --rdzv_endpoint HOST:29500 --rdzv_id RUN \\
                train.py --device cuda --data imagefolder --data-dir DIR --workers 8 --batch-size 1024
            ```

            HOST is one of the machines (its address as the others see it), RUN any name shared by the
            machines of one run; the data must be at DIR on every machine.

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
