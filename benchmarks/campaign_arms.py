"""The arms of an ablation run as whole campaigns, side by side: each arm's seeds, mean and spread.

    .venv/bin/python benchmarks/campaign_arms.py \\
        --arm "correlation" benchmarks/results/campaign81_recipe_scratch_fft_long.json \\
              benchmarks/results/campaign85_recipe_scratch_fft_long_seed83.json \\
        --arm "concatenation" benchmarks/results/campaign100_concat_scratch_fft_long.json ... \\
        --name shipped_recipe_arms

Each input is a `benchmarks/cpu_campaign.py` result; an arm is one network (preset and
overrides) at one or more seeds, and every campaign must share the rest of its training setup
(steps, batch, patch, data, loss), so the arms differ only in the network. Per arm: each seed's
best evaluation (the campaign's own selection rule), the mean and std (ddof=1) over seeds of
that best and of the gains at the last step, and a plot of every campaign's curve (one colour per
arm, one line style per seed). `campaign_pair.py` and `campaign_seeds.py` pair two arms step by
step; this is the overview. Writes benchmarks/results/NAME.{json,md,png} and the section `NAME`.
"""

from __future__ import annotations

import argparse
import json
import pathlib
import sys

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import cpu_training  # noqa: E402
from campaign_pair import metrics_of  # noqa: E402
from campaign_seeds import over_seeds  # noqa: E402

# What an arm may change (the network) or a seed (its seed); bookkeeping that cannot change what
# was trained. Any other difference in the recorded setups makes the arms incomparable.
ARM_KEYS = ("preset", "override")
FREE_KEYS = ARM_KEYS + ("seed", "checkpoint_every", "workers")


def read_campaign(path: pathlib.Path) -> dict:
    """A cpu_campaign.py result with its setup, evaluations and best; errors name the file."""
    if not path.is_file():
        raise SystemExit(f"campaign_arms.py: {path}: no such campaign result")
    campaign = json.loads(path.read_text())
    missing = [k for k in ("setup", "evals", "best") if k not in campaign]
    if missing:
        raise SystemExit(f"campaign_arms.py: {path} is not a cpu_campaign.py result "
                         f"(no {', '.join(missing)})")
    # A parked campaign's best and last step are not its final ones: comparing it with finished
    # arms would favour whichever arm was further along.
    if not finished(campaign):
        raise SystemExit(f"campaign_arms.py: {path} is unfinished (step {campaign['steps_done']} "
                         f"of {campaign['setup']['steps']}): resume it with its own command first")
    return {**campaign, "path": str(path)}


def finished(campaign: dict) -> bool:
    """Whether a cpu_campaign.py result ran all its planned steps (one recorded before either
    was kept counts as finished)."""
    done, planned = campaign.get("steps_done"), campaign["setup"].get("steps")
    return done is None or planned is None or done >= planned


def check_comparable(arms: dict) -> None:
    """Every campaign shares the training setup outside FREE_KEYS; within an arm the network is
    one and the seeds differ. Errors name the file and the setting."""
    campaigns = [c for runs in arms.values() for c in runs]
    reference = campaigns[0]
    for campaign in campaigns[1:]:
        for key in sorted((reference["setup"].keys() | campaign["setup"].keys()) - set(FREE_KEYS)):
            if reference["setup"].get(key) != campaign["setup"].get(key):
                raise SystemExit(f"campaign_arms.py: {campaign['path']} trained with {key}="
                                 f"{campaign['setup'].get(key)!r}, {reference['path']} with "
                                 f"{reference['setup'].get(key)!r}: not one ablation")
    for arm, runs in arms.items():
        networks = {json.dumps([c["setup"].get(k) for k in ARM_KEYS]) for c in runs}
        if len(networks) > 1:
            raise SystemExit(f"campaign_arms.py: arm {arm!r} mixes networks (preset/override): "
                             + ", ".join(c["path"] for c in runs))
        seeds = [c["setup"]["seed"] for c in runs]
        if len(set(seeds)) < len(seeds):
            raise SystemExit(f"campaign_arms.py: arm {arm!r} repeats a seed: {seeds}")


def summarise_arm(runs: list[dict], metrics: list[tuple[str, str]]) -> dict:
    """Per seed: the selected evaluation and the last one; over seeds: mean and std of each."""
    per_seed = [{"seed": c["setup"]["seed"], "path": c["path"], "best": c["best"],
                 "last": c["evals"][-1]} for c in runs]
    return {"preset": runs[0]["setup"]["preset"], "override": runs[0]["setup"].get("override"),
            "per_seed": per_seed,
            **{when: {name: over_seeds([s[when][key] for s in per_seed]) for key, name in metrics}
               for when in ("best", "last")}}


def cell(stats: dict) -> str:
    return f"{stats['mean']:+.3f}" + (f" ± {stats['std']:.3f}" if stats["std"] is not None else "")


def markdown(summary: dict, selection: str) -> str:
    """One row per arm: its seeds, the best's metrics (mean ± std over seeds), the last step's
    selection score, and each seed's best with its step."""
    key = dict((name, key) for key, name in summary["metrics"])[selection]
    lines = [f"Each arm's campaigns at their own best evaluation (selected by `{selection}`), dB "
             "over the input C: mean ± std (ddof=1) over seeds; `last` is the final step.", "",
             f"| arm | seeds | best {selection} | synthetic at best | real at best | last "
             f"{selection} | best {selection} per seed (step) |",
             "|---|---|---:|---:|---:|---:|---|"]
    for arm, row in summary["arms"].items():
        seeds = ", ".join(str(s["seed"]) for s in row["per_seed"])
        per_seed = ", ".join(f"{s['best'][key]:+.3f} ({s['best']['step']})"
                             for s in row["per_seed"])
        lines.append(f"| {arm} | {seeds} | {cell(row['best'][selection])} | "
                     f"{cell(row['best']['synthetic'])} | {cell(row['best']['real'])} | "
                     f"{cell(row['last'][selection])} | {per_seed} |")
    return "\n".join(lines)


def plot(arms: dict, path: pathlib.Path) -> None:
    """Every campaign's synthetic and real gain against step: colour = arm, style = seed."""
    seeds = sorted({c["setup"]["seed"] for runs in arms.values() for c in runs})
    dashes = ["-", "--", ":", "-."]
    series, styles = {}, {}
    for colour, (arm, runs) in enumerate(arms.items()):
        for campaign in runs:
            label = f"{arm}, seed {campaign['setup']['seed']}"
            series[label] = {key: [(e["step"], e[key]) for e in campaign["evals"]]
                             for key, _ in cpu_training.GAIN_PANELS}
            styles[label] = {"color": f"C{colour}", "marker": None,
                             "linestyle": dashes[seeds.index(campaign["setup"]["seed"])
                                                 % len(dashes)]}
    cpu_training.plot_gain_panels(series, path, "step", styles=styles)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--arm", nargs="+", action="append", required=True,
                        metavar=("LABEL", "CAMPAIGN_JSON"),
                        help="an arm's label, then its cpu_campaign.py results (one per seed)")
    parser.add_argument("--name", required=True, help="results/NAME.* and section NAME")
    args = parser.parse_args(argv)
    arms = {}
    for label, *paths in args.arm:
        if not paths:
            parser.error(f"--arm {label!r} names no campaign result")
        if label in arms:
            parser.error(f"--arm {label!r} given twice")
        arms[label] = [read_campaign(pathlib.Path(p)) for p in paths]
    check_comparable(arms)
    metrics = metrics_of(*[c for runs in arms.values() for c in runs])
    selection = metrics[-1][1]  # the campaigns' own rule: phone-aware where all scored it
    summary = {"command": " ".join(["benchmarks/campaign_arms.py"]
                                   + [f'--arm "{a}" ' + " ".join(c["path"] for c in runs)
                                      for a, runs in arms.items()] + ["--name", args.name]),
               "metrics": [list(m) for m in metrics], "selection": selection,
               "arms": {a: summarise_arm(runs, metrics) for a, runs in arms.items()}}
    plot(arms, cpu_training.RESULTS / f"{args.name}.png")
    cpu_training.publish(args.name, summary, markdown(summary, selection))
    return 0


if __name__ == "__main__":
    sys.exit(main())
