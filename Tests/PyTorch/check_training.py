"""The export's training options on the CPU, run by Scripts/test-pytorch:

    python Tests/PyTorch/check_training.py EXPORT_DIR WORK_DIR

EXPORT_DIR holds a train.py exported for 3×16×16 images with views (Scripts/test-pytorch
exports MoCo on a convnet: EMA targets and a queue, the most state to save). Checks, one line
each, exit status 1 if any fails:
- resume: a run stopped after 8 of 18 steps (the checkpoint it leaves is what a kill right
  after a checkpoint leaves: they are written atomically) and run again equals one
  uninterrupted run, losses and weights exactly; with views made image by image (workers 0)
  and with views on the device (2 workers);
- a streamed image folder (generated PNGs, 2 workers) trains resnet18 with bf16 autocast,
  channels_last, a CSV log and kNN every epoch, and equals the same run with --cache;
- CIFAR-10 from files in torchvision's format (generated: no data set can be downloaded
  here; torchvision's md5 check is skipped for them) with its test split for kNN.
"""
import csv
import json
import os
import pickle
import subprocess
import sys

import numpy
from safetensors.torch import load_file

HERE = os.path.dirname(os.path.abspath(__file__))
failures = []


def report(name, ok, detail):
    print(f"{name:<52} {detail}  {'ok' if ok else 'FAILED'}")
    if not ok:
        failures.append(name)


def train(script, *arguments, prefix=()):
    """Runs train.py (prefix: Python lines run first, e.g. a patch); returns (status, output)."""
    code = "\n".join(list(prefix) + ["import runpy, sys", f"sys.argv = {[script] + list(arguments)!r}",
                                     f"runpy.run_path({script!r}, run_name='__main__')"])
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    return done.returncode, done.stdout + done.stderr


def same_weights(a, b):
    x, y = load_file(a), load_file(b)
    return x.keys() == y.keys() and all((x[k] == y[k]).all().item() for k in x)


def resume_checks(script, work):
    for label, options in [("views image by image, workers 0", ["--views-on", "cpu", "--workers", "0"]),
                           ("views on the device, 2 workers", ["--views-on", "device", "--workers", "2"])]:
        tag = options[1]
        common = ["--device", "cpu", "--epochs", "3", "--out", ""] + options
        whole = os.path.join(work, f"whole-{tag}")
        status, output = train(script, *common, "--losses-out", whole + ".json", "--out-all", whole + ".safetensors")
        if status != 0:
            report(f"resume ({label})", False, "the uninterrupted run failed: " + output[-300:])
            continue
        directory = os.path.join(work, f"checkpoint-{tag}")
        resumed = os.path.join(work, f"resumed-{tag}")
        status1, output1 = train(script, *common, "--checkpoint", directory, "--checkpoint-every", "5", "--max-steps", "8")
        status2, output2 = train(script, *common, "--checkpoint", directory, "--losses-out", resumed + ".json", "--out-all", resumed + ".safetensors")
        if status1 != 0 or status2 != 0 or "resumed from" not in output2 or "at step 8" not in output2:
            report(f"resume ({label})", False, "the stopped or the resumed run failed: " + (output1 + output2)[-400:])
            continue
        a, b = json.load(open(whole + ".json")), json.load(open(resumed + ".json"))
        ok = len(a) == 18 and a == b and same_weights(whole + ".safetensors", resumed + ".safetensors")
        report(f"resume after step 8 of 18 ({label})", ok, f"{len(b)} losses, equal: {a == b}")


def image_folder(work):
    folder = os.path.join(work, "images")
    if not os.path.isdir(folder):
        subprocess.run([sys.executable, os.path.join(HERE, "..", "..", "Bench", "gpu_bench.py"), "images", folder, "160", "20"], check=True)
    return folder


def folder_checks(script, work):
    folder = image_folder(work)
    runs = {}
    for cached in (False, True):
        name = "cached" if cached else "streamed"
        log = os.path.join(work, f"{name}.csv")
        arguments = ["--device", "cpu", "--data", "imagefolder", "--data-dir", folder, "--workers", "2", "--batch-size", "32",
                     "--epochs", "1", "--backbone", "resnet18", "--precision", "bf16", "--channels-last", "--views-on", "device",
                     "--knn-every", "1", "--log", log, "--losses-out", os.path.join(work, f"{name}.json"),
                     "--out", os.path.join(work, f"{name}.safetensors")] + (["--cache"] if cached else [])
        status, output = train(script, *arguments)
        rows = list(csv.DictReader(open(log))) if os.path.exists(log) else []
        weights = load_file(os.path.join(work, f"{name}.safetensors")) if status == 0 else {}
        # 160 images, 16 held out for kNN: 144 train, 4 steps of 32.
        ok = (status == 0 and len(rows) == 4 and set(rows[0]) == {"step", "loss", "lr", "images_per_s"}
              and "kNN top-1 (k 200, temperature 0.1): last" in output and "conv1.weight" in weights
              and tuple(weights["conv1.weight"].shape) == (64, 3, 3, 3))
        report(f"image folder, {name}: resnet18, bf16, log, kNN", ok,
               f"{len(rows)} log rows" if status == 0 else "failed: " + output[-300:])
        runs[name] = json.load(open(os.path.join(work, f"{name}.json"))) if status == 0 else None
    ok = runs["streamed"] is not None and runs["streamed"] == runs["cached"]
    report("image folder: streamed equals --cache", ok, f"losses {runs['streamed']} vs {runs['cached']}")


def cifar_checks(script, work):
    root = os.path.join(work, "cifar")
    folder = os.path.join(root, "cifar-10-batches-py")
    os.makedirs(folder, exist_ok=True)
    rng = numpy.random.default_rng(0)
    for name, count in [(f"data_batch_{i}", 40) for i in range(1, 6)] + [("test_batch", 40)]:
        with open(os.path.join(folder, name), "wb") as f:
            pickle.dump({"data": rng.integers(0, 256, (count, 3072), dtype=numpy.uint8),
                         "labels": [int(v) for v in rng.integers(0, 10, count)]}, f)
    with open(os.path.join(folder, "batches.meta"), "wb") as f:
        pickle.dump({"label_names": [f"class{i}" for i in range(10)]}, f)
    status, output = train(script, "--device", "cpu", "--data", "cifar10", "--data-dir", root, "--workers", "2",
                           "--batch-size", "64", "--epochs", "1", "--knn-every", "1", "--out", "",
                           prefix=["import torchvision.datasets.cifar as cifar", "cifar.check_integrity = lambda *a, **k: True",
                                   "cifar.CIFAR10._check_integrity = lambda self: True"])
    ok = status == 0 and "epoch 1/1" in output and "kNN top-1 (k 200, temperature 0.1): last" in output
    report("CIFAR-10 (generated files): streamed, kNN on its test set", ok, "ran" if ok else "failed: " + output[-300:])


def main():
    export, work = sys.argv[1], sys.argv[2]
    script = os.path.join(export, "train.py")
    resume_checks(script, work)
    folder_checks(script, work)
    cifar_checks(script, work)
    print(f"{len(failures)} training check(s) failed" if failures else "every training check passed")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
