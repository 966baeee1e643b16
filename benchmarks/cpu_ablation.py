"""CPU ablation: mccnet_tiny vs the concat and siamese_no_corr baselines, several seeds.

    .venv/bin/python benchmarks/cpu_ablation.py --out runs/cpu_ablation [--steps 300] [--seeds 0 1 2]

Every model trains from its own seeded initialisation on the same pre-rendered bank of synthetic
patches (the seed also sets the order and the flips), with the same steps, optimiser and loss;
then it is scored on synthetic validation scenes and on the four real DPDD scenes of
../shared/realdp (rows >= 56), against the input C. Reported as mean and standard deviation over
the seeds. Besides the three presets it trains the candidate fix `mccnet_tiny + ZNCC`
(`correlation_center=True`: the cost volume correlates channel-centred features; see
keras_mccnet/layers/channel_centering.py for why).

Writes benchmarks/results/cpu_ablation.{json,md}, cpu_ablation_curves.png and the README table
`cpu_ablation` (with several seeds also a per-seed table and the first model's paired
differences against the others). Resumable: every run keeps a checkpoint in OUT, and with
`--park ARCHIVE.zip` also in an archive to commit, for budgets longer than a session
(benchmarks/ablation_park.py).
"""

from __future__ import annotations

import argparse
import json
import pathlib
import sys

import numpy as np

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import ablation_park  # noqa: E402
import cpu_training  # noqa: E402

# What makes runs comparable (ablation_pool.py pools only results that agree on these); a parked
# ablation must also share its evaluation steps with the command resuming it.
TRAINING_SETTINGS = ("steps", "batch", "patch", "bank", "lr", "warmup")
PARKED_SETTINGS = (*TRAINING_SETTINGS, "eval_every")

# From scratch, every model first sits on a plateau near +0.07 dB synthetic (a correction that
# ignores the DP cue) and leaves it at a random step; runs still on it end below this gain.
PLATEAU_DB = 0.2


def left_plateau(row) -> bool:
    """Whether a run ended above the plateau (the one rule the tables count and mark by)."""
    return row["synthetic_gain_db"] > PLATEAU_DB


MODELS = {  # name: (preset, constructor overrides)
    "mccnet_tiny": ("mccnet_tiny", {}),
    "concat_tiny": ("concat_tiny", {}),
    "siamese_no_corr_tiny": ("siamese_no_corr_tiny", {}),
    "mccnet_tiny + ZNCC": ("mccnet_tiny", {"correlation_center": True}),
    # Search ranges matched to real DP disparities (DPDD at 840 px: p5 / p50 / p95 = 0.0 / 1.6 /
    # 4.2 px, results/dp_calibration.json): the default +-4 slices per level put levels 2 and 3,
    # whose slices are 4 and 8 full-resolution px apart, where almost no real disparity is.
    "mccnet_tiny + D 4/2/1/1": ("mccnet_tiny", {"max_displacements": (4, 2, 1, 1)}),
    # mccnet_tiny seed 1 of the 400-step run collapsed: 14 of the 16 channels of its
    # full-resolution decoder merge were dead ReLUs and no gradient reached below the output
    # conv. A leaky ReLU cannot die; concat gets it too, so the comparison stays fair.
    "mccnet_tiny + leaky ReLU": ("mccnet_tiny", {"activation": "leaky_relu"}),
    "concat_tiny + leaky ReLU": ("concat_tiny", {"activation": "leaky_relu"}),
    # The fusion sees each cost curve minus its mean over displacements (its shape, not its
    # level near 1), see MCCNet(correlation_contrast=...).
    "mccnet_tiny + cost contrast": ("mccnet_tiny", {"correlation_contrast": True}),
    # The residual head starts at the default variance (1.0) instead of 1e-2: the whole body
    # gets a full-size gradient from the first step rather than one scaled down tenfold, when
    # the stuck seeds' decoder units died. Freed seed 7, not seed 1 (README).
    "mccnet_tiny + cost contrast + output init 1": (
        "mccnet_tiny", {"correlation_contrast": True, "output_init_scale": 1.0}),
    # The residual head starts at exactly zero (the net is the identity, C): from scratch the
    # random residual of the 1e-2 start costs about 0.9 dB, and the stuck seeds' body shut it
    # off by killing the full-resolution decoder merge within the first 20 steps.
    "mccnet_tiny + cost contrast + zero output init": (
        "mccnet_tiny", {"correlation_contrast": True, "output_init_scale": 0.0}),
    # Plain MCCNet (the shipped preset, no cost contrast) from the zero start: was the zero start
    # alone enough, or does correlation also need the contrast? (on the plateau in 5 of 6 seeds
    # from the shipped start; from zero, at lr 2e-3, it left it in 5 of 9: README)
    "mccnet_tiny + zero output init": ("mccnet_tiny", {"output_init_scale": 0.0}),
    "siamese_no_corr_tiny + zero output init": ("siamese_no_corr_tiny", {"output_init_scale": 0.0}),
    "concat_tiny + zero output init": ("concat_tiny", {"output_init_scale": 0.0}),
    # The search-range fix on the settled protocol: at 6400 steps plain correlation is only level
    # with the Siamese-only network on the DPDD scenes, and half of its default slices lie outside
    # the real disparities (correlation_diagnosis).
    "mccnet_tiny + D 4/2/1/1 + zero output init": (
        "mccnet_tiny", {"max_displacements": (4, 2, 1, 1), "output_init_scale": 0.0}),
}


def build_parser() -> argparse.ArgumentParser:
    """The ablation's options; their defaults are its training setup (plateau_trace.py too)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", default="runs/cpu_ablation")
    parser.add_argument("--steps", type=int, default=300)
    parser.add_argument("--batch", type=int, default=8)
    parser.add_argument("--patch", type=int, default=96)
    parser.add_argument("--bank", type=int, default=2400, help="pre-rendered training patches")
    parser.add_argument("--lr", type=float, default=2e-3)
    parser.add_argument("--warmup", type=int, default=30)
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--models", nargs="+", default=list(MODELS))
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--eval-every", type=int, default=0,
                        help="also score every N steps (0: only at the end)")
    parser.add_argument("--threads", type=int, default=None)
    parser.add_argument("--results-name", default="cpu_ablation",
                        help="results/NAME.{json,md}, NAME_curves.png, NAME_gain.png and README "
                             "section NAME (another name keeps an earlier budget's results)")
    parser.add_argument("--park", type=pathlib.Path, default=None, metavar="ARCHIVE.zip",
                        help="also keep this command's runs (results, the unfinished run's "
                             "checkpoint) in this archive and resume from it when OUT is gone "
                             "or behind (commit it; benchmarks/ablation_park.py)")
    parser.add_argument("--report-only", action="store_true",
                        help="assemble the table from the finished runs in OUT; train nothing")
    return parser


def main(argv=None) -> int:
    args = build_parser().parse_args(argv)
    cpu_training.limit_threads(args.threads)
    out = pathlib.Path(args.out)
    if args.park:
        for run, step in ablation_park.unpark(args.park, out, training_setup(args)).items():
            print(f"{out / run}: restored from {args.park} "
                  + ("(finished)" if step == ablation_park.FINISHED else f"at step {step}"),
                  flush=True)
    from keras_mccnet.cost import model_cost
    from keras_mccnet.presets import preset_config

    bank = ablation_bank(args)
    synthetic, real = cpu_training.synthetic_test_set(), cpu_training.real_test_set()
    baseline = cpu_training.input_baseline(synthetic, real)
    schedule = ablation_schedule(args)
    costs = {name: model_cost({**preset_config(p), **o}, 256, 256)
             for name, (p, o) in MODELS.items()}
    runs, curves = {}, {}
    for seed in args.seeds:  # seed-major: an interrupted run still has every model once
        for name in args.models:
            tag = cpu_training.run_tag(name)
            if args.report_only and not (out / f"{tag}_seed{seed}" / "result.json").exists():
                continue
            row, loss = finished_or_trained(out / f"{tag}_seed{seed}", name, seed, schedule,
                                            bank, args, synthetic, real, baseline)
            runs.setdefault(name, []).append(row)
            curves.setdefault(name, []).append(loss)
            print(name, seed, json.dumps({k: v for k, v in runs[name][-1].items()
                                          if k != "real_per_scene"}), flush=True)
            # After every run: an interrupted ablation still reports what it finished.
            write_results(baseline, runs, curves, costs, args)
    return 0


def training_setup(args) -> dict:
    return {key: getattr(args, key) for key in PARKED_SETTINGS}


def parker(args):
    """`park(current=None)`: rewrites --park's archive with this command's runs (nothing
    without --park); `current` is (run, state) at a checkpoint."""
    out = pathlib.Path(args.out)
    runs = [out / f"{cpu_training.run_tag(name)}_seed{seed}"
            for seed in args.seeds for name in args.models]

    def park(current=None):
        if args.park:
            ablation_park.park(args.park, runs, training_setup(args), current)
    return park


def ablation_bank(args):
    """The pre-rendered patches every run of the ablation in `args.out` trains on."""
    from keras_mccnet.data import PatchBank

    return PatchBank.cached(pathlib.Path(args.out) / f"bank_{args.bank}_{args.patch}.npz",
                            args.bank, args.patch, seed=0, workers=args.workers,
                            blur_range=cpu_training.BLUR_RANGE)


def ablation_schedule(args):
    return cpu_training.Schedule(steps=args.steps, batch=args.batch, lr=args.lr,
                                 warmup=args.warmup, checkpoint_every=50)


def finished_or_trained(run, name, seed, schedule, bank, args, synthetic, real, baseline):
    """(scores, loss curve) of one run: read from RUN/result.json when the run finished and was
    scored before (so another process or a rerun can assemble the table without re-scoring),
    else trained (resuming) and scored now."""
    from keras_mccnet.atomic_write import atomic_write

    result_path = run / "result.json"
    if result_path.exists():
        result = json.loads(result_path.read_text())
        if result["steps"] == schedule.steps:
            return result["row"], result["loss"]
    preset, overrides = MODELS[name]
    # Scored every --eval-every steps and at the last one, kept in RUN/evals.json so that a
    # resumed run keeps them (an older run's file has gains only).
    evals_path = run / "evals.json"
    evals = json.loads(evals_path.read_text()) if evals_path.exists() else []
    score = cpu_training.checkpoint_scorer(
        synthetic, real, baseline, evals, args.eval_every, last=schedule.steps,
        persist=lambda model, row: atomic_write(evals_path, json.dumps(evals)))
    park = parker(args)

    def on_checkpoint(model, state):
        score(model, state)
        park((run, state))

    model, state = cpu_training.train(preset, bank, schedule, run, seed=seed,
                                      label=f"{name} seed {seed}", overrides=overrides,
                                      on_checkpoint=on_checkpoint)
    score(model, {"step": schedule.steps})  # scores only if the last step was not yet
    final = next(e for e in evals if e["step"] == schedule.steps)
    earlier = [{k: e[k] for k in ("step", "synthetic_gain_db", "real_gain_db", "selection_db")
                if k in e} for e in evals if e["step"] < schedule.steps]
    row = {"seed": seed, **{k: v for k, v in final.items() if k != "step"},
           "train_seconds": state["seconds"], "evals": earlier}
    atomic_write(result_path, json.dumps({"steps": schedule.steps, "row": row,
                                          "loss": state["loss"]}))
    park()
    return row, state["loss"]


def summarise(rows):
    out = {}
    for key in ("synthetic_psnr", "synthetic_ssim", "real_psnr", "real_ssim",
                "synthetic_gain_db", "real_gain_db"):
        values = [r[key] for r in rows if key in r]
        if values:
            out[key] = {"mean": float(np.mean(values)), "std": float(np.std(values, ddof=1))
                        if len(values) > 1 else 0.0, "n": len(values)}
    return out


def write_results(baseline, runs, curves, costs, args):
    summary = {name: summarise(rows) for name, rows in runs.items()}
    result = {"command": "benchmarks/cpu_ablation.py " + " ".join(sys.argv[1:]),
              "setup": {k: v for k, v in vars(args).items()
                        if k not in ("out", "results_name", "park")},
              "blur_range_px": cpu_training.BLUR_RANGE, "input_C": baseline,
              "summary": summary, "runs": runs,
              "cost": {n: {"params": c["params"], "gmacs_256": c["gmacs"]} for n, c in costs.items()}}
    fmt = lambda s, k: f"{s[k]['mean']:.2f} ± {s[k]['std']:.2f}" if k in s else "n/a"  # noqa: E731
    lines = [f"{args.steps} steps x {args.batch} patches of {args.patch} px from scratch, seeds "
             f"{args.seeds} (n: the seeds a model ran); mean ± std over seeds; input C: synthetic "
             f"{baseline['synthetic_psnr']:.2f} dB, real {baseline.get('real_psnr', float('nan')):.2f} dB.",
             "",
             "| model | n | params | GMACs 256² | synthetic PSNR | synthetic gain (dB) | real PSNR (rows >= 56) | real gain (dB) | left the plateau | their gain, synthetic / real (dB) |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for name, s in summary.items():
        left = [r for r in runs[name] if left_plateau(r)]
        their = (f"{np.mean([r['synthetic_gain_db'] for r in left]):+.2f} / "
                 f"{np.mean([r.get('real_gain_db', np.nan) for r in left]):+.2f}" if left else "-")
        lines.append(f"| {name} | {s['synthetic_psnr']['n']} | {costs[name]['params'] / 1e6:.3f} M | "
                     f"{costs[name]['gmacs']:.2f} | "
                     f"{fmt(s, 'synthetic_psnr')} | {fmt(s, 'synthetic_gain_db')} | "
                     f"{fmt(s, 'real_psnr')} | {fmt(s, 'real_gain_db')} | "
                     f"{len(left)} of {len(runs[name])} | {their} |")
    lines += ["", f"Left the plateau: final synthetic gain above {PLATEAU_DB} dB (every run "
                  "starts on a plateau near +0.07 dB, a correction that ignores the DP cue)."]
    if len(runs) > 1 and max(map(len, runs.values())) > 1:
        result["paired"] = paired_differences(runs, args.models[0])
        lines += ["", *seed_table(runs), "", *paired_table(result["paired"], args.models[0])]
    stem = args.results_name
    cpu_training.publish(stem, result, "\n".join(lines))
    mean_curves = {name: np.mean([c[:min(map(len, cs))] for c in cs], axis=0)
                   for name, cs in curves.items()}
    cpu_training.plot_curves(mean_curves, cpu_training.RESULTS / f"{stem}_curves.png",
                             "CPU ablation: Charbonnier + 0.2 (1 - MS-SSIM), mean over seeds")
    plot_gains(runs, args.steps, cpu_training.RESULTS / f"{stem}_gain.png")


def seed_table(runs):
    """Every run's final gains, one row per seed: which seeds left the plateau, side by side."""
    names = list(runs)
    by_seed = {}
    for name, rows in runs.items():
        for r in rows:
            by_seed.setdefault(r["seed"], {})[name] = r
    lines = ["Per seed (synthetic / real gain, dB; *: still on the plateau):", "",
             "| seed | " + " | ".join(names) + " |", "|---:|" + "---:|" * len(names)]
    for seed in sorted(by_seed):
        cells = []
        for name in names:
            r = by_seed[seed].get(name)
            cells.append("-" if r is None else
                         f"{r['synthetic_gain_db']:+.2f} / {r.get('real_gain_db', np.nan):+.2f}"
                         + ("" if left_plateau(r) else "*"))
        lines.append(f"| {seed} | " + " | ".join(cells) + " |")
    return lines


def paired_differences(runs, reference):
    """`reference` minus every other model, seed by seed over the seeds both ran (a seed sets the
    same bank order and flips for every model): mean and std of the differences, and in how
    many seeds the reference was ahead."""
    ref = {r["seed"]: r for r in runs.get(reference, [])}
    paired = {}
    for name, rows in runs.items():
        shared = [(ref[r["seed"]], r) for r in rows if name != reference and r["seed"] in ref]
        if not shared:
            continue
        paired[name] = {"seeds": [a["seed"] for a, _ in shared]}
        for key in ("synthetic_gain_db", "real_gain_db"):
            diffs = np.array([a.get(key, np.nan) - b.get(key, np.nan) for a, b in shared])
            paired[name][key] = {"mean": float(diffs.mean()),
                                 "std": float(diffs.std(ddof=1)) if len(diffs) > 1 else 0.0,
                                 "ahead": int((diffs > 0).sum()), "n": len(diffs)}
    return paired


def paired_table(paired, reference):
    lines = [f"{reference} minus each model, same seeds (mean ± std of the per-seed differences, "
             f"dB; ahead: seeds where {reference} is higher):", "",
             "| versus | seeds | synthetic difference | ahead | real difference | ahead |",
             "|---|---:|---:|---:|---:|---:|"]
    for name, p in paired.items():
        syn, real = p["synthetic_gain_db"], p["real_gain_db"]
        lines.append(f"| {name} | {len(p['seeds'])} | {syn['mean']:+.2f} ± {syn['std']:.2f} | "
                     f"{syn['ahead']} of {syn['n']} | {real['mean']:+.2f} ± {real['std']:.2f} | "
                     f"{real['ahead']} of {real['n']} |")
    return lines


def plot_gains(runs, steps, path):
    """Real and synthetic gain against steps, mean over seeds (intermediate scores + final)."""
    series = {}
    for name, rows in runs.items():
        label = series.setdefault(f"{name} (n={len(rows)})", {})
        for key, _ in cpu_training.GAIN_PANELS:
            by_step = {}
            for r in rows:
                for e in r.get("evals", []) + [{"step": steps, key: r.get(key)}]:
                    if e.get(key) is not None:
                        by_step.setdefault(e["step"], []).append(e[key])
            label[key] = sorted((s, float(np.mean(v))) for s, v in by_step.items())
    cpu_training.plot_gain_panels(series, path, "training step",
                                  "dB over input C (mean over seeds)")


if __name__ == "__main__":
    sys.exit(main())
