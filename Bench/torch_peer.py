"""Peer benchmark: the toy SSL workloads of `selfsup bench`, timed in PyTorch on the CPU.

`selfsup bench` (Sources/LabCLI/Bench) runs the very same workloads (same shapes, layers,
losses, optimisers and step counts) and prints its lines in the same format, so the two
can be run back to back and compared as a ratio:

  python torch_peer.py [--threads N] [--only TEXT] [--quick]

Needs torch and torchvision (see README.md beside this file). Prints a `#` header line,
then one line per workload: `NAME  MS ms` padded as selfsup pads it, training steps
followed by `CPU MS ms/step` (the process CPU time per step, the fairer figure on a busy
machine); augment-simclr is milliseconds per batch of two views.
"""
import argparse
import time

import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision
import torchvision.transforms.v2 as T


def line(name, value, unit, note=""):
    """One output line, formatted as selfsup bench's `BenchLine.formatted`."""
    number = f"{value:.1f}" if value >= 100 else f"{value:.3f}"
    text = f"{name.ljust(24)}  {number} {unit}"
    return text + (f"  {note}" if note else "")


def nt_xent(z1, z2, t=0.5):
    z = F.normalize(torch.cat([z1, z2]), dim=1)
    n = z1.shape[0]
    s = z @ z.T / t
    s.fill_diagonal_(float("-inf"))
    target = torch.cat([torch.arange(n, 2 * n), torch.arange(0, n)])
    return F.cross_entropy(s, target)


def barlow_twins(z1, z2, lam=5e-3):
    n = z1.shape[0]
    a = F.batch_norm(z1, None, None, training=True)
    b = F.batch_norm(z2, None, None, training=True)
    c = a.T @ b / n
    on = (torch.diagonal(c) - 1).pow(2).sum()
    off = (c - torch.diag(torch.diagonal(c))).pow(2).sum()
    return on + lam * off


def mlp():
    # encoder 64-256-256-128, projector 128-128-64; BatchNorm + ReLU between linears,
    # none between encoder and projector (selfsup: mlp([64, 256, 256, 128]), mlp([128, 128, 64]))
    return nn.Sequential(
        nn.Linear(64, 256), nn.BatchNorm1d(256), nn.ReLU(),
        nn.Linear(256, 256), nn.BatchNorm1d(256), nn.ReLU(),
        nn.Linear(256, 128),
        nn.Linear(128, 128), nn.BatchNorm1d(128), nn.ReLU(),
        nn.Linear(128, 64))


def cnn():
    # three 3x3 conv blocks (32, 64, 128 channels) with BN+ReLU, 2x2 max-pool after the
    # first two, global average pool, projector 128-256-256
    # (selfsup: convnet(widths: [32, 64, 128]), mlp([128, 256, 256]))
    def block(i, o):
        return [nn.Conv2d(i, o, 3, padding=1), nn.BatchNorm2d(o), nn.ReLU()]
    return nn.Sequential(
        *block(3, 32), nn.MaxPool2d(2), *block(32, 64), nn.MaxPool2d(2), *block(64, 128),
        nn.AdaptiveAvgPool2d(1), nn.Flatten(),
        nn.Linear(128, 256), nn.BatchNorm1d(256), nn.ReLU(), nn.Linear(256, 256))


def time_steps(name, model, x1, x2, loss, opt, steps):
    """3 warm-up steps, then the mean wall and process CPU time of `steps` steps, in ms."""
    def step():
        opt.zero_grad()
        value = loss(model(x1), model(x2))
        value.backward()
        opt.step()
    for _ in range(3):
        step()
    start, cpu = time.perf_counter(), time.process_time()
    for _ in range(steps):
        step()
    wall = (time.perf_counter() - start) / steps * 1e3
    cpu = (time.process_time() - cpu) / steps * 1e3
    return line(name, wall, "ms", f"CPU {cpu:.3f} ms/step")


def mlp_simclr(quick):
    # batch 256 of 64-dim inputs (8x8 digits), two fixed noisy views x + 0.1 noise,
    # NT-Xent t=0.5, Adam lr 1e-3; 200 steps (20 with --quick)
    m = mlp()
    x = torch.randn(256, 64)
    return time_steps("mlp-simclr", m, x + 0.1 * torch.randn_like(x), x + 0.1 * torch.randn_like(x),
                      nt_xent, torch.optim.Adam(m.parameters(), 1e-3), 20 if quick else 200)


def cnn_barlow(quick):
    # batch 128 of 3x32x32 images, two fixed noisy views, Barlow Twins lambda 5e-3,
    # SGD lr 0.05 momentum 0.9; 10 steps (2 with --quick)
    c = cnn()
    x = torch.randn(128, 3, 32, 32)
    return time_steps("cnn-barlow", c, x + 0.1 * torch.randn_like(x), x + 0.1 * torch.randn_like(x),
                      barlow_twins, torch.optim.SGD(c.parameters(), 0.05, momentum=0.9), 2 if quick else 10)


def augment_simclr(quick):
    # two SimCLR views of 256 RGB 32x32 images (uniform in [0, 1)), one image at a time as
    # a data loader does: resized crop (scale 0.2-1, ratio 3/4-4/3), flip p 0.5, colour
    # jitter (0.4, 0.4, 0.4, 0.1; p 0.8), grayscale p 0.2, Gaussian blur (kernel 3,
    # sigma 0.1-2; p 0.5). Two warm-up passes, then the mean of 5 passes, ms per batch.
    pipeline = T.Compose([
        T.RandomResizedCrop(32, scale=(0.2, 1.0), antialias=True), T.RandomHorizontalFlip(),
        T.RandomApply([T.ColorJitter(0.4, 0.4, 0.4, 0.1)], p=0.8), T.RandomGrayscale(0.2),
        T.RandomApply([T.GaussianBlur(3, sigma=(0.1, 2.0))], p=0.5)])
    images = torch.rand(256, 3, 32, 32)
    def one_pass():
        for img in images:
            pipeline(img)
            pipeline(img)
    for _ in range(2):
        one_pass()
    reps = 5
    start = time.perf_counter()
    for _ in range(reps):
        one_pass()
    return line("augment-simclr", (time.perf_counter() - start) / reps * 1e3, "ms")


# In the order `selfsup bench` runs them.
WORKLOADS = [("mlp-simclr", mlp_simclr), ("cnn-barlow", cnn_barlow), ("augment-simclr", augment_simclr)]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=1,
                        help="torch's intra-op threads (default 1, as selfsup bench's)")
    parser.add_argument("--only", help="run only the workloads whose name contains this text")
    parser.add_argument("--quick", action="store_true", help="fewer steps, for a quick check")
    args = parser.parse_args()
    torch.set_num_threads(max(1, args.threads))
    torch.manual_seed(0)
    print(f"# torch_peer, threads {torch.get_num_threads()}, torch {torch.__version__}, "
          f"torchvision {torchvision.__version__}")
    for name, run in WORKLOADS:
        if args.only is None or args.only in name:
            print(run(args.quick), flush=True)


if __name__ == "__main__":
    main()
