"""Helpers of Scripts/gpu-bench (issue 33's GPU measurement of the PyTorch export):

  python gpu_bench.py images DIR COUNT SIZE     # a folder of COUNT SIZE×SIZE PNGs, 10 class folders
  python gpu_bench.py lightly DIR [options]     # lightly's own SimCLR example pipeline on that folder
  python gpu_bench.py splice OLD_TEMPLATE TRAIN_PY OUT   # an export's train.py on an older template

`lightly` is lightly's examples/pytorch/simclr.py (SimCLRTransform in a DataLoader, a
torchvision ResNet, SimCLRProjectionHead, NTXentLoss, SGD 0.06) on the given folder, with
the backbone the export's --backbone resnet18 builds (CIFAR stem for small images), the same
batch, autocast and channels_last options, timed as train.py's --benchmark times itself:
warm-up steps, then N steps, images/s and the part of the step spent waiting for the loader.
"""
import argparse
import os
import random
import sys
import time


def make_images(directory, count, size, seed=0):
    """Procedural PNGs: a random background and 1-3 filled shapes (ellipse, rectangle,
    triangle) in random colours; the class (0-9) is the first shape's kind and colour band."""
    from PIL import Image, ImageDraw
    rng = random.Random(seed)
    for c in range(10):
        os.makedirs(os.path.join(directory, f"class{c}"), exist_ok=True)
    for i in range(count):
        label = i % 10
        image = Image.new("RGB", (size, size), tuple(rng.randrange(256) for _ in range(3)))
        draw = ImageDraw.Draw(image)
        for k in range(1 + rng.randrange(3)):
            kind = label % 3 if k == 0 else rng.randrange(3)
            x0, y0 = rng.randrange(size // 2), rng.randrange(size // 2)
            x1, y1 = x0 + 4 + rng.randrange(size // 2), y0 + 4 + rng.randrange(size // 2)
            colour = (25 * label if k == 0 else rng.randrange(256), rng.randrange(256), rng.randrange(256))
            if kind == 0:
                draw.ellipse([x0, y0, x1, y1], fill=colour)
            elif kind == 1:
                draw.rectangle([x0, y0, x1, y1], fill=colour)
            else:
                draw.polygon([(x0, y1), (x1, y1), ((x0 + x1) // 2, y0)], fill=colour)
        path = os.path.join(directory, f"class{label}", f"{i:06d}.png")
        image.save(path + ".tmp.png")
        os.replace(path + ".tmp.png", path)


def lightly_example(args):
    import torch
    import torch.nn as nn
    import torchvision
    from lightly.loss import NTXentLoss
    from lightly.models.modules import SimCLRProjectionHead
    from lightly.transforms.simclr_transform import SimCLRTransform

    device = torch.device(args.device)
    resnet = torchvision.models.resnet18(weights=None)
    if args.size <= 64:   # the export's --backbone resnet18 on small images
        resnet.conv1 = nn.Conv2d(3, 64, kernel_size=3, stride=1, padding=1, bias=False)
        resnet.maxpool = nn.Identity()
    backbone = nn.Sequential(*list(resnet.children())[:-1])
    projection = SimCLRProjectionHead(512, 512, 128)
    model = nn.Sequential(backbone, nn.Flatten(1), projection).to(device)
    if args.channels_last:
        model = model.to(memory_format=torch.channels_last)
    transform = SimCLRTransform(input_size=args.size, gaussian_blur=0.0)
    dataset = torchvision.datasets.ImageFolder(args.folder, transform=transform)
    loader = torch.utils.data.DataLoader(dataset, batch_size=args.batch_size, shuffle=True, drop_last=True,
                                         num_workers=args.workers, pin_memory=device.type == "cuda",
                                         persistent_workers=args.workers > 0)
    criterion = NTXentLoss()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.06)
    bf16 = args.precision == "bf16"

    def synchronize():
        if device.type == "cuda":
            torch.cuda.synchronize(device)

    step, wait, start, total = 0, 0.0, None, args.warmup + args.steps
    while step < total:
        batches = iter(loader)
        while step < total:
            if step == args.warmup:
                synchronize()
                if device.type == "cuda":
                    torch.cuda.reset_peak_memory_stats(device)
                start = time.perf_counter()
            waited = time.perf_counter()
            try:
                (x0, x1), _ = next(batches)
            except StopIteration:
                break
            if start is not None:
                wait += time.perf_counter() - waited
            x0, x1 = x0.to(device, non_blocking=True), x1.to(device, non_blocking=True)
            if args.channels_last:
                x0, x1 = x0.contiguous(memory_format=torch.channels_last), x1.contiguous(memory_format=torch.channels_last)
            with torch.autocast(device.type, dtype=torch.bfloat16, enabled=bf16):
                z0, z1 = model(x0), model(x1)
            loss = criterion(z0.float(), z1.float())
            loss.backward()
            optimizer.step()
            optimizer.zero_grad()
            step += 1
    synchronize()
    wall = time.perf_counter() - start
    per_step, per_wait = wall / args.steps, wait / args.steps
    memory = (f"peak GPU memory {torch.cuda.max_memory_allocated(device) / 2**30:.2f} GiB"
              if device.type == "cuda" else "no GPU memory (CPU)")
    print(f"benchmark: {args.steps} steps of {args.batch_size} images after the warm-up: "
          f"{args.steps * args.batch_size / wall:.1f} images/s; step {per_step * 1e3:.2f} ms = data wait "
          f"{per_wait * 1e3:.2f} ms ({100 * per_wait / per_step:.1f} %) + compute {(per_step - per_wait) * 1e3:.2f} ms; {memory}")


def splice(old_template, train_py, out):
    """train.py's experiment part (everything above the template's fixed part) on top of
    an older template's fixed part: the export as an older version of the exporter wrote it."""
    marker = "# Everything below is the same for every exported experiment."
    head = open(train_py).read().split(marker)[0]
    body = open(old_template).read().split(marker)[1]
    with open(out + ".tmp", "w") as f:
        f.write(head + marker + body)
    os.replace(out + ".tmp", out)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="command", required=True)
    images = sub.add_parser("images")
    images.add_argument("directory")
    images.add_argument("count", type=int)
    images.add_argument("size", type=int)
    example = sub.add_parser("lightly")
    example.add_argument("folder")
    example.add_argument("--device", default="cuda")
    example.add_argument("--size", type=int, default=32)
    example.add_argument("--batch-size", type=int, default=256)
    example.add_argument("--workers", type=int, default=8)
    example.add_argument("--precision", default="fp32", choices=["fp32", "bf16"])
    example.add_argument("--channels-last", action="store_true")
    example.add_argument("--warmup", type=int, default=10)
    example.add_argument("--steps", type=int, default=50)
    sp = sub.add_parser("splice")
    sp.add_argument("old_template")
    sp.add_argument("train_py")
    sp.add_argument("out")
    args = p.parse_args()
    if args.command == "images":
        make_images(args.directory, args.count, args.size)
    elif args.command == "lightly":
        lightly_example(args)
    else:
        splice(args.old_template, args.train_py, args.out)


if __name__ == "__main__":
    sys.exit(main())
