"""How a from-scratch run gets stuck on the +0.07 dB plateau: the first steps, traced.

    .venv/bin/python benchmarks/plateau_trace.py --seed 1 --steps 200 \\
        --models "mccnet_tiny + cost contrast" "mccnet_tiny + cost contrast + zero output init"

Trains each model of cpu_ablation.py exactly as the ablation does (same bank, seed, data order
and 1600-step schedule) but only for the first --steps steps, and at chosen steps records the
loss, the gain over the input C on a fixed probe of 32 training patches, and for the decoder's
convolutions how many output channels are dead (never positive on the probe) and their mean
activation. Writes results/NAME.{json,md} and NAME.png (the README section NAME).
"""

from __future__ import annotations

import argparse
import pathlib
import sys

import numpy as np

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import cpu_ablation  # noqa: E402
import cpu_training  # noqa: E402
from scene_crops import command_line  # noqa: E402

LAYERS = ("fuse_s3_conv", "dec_s3_merge", "dec_s1_merge", "dec_s0_upconv", "dec_s0_merge")
CHECKS = (0, 1, 5, 10, 20, 30, 50, 75, 100, 150, 200, 300, 400)
PROBE_EVERY = 75  # every 75th patch: 32 probe patches of the ablation's 2400


def trace(name, seed, steps, schedule, bank):
    """Rows of {step, loss, gain_db, layers: {layer: [dead, channels, mean activation]}}."""
    import keras

    from keras_mccnet.data import BankPyDataset
    from keras_mccnet.data.patch_bank import from_bank_grid
    from keras_mccnet.metrics import psnr

    preset, overrides = cpu_ablation.MODELS[name]
    model = cpu_training.seeded_model(preset, seed, overrides)  # as the ablation's runs start
    cpu_training._compile(model, schedule)
    layers = [model.get_layer(n) for n in LAYERS]
    probe_model = keras.Model(model.inputs, [l.output for l in layers] + [model.output])
    index = np.arange(0, len(bank), PROBE_EVERY)
    probe = {v: from_bank_grid(getattr(bank, v)[index]) for v in ("left", "right")}
    target = from_bank_grid(bank.target[index])
    center_psnr = float(np.mean(psnr(target, (probe["left"] + probe["right"]) / 2)))
    data, rows, loss = BankPyDataset(bank, schedule.batch, seed=seed), [], None

    def record(step):
        *acts, out = probe_model.predict(probe, verbose=0, batch_size=8)
        rows.append({"step": step, "loss": loss,
                     "gain_db": float(np.mean(psnr(target, out))) - center_psnr,
                     "layers": {l.name: _unit_stats(a) for l, a in zip(layers, acts)}})

    record(0)
    for step in range(steps):
        loss = float(model.train_on_batch(*data.batch_at(step)))
        if step + 1 in CHECKS:
            record(step + 1)
    return rows


def _unit_stats(activation):
    """[dead channels, channels, mean activation] of one ReLU conv output on the probe."""
    channels = activation.shape[-1]
    alive = (activation.reshape(-1, channels) > 0).any(axis=0)
    return [int((~alive).sum()), int(channels), float(activation.mean())]


def table(traces, seed, schedule, probe_size) -> str:
    lines = [f"Seed {seed}, the ablation's schedule (lr {schedule.lr:g}, {schedule.warmup} "
             f"warm-up steps, {schedule.steps}-step cosine), first steps only. Gain: dB over the "
             f"input C on {probe_size} training patches. Layer cells: dead channels / channels, "
             "mean activation.", "",
             "| model | step | loss | gain (dB) | " + " | ".join(LAYERS) + " |",
             "|---|---:|---:|---:|" + "---:|" * len(LAYERS)]
    for name, rows in traces.items():
        for r in rows:
            cells = [f"{d}/{c}, {m:.3f}" for d, c, m in (r["layers"][n] for n in LAYERS)]
            loss = "-" if r["loss"] is None else f"{r['loss']:.4f}"  # step 0: not trained yet
            lines.append(f"| {name} | {r['step']} | {loss} | {r['gain_db']:+.3f} | "
                         + " | ".join(cells) + " |")
    return "\n".join(lines)


def plot(traces, path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (gain, merge) = plt.subplots(1, 2, figsize=(10, 3.6))
    for name, rows in traces.items():
        steps = [r["step"] for r in rows]
        gain.plot(steps, [r["gain_db"] for r in rows], marker="o", label=name)
        merge.plot(steps, [r["layers"]["dec_s0_merge"][2] for r in rows], marker="o")
    gain.set(xlabel="step", ylabel="dB over input C (probe)", title="gain")
    merge.set(xlabel="step", ylabel="mean activation", title="dec_s0_merge (full resolution)")
    gain.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=110)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--models", nargs="+", required=True, choices=list(cpu_ablation.MODELS))
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--steps", type=int, default=200)
    parser.add_argument("--out", default="runs/cpu_ablation_1600",
                        help="the ablation's folder: its bank is reused (or rendered there)")
    parser.add_argument("--ablation-steps", type=int, default=1600,
                        help="the length of the ablation whose schedule the first steps follow")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--name", default="plateau_trace")
    args = parser.parse_args(argv)
    cpu_training.limit_threads(args.threads)
    ablation = cpu_ablation.build_parser().parse_args(
        ["--out", args.out, "--steps", str(args.ablation_steps), "--workers", "1"])
    bank, schedule = cpu_ablation.ablation_bank(ablation), cpu_ablation.ablation_schedule(ablation)
    traces = {name: trace(name, args.seed, args.steps, schedule, bank) for name in args.models}
    probe_size = len(range(0, len(bank), PROBE_EVERY))
    cpu_training.publish(args.name, {"command": command_line("plateau_trace.py", argv),
                                     "seed": args.seed, "traces": traces},
                         table(traces, args.seed, schedule, probe_size))
    plot(traces, cpu_training.RESULTS / f"{args.name}.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
