"""The seeded ablation pooled over several runs of cpu_ablation.py at one budget.

    .venv/bin/python benchmarks/ablation_pool.py benchmarks/results/cpu_ablation_1600.json \\
        benchmarks/results/ablation_scratch_s6.json ... [--reference MODEL] --name NAME

Seeds of one budget are trained in several sessions (two cores, runs of up to 40 minutes each),
and each session's run folders may be gone by the next: this reads the committed results
instead. Their training setups must agree (steps, batch, patch, bank, learning rate, warm-up);
a seed of one model may appear in only one file. Writes results/NAME.{json,md} and the section
NAME: per model the mean ± std over every seed, the per-seed table and the reference model's
paired differences against the others (cpu_ablation.py's own tables); and NAME_seeds.png, every
seed's gain per model.
"""

from __future__ import annotations

import argparse
import json
import pathlib
import sys

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import cpu_ablation  # noqa: E402
import cpu_training  # noqa: E402


def read_result(path: str) -> dict:
    try:
        result = json.loads(pathlib.Path(path).read_text())
    except (OSError, json.JSONDecodeError) as e:
        raise SystemExit(f"ablation_pool: {path}: {e}") from None
    if "runs" not in result or "setup" not in result:
        raise SystemExit(f"ablation_pool: {path}: not a cpu_ablation.py result (no runs/setup)")
    return result


def pool(results: dict) -> tuple[dict, dict]:
    """(setup, runs): the shared training setup and model -> per-seed rows, seed-sorted, from
    {path: result}; an error names the file whose setup differs or whose seed repeats."""
    setup, runs, source = None, {}, {}
    for path, result in results.items():
        this = {k: result["setup"].get(k) for k in cpu_ablation.TRAINING_SETTINGS}
        if setup is None:
            setup = this
        elif this != setup:
            raise SystemExit(f"ablation_pool: {path}: setup {this} differs from {setup}")
        for model, rows in result["runs"].items():
            for row in rows:
                key = (model, row["seed"])
                if key in source:
                    raise SystemExit(f"ablation_pool: {model} seed {row['seed']} is in both "
                                     f"{source[key]} and {path}")
                source[key] = path
                runs.setdefault(model, []).append(row)
    return setup, {m: sorted(rows, key=lambda r: r["seed"]) for m, rows in runs.items()}


def summary_table(runs: dict, summary: dict, setup: dict) -> list[str]:
    """Per model: its seeds, mean ± std of both gains (`summary`, cpu_ablation.summarise of
    each model's rows) and how many runs left the plateau."""
    lines = [f"{setup['steps']} steps x {setup['batch']} patches of {setup['patch']} px from "
             "scratch, pooled over sessions; mean ± std over seeds (dB over the input C).", "",
             "| model | n | seeds | synthetic gain | real gain (rows >= 56) | left the plateau |",
             "|---|---:|---|---:|---:|---:|"]
    for model, rows in runs.items():
        s = summary[model]
        cell = lambda k: (f"{s[k]['mean']:+.2f} ± {s[k]['std']:.2f}"  # noqa: E731
                          if k in s else "n/a")
        left = sum(cpu_ablation.left_plateau(r) for r in rows)
        lines.append(f"| {model} | {len(rows)} | {', '.join(str(r['seed']) for r in rows)} | "
                     f"{cell('synthetic_gain_db')} | {cell('real_gain_db')} | "
                     f"{left} of {len(rows)} |")
    return lines


def plot_seeds(runs: dict, path) -> None:
    """Every seed's final gain as a dot per model (synthetic and real panels), the mean as a bar
    and the plateau line: which runs trained and which never started, at a glance."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    names = list(runs)
    fig, axes = plt.subplots(1, 2, figsize=(11, 1.6 + 0.45 * len(names)), sharey=True)
    for (key, panel), ax in zip(cpu_training.GAIN_PANELS, axes):
        for y, name in enumerate(names):
            scored = [r for r in runs[name] if r.get(key) is not None]
            gains = [r[key] for r in scored]
            colours = ["tab:blue" if cpu_ablation.left_plateau(r) else "tab:red" for r in scored]
            ax.barh(y, sum(gains) / len(gains), color="0.85", height=0.6)
            ax.scatter(gains, [y] * len(gains), c=colours, s=18, zorder=3)
        if key == "synthetic_gain_db":  # the rule is on the synthetic gain (left_plateau)
            ax.axvline(cpu_ablation.PLATEAU_DB, color="tab:red", ls=":", lw=1)
        ax.set(title=panel, xlabel="dB over input C")
        ax.grid(axis="x", alpha=0.3)
    axes[0].set_yticks(range(len(names)), names, fontsize=8)
    axes[0].invert_yaxis()
    fig.suptitle("Final gain per seed (dots; red: still on the plateau) and its mean (bars)")
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("results", nargs="+", help="cpu_ablation.py results JSON files")
    parser.add_argument("--reference", default="mccnet_tiny + cost contrast",
                        help="the model paired against every other (default: %(default)s)")
    parser.add_argument("--name", required=True, help="results/NAME.* and the section NAME")
    args = parser.parse_args(argv)
    setup, runs = pool({path: read_result(path) for path in args.results})
    if args.reference not in runs:
        raise SystemExit(f"ablation_pool: --reference {args.reference!r} is in none of the files "
                         f"(models: {', '.join(runs)})")
    runs = {args.reference: runs[args.reference],
            **{m: r for m, r in runs.items() if m != args.reference}}
    summary = {m: cpu_ablation.summarise(rows) for m, rows in runs.items()}
    paired = cpu_ablation.paired_differences(runs, args.reference)
    lines = [*summary_table(runs, summary, setup), "", *cpu_ablation.seed_table(runs), "",
             *cpu_ablation.paired_table(paired, args.reference)]
    result = {"command": "benchmarks/ablation_pool.py " + " ".join(
                  sys.argv[1:] if argv is None else argv),
              "sources": args.results, "setup": setup,
              "summary": summary,
              "paired": paired, "runs": runs}
    cpu_training.publish(args.name, result, "\n".join(lines))
    plot_seeds(runs, cpu_training.RESULTS / f"{args.name}_seeds.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
