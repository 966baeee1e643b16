"""Every evaluated step of some campaigns, scored again where their selection does not look: a
weak DP split and another camera.

    .venv/bin/python benchmarks/campaign_rescore.py runs/campaign16_grain \\
        runs/campaign20_weaksplit --labels "DPDD split" "weak split" --threads 1 \\
        --name campaign20_rescore

A campaign keeps the step with the best mean of its synthetic-validation gain and its gain on
the four DPDD scenes. Both sets have DPDD's strong DP split (disparity / blur 0.10-0.25); phones
and the Canon R6 have a weak one (0.08-0.09 measured), on which the default gains far less
(results/focus_side.md). For each step's snapshot (OUT/snapshots/stepN.weights.h5) this adds
the gain on the same 24 validation scenes with a weak split (`cpu_training.weak_split_test_set`)
and on the Canon R6 planes (`r6_planes.py`, reported only: never used to select), and the
phone-aware selection: the mean of the DPDD gain and the synthetic gain averaged over both
splits. With `--control LABEL` (campaigns run as controlled pairs: same start, same seed) it
also pairs every campaign with that one step by step, R6 included. Writes
benchmarks/results/NAME.{json,md,png} and the README section `NAME`.
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
import r6_planes  # noqa: E402
from campaign_pair import compare  # noqa: E402
from cpu_training import WEAK_SPLIT  # noqa: E402
from scene_crops import command_line  # noqa: E402

WEAK = f"weak split ({WEAK_SPLIT[0]:.2f}-{WEAK_SPLIT[1]:.2f})"
PAIRED_METRICS = (("synthetic_gain_db", "synthetic"), ("weak_split_gain_db", "weak split"),
                  ("real_gain_db", "4 DPDD scenes"), ("r6_gain_db", "Canon R6 planes"),
                  ("phone_aware_selection_db", "phone-aware selection"))


def snapshot_path(run: pathlib.Path, step: int) -> pathlib.Path:
    path = run / "snapshots" / f"step{step}.weights.h5"
    if not path.exists():
        raise SystemExit(f"{path} is missing: campaign_rescore needs every evaluated snapshot")
    return path


def rescore_run(run: pathlib.Path, weak, planes, input_weak: float, input_r6: dict, bar):
    """The campaign's evaluations with the weak-split and R6 gains of each step's snapshot."""
    from keras_mccnet.model_spec import load_model

    log = json.loads((run / "evals.json").read_text())
    preset = log["setup"]["preset"]
    rows = []
    for evaluation in bar(log["evals"], desc=run.name, unit="step"):
        model = load_model(f"{preset}:{snapshot_path(run, evaluation['step'])}")[0]
        weak_psnr = cpu_training.evaluate(model, weak, [])["synthetic_psnr"]
        r6_psnr = r6_planes.mean_psnr(planes, lambda l, r, c: r6_planes.predict_pair(model, l, r))
        row = {k: evaluation[k] for k in ("step", "synthetic_gain_db", "real_gain_db",
                                          "selection_db")}
        row.update(weak_split_gain_db=weak_psnr - input_weak,
                   r6_gain_db=r6_psnr - float(np.mean(list(input_r6.values()))))
        row["phone_aware_selection_db"] = cpu_training.phone_aware_selection(row)
        rows.append(row)
    return {"run": str(run), "command": log.get("setup"), "rows": rows}


def paired_against(campaigns: dict, control: str) -> dict:
    """Each campaign's per-step differences from the control (`campaign_pair.compare`) on every
    rescored metric, R6 included: for campaigns run as controlled pairs (same start and seed)."""
    if control not in campaigns:
        raise SystemExit(f"--control {control!r} is not one of the labels: {', '.join(campaigns)}")
    base = {"evals": campaigns[control]["rows"]}
    return {label: compare({"evals": c["rows"]}, base, PAIRED_METRICS)["summary"]
            for label, c in campaigns.items() if label != control}


def paired_table(paired: dict, control: str) -> str:
    names = [name for _, name in PAIRED_METRICS]
    lines = [f"Paired against `{control}` (same start and seed), every evaluated step after step 0:"
             " mean difference in dB (std; steps ahead).", "",
             "| campaign | " + " | ".join(names) + " |", "|---|" + "---:|" * len(names)]
    for label, summary in paired.items():
        cells = [f"{summary[n]['mean_diff']:+.3f} ({summary[n]['std_diff']:.3f}; "
                 f"{summary[n]['a_ahead']}/{summary[n]['steps']})" for n in names]
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def table(result: dict) -> str:
    lines = ["Every evaluated step: dB over the input C. Selection = the campaign's rule (mean of "
             "synthetic and DPDD); phone-aware = mean of DPDD and the synthetic gain averaged over "
             f"the DPDD-like and the {WEAK} validation; R6 = the Canon R6 planes (reported, never "
             "selected on). Best of each rule per campaign in bold.", "",
             "| campaign | step | synthetic | weak-split synthetic | 4 DPDD scenes | selection | "
             "phone-aware selection | Canon R6 planes |",
             "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for label, campaign in result["campaigns"].items():
        rows = campaign["rows"]
        best = max(rows, key=lambda r: r["selection_db"])
        best_phone = max(rows, key=lambda r: r["phone_aware_selection_db"])
        for r in rows:
            sel = f"{r['selection_db']:+.3f}"
            phone = f"{r['phone_aware_selection_db']:+.3f}"
            lines.append(
                f"| {label} | {r['step']} | {r['synthetic_gain_db']:+.2f} | "
                f"{r['weak_split_gain_db']:+.2f} | {r['real_gain_db']:+.2f} | "
                f"{f'**{sel}**' if r is best else sel} | "
                f"{f'**{phone}**' if r is best_phone else phone} | {r['r6_gain_db']:+.2f} |")
    if "paired" in result:
        lines += ["", paired_table(result["paired"], result["control"])]
    return "\n".join(lines)


def plot(result: dict, path: pathlib.Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    keys = [("weak_split_gain_db", f"synthetic, {WEAK}"), ("real_gain_db", "4 DPDD scenes"),
            ("r6_gain_db", "Canon R6 planes (never selected on)"),
            ("phone_aware_selection_db", "phone-aware selection")]
    fig, axes = plt.subplots(1, len(keys), figsize=(4.2 * len(keys), 3.6))
    for ax, (key, title) in zip(axes, keys):
        for label, campaign in result["campaigns"].items():
            ax.plot([r["step"] for r in campaign["rows"]], [r[key] for r in campaign["rows"]],
                    "o-", markersize=3, label=label)
        ax.set_title(title, fontsize=9)
        ax.set_xlabel("step")
        ax.grid(alpha=0.3)
    axes[0].set_ylabel("gain over input C (dB)")
    axes[0].legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("runs", nargs="+", type=pathlib.Path, help="campaign run folders")
    parser.add_argument("--labels", nargs="+", default=None)
    parser.add_argument("--name", required=True, help="results/NAME.*")
    parser.add_argument("--threads", type=int, default=None)
    parser.add_argument("--control", default=None, metavar="LABEL",
                        help="also pair every other campaign with this one, step by step")
    args = parser.parse_args(argv)
    labels = args.labels or [run.name for run in args.runs]
    if len(labels) != len(args.runs):
        raise SystemExit(f"--labels: {len(labels)} labels for {len(args.runs)} runs")
    if args.control is not None and args.control not in labels:
        raise SystemExit(f"--control {args.control!r} is not one of the labels: "
                         f"{', '.join(labels)}")
    for run in args.runs:
        if not (run / "evals.json").exists():
            raise SystemExit(f"{run}/evals.json not found: not a campaign run folder")
    if not r6_planes.FLAT.is_dir():
        raise SystemExit(f"{r6_planes.FLAT} not found: the R6 planes are needed")
    cpu_training.limit_threads(args.threads)
    from tqdm import tqdm

    weak = cpu_training.weak_split_test_set()
    input_weak = cpu_training.input_baseline(weak, [])["synthetic_psnr"]
    planes = r6_planes.load_planes(r6_planes.FLAT)
    input_r6 = {p["name"]: r6_planes.crop_scores(p["center"], p["reference"])["psnr"]
                for p in planes}
    result = {"command": command_line("campaign_rescore.py", argv),
              "input_psnr": {"weak_split_synthetic": input_weak, "r6_planes": input_r6},
              "campaigns": {label: rescore_run(run, weak, planes, input_weak, input_r6, tqdm)
                            for label, run in zip(labels, args.runs)}}
    if args.control is not None:
        result.update(control=args.control,
                      paired=paired_against(result["campaigns"], args.control))
    plot(result, cpu_training.RESULTS / f"{args.name}.png")
    cpu_training.publish(args.name, result, table(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
