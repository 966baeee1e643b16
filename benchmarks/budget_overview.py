"""The budget curve across budgets: every config's gain at the END of each budget it ran.

    .venv/bin/python benchmarks/budget_overview.py budget_curve budget_curve_40 budget_curve_80

Each named results/NAME.json is one run of benchmarks/budget_curve.py at one CPU budget (every
config trained from scratch, its learning rate decayed over that budget). Points inside a run
(a third, two thirds of the budget) are not what a shorter budget gives, so only each run's
finished end points are gathered here: one line per config, gain against budget. Unfinished
configs are left out. Writes results/budget_overview.{json,md,png} and the README section
`budget_overview`.
"""

from __future__ import annotations

import argparse
import json
import sys

import cpu_training


def end_points(names: list[str]) -> dict:
    """{config: [(budget CPU-min, last evaluation, the run's name), ...]} for finished configs;
    a diverged one's "evaluation" says where it diverged instead."""
    points: dict = {}
    for name in names:
        path = cpu_training.RESULTS / f"{name}.json"
        if not path.exists():
            raise SystemExit(f"budget_overview.py: {path}: no such results file "
                             "(run benchmarks/budget_curve.py --name NAME first)")
        run = json.loads(path.read_text())
        for config, plan in run["configs"].items():
            last = plan["evals"][-1]
            if "diverged" in plan:
                last = {"diverged_at_step": plan["diverged"]["step"], "steps": plan["steps"]}
            elif last["step"] != plan["steps"]:
                continue
            points.setdefault(config, []).append((plan["budget_cpu_min"], last, name))
    return {config: sorted(p, key=lambda point: point[0]) for config, p in points.items()}


def cell(last: dict) -> str:
    if "diverged_at_step" in last:
        return f"diverged (step {last['diverged_at_step']} of {last['steps']})"
    return (f"{last['synthetic_gain_db']:+.2f} / {last.get('real_gain_db', float('nan')):+.2f} "
            f"({last['step']} steps)")


def table(points: dict) -> str:
    budgets = sorted({budget for p in points.values() for budget, _, _ in p})
    header = " | ".join(f"{b:g} CPU-min" for b in budgets)
    lines = ["Gain over the input C at the end of each budget (synthetic / real DPDD, dB, and the "
             "steps the budget bought); every cell its own run from scratch, seed 0; -: not run. "
             "Each run calibrates its steps from the CPU time of a few steps on the host as "
             "loaded then, so compare configs within a column; across columns the steps say "
             "more than the minutes.", "",
             f"| config | {header} |", "|---|" + "---:|" * len(budgets)]
    for config, p in points.items():
        at = {budget: last for budget, last, _ in p}
        cells = [cell(at[b]) if b in at else "-" for b in budgets]
        lines.append(f"| {config} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def end_fields(last: dict) -> dict:
    if "diverged_at_step" in last:
        return dict(last)
    return {"steps": last["step"], "synthetic_gain_db": last["synthetic_gain_db"],
            "real_gain_db": last.get("real_gain_db")}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("names", nargs="+", help="results/NAME.json of budget_curve.py runs")
    args = parser.parse_args(argv)
    points = end_points(args.names)
    result = {"command": "benchmarks/budget_overview.py " + " ".join(sys.argv[1:]),
              "end_points": {config: [{"budget_cpu_min": budget, "run": run, **end_fields(last)}
                                      for budget, last, run in p]
                             for config, p in points.items()}}
    cpu_training.publish("budget_overview", result, table(points))
    series = {config: {key: [(budget, last[key]) for budget, last, _ in p if key in last]
                       for key, _ in cpu_training.GAIN_PANELS} for config, p in points.items()}
    cpu_training.plot_gain_panels(
        series, cpu_training.RESULTS / "budget_overview.png", "CPU-minutes of training (budget)",
        title="MCCNet from scratch: gain at the end of each CPU budget (one run per point)")
    # (a diverged run has no gain: it is in the table, not on the plot)
    return 0


if __name__ == "__main__":
    sys.exit(main())
