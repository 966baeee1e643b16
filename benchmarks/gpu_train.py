"""Training throughput on an accelerator: images/s, data vs compute time, and model FLOP
utilisation (MFU) against the device's measured bf16 matmul peak.

    KERAS_BACKEND=jax python benchmarks/gpu_train.py --preset mccnet_base --batch 16
    KERAS_BACKEND=jax python benchmarks/gpu_train.py --preset mccnet_tiny --batch 2 --steps 3 \\
        --patch 96 --peak-size 1024            # a quick CPU check of the script itself

Backend-neutral (no TensorFlow import), so it runs on the GPU host, which has JAX only. For each
precision policy it times (a) the input pipeline alone (synthetic DP patches from
`SyntheticPyDataset` with `--workers` processes), (b) `train_on_batch` on a batch already in
memory (compute alone), and (c) the two together as `fit` sees them. Model FLOPs per image are
3 x 2 x MACs of the forward pass (`keras_mccnet.cost`; backward ~ 2x forward). Writes
benchmarks/results/gpu_train.json (or --out).
"""

from __future__ import annotations

import argparse
import json
import os
import pathlib
import platform
import sys
import time

RESULTS = pathlib.Path(__file__).resolve().parent / "results"


def _sync(x):
    import keras

    return keras.ops.convert_to_numpy(x)  # forces the device work to finish


def measured_bf16_peak_tflops(size: int, repeats: int = 10) -> float:
    """Best-of-n bf16 matmul throughput of the default device, in TFLOP/s."""
    import keras

    a = keras.ops.ones((size, size), dtype="bfloat16")
    b = keras.ops.ones((size, size), dtype="bfloat16")
    _sync(keras.ops.matmul(a, b)[0, 0])
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        _sync(keras.ops.matmul(a, b)[0, 0])
        best = min(best, time.perf_counter() - start)
    return 2 * size**3 / best / 1e12


def time_data(dataset, steps: int) -> float:
    """Seconds per batch of the input pipeline alone."""
    iterator = iter(dataset)
    next(iterator)
    start = time.perf_counter()
    for _ in range(steps):
        next(iterator)
    return (time.perf_counter() - start) / steps


def measure(preset, policy, args, macs_per_image):
    import keras

    from keras_mccnet import MCCNet
    from keras_mccnet.data import SyntheticPyDataset
    from keras_mccnet.losses import CharbonnierMSSSIMLoss

    keras.mixed_precision.set_global_policy(policy)
    model = MCCNet.from_preset(preset)
    model.compile(keras.optimizers.AdamW(1e-4), CharbonnierMSSSIMLoss(ms_ssim_weight=0.2),
                  jit_compile=True)
    data = SyntheticPyDataset(args.patch, args.batch, steps_per_epoch=args.steps + 2, seed=0,
                              workers=args.workers, use_multiprocessing=args.workers > 1)
    x, y = data[0]
    for _ in range(args.warmup):
        model.train_on_batch(x, y)
    start = time.perf_counter()
    for _ in range(args.steps):
        loss = model.train_on_batch(x, y)
    _sync(loss)
    compute = (time.perf_counter() - start) / args.steps
    data_time = time_data(data, args.steps)
    model.fit(data, epochs=1, steps_per_epoch=1, verbose=0)  # compiles fit's own step function
    start = time.perf_counter()
    model.fit(data, epochs=1, steps_per_epoch=args.steps, verbose=0)
    end_to_end = (time.perf_counter() - start) / args.steps
    flops = 3 * 2 * macs_per_image * args.batch
    keras.mixed_precision.set_global_policy("float32")
    return {"policy": policy, "compute_s_per_step": compute, "data_s_per_batch": data_time,
            "fit_s_per_step": end_to_end, "images_per_s_compute": args.batch / compute,
            "images_per_s_fit": args.batch / end_to_end,
            "data_keeps_up": data_time <= compute,
            "model_tflops_per_s": flops / compute / 1e12}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--preset", default="mccnet_base")
    parser.add_argument("--batch", type=int, default=16)
    parser.add_argument("--patch", type=int, default=256)
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--workers", type=int, default=max(1, (os.cpu_count() or 2) - 2))
    parser.add_argument("--policies", nargs="+", default=["float32", "mixed_bfloat16"])
    parser.add_argument("--peak-size", type=int, default=8192, help="matmul side for the peak")
    parser.add_argument("--out", default=str(RESULTS / "gpu_train.json"))
    args = parser.parse_args(argv)

    import keras

    from keras_mccnet.cost import model_cost
    from keras_mccnet.presets import preset_config

    macs = model_cost(preset_config(args.preset), args.patch, args.patch)["macs"]
    peak = measured_bf16_peak_tflops(args.peak_size)
    rows = [measure(args.preset, policy, args, macs) for policy in args.policies]
    for row in rows:
        row["mfu_vs_measured_bf16_peak"] = row["model_tflops_per_s"] / peak
    result = {"backend": keras.backend.backend(), "device": _device_name(),
              "python": platform.python_version(), "preset": args.preset,
              "batch": args.batch, "patch": args.patch, "steps": args.steps,
              "workers": args.workers, "gmacs_per_image": macs / 1e9,
              "measured_bf16_peak_tflops": peak, "rows": rows}
    pathlib.Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    from keras_mccnet.atomic_write import atomic_write_json
    atomic_write_json(args.out, result)
    print(json.dumps(result, indent=1))
    return 0


def _device_name() -> str:
    try:
        import jax

        return str(jax.devices()[0])
    except Exception:  # other backends: the host
        return platform.processor() or platform.machine()


if __name__ == "__main__":
    sys.exit(main())
