"""Pools one change's controlled pairs run at several seeds: is its effect bigger than the spread?

    .venv/bin/python benchmarks/campaign_seeds.py benchmarks/results/campaign48_pair.json \\
        benchmarks/results/campaign50_pair.json --seeds 52 53 \\
        --labels "fft weight 2.0" "Charbonnier only" --name fft_seeds

Each input is a `benchmarks/campaign_pair.py` result (the change against its control, paired step
by step, one seed). One seed's mean difference says how far the change moved that campaign; the
spread of those means across seeds (another bank, another batch order) says how much of it would
repeat. Per metric: each seed's mean difference, their mean and standard deviation, and the paired
steps ahead summed over seeds. Where the pairs carry each campaign's best evaluation (its own
selection rule), a second table pools best against best: the question when the change is a
longer schedule, which trails at equal steps and is judged by where it ends. Writes
benchmarks/results/NAME.{json,md} and the section `NAME`.
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


def shared_metrics(pairs: list[dict]) -> list[str]:
    """The metric names every pair scored, in the first pair's order."""
    names = [name for _, name in pairs[0]["metrics"]]
    return [n for n in names if all(n in p["summary"] for p in pairs)]


def over_seeds(per_seed: list[float]) -> dict:
    """One difference per seed, with their mean and std (ddof=1; None for a single seed)."""
    diffs = np.array(per_seed)
    return {"per_seed": diffs.tolist(), "mean": float(diffs.mean()),
            "std": float(diffs.std(ddof=1)) if len(diffs) > 1 else None}


def pool(pairs: list[dict]) -> dict:
    """Per metric: the seeds' mean differences, their mean and std (ddof=1), steps ahead."""
    pooled = {}
    for name in shared_metrics(pairs):
        rows = [p["summary"][name] for p in pairs]
        pooled[name] = {**over_seeds([r["mean_diff"] for r in rows]),
                        "ahead": sum(r["a_ahead"] for r in rows),
                        "steps": sum(r["steps"] for r in rows)}
    return pooled


def pool_bests(pairs: list[dict]) -> dict:
    """Per metric: each seed's change-best minus control-best (each campaign's own selected
    evaluation), their mean and std; empty if a pair lacks its campaigns' bests."""
    if not all(len(p.get("campaigns", [])) == 2 for p in pairs):
        return {}
    bests = [[c["best"] for c in p["campaigns"]] for p in pairs]
    pooled = {}
    for key, name in pairs[0]["metrics"]:
        if not all(key in b for pair_bests in bests for b in pair_bests):
            continue
        pooled[name] = {**over_seeds([change[key] - control[key] for change, control in bests]),
                        "steps": [[change["step"], control["step"]] for change, control in bests]}
    return pooled


def seed_table(caption: str, pooled: dict, seeds: list[str], seed_cell, extra=None) -> str:
    """One row per metric: a cell per seed (`seed_cell(row, i)`), the mean and std over seeds,
    and, given `extra` (a column title and a function of the row), one more column."""
    titles = [f"seed {s}" for s in seeds] + ["mean over seeds", "std over seeds"]
    titles += [extra[0]] if extra else []
    lines = [caption, "", "| metric | " + " | ".join(titles) + " |",
             "|---|" + "---:|" * len(titles)]
    for name, row in pooled.items():
        cells = [seed_cell(row, i) for i in range(len(seeds))]
        cells += [f"{row['mean']:+.3f}", f"{row['std']:.3f}" if row["std"] is not None else "-"]
        cells += [extra[1](row)] if extra else []
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def bests_markdown(pooled: dict, seeds: list[str], labels: list[str]) -> str:
    caption = (f"Best against best: `{labels[0]}`'s selected evaluation - `{labels[1]}`'s, dB "
               "over the input C (selected steps in brackets, change / control).")
    return seed_table(caption, pooled, seeds, lambda row, i: (
        f"{row['per_seed'][i]:+.3f} ({row['steps'][i][0]} / {row['steps'][i][1]})"))


def markdown(pooled: dict, seeds: list[str], labels: list[str]) -> str:
    caption = (f"`{labels[0]}` - `{labels[1]}`, dB over the input C: each seed's mean over its "
               "paired steps, then the mean and std (ddof=1) of those means.")
    return seed_table(caption, pooled, seeds, lambda row, i: f"{row['per_seed'][i]:+.3f}",
                      extra=("paired steps ahead", lambda row: f"{row['ahead']} / {row['steps']}"))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("pairs", nargs="+", type=pathlib.Path,
                        help="campaign_pair.py results JSONs, one per seed")
    parser.add_argument("--seeds", nargs="+", required=True, help="one seed label per pair")
    parser.add_argument("--labels", nargs=2, default=None, metavar=("CHANGE", "CONTROL"),
                        help="names for the table (default: the first pair's labels)")
    parser.add_argument("--name", required=True, help="results/NAME.* and section NAME")
    args = parser.parse_args(argv)
    if len(args.seeds) != len(args.pairs):
        parser.error(f"{len(args.pairs)} pairs but {len(args.seeds)} --seeds")
    for path in args.pairs:
        if not path.is_file():
            parser.error(f"no campaign_pair results at {path}")
    pairs = [json.loads(p.read_text()) for p in args.pairs]
    for path, pair in zip(args.pairs, pairs):
        if "summary" not in pair or "metrics" not in pair:
            parser.error(f"{path} is not a campaign_pair.py result (no summary)")
    labels = args.labels or pairs[0]["labels"]
    result = {"command": " ".join(["benchmarks/campaign_seeds.py", *map(str, args.pairs),
                                   "--seeds", *args.seeds, "--labels",
                                   *[f'"{x}"' for x in labels], "--name", args.name]),
              "seeds": args.seeds, "pairs": [str(p) for p in args.pairs],
              "labels_per_pair": [p["labels"] for p in pairs], "pooled": pool(pairs),
              "pooled_bests": pool_bests(pairs)}
    text = markdown(result["pooled"], args.seeds, labels)
    if result["pooled_bests"]:
        text += "\n\n" + bests_markdown(result["pooled_bests"], args.seeds, labels)
    cpu_training.publish(args.name, result, text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
