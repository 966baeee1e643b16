"""CPU training speed with the data pipeline included: before / after, at equal patch size.

    .venv/bin/python benchmarks/train_speed_cpu.py [--steps 6] [--cases all]

Every case is `model.fit` for `--steps` timed steps (after `--warmup` steps that compile) on
synthetic DP patches, in its own process (the Keras dtype policy is global):

- `onthefly`: patches rendered by `SyntheticPyDataset` in the training thread, the way
  `mccnet train --config synthetic_*` fed the model before this benchmark;
- `bank`: the same patches rendered once into a uint16 bank (`keras_mccnet.data.PatchBank`) and
  replayed by `BankPyDataset` (the renderer is off the critical path);
- `bf16`: the bank with the `mixed_bfloat16` policy: this CPU has AVX512-BF16 / AMX, which
  oneDNN uses for bfloat16 convolutions; variables, the residual base and the loss stay float32.

Writes benchmarks/results/train_speed_cpu.json (with the load average before and after each
case: the machine is shared, so compare cases of the same run only).
"""

from __future__ import annotations

import argparse
import json
import os
import pathlib
import subprocess
import sys
import time

REPO = pathlib.Path(__file__).resolve().parents[1]
CASES = {
    # name: (preset, patch, batch, source, policy)
    "base256_onthefly_fp32": ("mccnet_base", 256, 4, "onthefly", "float32"),
    "base256_bank_fp32": ("mccnet_base", 256, 4, "bank", "float32"),
    "base256_bank_bf16": ("mccnet_base", 256, 4, "bank", "mixed_bfloat16"),
    "base128_bank_fp32": ("mccnet_base", 128, 8, "bank", "float32"),
    "base128_bank_bf16": ("mccnet_base", 128, 8, "bank", "mixed_bfloat16"),
    "tiny128_onthefly_fp32": ("mccnet_tiny", 128, 8, "onthefly", "float32"),
    "tiny128_bank_fp32": ("mccnet_tiny", 128, 8, "bank", "float32"),
    "tiny128_bank_bf16": ("mccnet_tiny", 128, 8, "bank", "mixed_bfloat16"),
}


def worker(name: str, steps: int, warmup: int) -> dict:
    import keras

    from keras_mccnet import MCCNet
    from keras_mccnet.data import BankPyDataset, PatchBank, SyntheticPyDataset
    from keras_mccnet.losses import CharbonnierMSSSIMLoss

    preset, patch, batch, source, policy = CASES[name]
    keras.mixed_precision.set_global_policy(policy)
    total = steps + warmup
    if source == "bank":
        bank = PatchBank.render(total * batch, patch, seed=0, workers=1, progress=False)
        data = BankPyDataset(bank, batch, steps_per_epoch=total, seed=0)
    else:
        data = SyntheticPyDataset(patch, batch, steps_per_epoch=total, seed=0)
    model = MCCNet.from_preset(preset)
    model.compile(keras.optimizers.AdamW(1e-4, weight_decay=1e-4, clipnorm=1.0),
                  CharbonnierMSSSIMLoss(ms_ssim_weight=0.2))
    times = []

    class Clock(keras.callbacks.Callback):
        def on_train_batch_begin(self, batch_index, logs=None):
            times.append(time.perf_counter())

        def on_train_end(self, logs=None):
            times.append(time.perf_counter())

    model.fit(data, epochs=1, verbose=0, callbacks=[Clock()])
    # Steps after the warm-up, each including the fetch of its batch from `data`.
    seconds = times[-1] - times[warmup]
    return {"case": name, "preset": preset, "patch": patch, "batch": batch, "source": source,
            "policy": policy, "images_per_s": steps * batch / seconds,
            "step_s": seconds / steps, "warmup_s": times[warmup] - times[0], "steps": steps}


def markdown_table(results) -> str:
    lines = ["| case | model | patch x batch | data | precision | images/s | load avg before / after |",
             "|---|---|---|---|---|---:|---|"]
    for r in results:
        if "error" in r:
            lines.append(f"| {r['case']} | failed | | | | | |")
            continue
        lines.append(f"| {r['case']} | {r['preset']} | {r['patch']} x {r['batch']} | {r['source']} "
                     f"| {r['policy']} | {r['images_per_s']:.2f} | "
                     f"{r['load_avg_before_after'][0]} / {r['load_avg_before_after'][1]} |")
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=6)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--cases", nargs="+", default=list(CASES))
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--out", default=str(REPO / "benchmarks/results/train_speed_cpu.json"))
    args = parser.parse_args(argv)
    if args.worker:
        print("RESULT " + json.dumps(worker(args.worker, args.steps, args.warmup)), flush=True)
        return 0
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="2", KERAS_BACKEND="tensorflow",
               PYTHONPATH=str(REPO))
    results = []
    for name in args.cases:
        load_before = os.getloadavg()
        run = subprocess.run([sys.executable, __file__, "--worker", name, "--steps",
                              str(args.steps), "--warmup", str(args.warmup)],
                             env=env, capture_output=True, text=True, cwd=REPO)
        lines = [x for x in run.stdout.splitlines() if x.startswith("RESULT ")]
        row = (json.loads(lines[-1][7:]) if lines and run.returncode == 0
               else {"case": name, "error": run.stderr[-2000:]})
        row["load_avg_before_after"] = [round(load_before[0], 2), round(os.getloadavg()[0], 2)]
        results.append(row)
        print(json.dumps(row), flush=True)
    report = {"benchmark": "CPU training images/s, data pipeline included (model.fit)",
              "command": "benchmarks/train_speed_cpu.py " + " ".join(argv or sys.argv[1:]),
              "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
              "cpus": os.cpu_count(), "results": results}
    from keras_mccnet.atomic_write import atomic_write

    atomic_write(args.out, json.dumps(report, indent=1) + "\n")
    table = markdown_table(results)
    sys.path.insert(0, str(REPO / "benchmarks"))
    from readme_table import replace_section

    replace_section("train_speed_cpu", table)
    print(table)
    print(f"written {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
