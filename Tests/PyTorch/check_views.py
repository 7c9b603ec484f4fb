"""The batched views of an exported train.py (--views-on device) against torchvision's
per-image transforms, on the CPU. Run by Scripts/test-pytorch:

    python Tests/PyTorch/check_views.py EXPORT/train.py [EXPORT/train.py ...]

Three kinds of check, each printed on one line, exit status 1 if any fails:
- pixels, exactly: one fixed parameter through the batched operation and through
  torchvision's functional form (rotation, affine, colour jitter's four parts, blur,
  solarize, grayscale, crop-and-resize) agree to a stated tolerance;
- parameters: the batched draw and torchvision's make_params over 4,000 draws have the same
  mean and spread (crop area and aspect, jitter factors and order, blur σ, erasing, angles,
  translations, quarter turns);
- views: every augmentation, and each export's own two pipelines, on a fixed batch of 1,024
  smooth 16×16 images: per-image statistics (mean, spread, colourfulness, sharpness, change
  from the input) of the batched views against torchvision's per-image views: the means
  agree within 4.5 standard errors (a z-test; seeds are fixed, so the result is the same on
  every run) and the spreads within 20 %.
"""
import importlib.util
import math
import sys

import torch
import torch.nn.functional as F
from torchvision.transforms import v2
from torchvision.transforms.v2 import functional as TF

failures = []


def report(name, ok, detail):
    print(f"{name:<52} {detail}  {'ok' if ok else 'FAILED'}")
    if not ok:
        failures.append(name)


def load(path):
    spec = importlib.util.spec_from_file_location(f"export_{abs(hash(path))}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def smooth_images(n, channels=3, size=16, seed=0):
    """Random colour fields upsampled from 4×4: images with structure for blur and warps."""
    g = torch.Generator().manual_seed(seed)
    low = torch.rand(n, channels, 4, 4, generator=g)
    return F.interpolate(low, size=(size, size), mode="bilinear", align_corners=False).clamp(0, 1)


def exact_checks(m):
    x = smooth_images(8)
    n = len(x)
    angle = torch.full((n,), 23.0)
    # RandomRotation: counter-clockwise angle; F.rotate takes the same.
    ours = m.warp(x, -angle, torch.zeros(n), torch.zeros(n), torch.ones(n), 0.3)
    theirs = TF.rotate(x, 23.0, interpolation=v2.InterpolationMode.BILINEAR, fill=0.3)
    d = (ours - theirs).abs().max().item()
    report("pixels: rotation 23° (fill 0.3) vs F.rotate", d < 1e-4, f"max difference {d:.1e}")
    ours = m.warp(x, angle, torch.full((n,), 2.0), torch.full((n,), -1.0), torch.full((n,), 1.1), 0.0)
    theirs = TF.affine(x, angle=23.0, translate=[2, -1], scale=1.1, shear=[0.0, 0.0], interpolation=v2.InterpolationMode.BILINEAR, fill=0.0)
    d = (ours - theirs).abs().max().item()
    report("pixels: affine (23°, shift 2,-1, scale 1.1) vs F.affine", d < 1e-4, f"max difference {d:.1e}")
    factor = torch.full((n,), 0.7)
    for part, name, reference in [(0, "brightness", TF.adjust_brightness), (1, "contrast", TF.adjust_contrast),
                                  (2, "saturation", TF.adjust_saturation), (3, "hue", TF.adjust_hue)]:
        f = factor if part < 3 else torch.full((n,), 0.15)
        ours = m.BatchedColorJitter.adjust(part, x, f)
        theirs = reference(x, float(f[0]))
        d = (ours - theirs).abs().max().item()
        report(f"pixels: colour jitter {name} vs F.adjust_{name}", d < 2e-5 if part < 3 else 1e-4, f"max difference {d:.1e}")
    blur = m.BatchedBlur(v2.GaussianBlur(5, sigma=(0.1, 2.0)))
    ours = blur.apply(x, {"sigma": torch.full((n,), 1.3)})
    theirs = TF.gaussian_blur(x, [5, 5], [1.3, 1.3])
    d = (ours - theirs).abs().max().item()
    report("pixels: Gaussian blur σ 1.3 vs F.gaussian_blur", d < 1e-5, f"max difference {d:.1e}")
    d = (m.grey(x).expand_as(x) - TF.rgb_to_grayscale(x, 3)).abs().max().item()
    report("pixels: grayscale vs F.rgb_to_grayscale", d < 1e-5, f"max difference {d:.1e}")
    d = (m.BatchedSolarize(v2.RandomSolarize(0.5)).apply(x, {}) - TF.solarize(x, 0.5)).abs().max().item()
    report("pixels: solarize vs F.solarize", d < 1e-6, f"max difference {d:.1e}")
    crop = m.BatchedResizedCrop(v2.RandomResizedCrop(16))
    box = {"top": torch.full((n,), 3), "left": torch.full((n,), 5), "height": torch.full((n,), 8), "width": torch.full((n,), 6)}
    ours = crop.apply(x, box)
    theirs = TF.resized_crop(x, 3, 5, 8, 6, [16, 16], antialias=True)
    d = (ours - theirs).abs().max().item()
    report("pixels: crop 8×6 resized up to 16×16 vs F.resized_crop", d < 1e-4, f"max difference {d:.1e}")
    box = {"top": torch.full((n,), 0), "left": torch.full((n,), 0), "height": torch.full((n,), 16), "width": torch.full((n,), 16)}
    small = m.BatchedResizedCrop(v2.RandomResizedCrop(8))
    d = (small.apply(x, box) - TF.resized_crop(x, 0, 0, 16, 16, [8, 8], antialias=True)).abs().max().item()
    report("pixels: 16×16 shrunk to 8×8 vs antialiased F.resized_crop", d < 1e-4, f"max difference {d:.1e}")
    box = {"top": torch.arange(n) % 3, "left": torch.arange(n) % 3, "height": 7 + torch.arange(n), "width": 12 - torch.arange(n) % 5}
    ours = m.BatchedResizedCrop(v2.RandomResizedCrop(10)).apply(x, box)
    theirs = torch.stack([TF.resized_crop(x[i], int(box["top"][i]), int(box["left"][i]), int(box["height"][i]), int(box["width"][i]),
                                          [10, 10], antialias=True) for i in range(n)])
    d = (ours - theirs).abs().max().item()
    report("pixels: 8 crops of other sizes to 10×10 vs F.resized_crop", d < 1e-4, f"max difference {d:.1e}")


def moments(values):
    values = torch.as_tensor(values, dtype=torch.float64)
    return values.mean().item(), values.std().item(), len(values)


def same_distribution(name, ours, theirs, z_limit=4.5, spread=0.2):
    m1, s1, n1 = moments(ours)
    m2, s2, n2 = moments(theirs)
    se = math.sqrt(s1 ** 2 / n1 + s2 ** 2 / n2) + 1e-9
    z = abs(m1 - m2) / se
    ratio = (s1 + 1e-6) / (s2 + 1e-6)
    ok = (z <= z_limit or abs(m1 - m2) < 1e-6) and (max(s1, s2) < 1e-4 or 1 - spread <= ratio <= 1 + spread)
    report(name, ok, f"mean {m1:.4f} vs {m2:.4f} (z {z:.1f}), spread {s1:.4f} vs {s2:.4f}")


def torchvision_params(t, x, count):
    make = getattr(t, "make_params", None) or getattr(t, "_get_params")
    torch.manual_seed(0)
    return [make([x]) for _ in range(count)]


def parameter_checks(m):
    count = 4000
    x = smooth_images(count, size=16)
    g = torch.Generator().manual_seed(1)
    t = v2.RandomResizedCrop(16, scale=(0.08, 1.0), ratio=(3 / 4, 4 / 3))
    ours = m.BatchedResizedCrop(t).draw(x, g)
    theirs = torchvision_params(t, x[0], count)
    same_distribution("parameters: crop area (RandomResizedCrop)", (ours["height"] * ours["width"]).float() / 256,
                      [p["height"] * p["width"] / 256 for p in theirs])
    same_distribution("parameters: crop aspect log(w/h)", torch.log(ours["width"].float() / ours["height"].float()),
                      [math.log(p["width"] / p["height"]) for p in theirs])
    same_distribution("parameters: crop top", ours["top"].float(), [p["top"] for p in theirs])
    t = v2.ColorJitter(brightness=0.4, contrast=0.4, saturation=0.4, hue=0.1)
    ours = m.BatchedColorJitter(t).draw(x, g)
    theirs = torchvision_params(t, x[0], count)
    for part, key in enumerate(["brightness_factor", "contrast_factor", "saturation_factor", "hue_factor"]):
        same_distribution(f"parameters: colour jitter {key}", ours["factors"][part], [p[key] for p in theirs])
    same_distribution("parameters: colour jitter: brightness first", (ours["order"][:, 0] == 0).float(),
                      [float(p["fn_idx"][0] == 0) for p in theirs])
    same_distribution("parameters: colour jitter: hue last", (ours["order"][:, 3] == 3).float(),
                      [float(p["fn_idx"][3] == 3) for p in theirs])
    t = v2.GaussianBlur(3, sigma=(0.1, 2.0))
    ours = m.BatchedBlur(t).draw(x, g)
    same_distribution("parameters: blur σ", ours["sigma"], [p["sigma"][0] for p in torchvision_params(t, x[0], count)])
    t = v2.RandomErasing(p=1.0, scale=(0.02, 0.33), ratio=(0.3, 3.3), value=0.0)
    ours = m.BatchedErasing(t).draw(x, g)
    theirs = torchvision_params(t, x[0], count)
    same_distribution("parameters: erasing area", (ours["height"] * ours["width"] * ours["found"]).float() / 256,
                      [p["h"] * p["w"] / 256 if p["v"] is not None else 0.0 for p in theirs])
    same_distribution("parameters: erasing height", (ours["height"] * ours["found"]).float(),
                      [p["h"] if p["v"] is not None else 0 for p in theirs])
    t = v2.RandomAffine(degrees=15.0, translate=(0.125, 0.125), scale=(0.9, 1.1))
    ours = m.BatchedAffine(t, rotation=False).draw(x, g)
    theirs = torchvision_params(t, x[0], count)
    same_distribution("parameters: affine angle", ours["angle"], [p["angle"] for p in theirs])
    same_distribution("parameters: affine shift x", ours["tx"], [p["translate"][0] for p in theirs])
    same_distribution("parameters: affine |shift y|", ours["ty"].abs(), [abs(p["translate"][1]) for p in theirs])
    same_distribution("parameters: affine scale", ours["scale"], [p["scale"] for p in theirs])
    ours = m.BatchedRotation90().draw(x, g)
    torch.manual_seed(0)
    theirs = [int(torch.randint(4, ())) for _ in range(count)]
    same_distribution("parameters: quarter turns k", ours["k"].float(), theirs)


def statistics(views, inputs):
    """Per-image statistics of a batch of views."""
    grey = views.mean(1, keepdim=True)
    stats = {"mean": views.mean((1, 2, 3)), "spread": views.std((1, 2, 3)),
             "colourfulness": (views - grey).abs().mean((1, 2, 3)),
             "sharpness": (views[..., 1:] - views[..., :-1]).abs().mean((1, 2, 3))}
    if views.shape == inputs.shape:
        stats["change"] = (views - inputs).abs().mean((1, 2, 3))
    return stats


def view_check(m, name, pipeline, x):
    torch.manual_seed(0)
    theirs = torch.stack([pipeline(image) for image in x])
    ours = m.batched_step(pipeline)(x, torch.Generator().manual_seed(1))
    if ours.shape != theirs.shape:
        report(f"views: {name}", False, f"shape {tuple(ours.shape)} vs {tuple(theirs.shape)}")
        return
    a, b = statistics(ours, x), statistics(theirs, x)
    for key in a:
        same_distribution(f"views: {name}: {key}", a[key], b[key])


def view_checks(m, x):
    single = {
        "random resized crop": v2.RandomResizedCrop(16, scale=(0.2, 1.0), antialias=True),
        "random resized crop to 12": v2.RandomResizedCrop(12, scale=(0.35, 1.0), antialias=True),
        "horizontal flip": v2.RandomHorizontalFlip(p=0.5),
        "vertical flip": v2.RandomVerticalFlip(p=0.5),
        "quarter turns (p 0.5)": v2.RandomApply([m.RandomRotation90()], p=0.5),
        "rotation ±30°": v2.RandomRotation((-30.0, 30.0), interpolation=v2.InterpolationMode.BILINEAR, fill=0.0),
        "affine": v2.RandomAffine(degrees=15.0, translate=(0.125, 0.125), scale=(0.9, 1.1), interpolation=v2.InterpolationMode.BILINEAR, fill=0.0),
        "colour jitter (p 0.8)": v2.RandomApply([v2.ColorJitter(brightness=0.4, contrast=0.4, saturation=0.4, hue=0.1)], p=0.8),
        "grayscale": v2.RandomGrayscale(p=0.2),
        "blur": v2.RandomApply([v2.GaussianBlur(3, sigma=(0.1, 2.0))], p=0.5),
        "solarize": v2.RandomSolarize(threshold=0.5, p=0.2),
        "noise": v2.GaussianNoise(mean=0.0, sigma=0.1, clip=True),
        "erasing": v2.RandomErasing(p=0.5, scale=(0.02, 0.33), ratio=(0.3, 3.3), value=0.0),
    }
    for name, t in single.items():
        view_check(m, name, v2.Compose([t]), x)


def main():
    m = load(sys.argv[1])
    exact_checks(m)
    parameter_checks(m)
    x = smooth_images(1024)
    view_checks(m, x)
    for path in sys.argv[1:]:
        export = load(path)
        shape = export.EXPERIMENT["input_shape"]
        inputs = smooth_images(1024, channels=shape[0], size=shape[-1], seed=2)
        first, second = export.view_transforms()
        for which, pipeline in (("first", first), ("second", second if repr(second) != repr(first) else None)):
            if pipeline is not None:
                view_check(export, f"{export.EXPERIMENT['method']} export's {which} view", pipeline, inputs)
    print(f"{len(failures)} view check(s) failed" if failures else "every view check passed")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
