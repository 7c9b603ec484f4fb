import SelfSupervised

/// train.py: a generated head (the experiment's settings, its networks as `torch.nn`
/// modules, the name mapping, the views) followed by the fixed `runtime` and `method` parts.
enum TrainScript {
    /// The library versions the script is written for, and those it was checked with.
    static let versions = [
        ("lightly", "1.6", "1.6.0"), ("torch", "2.x", "2.15.0"), ("torchvision", "≥ 0.21 (v2.GaussianNoise)", "0.29.2"),
        ("safetensors", "any", "0.8.0"),
    ]

    static func make(_ e: PyTorchExperiment, title: String) throws -> String {
        let c = e.configuration
        let shape = e.data.sampleShape
        var settings: [(String, String)] = [
            ("method", python(e.methodName)), ("data", python(e.data.name)),
            ("input_shape", "[" + shape.map(String.init).joined(separator: ", ") + "]"), ("count", "\(e.data.count)"),
            ("epochs", "\(c.epochs)"), ("batch_size", "\(e.batchSize)"), ("learning_rate", python(c.learningRate)),
        ]
        switch c.optimizer {
        case let .adam(wd): settings += [("optimizer", "\"adam\""), ("weight_decay", python(wd))]
        case let .sgd(_, wd): settings += [("optimizer", "\"sgd\""), ("weight_decay", python(wd))]
        case let .lars(_, wd): settings += [("optimizer", "\"lars\""), ("weight_decay", python(wd))]
        }
        switch c.schedule {
        case .constant: settings += [("schedule", "\"constant\""), ("warmup_epochs", "0")]
        case let .cosine(w): settings += [("schedule", "\"cosine\""), ("warmup_epochs", "\(w)")]
        }
        settings += [("seed", "\(c.seed)"), ("flatten_inputs", python(c.flattenInputs))] + e.hyperparameters

        var networks = "", names = ""
        for (name, module) in e.networks {
            let network: PyTorchNetwork
            do {
                network = try PyTorchNetwork.make(module, head: name != "encoder")
            } catch var error as PyTorchExportError {
                error.argument = name == "encoder" ? "encoder" : (name == "predictor" ? "predictor" : "projector")
                throw error
            }
            networks += "        \(python(name)): " + indent(network.code, by: "        ") + ",\n"
            names += "    \(python(name)): {\n" + network.names.map { "        \(python($0.torch)): \(python($0.lab)),\n" }.joined() + "    },\n"
        }
        let (h, w) = e.data.inputs.rank == 4 ? (e.data.inputs.shape[2], e.data.inputs.shape[3]) : (1, 1)
        let views = try e.configuration.views.map { v in
            (try PyTorchViewCode.pipeline(v.first, height: h, width: w), try PyTorchViewCode.pipeline(v.second, height: h, width: w))
        } ?? ("None", "None")

        return """
        #!/usr/bin/env python3
        \"\"\"\(title), exported from SelfSup Lab.

        The same networks, initial weights (init.safetensors), loss, optimiser, schedule, batch
        order and view parameters as the lab's train(...). Written for \(versions.map { "\($0.0) \($0.1)" }.joined(separator: ", ")).

          python train.py --epochs 1 --out weights.safetensors       # then in the lab: load(enc, "weights.safetensors")
          torchrun --nproc_per_node 2 train.py --device cpu           # DDP on 2 processes (gloo); nccl on GPUs
          python train.py --data cifar10 --data-dir DIR               # torchvision's CIFAR-10 (you provide it)
          python train.py --views none --check-reference reference.safetensors   # parity with the lab's own run
        \"\"\"
        import argparse
        import copy
        import json
        import os
        import sys
        import warnings
        from collections import OrderedDict

        import torch
        import torch.distributed as dist
        import torch.nn as nn
        import torch.nn.functional as F
        from torch.distributed.nn import functional as dist_nn
        from torch.nn.parallel import DistributedDataParallel
        from torch.utils.data import DataLoader, Dataset, DistributedSampler
        from torchvision.transforms import v2
        from safetensors import safe_open
        from safetensors.torch import load_file, save_file
        from lightly.loss import BarlowTwinsLoss, DCLLoss, NegativeCosineSimilarity, NTXentLoss, VICRegLoss
        from lightly.models.modules.heads import ProjectionHead
        from lightly.models.utils import deactivate_requires_grad, update_momentum
        from lightly.utils import dist as lightly_dist
        from lightly.utils.scheduler import cosine_schedule, cosine_warmup_schedule

        HERE = os.path.dirname(os.path.abspath(__file__))
        # torch.distributed.nn's differentiable all_reduce (used for BatchNorm over all processes
        # on CPU) still works but warns about a private replacement; keep the output readable.
        warnings.filterwarnings("ignore", message=".*distributed.nn.functional.all_reduce is deprecated.*")

        # ---------------------------------------------------------------------------
        # The experiment, as the lab set it up.
        # ---------------------------------------------------------------------------

        EXPERIMENT = {
        \(settings.map { "    \(python($0.0)): \($0.1)," }.joined(separator: "\n"))
        }

        # The networks trained by back-propagation, in the lab's order.
        TRAINABLE = [\(e.networks.map { python($0.name) }.joined(separator: ", "))]


        def build_networks():
            \"\"\"The lab's networks as torch.nn modules (their weights come from init.safetensors).\"\"\"
            return {
        \(networks.hasSuffix("\n") ? String(networks.dropLast()) : networks)
            }


        # For each network: its PyTorch state_dict name -> the lab's name (model files use the lab's).
        LAB_NAMES = {
        \(names.hasSuffix("\n") ? String(names.dropLast()) : names)
        }


        def view_transforms():
            \"\"\"The lab's two view pipelines as torchvision v2 transforms (None: the input itself).\"\"\"
            first = \(indent(views.0, by: "    "))
            second = \(indent(views.1, by: "    "))
            return first, second


        """ + runtime + method
    }

    /// `text` with every line after the first indented by `prefix`.
    static func indent(_ text: String, by prefix: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
            .map { $0.offset == 0 ? String($0.element) : prefix + $0.element }.joined(separator: "\n")
    }
}
