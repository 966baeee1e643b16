"""The DP split gain (`keras_mccnet.dp_split`): what each gain does on a strong-split camera,
on weak-split ones, and on a real weak-split camera with a reference.

    .venv/bin/python benchmarks/split_gain.py --models "default=mccnet_tiny:synthetic" \\
        --threads 1 --name split_gain

For every model and every gain k (the views' difference scaled by k about their mean, through
`keras_mccnet.predict.predict_views(split_gain=k)`, the path `mccnet deblur --split-gain` takes;
one pass per image), the gain over the input C on: the 24 synthetic validation scenes (DPDD's
split, 0.10-0.25 of the blur), the same scenes with a weak split (0.06-0.10,
`cpu_training.weak_split_test_set`), the four DPDD development scenes (split 0.22) and the
Canon R6 planes (split 0.08-0.09, f/4 against f/20: `benchmarks/r6_planes.py`). It measures
the cost of the model hedging between splits, and what a per-camera gain buys back; the gain a
camera wants is read here once per camera, and the default stays 1 (no selection reads these
numbers). Writes benchmarks/results/NAME.{json,md,png} and the README section `NAME`.
"""

from __future__ import annotations

import argparse
import pathlib
import sys

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import cpu_training  # noqa: E402
import r6_planes  # noqa: E402
from scene_crops import command_line, parse_models  # noqa: E402

GAINS = (1.0, 1.25, 1.5, 2.0, 2.5, 3.0)
SETS = {"synthetic": "synthetic validation (split 0.10-0.25)",
        "weak": "synthetic, weak split (0.06-0.10)",
        "dpdd": "4 DPDD scenes (split 0.22)",
        "r6": "Canon R6 planes (split 0.08-0.09)"}


def gains_at(model, split_gain: float, data: dict, inputs: dict) -> dict:
    """dB over the input C on every set, the model run with `split_gain`."""
    from keras_mccnet.predict import predict_views

    output_of = lambda l, r, c: predict_views(model, l, r, tile=0, split_gain=split_gain)  # noqa: E731
    strong = cpu_training.evaluate_outputs(data["synthetic"], data["dpdd"], output_of)
    weak = cpu_training.evaluate_outputs(data["weak"], [], output_of)
    row = {"synthetic": strong["synthetic_psnr"] - inputs["synthetic"],
           "weak": weak["synthetic_psnr"] - inputs["weak"],
           "r6": r6_planes.mean_psnr(data["r6"], output_of) - inputs["r6"]}
    if data["dpdd"]:
        row["dpdd"] = strong["real_psnr"] - inputs["dpdd"]
    return row


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--models", nargs="+", required=True, metavar="LABEL=MODEL_SPEC")
    parser.add_argument("--gains", nargs="+", type=float, default=list(GAINS))
    parser.add_argument("--name", default="split_gain", help="results/NAME.*")
    parser.add_argument("--threads", type=int, default=None)
    args = parser.parse_args(argv)
    models = parse_models(args.models)
    cpu_training.limit_threads(args.threads)
    from tqdm import tqdm

    from keras_mccnet.model_spec import load_model

    if not r6_planes.FLAT.is_dir():
        raise SystemExit(f"{r6_planes.FLAT} not found: the R6 planes are needed")
    data = {"synthetic": cpu_training.synthetic_test_set(),
            "weak": cpu_training.weak_split_test_set(),
            "dpdd": cpu_training.real_test_set(), "r6": r6_planes.load_planes(r6_planes.FLAT)}
    strong_input = cpu_training.input_baseline(data["synthetic"], data["dpdd"])
    inputs = {"synthetic": strong_input["synthetic_psnr"],
              "weak": cpu_training.input_baseline(data["weak"], [])["synthetic_psnr"],
              "r6": r6_planes.mean_psnr(data["r6"], lambda l, r, c: c)}
    if data["dpdd"]:
        inputs["dpdd"] = strong_input["real_psnr"]
    rows = {}
    for label, spec in models.items():
        model = load_model(spec)[0]
        rows[label] = {f"{k:g}": gains_at(model, k, data, inputs)
                       for k in tqdm(args.gains, desc=label, unit="gain")}
    result = {"command": command_line("split_gain.py", argv), "models": models,
              "sets": {k: v for k, v in SETS.items() if k in inputs}, "input_psnr": inputs,
              "gain_db": rows}
    cpu_training.publish(args.name, result, table(result))
    plot(result, cpu_training.RESULTS / f"{args.name}.png")
    return 0


def table(result: dict) -> str:
    sets = result["sets"]
    lines = ["dB over the input C at each DP split gain k (1 = the views as recorded); one pass "
             "per image. Input C: " + ", ".join(f"{name} {result['input_psnr'][key]:.2f} dB"
                                                 for key, name in sets.items()) + ".", "",
             "| model | k | " + " | ".join(sets.values()) + " |",
             "|---|---:|" + "---:|" * len(sets)]
    for label, by_gain in result["gain_db"].items():
        best = {key: max(by_gain, key=lambda k: by_gain[k][key]) for key in sets}
        for k, row in by_gain.items():
            cells = [f"**{row[key]:+.2f}**" if best[key] == k else f"{row[key]:+.2f}"
                     for key in sets]
            lines.append(f"| `{label}` | {k} | " + " | ".join(cells) + " |")
    lines += ["", "Bold: the best k of each set for that model."]
    return "\n".join(lines)


def plot(result: dict, path: pathlib.Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    labels = list(result["gain_db"])
    fig, axes = plt.subplots(1, len(labels), figsize=(5.5 * len(labels), 4), squeeze=False)
    for ax, label in zip(axes[0], labels):
        by_gain = result["gain_db"][label]
        ks = [float(k) for k in by_gain]
        for key, name in result["sets"].items():
            ax.plot(ks, [row[key] for row in by_gain.values()], marker="o", label=name)
        ax.axvline(1.0, color="grey", lw=0.8, ls=":")
        ax.set_xlabel("DP split gain k")
        ax.set_ylabel("dB over input C")
        ax.set_title(label)
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


if __name__ == "__main__":
    raise SystemExit(main())
