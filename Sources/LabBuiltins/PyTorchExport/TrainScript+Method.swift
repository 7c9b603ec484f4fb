extension TrainScript {
    /// The part of train.py that trains: the methods' losses (lightly's where lightly has
    /// them), EMA targets and MoCo's queue, the loop, saving, and the parity check against
    /// the lab's own run.
    static let method = #"""


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
"""#
}
