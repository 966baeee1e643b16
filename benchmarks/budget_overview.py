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

import budget_curve
import cpu_training


def end_points(names: list[str]) -> dict:
    """{config: [end point, ...]} by budget: each finished config's gains at the end of its
    budget, or, for a diverged one, where it diverged; unfinished configs are left out."""
    points: dict = {}
    for name in names:
        path = cpu_training.RESULTS / f"{name}.json"
        if not path.exists():
            raise SystemExit(f"budget_overview.py: {path}: no such results file "
                             "(run benchmarks/budget_curve.py --name NAME first)")
        run = json.loads(path.read_text())
        lr = run.get("lr", budget_curve.DEFAULT_LR)
        for config, plan in run["configs"].items():
            # a config trained at another rate is another curve
            row = config if lr == budget_curve.DEFAULT_LR else f"{config}, lr {lr:g}"
            last = plan["evals"][-1]
            point = {"budget_cpu_min": plan["budget_cpu_min"], "run": name, "steps": plan["steps"]}
            if "diverged" in plan:
                point["diverged_at_step"] = plan["diverged"]["step"]
            elif last["step"] == plan["steps"]:
                point.update({key: last.get(key) for key, _ in cpu_training.GAIN_PANELS})
            else:
                continue
            points.setdefault(row, []).append(point)
    return {config: sorted(p, key=lambda point: point["budget_cpu_min"])
            for config, p in points.items()}


def cell(point: dict) -> str:
    if "diverged_at_step" in point:
        return f"diverged (step {point['diverged_at_step']} of {point['steps']})"
    real = point["real_gain_db"] if point["real_gain_db"] is not None else float("nan")
    return f"{point['synthetic_gain_db']:+.2f} / {real:+.2f} ({point['steps']} steps)"


def table(points: dict) -> str:
    budgets = sorted({point["budget_cpu_min"] for p in points.values() for point in p})
    header = " | ".join(f"{b:g} CPU-min" for b in budgets)
    lines = ["Gain over the input C at the end of each budget (synthetic / real DPDD, dB, and the "
             "steps the budget bought); every cell its own run from scratch, seed 0, lr "
             f"{budget_curve.DEFAULT_LR:g} unless the row says otherwise; -: not run. "
             "Each run calibrates its steps from the CPU time of a few steps on the host as "
             "loaded then, so compare configs within a column; across columns the steps say "
             "more than the minutes.", "",
             f"| config | {header} |", "|---|" + "---:|" * len(budgets)]
    for config, p in points.items():
        at = {point["budget_cpu_min"]: point for point in p}
        lines.append(f"| {config} | " + " | ".join(cell(at[b]) if b in at else "-"
                                                   for b in budgets) + " |")
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("names", nargs="+", help="results/NAME.json of budget_curve.py runs")
    args = parser.parse_args(argv)
    points = end_points(args.names)
    result = {"command": "benchmarks/budget_overview.py " + " ".join(sys.argv[1:]),
              "end_points": points}
    cpu_training.publish("budget_overview", result, table(points))
    # a diverged run has no gain: it is in the table, not on the plot
    series = {config: {key: [(point["budget_cpu_min"], point[key]) for point in p
                             if point.get(key) is not None]
                       for key, _ in cpu_training.GAIN_PANELS} for config, p in points.items()}
    cpu_training.plot_gain_panels(
        series, cpu_training.RESULTS / "budget_overview.png", "CPU-minutes of training (budget)",
        title="MCCNet from scratch: gain at the end of each CPU budget (one run per point)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
