extension TrainScript {
    /// The part of train.py that is the same for every experiment: command line, processes
    /// (torchrun, gloo/nccl), BatchNorm over the global batch, weights in the lab's names,
    /// data and the lab's batch order, optimisers and schedules.
    static let runtime = #"""
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
"""#
}
