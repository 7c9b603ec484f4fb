#!/usr/bin/env python3
"""<<title>>, exported from SelfSup Lab.

The same networks, initial weights (init.safetensors), loss, optimiser, schedule, batch
order and view parameters as the lab's train(...). Written for <<versions>>.

  python train.py --epochs 1 --out weights.safetensors       # then in the lab: load(enc, "weights.safetensors")
  torchrun --nproc_per_node 2 train.py --device cpu           # DDP on 2 processes (gloo); nccl on GPUs
  python train.py --data cifar10 --data-dir DIR               # torchvision's CIFAR-10 (you provide it)
  python train.py --views none --check-reference reference.safetensors   # parity with the lab's own run
"""
import argparse
import copy
import json
import os
import sys
import time
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
from lightly.loss import BarlowTwinsLoss, DCLLoss, DCLWLoss, NegativeCosineSimilarity, NTXentLoss, VICRegLoss
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
    # <<settings>>
    "method": "simclr",
    # <</settings>>
}

# The networks trained by back-propagation, in the lab's order.
# <<trainable>>
TRAINABLE = ["encoder", "projector"]
TARGETS = []
# <</trainable>>

# The method's loss, as its entry in the lab's table declares it: `criterion` (a lightly loss
# class or one of this file's formulas, see CRITERIA) called with `arguments` on `first` and
# `second` ("projections", "predictions" or "head" of the online networks, "targets": the
# EMA target networks' projections, "labels", "neighbours": each projection's nearest
# neighbour in the queue). Symmetric: the mean of (first of view 1, second of view 2) and
# (first of view 2, second of view 1); otherwise the first pair only. `gather`: both sides
# gathered from every process first; `stop_gradient`: the second side detached; `queue`
# (None: no queue): a queue of keys (init.safetensors 'queue') that side `joins` of the
# views `views` joins after each step, passed to the criterion as its keyword `argument`
# (None: read through the "neighbours" side only).
# <<loss>>
LOSS = {
    "criterion": "NTXentLoss",
    "arguments": {"temperature": 0.5, "gather_distributed": True},
    "first": "projections",
    "second": "projections",
    "symmetric": False,
    "gather": False,
    "stop_gradient": False,
    "queue": None,
}
# <</loss>>


def build_networks():
    """The lab's networks as torch.nn modules (their weights come from init.safetensors)."""
    return {
        # <<networks>>
        "encoder": nn.Sequential(OrderedDict([
            ("0", nn.Linear(2, 2)),
        ])),
        "projector": ProjectionHead([
            (2, 2, None, None, True),
        ]),
        # <</networks>>
    }


# For each network: its PyTorch state_dict name -> the lab's name (model files use the lab's).
LAB_NAMES = {
    # <<lab_names>>
    "encoder": {
        "0.weight": "0.weight",
        "0.bias": "0.bias",
    },
    "projector": {
        "layers.0.weight": "0.weight",
        "layers.0.bias": "0.bias",
    },
    # <</lab_names>>
}


def view_transforms():
    """The lab's two view pipelines as torchvision v2 transforms (None: the input itself)."""
    # <<views>>
    first = None
    second = v2.Compose([
        RandomRotation90(),
    ])
    # <</views>>
    return first, second

# ---------------------------------------------------------------------------
# Everything below is the same for every exported experiment.
# ---------------------------------------------------------------------------

def parse_arguments():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu",
                   help="cpu or cuda (under torchrun each process takes cuda:LOCAL_RANK)")
    p.add_argument("--data", default="exported", choices=["exported", "cifar10", "imagefolder"],
                   help="the data set exported with this script, torchvision's CIFAR-10, or a folder of images")
    p.add_argument("--data-dir", default=None, help="root of CIFAR-10 (download=False) or of the image folder")
    p.add_argument("--cache", action="store_true",
                   help="decode CIFAR-10 or the image folder into memory once, before training "
                        "(default: DataLoader workers decode each batch as it is needed)")
    p.add_argument("--epochs", type=int, default=EXPERIMENT["epochs"])
    p.add_argument("--batch-size", type=int, default=EXPERIMENT["batch_size"],
                   help="the global batch, split evenly over the processes")
    p.add_argument("--max-steps", type=int, default=None, help="stop after this many optimiser steps")
    p.add_argument("--views", default="exported", choices=["exported", "none"],
                   help="'none' feeds the inputs as both views (augmentation off)")
    p.add_argument("--views-on", default=None, choices=["cpu", "device"],
                   help="where the views are made: 'device' in batches on --device (default on CUDA), "
                        "'cpu' image by image with torchvision in the DataLoader (default on CPU)")
    p.add_argument("--backbone", default="lab", choices=["lab", "resnet18", "resnet50"],
                   help="the lab's encoder (default; the parity path), or a torchvision ResNet (3×3 first "
                        "convolution and no max-pool for images up to 64 pixels) with the heads resized to it")
    p.add_argument("--precision", default="fp32", choices=["fp32", "bf16"],
                   help="bf16: the networks under torch.autocast (the losses stay float32)")
    p.add_argument("--channels-last", action="store_true", help="images and convolutions in channels_last memory format")
    p.add_argument("--compile", action="store_true", help="torch.compile the trained networks")
    p.add_argument("--init", default=os.path.join(HERE, "init.safetensors"),
                   help="initial weights ('none': PyTorch's own random initialisation)")
    p.add_argument("--out", default="weights.safetensors",
                   help="the trained encoder, with the lab's names: load(enc, PATH) in the lab")
    p.add_argument("--out-all", default=None, help="every network after training, names prefixed (encoder., projector., …)")
    p.add_argument("--losses-out", default=None, help="write every step's loss (mean over processes) to this JSON file")
    p.add_argument("--log", default=None, metavar="FILE.csv",
                   help="one row per step: step, loss, lr, images/s (images/s over the last log interval)")
    p.add_argument("--checkpoint", default=None, metavar="DIR",
                   help="save the whole training state to DIR/checkpoint.pt (each epoch and each "
                        "--checkpoint-every steps) and resume from it when it is there")
    p.add_argument("--checkpoint-every", type=int, default=0, help="also save a checkpoint every this many steps")
    p.add_argument("--knn-every", type=int, default=0,
                   help="every this many epochs, kNN top-1 of the encoder on a held-out split (k 200, cosine, "
                        "temperature 0.1): CIFAR-10's test set, else --knn-holdout of the data, kept out of training")
    p.add_argument("--knn-holdout", type=float, default=0.1, help="the fraction of the data held out for kNN")
    p.add_argument("--knn-k", type=int, default=200)
    p.add_argument("--knn-temperature", type=float, default=0.1)
    p.add_argument("--benchmark", type=int, default=0, metavar="N",
                   help="time N steps after --warmup steps, print images/s, the step time split into data "
                        "wait and compute, and the peak GPU memory, then stop")
    p.add_argument("--warmup", type=int, default=10, help="steps before --benchmark starts timing")
    p.add_argument("--check-reference", default=None,
                   help="the lab's own run (reference.safetensors): train as many steps as it has losses "
                        "and compare losses (1e-3 relative) and weights (1e-3)")
    p.add_argument("--weight-tolerance", type=float, default=1e-3,
                   help="largest weight difference --check-reference accepts")
    p.add_argument("--quiet", action="store_true", help="no per-epoch lines")
    p.add_argument("--workers", type=int, default=0, help="DataLoader worker processes")
    p.add_argument("--seed", type=int, default=EXPERIMENT["seed"])
    return p.parse_args()

# --- processes ---------------------------------------------------------------

def setup_processes(device_name):
    """One process, or one of WORLD_SIZE processes started by torchrun (gloo on CPU, nccl on GPU)."""
    if "WORLD_SIZE" in os.environ and int(os.environ["WORLD_SIZE"]) > 1:
        backend = "nccl" if device_name.startswith("cuda") else "gloo"
        dist.init_process_group(backend=backend)
        if device_name.startswith("cuda"):
            local = int(os.environ.get("LOCAL_RANK", 0))
            torch.cuda.set_device(local)
            device_name = f"cuda:{local}"
    return torch.device(device_name)


def world():
    return (dist.get_rank(), dist.get_world_size()) if dist.is_initialized() else (0, 1)


def gather_all(x):
    """The whole global batch on every process, differentiably (lightly's gather)."""
    return torch.cat(lightly_dist.gather(x), 0) if world()[1] > 1 else x


def mean_over_processes(value):
    """The mean over the processes, as a tensor on the device (read it when needed: each
    read waits for the device)."""
    value = value.detach().clone()
    if world()[1] > 1:
        dist.all_reduce(value)
        value /= world()[1]
    return value


class GlobalBatchNormMixin:
    """BatchNorm whose batch statistics span every process (a CPU/gloo SyncBatchNorm:
    PyTorch's SyncBatchNorm runs on GPUs only). Same names, parameters and buffers as
    nn.BatchNorm1d/2d; the statistics are all-reduced with autograd, so gradients are those
    of one process holding the global batch."""

    def forward(self, x):
        if not (self.training and world()[1] > 1):
            return super().forward(x)
        dims = [0] + list(range(2, x.dim()))
        shape = [1, -1] + [1] * (x.dim() - 2)
        n = x.numel() // x.shape[1] * world()[1]
        mean = dist_nn.all_reduce(x.sum(dims)) / n
        centred = x - mean.view(shape)
        var = dist_nn.all_reduce((centred * centred).sum(dims)) / n
        with torch.no_grad():
            m = self.momentum
            self.running_mean.mul_(1 - m).add_(m * mean)
            self.running_var.mul_(1 - m).add_(m * var * n / (n - 1))
            self.num_batches_tracked += 1
        y = centred / torch.sqrt(var + self.eps).view(shape)
        if self.affine:
            y = y * self.weight.view(shape) + self.bias.view(shape)
        return y


class GlobalBatchNorm1d(GlobalBatchNormMixin, nn.BatchNorm1d):
    pass


class GlobalBatchNorm2d(GlobalBatchNormMixin, nn.BatchNorm2d):
    pass


def synchronise_batch_norm(module, device):
    """Batch statistics over the global batch, as one process computes them."""
    if world()[1] == 1:
        return module
    if device.type == "cuda":
        return nn.SyncBatchNorm.convert_sync_batchnorm(module)
    for m in module.modules():
        if type(m) is nn.BatchNorm1d:
            m.__class__ = GlobalBatchNorm1d
        elif type(m) is nn.BatchNorm2d:
            m.__class__ = GlobalBatchNorm2d
    return module


# --- weights -----------------------------------------------------------------

def load_lab_weights(networks, path):
    """Copies the lab's tensors (lab names, see LAB_NAMES) into the PyTorch networks."""
    tensors = load_file(path)
    for net_name, names in LAB_NAMES.items():
        state = networks[net_name].state_dict()
        for torch_name, lab_name in names.items():
            key = f"{net_name}.{lab_name}"
            if key not in tensors:
                sys.exit(f"{path}: missing {key}")
            if tuple(tensors[key].shape) != tuple(state[torch_name].shape):
                sys.exit(f"{path}: {key} has shape {tuple(tensors[key].shape)}, the network {tuple(state[torch_name].shape)}")
            with torch.no_grad():
                state[torch_name].copy_(tensors[key])
    return tensors


def lab_state(network, net_name, prefix=""):
    """A network's tensors under the lab's names (no num_batches_tracked)."""
    state = network.state_dict()
    return {prefix + lab: state[t].detach().cpu().contiguous() for t, lab in LAB_NAMES[net_name].items()}


# --- data ----------------------------------------------------------------------

class InMemory(Dataset):
    """Inputs held in memory (the exported data set, or --cache): item i is (input, label)."""

    def __init__(self, inputs, labels):
        self.inputs, self.labels = inputs, labels

    def __len__(self):
        return len(self.labels)

    def __getitem__(self, i):
        return self.inputs[i], self.labels[i]


class Decoded(Dataset):
    """A torchvision data set (CIFAR-10, ImageFolder) decoded one image at a time, in the
    DataLoader's workers: item i is (uint8 image brought to the input shape, label)."""

    def __init__(self, source, prepare):
        self.source, self.prepare = source, prepare
        self.labels = torch.tensor(source.targets)

    def __len__(self):
        return len(self.source)

    def __getitem__(self, i):
        image, label = self.source[i]
        return self.prepare(image), label


def as_float(x):
    """uint8 images in [0, 255] to float32 in [0, 1] (v2.ToDtype(torch.float32, scale=True))."""
    return x.float().div_(255) if x.dtype == torch.uint8 else x


class TwoViews(Dataset):
    """Each item: two views of one input, made image by image with torchvision (a view
    without transforms is the input itself), and its label."""

    def __init__(self, source, first, second):
        self.source, self.first, self.second = source, first, second

    def __len__(self):
        return len(self.source)

    def __getitem__(self, i):
        x, label = self.source[i]
        x = as_float(x)
        return (x if self.first is None else self.first(x)), (x if self.second is None else self.second(x)), label


class RandomRotation90(nn.Module):
    """A quarter turn k ∈ {0, 1, 2, 3} (non-square images: {0, 2}), counter-clockwise, as the lab's RandomRotation90."""

    def forward(self, x):
        k = int(torch.randint(4, ())) if x.shape[-1] == x.shape[-2] else 2 * int(torch.randint(2, ()))
        return torch.rot90(x, k, dims=(-2, -1))


def open_data(args, train=True):
    """(data, exported): data[i] is (input, label). The exported data set stays in memory;
    CIFAR-10 (torchvision's files, download=False; train=False: its test set) and image
    folders are decoded item by item (uint8, resized and centre-cropped to the exported
    input shape, grey when it has one channel), or all at once with --cache."""
    shape = tuple(EXPERIMENT["input_shape"])
    if args.data == "exported":
        tensors = load_file(os.path.join(HERE, "data.safetensors"))
        return InMemory(tensors["inputs"], tensors["labels"].long()), True
    if args.data_dir is None:
        sys.exit(f"--data {args.data} needs --data-dir")
    if len(shape) != 3:
        sys.exit(f"this experiment's encoder takes inputs of shape {shape}, not images")
    import torchvision
    prepare = [v2.ToImage(), v2.Resize(shape[1:], antialias=True), v2.CenterCrop(shape[1:])]
    if shape[0] == 1:
        prepare.append(v2.Grayscale(1))
    elif shape[0] != 3:
        sys.exit(f"this experiment's encoder takes {shape[0]}-channel images; {args.data} has 3 channels")
    if args.data == "cifar10":
        source = torchvision.datasets.CIFAR10(root=args.data_dir, train=train, download=False)
    else:
        source = torchvision.datasets.ImageFolder(root=args.data_dir)
    data = Decoded(source, v2.Compose(prepare))
    if args.cache:
        data = InMemory(torch.stack([as_float(data[i][0]) for i in range(len(data))]), data.labels)
    return data, False


def labels_of(data):
    """Every label of a data set made by open_data (or a Subset of one), without decoding images."""
    if isinstance(data, torch.utils.data.Subset):
        return labels_of(data.dataset)[torch.as_tensor(data.indices)]
    return data.labels


def held_out(args, data):
    """(training data, kNN data): CIFAR-10's test set, or --knn-holdout of the data drawn
    with --seed and kept out of training; (data, None) without --knn-every."""
    if args.knn_every <= 0:
        return data, None
    if args.data == "cifar10":
        return data, open_data(args, train=False)[0]
    g = torch.Generator()
    g.manual_seed(args.seed)
    order = torch.randperm(len(data), generator=g).tolist()
    count = max(1, int(round(len(data) * args.knn_holdout)))
    if count >= len(data):
        sys.exit(f"--knn-holdout {args.knn_holdout} leaves no data to train on")
    return torch.utils.data.Subset(data, sorted(order[count:])), torch.utils.data.Subset(data, sorted(order[:count]))

class LabOrderSampler(DistributedSampler):
    """DistributedSampler with the lab's batch order. Epoch e follows permutation e of
    order.safetensors (the lab's shuffle) while there is one, else a permutation drawn from
    --seed + e. Global batch s is positions [s·B, (s+1)·B) of the permutation, split into
    contiguous blocks of B/W, one per process; the last incomplete batch is dropped, as in
    the lab. So under torchrun the processes together see exactly the lab's batches."""

    def __init__(self, dataset, global_batch, orders, seed):
        rank, size = world()
        super().__init__(dataset, num_replicas=size, rank=rank, shuffle=True, seed=seed, drop_last=True)
        self.global_batch, self.orders = global_batch, orders
        self.local_batch = global_batch // size
        self.steps = len(dataset) // global_batch
        self.start = 0   # global batches of this epoch already trained (a resumed run)

    def permutation(self):
        if self.orders is not None and self.epoch < len(self.orders):
            return self.orders[self.epoch].long().tolist()
        g = torch.Generator()
        g.manual_seed((self.seed + self.epoch) % 2**63)
        return torch.randperm(len(self.dataset), generator=g).tolist()

    def __iter__(self):
        order = self.permutation()
        mine = []
        for s in range(self.start, self.steps):
            start = s * self.global_batch + self.rank * self.local_batch
            mine += order[start:start + self.local_batch]
        return iter(mine)

    def __len__(self):
        return (self.steps - self.start) * self.local_batch


# --- views on the device, in batches --------------------------------------------
#
# The same views as view_transforms(), computed on a whole batch at once on the device:
# each image gets its own random parameters, drawn from the same distributions as the
# torchvision transform draws them (its make_params), and the same pixel operations
# (torchvision's float formulas). Built from the v2 transforms themselves, so the
# parameters live in one place. --views-on cpu keeps torchvision's per-image transforms.

class BatchedStep:
    """One view step on a batch [N, C, H, W] (float); draw() samples every image's
    parameters, apply() uses them; the last parameters drawn stay in self.params."""

    def __call__(self, x, g):
        self.params = self.draw(x, g)
        return self.apply(x, self.params)


def uniform(n, low, high, g, device):
    return torch.rand(n, generator=g, device=device) * (high - low) + low


def rectangles(x, g, scale, ratio, tries=10, swap=False):
    """torchvision's search for a rectangle of area scale·H·W and aspect ratio in ratio, 10
    tries per image: returns (found, top, left, height, width), long tensors. swap: the
    erasing form (height from √(area·ratio), which torchvision's RandomErasing uses)."""
    n, device = x.shape[0], x.device
    height, width = x.shape[-2], x.shape[-1]
    area = height * width * uniform(n * tries, scale[0], scale[1], g, device).view(n, tries)
    log_ratio = torch.log(torch.tensor(ratio, dtype=torch.float32))
    aspect = torch.exp(uniform(n * tries, float(log_ratio[0]), float(log_ratio[1]), g, device).view(n, tries))
    w = torch.round(torch.sqrt(area * aspect)).long()
    h = torch.round(torch.sqrt(area / aspect)).long()
    if swap:
        h, w = w, h
        ok = (h < height) & (w < width)
    else:
        ok = (w > 0) & (w <= width) & (h > 0) & (h <= height)
    found = ok.any(1)
    first = ok.long().argmax(1, keepdim=True)
    h, w = h.gather(1, first).squeeze(1), w.gather(1, first).squeeze(1)
    top = (torch.rand(n, generator=g, device=device) * (height - h + 1).clamp_min(1)).long()
    left = (torch.rand(n, generator=g, device=device) * (width - w + 1).clamp_min(1)).long()
    return found, top, left, h, w


def resampling(start, length, size, total):
    """[N, size, total]: per image, torchvision's antialiased bilinear resampling (PIL's
    triangle filter, widened by the scale when shrinking, renormalised at the edges) of
    pixels [start, start + length) of an axis of `total` pixels to `size` pixels."""
    start, length = start.double()[:, None, None], length.double()[:, None, None]
    scale = length / size
    support = scale.clamp_min(1.0)
    centre = scale * (torch.arange(size, device=start.device, dtype=torch.float64)[None, :, None] + 0.5)
    j = torch.arange(total, device=start.device, dtype=torch.float64)[None, None, :] - start
    weights = (1 - ((j + 0.5 - centre) / support).abs()).clamp_min(0) * ((j >= 0) & (j < length))
    return (weights / weights.sum(-1, keepdim=True).clamp_min(1e-12)).float()


class BatchedResizedCrop(BatchedStep):
    """v2.RandomResizedCrop: the crop (torchvision's 10 tries, then its central fallback)
    resized as torchvision resizes it (antialiased bilinear), one resampling matrix per
    image and axis."""

    def __init__(self, t):
        self.size, self.scale, self.ratio = list(t.size), t.scale, t.ratio

    def draw(self, x, g):
        height, width = x.shape[-2], x.shape[-1]
        found, top, left, h, w = rectangles(x, g, self.scale, self.ratio)
        in_ratio = width / height
        if in_ratio < min(self.ratio):
            fw, fh = width, int(round(width / min(self.ratio)))
        elif in_ratio > max(self.ratio):
            fh, fw = height, int(round(height * max(self.ratio)))
        else:
            fw, fh = width, height
        h = torch.where(found, h, fh)
        w = torch.where(found, w, fw)
        top = torch.where(found, top, (height - fh) // 2)
        left = torch.where(found, left, (width - fw) // 2)
        return {"top": top, "left": left, "height": h, "width": w}

    def apply(self, x, p):
        rows = resampling(p["top"], p["height"], self.size[0], x.shape[-2]).to(x.dtype)
        columns = resampling(p["left"], p["width"], self.size[1], x.shape[-1]).to(x.dtype)
        return torch.einsum("nih,nchw,njw->ncij", rows, x, columns)


class BatchedFlip(BatchedStep):
    """Flips every image it is given (the probability is BatchedSometimes's)."""

    def __init__(self, dim):
        self.dim = dim

    def draw(self, x, g):
        return {}

    def apply(self, x, p):
        return x.flip(self.dim)


class BatchedRotation90(BatchedStep):
    """RandomRotation90: k ∈ {0, 1, 2, 3} per image ({0, 2} for non-square images)."""

    def draw(self, x, g):
        square = x.shape[-1] == x.shape[-2]
        k = torch.randint(4 if square else 2, (len(x),), generator=g, device=x.device)
        return {"k": k if square else 2 * k}

    def apply(self, x, p):
        out = x.clone()
        for k in (1, 2, 3):
            chosen = (p["k"] == k).nonzero().squeeze(1)
            if len(chosen):
                out[chosen] = torch.rot90(x[chosen], k, dims=(-2, -1))
        return out


def fill_value(t):
    """A v2 transform's fill as one number (the exporter writes numbers)."""
    fill = getattr(t, "fill", 0.0)
    if isinstance(fill, dict):
        fill = next(iter(fill.values()), 0.0)
    if isinstance(fill, (list, tuple)):
        fill = fill[0] if fill else 0.0
    return 0.0 if fill is None else float(fill)


def warp(x, angle, tx, ty, scale, fill):
    """torchvision's affine (F.affine's inverse matrix about the centre, clockwise angle in
    degrees, whole-pixel translation, bilinear, fill outside) with one matrix per image."""
    n, height, width = x.shape[0], x.shape[-2], x.shape[-1]
    rot = torch.deg2rad(angle)
    cos, sin = torch.cos(rot) / scale, torch.sin(rot) / scale
    m0, m1, m3, m4 = cos, sin, -sin, cos
    m2 = m0 * (-tx) + m1 * (-ty)
    m5 = m3 * (-tx) + m4 * (-ty)
    theta = torch.stack([m0, m1, m2, m3, m4, m5], 1).view(n, 2, 3).to(x.dtype)
    xs = torch.linspace(-width * 0.5 + 0.5, width * 0.5 - 0.5, width, device=x.device, dtype=x.dtype)
    ys = torch.linspace(-height * 0.5 + 0.5, height * 0.5 - 0.5, height, device=x.device, dtype=x.dtype)
    base = torch.stack([xs.expand(height, width), ys[:, None].expand(height, width),
                        torch.ones(height, width, device=x.device, dtype=x.dtype)], -1).view(1, height * width, 3)
    scaling = torch.tensor([0.5 * width, 0.5 * height], device=x.device, dtype=x.dtype)
    grid = base.expand(n, -1, -1).bmm(theta.transpose(1, 2) / scaling).view(n, height, width, 2)
    with_mask = torch.cat([x, torch.ones_like(x[:, :1])], 1)
    out = F.grid_sample(with_mask, grid, mode="bilinear", padding_mode="zeros", align_corners=False)
    mask = out[:, -1:]
    return out[:, :-1] * mask + (1 - mask) * fill


class BatchedAffine(BatchedStep):
    """v2.RandomRotation (counter-clockwise, about the centre) and v2.RandomAffine (angle,
    whole-pixel translation, scale), bilinear with the transform's fill."""

    def __init__(self, t, rotation):
        self.rotation, self.degrees = rotation, t.degrees
        self.translate = None if rotation else t.translate
        self.scale = None if rotation else t.scale
        self.fill = fill_value(t)

    def draw(self, x, g):
        n, device = len(x), x.device
        angle = uniform(n, float(self.degrees[0]), float(self.degrees[1]), g, device)
        tx = ty = torch.zeros(n, device=device)
        if self.translate is not None:
            dx, dy = float(self.translate[0] * x.shape[-1]), float(self.translate[1] * x.shape[-2])
            tx = torch.round(uniform(n, -dx, dx, g, device))
            ty = torch.round(uniform(n, -dy, dy, g, device))
        scale = uniform(n, float(self.scale[0]), float(self.scale[1]), g, device) if self.scale is not None else torch.ones(n, device=device)
        return {"angle": angle, "tx": tx, "ty": ty, "scale": scale}

    def apply(self, x, p):
        angle = -p["angle"] if self.rotation else p["angle"]
        return warp(x, angle, p["tx"], p["ty"], p["scale"], self.fill)


def grey(x):
    """torchvision's luminance (0.2989 R + 0.587 G + 0.114 B), one channel."""
    if x.shape[-3] == 1:
        return x
    return (x[:, 0:1] * 0.2989 + x[:, 1:2] * 0.587 + x[:, 2:3] * 0.114)


def blend(a, b, factor):
    return (a * factor + b * (1 - factor)).clamp(0, 1)


def rgb_to_hsv(x):
    r, g, b = x.unbind(1)
    maxc, _ = x.max(1)
    minc, _ = x.min(1)
    delta = maxc - minc
    flat = delta == 0
    s = delta / torch.where(maxc == 0, torch.ones_like(maxc), maxc)
    d = torch.where(flat, torch.ones_like(delta), delta)
    rc, gc, bc = (maxc - r) / d, (maxc - g) / d, (maxc - b) / d
    h = torch.where(maxc == r, bc - gc, torch.where(maxc == g, 2.0 + rc - bc, 4.0 + gc - rc))
    h = torch.where(flat, torch.zeros_like(h), h)
    h = (h / 6.0 + 1.0) % 1.0
    return h, s, maxc


def hsv_to_rgb(h, s, v):
    h6 = h * 6.0
    i = torch.floor(h6)
    f = h6 - i
    i = i.long() % 6
    p, q, t = v * (1 - s), v * (1 - s * f), v * (1 - s * (1 - f))
    choices = torch.stack([torch.stack(c, 0) for c in ((v, q, p, p, t, v), (t, v, v, q, p, p), (p, p, t, v, v, q))], 0)
    return choices.gather(1, i.unsqueeze(0).unsqueeze(0).expand(3, 1, *i.shape)).squeeze(1).transpose(0, 1).clamp(0, 1)


class BatchedColorJitter(BatchedStep):
    """v2.ColorJitter: per image a random order of its four parts (a permutation of
    brightness, contrast, saturation, hue) and a factor for each, as torchvision draws them."""

    def __init__(self, t):
        self.ranges = [t.brightness, t.contrast, t.saturation, t.hue]

    def draw(self, x, g):
        n, device = len(x), x.device
        order = torch.rand(n, 4, generator=g, device=device).argsort(1)
        factors = [uniform(n, float(r[0]), float(r[1]), g, device) if r is not None else None for r in self.ranges]
        return {"order": order, "factors": factors}

    @staticmethod
    def adjust(part, x, f):
        f = f.view(-1, 1, 1, 1)
        if part == 0:
            return blend(x, torch.zeros_like(x), f)
        if part == 1:
            return blend(x, grey(x).mean((-3, -2, -1), keepdim=True), f)
        if x.shape[-3] == 1:
            return x
        if part == 2:
            return blend(x, grey(x), f)
        h, s, v = rgb_to_hsv(x)
        return hsv_to_rgb((h + f.view(-1, 1, 1)) % 1.0, s, v)

    def apply(self, x, p):
        x = x.clone()
        for position in range(4):
            for part in range(4):
                factor = p["factors"][part]
                if factor is None:
                    continue
                chosen = (p["order"][:, position] == part).nonzero().squeeze(1)
                if len(chosen):
                    x[chosen] = self.adjust(part, x[chosen], factor[chosen])
        return x


class BatchedGrayscale(BatchedStep):
    def draw(self, x, g):
        return {}

    def apply(self, x, p):
        return grey(x).expand_as(x).clone()


class BatchedSolarize(BatchedStep):
    def __init__(self, t):
        self.threshold = float(t.threshold)

    def draw(self, x, g):
        return {}

    def apply(self, x, p):
        return torch.where(x >= self.threshold, 1.0 - x, x)


class BatchedBlur(BatchedStep):
    """v2.GaussianBlur: σ per image, torchvision's kernel and reflect padding (separable)."""

    def __init__(self, t):
        self.kx, self.ky = t.kernel_size
        self.sigma = t.sigma

    def draw(self, x, g):
        return {"sigma": uniform(len(x), float(self.sigma[0]), float(self.sigma[1]), g, x.device)}

    def apply(self, x, p):
        n, c, height, width = x.shape

        def kernels(size):
            half = (size - 1) * 0.5
            t = torch.linspace(-half, half, size, device=x.device, dtype=x.dtype)
            pdf = torch.exp(-0.5 * (t[None, :] / p["sigma"][:, None].to(x.dtype)) ** 2)
            return (pdf / pdf.sum(1, keepdim=True)).repeat_interleave(c, 0)

        y = F.pad(x, [self.kx // 2, self.kx // 2, self.ky // 2, self.ky // 2], mode="reflect").reshape(1, n * c, height + self.ky // 2 * 2, width + self.kx // 2 * 2)
        y = F.conv2d(y, kernels(self.kx).view(n * c, 1, 1, self.kx), groups=n * c)
        y = F.conv2d(y, kernels(self.ky).view(n * c, 1, self.ky, 1), groups=n * c)
        return y.view(n, c, height, width)


class BatchedNoise(BatchedStep):
    def __init__(self, t):
        self.mean, self.sigma, self.clip = float(t.mean), float(t.sigma), bool(t.clip)

    def draw(self, x, g):
        return {"noise": torch.randn(x.shape, generator=g, device=x.device, dtype=x.dtype) * self.sigma + self.mean}

    def apply(self, x, p):
        out = x + p["noise"]
        return out.clamp(0, 1) if self.clip else out


class BatchedErasing(BatchedStep):
    """v2.RandomErasing with a constant value: torchvision's 10 tries per image for a
    rectangle; an image where none fits stays as it is."""

    def __init__(self, t):
        self.scale, self.ratio = t.scale, t.ratio
        value = t.value
        if value is None or (isinstance(value, (list, tuple)) and len(value) != 1):
            raise ValueError("--views-on device: RandomErasing needs one constant value")
        self.value = float(value[0] if isinstance(value, (list, tuple)) else value)

    def draw(self, x, g):
        found, top, left, h, w = rectangles(x, g, self.scale, self.ratio, swap=True)
        return {"found": found, "top": top, "left": left, "height": h, "width": w}

    def apply(self, x, p):
        rows = torch.arange(x.shape[-2], device=x.device)[None, :, None]
        cols = torch.arange(x.shape[-1], device=x.device)[None, None, :]
        t, l = p["top"][:, None, None], p["left"][:, None, None]
        inside = (rows >= t) & (rows < t + p["height"][:, None, None]) & (cols >= l) & (cols < l + p["width"][:, None, None])
        inside = inside & p["found"][:, None, None]
        return torch.where(inside[:, None], torch.full_like(x, self.value), x)


class BatchedSometimes(BatchedStep):
    """A step applied to each image with probability p (v2.RandomApply, and the p of flips,
    grayscale, solarize and erasing): the chosen images go through the step together."""

    def __init__(self, step, p):
        self.step, self.p = step, float(p)

    def __call__(self, x, g):
        chosen = (torch.rand(len(x), generator=g, device=x.device) < self.p).nonzero().squeeze(1)
        self.params = {"chosen": chosen}
        if len(chosen) == 0:
            return x
        y = self.step(x[chosen], g)
        if y.shape[1:] != x.shape[1:]:
            raise ValueError(f"--views-on device: a step applied with probability {self.p} changes the image size")
        out = x.clone()
        out[chosen] = y
        return out


def batched_step(t):
    """The batched form of one v2 transform of view_transforms()."""
    if isinstance(t, v2.RandomApply):
        inner = t.transforms
        steps = [batched_step(u) for u in (inner if isinstance(inner, (list, nn.ModuleList)) else [inner])]
        return BatchedSometimes(steps[0] if len(steps) == 1 else BatchedViews(steps), t.p)
    if isinstance(t, v2.Compose):
        return BatchedViews([batched_step(u) for u in t.transforms])
    if isinstance(t, v2.RandomResizedCrop):
        return BatchedResizedCrop(t)
    if isinstance(t, v2.RandomHorizontalFlip):
        return BatchedSometimes(BatchedFlip(-1), t.p)
    if isinstance(t, v2.RandomVerticalFlip):
        return BatchedSometimes(BatchedFlip(-2), t.p)
    if isinstance(t, RandomRotation90):
        return BatchedRotation90()
    if isinstance(t, v2.RandomRotation):
        return BatchedAffine(t, rotation=True)
    if isinstance(t, v2.RandomAffine):
        return BatchedAffine(t, rotation=False)
    if isinstance(t, v2.ColorJitter):
        return BatchedColorJitter(t)
    if isinstance(t, v2.RandomGrayscale):
        return BatchedSometimes(BatchedGrayscale(), t.p)
    if isinstance(t, v2.RandomSolarize):
        return BatchedSometimes(BatchedSolarize(t), t.p)
    if isinstance(t, v2.GaussianBlur):
        return BatchedBlur(t)
    if isinstance(t, v2.GaussianNoise):
        return BatchedNoise(t)
    if isinstance(t, v2.RandomErasing):
        return BatchedSometimes(BatchedErasing(t), t.p)
    raise ValueError(f"--views-on device: no batched form of {type(t).__name__}; use --views-on cpu")


class BatchedViews:
    """A view pipeline on a batch: its steps in order, each image with its own parameters."""

    def __init__(self, steps):
        self.steps = steps

    def __call__(self, x, g):
        for step in self.steps:
            x = step(x, g)
        return x


def batched_views(pipeline):
    """view_transforms()'s pipeline (a v2.Compose or None) in its batched form (None stays None)."""
    return None if pipeline is None else batched_step(pipeline)

# --- optimisation ----------------------------------------------------------------

class LabLARS(torch.optim.Optimizer):
    """The lab's LARS (the Barlow Twins reference form; lightly's LARS differs in its trust
    ratio): d = g + wd·p, q = η‖p‖/‖d‖, b = μ·b + q·d, p -= lr·b; 1-D parameters (biases,
    BatchNorm) get neither decay nor the trust ratio."""

    def __init__(self, params, lr, momentum=0.9, weight_decay=0.0, trust_coefficient=0.001):
        super().__init__(params, dict(lr=lr, momentum=momentum, weight_decay=weight_decay, eta=trust_coefficient))

    @torch.no_grad()
    def step(self):
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is None:
                    continue
                d = p.grad
                if p.dim() > 1:
                    d = d + group["weight_decay"] * p
                    p_norm, d_norm = torch.norm(p), torch.norm(d)
                    if p_norm > 0 and d_norm > 0:
                        d = d * (group["eta"] * p_norm / d_norm)
                state = self.state[p]
                if "b" not in state:
                    state["b"] = torch.zeros_like(p)
                state["b"].mul_(group["momentum"]).add_(d)
                p.sub_(group["lr"] * state["b"])


def make_optimizer(parameters):
    name, lr, wd = EXPERIMENT["optimizer"], EXPERIMENT["learning_rate"], EXPERIMENT["weight_decay"]
    if name == "adam":
        return torch.optim.Adam(parameters, lr=lr, weight_decay=wd)
    if name == "sgd":
        return torch.optim.SGD(parameters, lr=lr, momentum=0.9, weight_decay=wd)
    return LabLARS(parameters, lr=lr, momentum=0.9, weight_decay=wd)


def learning_rate(step, total_steps, steps_per_epoch):
    """The lab's schedule at 0-based step: constant, or linear warm-up then cosine to 0 at
    total_steps (lightly's cosine_warmup_schedule with max_steps = total_steps + 1, because
    lightly's cosine reaches its end at max_steps − 1)."""
    base = EXPERIMENT["learning_rate"]
    if EXPERIMENT["schedule"] == "constant":
        return base
    warmup = EXPERIMENT["warmup_epochs"] * steps_per_epoch
    if warmup > total_steps:
        return base * (step + 1) / warmup
    return cosine_warmup_schedule(step, total_steps + 1, base, 0.0, warmup, 0.0)


def target_momentum(step, total_steps):
    """The lab's EMA momentum after 1-based step: the cosine from m to 1 (lightly's
    cosine_schedule, max_steps = total_steps + 1), or m throughout."""
    m = EXPERIMENT["momentum"]
    return cosine_schedule(step, total_steps + 1, m, 1.0) if EXPERIMENT["momentum_schedule"] else m


@torch.no_grad()
def momentum_update(online, target, m):
    """lightly's update_momentum (parameters: ξ ← m·ξ + (1 − m)·θ), and BatchNorm's running
    statistics copied from the online network, as the lab does."""
    update_momentum(online, target, m)
    for t, o in zip(target.buffers(), online.buffers()):
        t.copy_(o)

# --- the method ------------------------------------------------------------------

class Online(nn.Module):
    """The networks trained by back-propagation (what DistributedDataParallel wraps).
    forward(v1, v2) returns what the loss needs (LOSS's online sides, each a tuple by view),
    in the order the lab computes it."""

    def __init__(self, networks, flatten):
        super().__init__()
        self.flatten = flatten
        for name in TRAINABLE:
            self.add_module(name, networks[name])

    def forward(self, v1, v2):
        if self.flatten:
            v1, v2 = v1.flatten(1), v2.flatten(1)
        sides = {LOSS["first"], LOSS["second"]}
        if LOSS["queue"] is not None:
            sides.add(LOSS["queue"]["joins"])
        if "neighbours" in sides:
            sides.add("projections")
        if "head" in sides:
            # A classifier on the encoder: one view (the inputs), as the lab trains it.
            return {"head": (self.head(self.encoder(v1)),)}
        out = {}
        z = (self.projector(self.encoder(v1)), self.projector(self.encoder(v2)))
        if "projections" in sides:
            out["projections"] = z
        if "predictions" in sides:
            out["predictions"] = (self.predictor(z[0]), self.predictor(z[1]))
        return out


class KeyQueue:
    """A queue of K unit-length keys (MoCo's negatives, NNCLR's support set), a ring buffer
    as in the lab (lightly's MemoryBankModule drops the keys that do not fit at the end of
    the bank instead of wrapping around). Starts from the lab's random keys
    (init.safetensors 'queue')."""

    def __init__(self, keys):
        self.keys, self.next = keys.clone(), 0

    @torch.no_grad()
    def enqueue(self, k):
        k = F.normalize(k, dim=1)[-len(self.keys):]
        rows = (self.next + torch.arange(len(k), device=k.device)) % len(self.keys)
        self.keys[rows] = k
        self.next = (self.next + len(k)) % len(self.keys)

    @torch.no_grad()
    def nearest(self, z):
        """The key nearest to each row of z in cosine similarity (ties: the lower row), as
        the lab picks it (lightly's NNMemoryBankModule picks the same way)."""
        similarity = F.normalize(z, dim=1) @ F.normalize(self.keys, dim=1).t()
        return self.keys[similarity.argmax(dim=1)]


class InfoNCE:
    """InfoNCE against the queue (lightly's NTXentLoss with a memory bank computes the same
    logits, but it enqueues inside the loss; MoCo's symmetric loss needs both directions
    against the same queue): logits [q·k, q·Q] / τ, cross-entropy to the first."""

    def __init__(self, queue, temperature):
        self.queue, self.temperature = queue, temperature

    def __call__(self, q, k):
        q, k = F.normalize(q, dim=1), F.normalize(k, dim=1)
        logits = torch.cat([(q * k).sum(1, keepdim=True), q @ self.queue.keys.t()], dim=1) / self.temperature
        return F.cross_entropy(logits, torch.zeros(len(q), dtype=torch.long, device=q.device))


def squared_distance(z1, z2):
    """The mean over the batch of the squared distance between the two views' embeddings."""
    return ((z1 - z2) ** 2).sum() / len(z1)


# LOSS["criterion"] -> the loss: lightly's classes and this file's formulas.
CRITERIA = {
    "NTXentLoss": NTXentLoss, "DCLLoss": DCLLoss, "DCLWLoss": DCLWLoss, "BarlowTwinsLoss": BarlowTwinsLoss,
    "VICRegLoss": VICRegLoss, "NegativeCosineSimilarity": NegativeCosineSimilarity, "InfoNCE": InfoNCE,
    "squared_distance": lambda: squared_distance, "cross_entropy": lambda: F.cross_entropy,
}


class Method:
    """The loss of one step and what happens after the optimiser step (EMA targets, queue),
    as LOSS and TARGETS declare them."""

    def __init__(self, online, init_tensors, device, autocast):
        self.flatten, self.autocast = online.flatten, autocast
        self.targets = {}
        # The target networks start as copies of the online ones, as in the lab.
        for name in TARGETS:
            target = copy.deepcopy(getattr(online, name))
            deactivate_requires_grad(target)
            self.targets[name] = target
        if LOSS["criterion"] not in CRITERIA:
            raise ValueError(f"unknown loss {LOSS['criterion']}")
        arguments = dict(LOSS["arguments"])
        self.queue, self.joining = None, []
        if LOSS["queue"] is not None:
            self.queue = KeyQueue(init_tensors["queue"].to(device))
            if LOSS["queue"]["argument"] is not None:
                arguments[LOSS["queue"]["argument"]] = self.queue
        self.criterion = CRITERIA[LOSS["criterion"]](**arguments)

    def target(self, v):
        with torch.no_grad(), self.autocast():
            if self.flatten:
                v = v.flatten(1)
            return self.targets["projector"](self.targets["encoder"](v)).float()

    def side(self, name, out, v1, v2, labels):
        """One side of the loss, by view."""
        if name == "labels":
            return labels, labels
        if name == "targets":
            return self.target(v1), self.target(v2)
        if name == "neighbours":
            return tuple(self.queue.nearest(z) for z in out["projections"])
        return out[name]

    def loss(self, model, v1, v2, labels):
        """The loss, in float32: under --precision bf16 the networks run in bfloat16."""
        with self.autocast():
            out = model(v1, v2)
        out = {name: tuple(o.float() for o in views) for name, views in out.items()}
        sides = {}
        for name in (LOSS["first"], LOSS["second"]):
            if name not in sides:
                sides[name] = self.side(name, out, v1, v2, labels)
        a, b = sides[LOSS["first"]], sides[LOSS["second"]]
        if LOSS["queue"] is not None:
            # What joins the queue after the step: this step's outputs, before the step.
            joins = sides.get(LOSS["queue"]["joins"]) or out[LOSS["queue"]["joins"]]
            self.joining = [joins[view - 1].detach() for view in LOSS["queue"]["views"]]
        if LOSS["stop_gradient"]:
            b = tuple(x.detach() for x in b)
        pairs = [(a[0], b[1]), (a[1], b[0])] if LOSS["symmetric"] else [(a[0], b[-1])]
        if LOSS["gather"]:
            # lightly's gather_distributed=True standardises each process's embeddings with
            # its own batch statistics; gathering first gives the loss of the global batch.
            pairs = [(gather_all(x), gather_all(y)) for x, y in pairs]
        losses = [self.criterion(x, y) for x, y in pairs]
        return losses[0] if len(losses) == 1 else 0.5 * (losses[0] + losses[1])

    def after_step(self, online, step, total_steps):
        if self.targets:
            m = target_momentum(step, total_steps)
            for name, target in self.targets.items():
                momentum_update(getattr(online, name), target, m)
        if self.queue is not None:
            for k in self.joining:
                self.queue.enqueue(concat_all(k))
            self.joining = []


def concat_all(x):
    """Every process's rows, in process order (no gradient)."""
    rank, size = world()
    if size == 1:
        return x
    parts = [torch.empty_like(x) for _ in range(size)]
    dist.all_gather(parts, x.contiguous())
    return torch.cat(parts, 0)


# --- backbones -------------------------------------------------------------------

def torchvision_backbone(name, shape):
    """(network, features): a torchvision ResNet, randomly initialised, without its
    classifier; for images up to 64 pixels the CIFAR stem (3×3 first convolution with
    stride 1, no max-pool), as lightly's CIFAR-10 benchmarks use."""
    import torchvision
    if len(shape) != 3:
        sys.exit(f"--backbone {name} needs images; this experiment's inputs have shape {list(shape)}")
    net = getattr(torchvision.models, name)(weights=None)
    features = net.fc.in_features
    if max(shape[1:]) <= 64:
        net.conv1 = nn.Conv2d(shape[0], 64, kernel_size=3, stride=1, padding=1, bias=False)
        net.maxpool = nn.Identity()
    elif shape[0] != 3:
        net.conv1 = nn.Conv2d(shape[0], 64, kernel_size=7, stride=2, padding=3, bias=False)
    net.fc = nn.Identity()
    return net, features


def resize_input(module, features):
    """The network with its first nn.Linear taking `features` inputs (a head on a new backbone)."""
    if isinstance(module, nn.Linear):
        return nn.Linear(features, module.out_features, bias=module.bias is not None)
    for name, layer in module.named_modules():
        if isinstance(layer, nn.Linear):
            parent, _, leaf = name.rpartition(".")
            setattr(module.get_submodule(parent), leaf, nn.Linear(features, layer.out_features, bias=layer.bias is not None))
            break
    return module


# --- evaluation and checkpoints ---------------------------------------------------

@torch.no_grad()
def knn_accuracy(args, online, bank_data, query_data, device, autocast):
    """kNN top-1 of the encoder's features (lightly's knn_predict: k nearest by cosine,
    votes weighted exp(similarity / temperature)): the training data is the bank, the
    held-out data the queries. No views; BatchNorm in evaluation mode."""
    from lightly.utils.benchmarking import knn_predict

    def features(data):
        loader = DataLoader(data, batch_size=512, num_workers=args.workers, pin_memory=device.type == "cuda")
        out = []
        for x, _ in loader:
            x = as_float(x.to(device, non_blocking=True))
            if online.flatten:
                x = x.flatten(1)
            with autocast():
                out.append(F.normalize(online.encoder(x).float().flatten(1), dim=1))
        return torch.cat(out)

    online.eval()
    bank, queries = features(bank_data), features(query_data)
    online.train()
    bank_labels, query_labels = labels_of(bank_data).to(device), labels_of(query_data).to(device)
    classes = int(max(bank_labels.max(), query_labels.max())) + 1
    correct = 0
    for start in range(0, len(queries), 1024):
        predicted = knn_predict(queries[start:start + 1024], bank.t(), bank_labels, classes,
                                knn_k=min(args.knn_k, len(bank)), knn_t=args.knn_temperature)
        correct += (predicted[:, 0] == query_labels[start:start + 1024]).sum().item()
    return correct / len(queries)


def save_checkpoint(directory, state):
    """DIR/checkpoint.pt, written whole or not at all (a temporary file, then a rename)."""
    os.makedirs(directory, exist_ok=True)
    path = os.path.join(directory, "checkpoint.pt")
    torch.save(state, path + ".tmp")
    os.replace(path + ".tmp", path)


def random_states(device, views_generator):
    """This process's generators: torch's CPU generator, CUDA's, and the views' own."""
    return {"cpu": torch.get_rng_state(),
            "cuda": torch.cuda.get_rng_state(device) if device.type == "cuda" else None,
            "views": views_generator.get_state()}


def restore_random_states(states, device, views_generator):
    torch.set_rng_state(states["cpu"])
    if device.type == "cuda" and states["cuda"] is not None:
        torch.cuda.set_rng_state(states["cuda"], device)
    views_generator.set_state(states["views"])


def every_process(value):
    """[value of process 0, value of process 1, …] on every process."""
    if world()[1] == 1:
        return [value]
    values = [None] * world()[1]
    dist.all_gather_object(values, value)
    return values


# --- training --------------------------------------------------------------------

class Timer:
    """--benchmark: wall time of the timed steps, and the part spent waiting for the loader."""

    def __init__(self, device):
        self.device, self.wait, self.steps, self.images, self.start = device, 0.0, 0, 0, None

    def synchronize(self):
        if self.device.type == "cuda":
            torch.cuda.synchronize(self.device)

    def begin(self):
        self.synchronize()
        if self.device.type == "cuda":
            torch.cuda.reset_peak_memory_stats(self.device)
        self.start = time.perf_counter()

    def report(self, global_batch):
        if self.start is None or self.steps == 0:
            print("benchmark: the run ended during the warm-up; nothing was timed", flush=True)
            return
        self.synchronize()
        wall = time.perf_counter() - self.start
        step = wall / max(self.steps, 1)
        wait = self.wait / max(self.steps, 1)
        memory = (f"peak GPU memory {torch.cuda.max_memory_allocated(self.device) / 2**30:.2f} GiB"
                  if self.device.type == "cuda" else "no GPU memory (CPU)")
        print(f"benchmark: {self.steps} steps of {global_batch} images after the warm-up: "
              f"{self.steps * global_batch / wall:.1f} images/s; step {step * 1e3:.2f} ms = data wait "
              f"{wait * 1e3:.2f} ms ({100 * wait / step:.1f} %) + compute {(step - wait) * 1e3:.2f} ms; {memory}", flush=True)


def main():
    args = parse_arguments()
    device = setup_processes(args.device)
    rank, size = world()
    torch.manual_seed((args.seed + rank) % 2**63)
    if args.batch_size % size:
        sys.exit(f"--batch-size {args.batch_size} must be divisible by the number of processes ({size})")
    views_on = args.views_on or ("device" if device.type == "cuda" else "cpu")
    lab_backbone = args.backbone == "lab"
    if not lab_backbone and args.check_reference:
        sys.exit("--check-reference compares with the lab's encoder: use --backbone lab")

    networks = build_networks()
    init_tensors = {}
    if not lab_backbone:
        # A torchvision encoder: the heads that read its features take its width; every
        # network starts from PyTorch's own initialisation (init.safetensors fits the lab's).
        networks["encoder"], features = torchvision_backbone(args.backbone, EXPERIMENT["input_shape"])
        for name in ("projector", "head"):
            if name in networks:
                networks[name] = resize_input(networks[name], features)
    if args.init != "none" and lab_backbone:
        init_tensors = load_lab_weights(networks, args.init)
    elif LOSS["queue"]:
        init_tensors["queue"] = F.normalize(torch.randn(EXPERIMENT["queue_size"], EXPERIMENT["embedding_dim"]), dim=1)
    networks = {name: synchronise_batch_norm(net, device).to(device) for name, net in networks.items()}
    online = Online(networks, flatten=EXPERIMENT["flatten_inputs"] and lab_backbone).to(device).train()
    bf16 = args.precision == "bf16"

    def autocast():
        return torch.autocast(device.type, dtype=torch.bfloat16, enabled=bf16)

    method = Method(online, init_tensors, device, autocast)
    for target in method.targets.values():
        target.to(device).train()
    if args.channels_last:
        online.to(memory_format=torch.channels_last)
        for target in method.targets.values():
            target.to(memory_format=torch.channels_last)
    model = DistributedDataParallel(online) if size > 1 else online
    if args.compile:
        model = torch.compile(model)

    data, exported = open_data(args)
    data, knn_data = held_out(args, data)
    first, second = view_transforms() if args.views == "exported" else (None, None)
    on_device = None
    if views_on == "device":
        try:
            on_device = (batched_views(first), batched_views(second))
        except ValueError as error:
            sys.exit(str(error))
        train_data = data
    else:
        train_data = TwoViews(data, first, second)
    # The views' own generator on the device (saved in checkpoints with torch's).
    views_generator = torch.Generator(device=device)
    views_generator.manual_seed((args.seed + rank + 1) * 7919 % 2**63)
    batch = min(args.batch_size, len(train_data))
    if batch % size:
        sys.exit(f"the batch ({batch}) must be divisible by the number of processes ({size})")
    orders = None
    order_path = os.path.join(HERE, "order.safetensors")
    if exported and knn_data is None and os.path.exists(order_path) and args.seed == EXPERIMENT["seed"]:
        orders = load_file(order_path)["order"]
    sampler = LabOrderSampler(train_data, batch, orders, args.seed)
    streaming = args.workers > 0
    loader = DataLoader(train_data, batch_size=batch // size, sampler=sampler, num_workers=args.workers, drop_last=True,
                        pin_memory=device.type == "cuda", persistent_workers=streaming,
                        prefetch_factor=4 if streaming else None)
    steps_per_epoch = sampler.steps
    total_steps = steps_per_epoch * args.epochs
    optimizer = make_optimizer(online.parameters())

    reference = None
    if args.check_reference:
        with safe_open(args.check_reference, "pt") as f:
            if (f.metadata() or {}).get("views") != "none":
                sys.exit(f"{args.check_reference}: the lab's run used random views, which PyTorch cannot repeat; "
                         "export with views: \"none\" for a parity check")
        if args.views != "none" and view_transforms() != (None, None):
            sys.exit("--check-reference needs --views none (or an export with views: \"none\")")
        reference = load_file(args.check_reference)
    max_steps = args.max_steps
    if reference is not None:
        max_steps = len(reference["losses"])
    timer = None
    if args.benchmark > 0:
        max_steps = args.warmup + args.benchmark
        timer = Timer(device)

    losses, step, start_epoch, position, epoch_states, knn = [], 0, 0, 0, None, {"last": None, "best": None}
    checkpoint_path = os.path.join(args.checkpoint, "checkpoint.pt") if args.checkpoint else None
    if checkpoint_path and os.path.exists(checkpoint_path):
        state = torch.load(checkpoint_path, map_location="cpu", weights_only=False)
        online.load_state_dict(state["online"])
        for name, target in method.targets.items():
            target.load_state_dict(state["targets"][name])
        if state["queue"] is not None:
            method.queue.keys, method.queue.next = state["queue"][0].to(device), state["queue"][1]
        optimizer.load_state_dict(state["optimizer"])
        losses, step, knn = state["losses"], state["step"], state["knn"]
        start_epoch, position = state["epoch"], state["position"]
        epoch_states = state["epoch_random"][rank] if position > 0 else None
        restore_random_states(state["random"][rank], device, views_generator)
        if rank == 0 and not args.quiet:
            print(f"resumed from {checkpoint_path} at step {step} (epoch {start_epoch + 1}, step {position + 1} of it)", flush=True)

    log = None
    if rank == 0 and args.log:
        resumed = step > 0 and os.path.exists(args.log)
        log = open(args.log, "a" if resumed else "w")
        if not resumed:
            log.write("step,loss,lr,images_per_s\n")
    pending, rates, last_flush = [], [], time.perf_counter()

    def flush():
        """The pending steps' losses to the host (one synchronisation per interval, not per step)."""
        nonlocal pending, last_flush
        if not pending:
            return
        values = torch.stack([value for value, _ in pending]).tolist()
        now = time.perf_counter()
        rate = len(pending) * batch / max(now - last_flush, 1e-9)
        for (_, (number, lr)), value in zip(pending, values):
            if value != value or value in (float("inf"), float("-inf")):
                sys.exit(f"the loss is not finite at step {number} (epoch {number // steps_per_epoch + 1})")
            losses.append(value)
            if log:
                log.write(f"{number},{value:.6g},{lr:.6g},{rate:.1f}\n")
        if log:
            log.flush()
        rates.append(rate)
        pending, last_flush = [], now

    def checkpoint(epoch, position, epoch_states):
        flush()
        state = {"online": online.state_dict(), "targets": {n: t.state_dict() for n, t in method.targets.items()},
                 "queue": (method.queue.keys, method.queue.next) if method.queue is not None else None,
                 "optimizer": optimizer.state_dict(), "losses": losses, "step": step, "knn": knn,
                 "epoch": epoch, "position": position,
                 "random": every_process(random_states(device, views_generator)),
                 "epoch_random": every_process(epoch_states)}
        if rank == 0:
            save_checkpoint(args.checkpoint, state)

    def finished():
        return max_steps is not None and step >= max_steps

    epochs = args.epochs
    if timer:   # as many epochs as the timed steps need
        epochs = max(epochs, -(-max_steps // max(steps_per_epoch, 1)))
    for epoch in range(start_epoch, epochs):
        if finished():
            break
        sampler.set_epoch(epoch)
        sampler.start = position if epoch == start_epoch else 0
        if epoch == start_epoch and epoch_states is not None:
            # Resuming inside an epoch: the loader starts from the generators' state at the
            # epoch's start (as the uninterrupted run's did), training from the saved ones.
            now = random_states(device, views_generator)
            restore_random_states(epoch_states, device, views_generator)
            batches = iter(loader)
            restore_random_states(now, device, views_generator)
        else:
            epoch_states = random_states(device, views_generator)
            batches = iter(loader)
        epoch_start_losses = len(losses) + len(pending)
        while not finished():
            if timer and step == args.warmup:
                flush()
                timer.begin()
            waited = time.perf_counter()
            try:
                item = next(batches)
            except StopIteration:
                break
            if timer and timer.start is not None:
                timer.wait += time.perf_counter() - waited
            if on_device is None:
                v1, v2, y = (t.to(device, non_blocking=True) for t in item)
            else:
                x, y = item[0].to(device, non_blocking=True), item[1].to(device, non_blocking=True)
                x = as_float(x)
                v1 = x if on_device[0] is None else on_device[0](x, views_generator)
                v2 = x if on_device[1] is None else on_device[1](x, views_generator)
            if args.channels_last and v1.dim() == 4:
                v1, v2 = v1.contiguous(memory_format=torch.channels_last), v2.contiguous(memory_format=torch.channels_last)
            lr = learning_rate(step, total_steps, steps_per_epoch)
            for group in optimizer.param_groups:
                group["lr"] = lr
            optimizer.zero_grad()
            loss = method.loss(model, v1, v2, y)
            loss.backward()
            optimizer.step()
            step += 1
            method.after_step(online, step, total_steps)
            pending.append((mean_over_processes(loss), (step, lr)))
            if timer and timer.start is not None:
                timer.steps += 1
            if len(pending) >= 20:
                flush()
            if args.checkpoint and args.checkpoint_every > 0 and step % args.checkpoint_every == 0:
                checkpoint(epoch, step - epoch * steps_per_epoch, epoch_states)
        flush()
        epoch_losses = losses[epoch_start_losses:]
        complete = step - epoch * steps_per_epoch >= steps_per_epoch
        if knn_data is not None and complete and (epoch + 1) % args.knn_every == 0 and rank == 0:
            accuracy = knn_accuracy(args, online, data, knn_data, device, autocast)
            knn = {"last": accuracy, "best": max(accuracy, knn["best"] or 0.0)}
        if rank == 0 and epoch_losses and not args.quiet:
            accuracy = f"  kNN top-1 {knn['last']:.4f} (best {knn['best']:.4f})" if knn["last"] is not None and complete else ""
            print(f"epoch {epoch + 1}/{epochs}  loss {sum(epoch_losses) / len(epoch_losses):.4f}{accuracy}", flush=True)
        if args.checkpoint and not timer:
            if complete:
                checkpoint(epoch + 1, 0, None)
            else:
                checkpoint(epoch, step - epoch * steps_per_epoch, epoch_states)
    flush()
    if timer and rank == 0:
        timer.report(batch)
    if log:
        log.close()

    if rank == 0:
        if knn["last"] is not None:
            print(f"kNN top-1 (k {args.knn_k}, temperature {args.knn_temperature}): last {knn['last']:.4f}, best {knn['best']:.4f}")
        if args.out:
            if lab_backbone:
                save_file(lab_state(online.encoder, "encoder"), args.out)
                print(f"wrote {args.out}: the encoder; in the lab: load(enc, \"{args.out}\")")
            else:
                save_file({k: v.detach().cpu().contiguous() for k, v in online.encoder.state_dict().items()}, args.out)
                print(f"wrote {args.out}: the {args.backbone} encoder under PyTorch's names (the lab has no ResNet to load it into)")
        if args.out_all:
            everything = {}
            for name in TRAINABLE:
                if lab_backbone:
                    everything.update(lab_state(getattr(online, name), name, name + "."))
                else:
                    everything.update({f"{name}.{k}": v.detach().cpu().contiguous() for k, v in getattr(online, name).state_dict().items()})
            save_file(everything, args.out_all)
        if args.losses_out:
            with open(args.losses_out, "w") as f:
                json.dump(losses, f)
        if reference is not None:
            sys.exit(compare_with_reference(reference, losses, online, args.weight_tolerance))
    if dist.is_initialized():
        dist.destroy_process_group()


def compare_with_reference(reference, losses, online, weight_tolerance):
    """Prints one line: the largest relative loss difference and weight difference with the
    lab's run; returns the exit status (0 when the losses agree to 1e-3 relative and the
    weights to weight_tolerance)."""
    expected = reference["losses"].double()
    got = torch.tensor(losses, dtype=torch.float64)
    if len(got) != len(expected):
        print(f"{EXPERIMENT['method']}: ran {len(got)} steps, the reference has {len(expected)} FAILED")
        return 1
    loss_error = ((got - expected).abs() / expected.abs().clamp_min(1e-6)).max().item()
    weight_error, worst = 0.0, ""
    for name in TRAINABLE:
        for key, value in lab_state(getattr(online, name), name, name + ".").items():
            difference = (value.double() - reference[key].double()).abs().max().item()
            if difference > weight_error:
                weight_error, worst = difference, key
    ok = loss_error <= 1e-3 and weight_error <= weight_tolerance
    label = f"{EXPERIMENT['method']} ({EXPERIMENT['optimizer']} {EXPERIMENT['learning_rate']})"
    print(f"{label:<28} {len(got)} steps  max relative loss difference {loss_error:.2e}  "
          f"max weight difference {weight_error:.2e} ({worst})  {'ok' if ok else 'FAILED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    main()
