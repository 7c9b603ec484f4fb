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
    # <<settings>>
    "method": "simclr",
    # <</settings>>
}

# The networks trained by back-propagation, in the lab's order.
# <<trainable>>
TRAINABLE = ["encoder", "projector"]
# <</trainable>>


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
    p.add_argument("--epochs", type=int, default=EXPERIMENT["epochs"])
    p.add_argument("--batch-size", type=int, default=EXPERIMENT["batch_size"],
                   help="the global batch, split evenly over the processes")
    p.add_argument("--max-steps", type=int, default=None, help="stop after this many optimiser steps")
    p.add_argument("--views", default="exported", choices=["exported", "none"],
                   help="'none' feeds the inputs as both views (augmentation off)")
    p.add_argument("--init", default=os.path.join(HERE, "init.safetensors"),
                   help="initial weights ('none': PyTorch's own random initialisation)")
    p.add_argument("--out", default="weights.safetensors",
                   help="the trained encoder, with the lab's names: load(enc, PATH) in the lab")
    p.add_argument("--out-all", default=None, help="every network after training, names prefixed (encoder., projector., …)")
    p.add_argument("--losses-out", default=None, help="write every step's loss (mean over processes) to this JSON file")
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
    value = value.detach().clone()
    if world()[1] > 1:
        dist.all_reduce(value)
        value /= world()[1]
    return value.item()


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

class TwoViews(Dataset):
    """Each item: two views of one input (a view without transforms is the input itself) and its label."""

    def __init__(self, inputs, labels, first, second):
        self.inputs, self.labels, self.first, self.second = inputs, labels, first, second

    def __len__(self):
        return len(self.labels)

    def __getitem__(self, i):
        x = self.inputs[i]
        return (x if self.first is None else self.first(x)), (x if self.second is None else self.second(x)), self.labels[i]


class RandomRotation90(nn.Module):
    """A quarter turn k ∈ {0, 1, 2, 3} (non-square images: {0, 2}), counter-clockwise, as the lab's RandomRotation90."""

    def forward(self, x):
        k = int(torch.randint(4, ())) if x.shape[-1] == x.shape[-2] else 2 * int(torch.randint(2, ()))
        return torch.rot90(x, k, dims=(-2, -1))


def load_inputs(args):
    """The exported data set, or CIFAR-10 / an image folder brought to the exported input shape."""
    shape = tuple(EXPERIMENT["input_shape"])
    if args.data == "exported":
        tensors = load_file(os.path.join(HERE, "data.safetensors"))
        return tensors["inputs"], tensors["labels"].long(), True
    if args.data_dir is None:
        sys.exit(f"--data {args.data} needs --data-dir")
    if len(shape) != 3:
        sys.exit(f"this experiment's encoder takes inputs of shape {shape}, not images")
    import torchvision
    to_input = [v2.ToImage(), v2.ToDtype(torch.float32, scale=True), v2.Resize(shape[1:], antialias=True), v2.CenterCrop(shape[1:])]
    if shape[0] == 1:
        to_input.append(v2.Grayscale(1))
    elif shape[0] != 3:
        sys.exit(f"this experiment's encoder takes {shape[0]}-channel images; {args.data} has 3 channels")
    to_input = v2.Compose(to_input)
    if args.data == "cifar10":
        source = torchvision.datasets.CIFAR10(root=args.data_dir, train=True, download=False)
    else:
        source = torchvision.datasets.ImageFolder(root=args.data_dir)
    inputs = torch.stack([to_input(image) for image, _ in source])
    labels = torch.tensor([label for _, label in source])
    return inputs, labels, False


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

    def permutation(self):
        if self.orders is not None and self.epoch < len(self.orders):
            return self.orders[self.epoch].long().tolist()
        g = torch.Generator()
        g.manual_seed((self.seed + self.epoch) % 2**63)
        return torch.randperm(len(self.dataset), generator=g).tolist()

    def __iter__(self):
        order = self.permutation()
        mine = []
        for s in range(self.steps):
            start = s * self.global_batch + self.rank * self.local_batch
            mine += order[start:start + self.local_batch]
        return iter(mine)

    def __len__(self):
        return self.steps * self.local_batch


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
    forward(v1, v2) returns what the loss needs, in the order the lab computes it."""

    def __init__(self, networks):
        super().__init__()
        for name in TRAINABLE:
            self.add_module(name, networks[name])

    def forward(self, v1, v2):
        if EXPERIMENT["flatten_inputs"]:
            v1, v2 = v1.flatten(1), v2.flatten(1)
        method = EXPERIMENT["method"]
        if method == "supervised":
            return (self.head(self.encoder(v1)),)
        z1 = self.projector(self.encoder(v1))
        z2 = self.projector(self.encoder(v2))
        if method == "byol":
            return self.predictor(z1), self.predictor(z2)
        if method == "simsiam":
            return z1, z2, self.predictor(z1), self.predictor(z2)
        return z1, z2


class KeyQueue:
    """MoCo's queue of K unit-length keys, a ring buffer as in the lab (lightly's
    MemoryBankModule drops the keys that do not fit at the end of the bank instead of
    wrapping around). Starts from the lab's random keys (init.safetensors 'queue')."""

    def __init__(self, keys):
        self.keys, self.next = keys.clone(), 0

    @torch.no_grad()
    def enqueue(self, k):
        k = F.normalize(k, dim=1)[-len(self.keys):]
        rows = (self.next + torch.arange(len(k), device=k.device)) % len(self.keys)
        self.keys[rows] = k
        self.next = (self.next + len(k)) % len(self.keys)


def info_nce(q, k, queue, temperature):
    """InfoNCE against the queue (lightly's NTXentLoss with a memory bank computes the same
    logits, but it enqueues inside the loss; MoCo's symmetric loss needs both directions
    against the same queue): logits [q·k, q·Q] / τ, cross-entropy to the first."""
    q, k = F.normalize(q, dim=1), F.normalize(k, dim=1)
    logits = torch.cat([(q * k).sum(1, keepdim=True), q @ queue.t()], dim=1) / temperature
    return F.cross_entropy(logits, torch.zeros(len(q), dtype=torch.long, device=q.device))


class Method:
    """The loss of one step and what happens after the optimiser step (EMA targets, queue)."""

    def __init__(self, online, init_tensors, device):
        e = EXPERIMENT
        self.name = e["method"]
        self.targets = {}
        if self.name in ("byol", "moco"):
            # The target networks start as copies of the online ones, as in the lab.
            for name in ("encoder", "projector"):
                target = copy.deepcopy(getattr(online, name))
                deactivate_requires_grad(target)
                self.targets[name] = target
        if self.name == "moco":
            self.queue = KeyQueue(init_tensors["queue"].to(device))
        if self.name == "simclr":
            self.criterion = NTXentLoss(temperature=e["temperature"], gather_distributed=True)
        elif self.name == "dcl":
            self.criterion = DCLLoss(temperature=e["temperature"], gather_distributed=True)
        elif self.name == "barlow":
            # lightly's gather_distributed=True standardises each process's embeddings with
            # its own batch statistics; gathering first gives the loss of the global batch.
            self.criterion = BarlowTwinsLoss(lambda_param=e["lambda"], gather_distributed=False)
        elif self.name == "vicreg":
            self.criterion = VICRegLoss(lambda_param=e["lambda"], mu_param=e["mu"], nu_param=e["nu"],
                                        gather_distributed=True)
        elif self.name in ("byol", "simsiam", "positive-only"):
            self.criterion = NegativeCosineSimilarity()

    def target(self, v):
        with torch.no_grad():
            if EXPERIMENT["flatten_inputs"]:
                v = v.flatten(1)
            return self.targets["projector"](self.targets["encoder"](v))

    def loss(self, model, v1, v2, labels):
        e, out = EXPERIMENT, model(v1, v2)
        if self.name in ("simclr", "dcl", "vicreg"):
            return self.criterion(out[0], out[1])
        if self.name == "barlow":
            return self.criterion(gather_all(out[0]), gather_all(out[1]))
        if self.name == "byol":
            p1, p2 = out
            z1, z2 = self.target(v1), self.target(v2)
            return 0.5 * (self.criterion(p1, z2) + self.criterion(p2, z1))
        if self.name == "simsiam":
            z1, z2, p1, p2 = out
            if e["stop_gradient"]:
                z1, z2 = z1.detach(), z2.detach()
            return 0.5 * (self.criterion(p1, z2) + self.criterion(p2, z1))
        if self.name == "moco":
            q1, q2 = out
            self.keys = (self.target(v1), self.target(v2))
            k1, k2 = self.keys
            negatives = self.queue.keys
            return 0.5 * (info_nce(q1, k2, negatives, e["temperature"]) + info_nce(q2, k1, negatives, e["temperature"]))
        if self.name == "positive-only":
            z1, z2 = out
            if e["distance"] == "cosine":
                return self.criterion(z1, z2)
            return ((z1 - z2) ** 2).sum() / len(z1)
        if self.name == "supervised":
            return F.cross_entropy(out[0], labels)
        raise ValueError(f"unknown method {self.name}")

    def after_step(self, online, step, total_steps):
        if not self.targets:
            return
        m = target_momentum(step, total_steps)
        for name, target in self.targets.items():
            momentum_update(getattr(online, name), target, m)
        if self.name == "moco":
            for k in self.keys:
                self.queue.enqueue(concat_all(k))


def concat_all(x):
    """Every process's rows, in process order (no gradient)."""
    rank, size = world()
    if size == 1:
        return x
    parts = [torch.empty_like(x) for _ in range(size)]
    dist.all_gather(parts, x.contiguous())
    return torch.cat(parts, 0)


# --- training --------------------------------------------------------------------

def main():
    args = parse_arguments()
    device = setup_processes(args.device)
    rank, size = world()
    torch.manual_seed((args.seed + rank) % 2**63)
    if args.batch_size % size:
        sys.exit(f"--batch-size {args.batch_size} must be divisible by the number of processes ({size})")

    networks = build_networks()
    init_tensors = {}
    if args.init != "none":
        init_tensors = load_lab_weights(networks, args.init)
    elif EXPERIMENT["method"] == "moco":
        init_tensors["queue"] = F.normalize(torch.randn(EXPERIMENT["queue_size"], EXPERIMENT["embedding_dim"]), dim=1)
    networks = {name: synchronise_batch_norm(net, device).to(device) for name, net in networks.items()}
    online = Online(networks).to(device).train()
    method = Method(online, init_tensors, device)
    for target in method.targets.values():
        target.to(device).train()
    model = DistributedDataParallel(online) if size > 1 else online

    inputs, labels, exported = load_inputs(args)
    first, second = view_transforms() if args.views == "exported" else (None, None)
    data = TwoViews(inputs, labels, first, second)
    batch = min(args.batch_size, len(data))
    if batch % size:
        sys.exit(f"the batch ({batch}) must be divisible by the number of processes ({size})")
    orders = None
    order_path = os.path.join(HERE, "order.safetensors")
    if exported and os.path.exists(order_path) and args.seed == EXPERIMENT["seed"]:
        orders = load_file(order_path)["order"]
    sampler = LabOrderSampler(data, batch, orders, args.seed)
    loader = DataLoader(data, batch_size=batch // size, sampler=sampler, num_workers=args.workers, drop_last=True)
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
    losses, step = [], 0
    for epoch in range(args.epochs):
        sampler.set_epoch(epoch)
        epoch_losses = []
        for v1, v2, y in loader:
            if max_steps is not None and step >= max_steps:
                break
            for group in optimizer.param_groups:
                group["lr"] = learning_rate(step, total_steps, steps_per_epoch)
            v1, v2, y = v1.to(device), v2.to(device), y.to(device)
            optimizer.zero_grad()
            loss = method.loss(model, v1, v2, y)
            if not torch.isfinite(loss):
                sys.exit(f"the loss is not finite at step {step + 1} (epoch {epoch + 1})")
            loss.backward()
            optimizer.step()
            step += 1
            method.after_step(online, step, total_steps)
            value = mean_over_processes(loss)
            losses.append(value)
            epoch_losses.append(value)
        if rank == 0 and epoch_losses and not args.quiet:
            print(f"epoch {epoch + 1}/{args.epochs}  loss {sum(epoch_losses) / len(epoch_losses):.4f}", flush=True)
        if max_steps is not None and step >= max_steps:
            break

    if rank == 0:
        if args.out:
            save_file(lab_state(online.encoder, "encoder"), args.out)
            print(f"wrote {args.out}: the encoder; in the lab: load(enc, \"{args.out}\")")
        if args.out_all:
            everything = {}
            for name in TRAINABLE:
                everything.update(lab_state(getattr(online, name), name, name + "."))
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
