"""Compares two campaigns run as a controlled pair: same start, same seed, one change.

    .venv/bin/python benchmarks/campaign_pair.py benchmarks/results/campaign6_grain.json \\
        benchmarks/results/campaign6_control.json --labels "DPDD-like grain" "control" \\
        --name campaign6_pair

Both campaigns (benchmarks/cpu_campaign.py results) are scored every 200 steps on the same
synthetic validation scenes and the four real DPDD scenes; this pairs their evaluations step by
step (the shared step 0 left out) and reports the per-step differences, their mean and spread,
the best evaluation of each (the selection rule) and a plot. One evaluation's real gain moves by
about 0.1 dB from step to step, so the mean over many paired steps says more than either best.
Writes benchmarks/results/NAME.{json,md,png} and the README section `NAME`.
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
METRICS = (("synthetic_gain_db", "synthetic"), ("real_gain_db", "real"),
           ("selection_db", "selection"))
# Scored only by campaigns run with --phone-aware (campaign 20 on): paired when both have them.
PHONE_METRICS = (("weak_split_gain_db", "weak split"),
                 ("phone_aware_selection_db", "phone-aware selection"))


def metrics_of(*campaigns: dict) -> tuple:
    """METRICS, and the phone-aware ones where every evaluation of every campaign has them."""
    evals = [e for campaign in campaigns for e in campaign["evals"]]
    return METRICS + tuple(m for m in PHONE_METRICS if all(m[0] in e for e in evals))


def by_step(campaign: dict) -> dict:
    return {e["step"]: e for e in campaign["evals"]}


def compare(a: dict, b: dict, metrics=None) -> dict:
    """Per-step differences a - b and their summary, on every metric (default `metrics_of`)."""
    ea, eb = by_step(a), by_step(b)
    steps = sorted(s for s in ea.keys() & eb.keys() if s > 0)  # after the shared start
    if not steps:
        raise SystemExit("the two campaigns share no evaluated step after step 0")
    summary, metrics = {}, metrics or metrics_of(a, b)
    for key, name in metrics:
        diff = np.array([ea[s][key] - eb[s][key] for s in steps])
        summary[name] = {"mean_a": float(np.mean([ea[s][key] for s in steps])),
                         "mean_b": float(np.mean([eb[s][key] for s in steps])),
                         "mean_diff": float(diff.mean()), "std_diff": float(diff.std(ddof=1))
                         if len(diff) > 1 else None,
                         "a_ahead": int((diff > 0).sum()), "steps": len(steps)}
    return {"steps": steps, "summary": summary, "metrics": [list(m) for m in metrics],
            "per_step": [{"step": s, **{f"{n}_{side}": e[s][k] for k, n in metrics
                                        for side, e in (("a", ea), ("b", eb))}} for s in steps]}


def start_matches(a: dict, b: dict) -> bool:
    """A controlled pair starts from the same weights: the same step-0 scores."""
    return all(abs(a["evals"][0][k] - b["evals"][0][k]) < 1e-6 for k, _ in METRICS)


def markdown(result: dict, labels: list[str]) -> str:
    la, lb = labels
    s = result["summary"]
    lines = [f"Paired evaluations at {s['real']['steps']} steps "
             f"({result['steps'][0]}-{result['steps'][-1]}); dB over the input C; "
             f"difference = `{la}` - `{lb}`.", "",
             f"| metric | `{la}` mean | `{lb}` mean | mean difference | std of difference "
             f"| steps `{la}` ahead | best `{la}` (step) | best `{lb}` (step) |",
             "|---|---:|---:|---:|---:|---:|---:|---:|"]
    best = [c["best"] for c in result["campaigns"]]  # each campaign's own selection rule
    for key, name in result["metrics"]:
        row = s[name]
        std = f"{row['std_diff']:.3f}" if row["std_diff"] is not None else "-"
        lines.append(f"| {name} | {row['mean_a']:+.3f} | {row['mean_b']:+.3f} "
                     f"| {row['mean_diff']:+.3f} | {std} | {row['a_ahead']} / {row['steps']} "
                     f"| {best[0][key]:+.3f} ({best[0]['step']}) "
                     f"| {best[1][key]:+.3f} ({best[1]['step']}) |")
    lines += ["", "Best = the evaluation with the highest selection score (the campaign's rule: "
              "the phone-aware one where both were run with --phone-aware)."]
    if "starts" in result:  # --different-starts: the start is the change
        lines.append("The two start from different weights (the start is the change); step 0: "
                     + ", ".join(f"`{label}` " + " / ".join(f"{start[k]:+.3f}"
                                                           for k, _ in result["metrics"])
                                 for label, start in zip(labels, result["starts"]))
                     + f" ({' / '.join(n for _, n in result['metrics'])}).")
    return "\n".join(lines)


def plot(result: dict, labels: list[str], path: pathlib.Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 2, figsize=(11, 4))
    for ax, (key, name) in zip(axes, METRICS[:2]):
        for campaign, label in zip(result["campaigns"], labels):
            evals = campaign["evals"]
            ax.plot([e["step"] for e in evals], [e[key] for e in evals], marker="o", label=label)
        ax.set(xlabel="step", ylabel="dB over input C",
               title="synthetic validation" if name == "synthetic" else "4 real DPDD scenes")
        ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("a", type=pathlib.Path, help="results JSON of the changed campaign")
    parser.add_argument("b", type=pathlib.Path, help="results JSON of the control")
    parser.add_argument("--labels", nargs=2, default=None, metavar=("A", "B"))
    parser.add_argument("--name", required=True, help="results/NAME.* and README section NAME")
    parser.add_argument("--different-starts", action="store_true",
                        help="pair campaigns whose starts differ when the start IS the change "
                             "(e.g. a grown model against its source); the table says so")
    args = parser.parse_args(argv)
    for path in (args.a, args.b):
        if not path.is_file():
            parser.error(f"no campaign results at {path}")
    a, b = (json.loads(p.read_text()) for p in (args.a, args.b))
    different = not start_matches(a, b)
    if different and not args.different_starts:
        parser.error(f"{args.a} and {args.b} do not start from the same weights "
                     "(their step-0 scores differ): not a controlled pair (--different-starts "
                     "if the start is the change)")
    labels = args.labels or [args.a.stem, args.b.stem]
    result = {"command": " ".join(["benchmarks/campaign_pair.py", str(args.a), str(args.b),
                                   "--labels", *[f'"{x}"' for x in labels], "--name", args.name]
                                  + (["--different-starts"] if different else [])),
              "labels": labels, "commands": [a["command"], b["command"]], **compare(a, b)}
    result["campaigns"] = [{"best": c["best"], "evals": c["evals"]} for c in (a, b)]
    if different:
        result["starts"] = [c["evals"][0] for c in (a, b)]
    cpu_training.publish(args.name, result, markdown(result, labels))
    plot(result, labels, cpu_training.RESULTS / f"{args.name}.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
