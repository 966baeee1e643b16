"""Training throughput (images/s) of MCCNet at 256x256 under TensorFlow and JAX.

Each backend runs in its own process (KERAS_BACKEND is fixed at import): mccnet_base compiled
with AdamW and Charbonnier + MS-SSIM, batches of random NumPy arrays (no data pipeline, no
TensorFlow import under JAX), `--warmup` steps to compile, then `--steps` timed steps of
`train_on_batch`. A backend that is not installed is reported as unavailable, so the same script
runs unchanged on a GPU host with JAX and no TensorFlow.

Run:
    .venv/bin/python benchmarks/train_throughput.py [--preset mccnet_base] [--batch 4]
Writes benchmarks/results/train_throughput.json.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import pathlib
import platform
import subprocess
import sys
import time

REPO = pathlib.Path(__file__).resolve().parents[1]


def worker(args) -> dict:
    import keras
    import numpy as np

    from keras_mccnet.losses import CharbonnierMSSSIMLoss
    from keras_mccnet.mccnet import MCCNet

    model = MCCNet.from_preset(args.preset)
    model.compile(keras.optimizers.AdamW(1e-4, weight_decay=1e-4, clipnorm=1.0),
                  loss=CharbonnierMSSSIMLoss(ms_ssim_weight=0.2))
    rng = np.random.default_rng(0)
    shape = (args.batch, args.size, args.size, 3)
    x = {"left": rng.random(shape, dtype=np.float32), "right": rng.random(shape, dtype=np.float32)}
    y = rng.random(shape, dtype=np.float32)
    t = time.time()
    for _ in range(args.warmup):
        model.train_on_batch(x, y)
    warmup_s = time.time() - t
    t = time.time()
    for _ in range(args.steps):
        loss = model.train_on_batch(x, y)
    seconds = time.time() - t
    devices = [str(d) for d in keras.distribution.list_devices()] if keras.backend.backend() \
        == "jax" else []
    return {"backend": keras.backend.backend(), "images_per_s": args.steps * args.batch / seconds,
            "step_s": seconds / args.steps, "warmup_s": warmup_s, "steps": args.steps,
            "final_loss": float(np.asarray(loss if not isinstance(loss, list) else loss[0])),
            "devices": devices}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--preset", default="mccnet_base")
    parser.add_argument("--size", type=int, default=256)
    parser.add_argument("--batch", type=int, default=4)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--steps", type=int, default=3)
    parser.add_argument("--backends", nargs="+", default=["tensorflow", "jax"])
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--out", default=str(REPO / "benchmarks" / "results" /
                                            "train_throughput.json"))
    args = parser.parse_args(argv)
    if args.worker:
        print("RESULT " + json.dumps(worker(args)), flush=True)
        return 0

    results = []
    for backend in args.backends:
        if importlib.util.find_spec(backend) is None:
            results.append({"backend": backend, "unavailable": f"{backend} is not installed"})
            continue
        env = dict(os.environ, KERAS_BACKEND=backend, TF_CPP_MIN_LOG_LEVEL="2",
                   PYTHONPATH=str(REPO))
        command = [sys.executable, __file__, "--worker", "--preset", args.preset, "--size",
                   str(args.size), "--batch", str(args.batch), "--warmup", str(args.warmup),
                   "--steps", str(args.steps)]
        run = subprocess.run(command, env=env, capture_output=True, text=True, cwd=REPO)
        line = [x for x in run.stdout.splitlines() if x.startswith("RESULT ")]
        if run.returncode != 0 or not line:
            results.append({"backend": backend, "error": run.stderr[-1500:]})
        else:
            results.append(json.loads(line[-1][len("RESULT "):]))
        print(json.dumps(results[-1]), flush=True)
    report = {"benchmark": "training images/s", "preset": args.preset,
              "size": args.size, "batch": args.batch, "warmup_steps": args.warmup,
              "host": {"machine": platform.machine(), "cpus": os.cpu_count(),
                       "processor": platform.processor() or platform.machine()},
              "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
              "note": "random NumPy batches (model + loss + AdamW only); shared CPU cores "
                      "include contention from other jobs",
              "results": results}
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    from keras_mccnet.atomic_write import atomic_write_json
    atomic_write_json(args.out, report)
    print(f"written {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
