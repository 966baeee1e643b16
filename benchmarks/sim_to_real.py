"""Sim-to-real: how our synthetic DP data differs from real DP photos, and what fixing it buys.

    .venv/bin/python benchmarks/sim_to_real.py --out runs/sim_to_real [--steps 200]

Part 1, measured differences (no training): the L/R gain profile across the image width (DP
vignetting: each photodiode sees one half of the exit pupil, so L and R differ in brightness,
more towards the edges) on the four real DPDD scenes and the 21 Canon R6 pairs of
../shared/realdp, against rendered scenes with and without the generator's `lr_gain`.

Part 2, judged by validation at equal budget: the shipped mccnet_tiny is trained on for the same
steps, batch, schedule and patch indices on banks rendered by each generator variant (same seed,
so the same scenes up to the change), then scored on synthetic validation (the default generator,
a stream no bank uses) and on the four real DPDD scenes (rows >= 56), each against input C.
Model selection never looks at the real scenes alone.

Writes benchmarks/results/sim_to_real.{json,md}; resumable (banks and runs live in --out).
"""

from __future__ import annotations

import argparse
import json
import pathlib
import sys

import numpy as np

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import cpu_training  # noqa: E402

SDIRT = HERE.parents[1] / "shared" / "realdp" / "sdirt_canon_r6"
LR_GAIN = 0.08
VARIANTS = {
    "baseline (shipped generator)": {},
    f"+ L/R gain mismatch (lr_gain={LR_GAIN})": {"lr_gain": LR_GAIN},
    "+ 8-bit views": {"view_bits": 8},
    "+ both": {"lr_gain": LR_GAIN, "view_bits": 8},
}


def gain_profile(left, right, bands=8):
    """Median L / median R in linear light per vertical band, left to right."""
    from keras_mccnet.data.color import srgb_to_linear

    lum_l, lum_r = (srgb_to_linear(v).mean(axis=2) for v in (left, right))
    edges = np.linspace(0, lum_l.shape[1], bands + 1).astype(int)
    return np.array([np.median(lum_l[:, a:b]) / max(np.median(lum_r[:, a:b]), 1e-6)
                     for a, b in zip(edges[:-1], edges[1:])])


def profile_stats(profiles):
    """Per pair: the global offset (mean |ratio - 1|) and the ramp (fitted slope across the
    width, ratio units per image width); summarised as median and 90th percentile of |.|."""
    offsets = [abs(float(np.mean(p)) - 1.0) for p in profiles]
    x = np.linspace(-0.5, 0.5, len(profiles[0]))
    slopes = [abs(float(np.polyfit(x, p, 1)[0])) for p in profiles]
    return {"pairs": len(profiles),
            "offset_median": float(np.median(offsets)), "offset_p90": float(np.quantile(offsets, 0.9)),
            "ramp_median": float(np.median(slopes)), "ramp_p90": float(np.quantile(slopes, 0.9))}


def measure_gain():
    from keras_mccnet.data import read_image, render_scene, scene_rng

    result = {}
    real = cpu_training.real_test_set()
    if real:
        result["real DPDD (4 scenes)"] = profile_stats([gain_profile(s[2], s[3]) for s in real])
    lefts = sorted(SDIRT.glob("**/l.png"))
    if lefts:
        result["real Canon R6 (sdirt)"] = profile_stats(
            [gain_profile(read_image(p), read_image(p.with_name("r.png"))) for p in lefts])
    for name, gain in (("synthetic, lr_gain=0", 0.0), (f"synthetic, lr_gain={LR_GAIN}", LR_GAIN)):
        scenes = [render_scene(scene_rng(5, i, stream=11), (256, 384), lr_gain=gain,
                               blur_range=cpu_training.BLUR_RANGE) for i in range(16)]
        result[name] = profile_stats([gain_profile(s["left"], s["right"]) for s in scenes])
    return result


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", default="runs/sim_to_real")
    parser.add_argument("--steps", type=int, default=200)
    parser.add_argument("--batch", type=int, default=8)
    parser.add_argument("--patch", type=int, default=128)
    parser.add_argument("--bank", type=int, default=1600)
    parser.add_argument("--lr", type=float, default=3e-4)
    parser.add_argument("--seed", type=int, default=21)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)
    out = pathlib.Path(args.out)
    from keras_mccnet.data import PatchBank
    from keras_mccnet.pretrained import resolve

    gain = measure_gain()
    print(json.dumps(gain, indent=1), flush=True)
    init = resolve("mccnet_tiny", "synthetic")
    synthetic, real = cpu_training.synthetic_test_set(), cpu_training.real_test_set()
    baseline = cpu_training.input_baseline(synthetic, real)
    schedule = cpu_training.Schedule(steps=args.steps, batch=args.batch, lr=args.lr, warmup=10)
    rows = {}
    for index, (name, render_kwargs) in enumerate(VARIANTS.items()):
        bank = PatchBank.cached(out / f"bank_{index}.npz", args.bank, args.patch, args.seed,
                                args.workers, blur_range=cpu_training.BLUR_RANGE, **render_kwargs)
        model, state = cpu_training.train("mccnet_tiny", bank, schedule, out / f"variant_{index}",
                                          init=init, seed=args.seed, label=name)
        row = cpu_training.evaluate(model, synthetic, real)
        rows[name] = {**row, **cpu_training.gains(row, baseline), "render_kwargs": render_kwargs,
                      "train_seconds": state["seconds"]}
        print(name, json.dumps({k: v for k, v in rows[name].items() if k != "real_per_scene"}),
              flush=True)
    write_results(gain, baseline, rows, args)
    return 0


def write_results(gain, baseline, rows, args):
    from keras_mccnet.atomic_write import atomic_write

    result = {"command": "benchmarks/sim_to_real.py " + " ".join(sys.argv[1:]),
              "setup": {k: v for k, v in vars(args).items() if k != "out"},
              "init": "mccnet_tiny:synthetic (shipped)", "lr_gain_measurement": gain,
              "input_C": baseline, "rows": rows}
    atomic_write(cpu_training.RESULTS / "sim_to_real.json", json.dumps(result, indent=1) + "\n")
    lines = ["| pairs | L/R offset median / p90 | L/R ramp median / p90 (per width) |",
             "|---|---:|---:|"]
    for name, s in gain.items():
        lines.append(f"| {name} ({s['pairs']}) | {s['offset_median']:.3f} / {s['offset_p90']:.3f} "
                     f"| {s['ramp_median']:.3f} / {s['ramp_p90']:.3f} |")
    lines += ["", f"Equal budget: {args.steps} steps x {args.batch} patches of {args.patch} px from "
              "the shipped mccnet_tiny; dB over input C.", "",
              "| generator change | synthetic val PSNR (gain) | 4 DPDD scenes PSNR (gain) | mean gain |",
              "|---|---:|---:|---:|"]
    for name, r in rows.items():
        lines.append(f"| {name} | {r['synthetic_psnr']:.2f} ({r['synthetic_gain_db']:+.2f}) | "
                     f"{r.get('real_psnr', float('nan')):.2f} ({r.get('real_gain_db', float('nan')):+.2f}) "
                     f"| {r['selection_db']:+.3f} |")
    table = "\n".join(lines)
    atomic_write(cpu_training.RESULTS / "sim_to_real.md", table + "\n")
    print(table)


if __name__ == "__main__":
    sys.exit(main())
