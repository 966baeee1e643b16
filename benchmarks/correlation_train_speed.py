"""CPU training step of MCCNet with the cost volume's windows taken as strided slices (before)
or plain slices (after), in one process, round-robin, with the training results compared.

    .venv/bin/python benchmarks/correlation_train_speed.py [--runs 3] [--steps 8]

Why this exists: on the TensorFlow backend a `train_on_batch` of `mccnet_tiny` cost about twice
that of `siamese_no_corr_tiny` (the same network without the cost volume) although the cost
volume adds ~3 % of the MACs. The windows of `CrossCorrelation` were Python slices of the padded
feature map (`StridedSlice`), whose gradient TensorFlow computes with `StridedSliceGrad`; the
same windows as `ops.slice` (`Slice`, whose gradient is a `Pad`) give the same values and
gradients. Each case trains a fresh model from the same seed on the same random batch; its CPU
time per step (`time.process_time`, one thread, after warm-up steps) is the median over
`--runs` rounds in which the variants alternate, so a job on the other core loads both alike.
`siamese_no_corr_tiny` is the floor: the same network with no cost volume at all. The weights
after the timed steps are compared between the two variants (max |difference|).

Writes benchmarks/results/correlation_train_speed.{json,md} and the README section of that name.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import platform
import statistics
import sys
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import cpu_training  # noqa: E402

CASES = {  # name: (preset, patch, batch)
    "mccnet_tiny p96": ("mccnet_tiny", 96, 8),
    "mccnet_tiny p128": ("mccnet_tiny", 128, 8),
    "mccnet_base p128": ("mccnet_base", 128, 8),
}
FLOOR = ("siamese_no_corr_tiny", 96, 8)


def strided_windows_call(self, inputs):
    """The previous CrossCorrelation.call: the same windows as strided (Python) slices."""
    from keras import ops

    a, b = inputs
    if self.normalize:
        a, b = self._normalized(a), self._normalized(b)  # noqa: SLF001
    dmax = self.max_displacement
    pad_h = dmax if self.direction == "2d" else 0
    padded = ops.pad(b, [[0, 0], [pad_h, pad_h], [dmax, dmax], [0, 0]])
    height, width = ops.shape(b)[1], ops.shape(b)[2]
    volume = []
    for dy, dx in self.displacements:
        y0, x0 = pad_h + dy, dmax + dx
        window = padded[:, y0:y0 + height, x0:x0 + width, :]
        volume.append(ops.mean(a * window, axis=-1, keepdims=True))
    return ops.concatenate(volume, axis=-1) if len(volume) > 1 else volume[0]


@contextlib.contextmanager
def windows(kind):
    """CrossCorrelation as shipped ("slice") or with the previous strided windows."""
    from keras_mccnet.layers import CrossCorrelation

    shipped = CrossCorrelation.call
    if kind == "strided":
        CrossCorrelation.call = strided_windows_call
    try:
        yield
    finally:
        CrossCorrelation.call = shipped


def time_training(preset, patch, batch, steps, warmup):
    """(CPU seconds per step, weights after warm-up + timed steps) of a fresh seeded model."""
    import keras

    from keras_mccnet import MCCNet

    keras.utils.set_random_seed(0)
    model = MCCNet.from_preset(preset)
    cpu_training._compile(model, cpu_training.Schedule(steps=100, batch=batch))  # noqa: SLF001
    rng = np.random.default_rng(0)
    views = [rng.random((batch, patch, patch, 3), np.float32) for _ in range(2)]
    target = rng.random((batch, patch, patch, 3), np.float32)
    for _ in range(warmup):
        model.train_on_batch(views, target)
    started = time.process_time()
    for _ in range(steps):
        model.train_on_batch(views, target)
    per_step = (time.process_time() - started) / steps
    weights = [np.asarray(w) for w in model.weights]
    keras.backend.clear_session()
    return per_step, weights


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="round-robin rounds (median)")
    parser.add_argument("--steps", type=int, default=8, help="timed steps per measurement")
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--cases", nargs="+", default=list(CASES), choices=list(CASES))
    args = parser.parse_args(argv)
    cpu_training.limit_threads(1)
    load_before = os.getloadavg()
    times = {(case, kind): [] for case in args.cases for kind in ("strided", "slice")}
    floor = []
    differences = {}
    for _ in range(args.runs):
        floor.append(time_training(*FLOOR, args.steps, args.warmup)[0])
        for case in args.cases:
            weights = {}
            for kind in ("strided", "slice"):
                with windows(kind):
                    per_step, weights[kind] = time_training(*CASES[case], args.steps, args.warmup)
                times[case, kind].append(per_step)
                print(f"{case} {kind}: {per_step:.3f} CPU-s/step", flush=True)
            differences[case] = max(float(np.abs(a - b).max())
                                    for a, b in zip(weights["strided"], weights["slice"]))
    rows = []
    for case in args.cases:
        before = statistics.median(times[case, "strided"])
        after = statistics.median(times[case, "slice"])
        preset, patch, batch = CASES[case]
        rows.append({"case": case, "preset": preset, "patch": patch, "batch": batch,
                     "strided_cpu_s_per_step": before, "slice_cpu_s_per_step": after,
                     "speedup": before / after,
                     "images_per_cpu_s_before": batch / before, "images_per_cpu_s_after": batch / after,
                     "max_weight_difference": differences[case],
                     "all_runs": {"strided": times[case, "strided"], "slice": times[case, "slice"]}})
    result = {"benchmark": "CPU train_on_batch, cost-volume windows as strided vs plain slices",
              "command": "benchmarks/correlation_train_speed.py " + " ".join(sys.argv[1:]),
              "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
              "host": platform.processor() or platform.machine(), "threads": 1,
              "load_avg_before_after": [round(load_before[0], 2), round(os.getloadavg()[0], 2)],
              "floor": {"preset": FLOOR[0], "patch": FLOOR[1], "batch": FLOOR[2],
                        "cpu_s_per_step": statistics.median(floor), "all_runs": floor},
              "rows": rows}
    cpu_training.publish("correlation_train_speed", result, table(result, args))
    return 0


def table(result, args) -> str:
    floor = result["floor"]
    lines = [f"CPU seconds per `train_on_batch` (one thread, median of {args.runs} round-robin "
             f"rounds of {args.steps} steps after {args.warmup} warm-up steps; load average "
             f"{result['load_avg_before_after'][0]} before, {result['load_avg_before_after'][1]} "
             f"after). Floor: `{floor['preset']}` at {floor['patch']} px x {floor['batch']}, no "
             f"cost volume, {floor['cpu_s_per_step']:.3f} s.", "",
             "| model | patch x batch | strided windows (s) | plain slices (s) | speed-up | "
             "max weight difference after training |",
             "|---|---|---:|---:|---:|---:|"]
    for row in result["rows"]:
        lines.append(f"| {row['preset']} | {row['patch']} x {row['batch']} | "
                     f"{row['strided_cpu_s_per_step']:.3f} | {row['slice_cpu_s_per_step']:.3f} | "
                     f"{row['speedup']:.2f}x | {row['max_weight_difference']:.1e} |")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
