"""Would a candidate become the default? The ship rule, applied in one run against the default.

    .venv/bin/python benchmarks/ship_check.py --candidates \\
        "tiny 120 min=mccnet_tiny:runs/budget_curve_120_lr1e3/tinyzero_p128/final.weights.h5" \\
        --threads 1 --name ship_check_tiny120

The default (`--default`, the shipped weights) and every candidate are scored as the
phone-aware campaigns score (`cpu_campaign.py --phone-aware`): 24 synthetic validation scenes,
the same scenes with a weak DP split, and the four real DPDD scenes, dB over the input C. The
rule (README, "The campaigns"): a candidate ships only if its phone-aware selection beats the
default's by at least `--margin` (0.05 dB, about half of one evaluation's noise) and its
selection (mean of the synthetic and DPDD gains) is at most `--margin` below the default's.
Scoring the default in the same run, rather than quoting its recorded figures, makes the
comparison immune to a change of the scorer or the machine.

Writes benchmarks/results/NAME.{json,md} and the README section NAME when one is marked.
Shipping a candidate that passes is `benchmarks/ship_default.sh`.
"""

from __future__ import annotations

import argparse
import pathlib
import sys

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import cpu_training  # noqa: E402
from scene_crops import command_line, parse_models  # noqa: E402

from keras_mccnet.model_spec import DEFAULT_MODEL  # noqa: E402

DEFAULT_MARGIN = 0.05


def ship_verdict(candidate: dict, default: dict, margin: float = DEFAULT_MARGIN) -> dict:
    """Whether `candidate`'s scores pass the ship rule against `default`'s, and by how much
    each of its two conditions is met (positive) or missed (negative)."""
    lift = candidate["phone_aware_selection_db"] - default["phone_aware_selection_db"] - margin
    kept = candidate["selection_db"] - default["selection_db"] + margin
    return {"phone_aware_lift_over_bar_db": lift, "selection_kept_over_bar_db": kept,
            "passes": lift >= 0.0 and kept >= 0.0}


def scoring_sets(synthetic, real, weak) -> dict:
    """The three scene sets of the phone-aware selection with their inputs' PSNR, for `score`."""
    return {"synthetic": synthetic, "real": real, "weak": weak,
            "input_C": cpu_training.input_baseline(synthetic, real),
            "input_weak_split_psnr": cpu_training.input_baseline(weak, [])["synthetic_psnr"]}


def score(spec: str, sets: dict) -> dict:
    """One model's gains (synthetic, weak split, DPDD, per scene) and its two selections."""
    import keras

    from keras_mccnet.model_spec import load_model

    model, source = load_model(spec)
    measured = cpu_training.evaluate(model, sets["synthetic"], sets["real"])
    row = {**cpu_training.gains(measured, sets["input_C"]),
           "real_per_scene": measured.get("real_per_scene", {}),
           "weights_sha256": source["weights_sha256"]}
    cpu_training.add_phone_aware(row, model, sets["weak"], sets["input_weak_split_psnr"])
    keras.backend.clear_session()
    return row


def table(rows: dict, margin: float) -> str:
    lines = [f"Gain over the input C, dB. Ship rule: phone-aware selection at least {margin:g} dB "
             f"above the default's, selection at most {margin:g} dB below it.", "",
             "| model | synthetic | weak split | 4 DPDD scenes | selection | phone-aware | "
             "verdict |", "|---|---:|---:|---:|---:|---:|---|"]
    for label, row in rows.items():
        verdict = row.get("verdict")
        if verdict is None:
            said = "the default"
        elif verdict["passes"]:
            said = "**passes**"
        else:
            said = (f"fails (phone-aware {verdict['phone_aware_lift_over_bar_db']:+.3f}, "
                    f"selection {verdict['selection_kept_over_bar_db']:+.3f} from the bars)")
        real = row.get("real_gain_db", float("nan"))
        lines.append(f"| {label} | {row['synthetic_gain_db']:+.3f} | "
                     f"{row['weak_split_gain_db']:+.3f} | {real:+.3f} | {row['selection_db']:+.3f} "
                     f"| {row['phone_aware_selection_db']:+.3f} | {said} |")
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--candidates", nargs="+", required=True, metavar="LABEL=MODEL_SPEC")
    parser.add_argument("--default", default=DEFAULT_MODEL, metavar="MODEL_SPEC",
                        help=f"the shipped default, {DEFAULT_MODEL}")
    parser.add_argument("--margin", type=float, default=DEFAULT_MARGIN)
    parser.add_argument("--threads", type=int, default=None)
    parser.add_argument("--name", default="ship_check", help="results/NAME.{json,md}")
    args = parser.parse_args(argv)
    candidates = parse_models(args.candidates)
    if "default" in candidates:
        raise SystemExit("ship_check: 'default' labels the default; give the candidate another")
    cpu_training.limit_threads(args.threads)
    sets = scoring_sets(cpu_training.synthetic_test_set(), cpu_training.real_test_set(),
                        cpu_training.weak_split_test_set())
    rows = {"default": {"spec": args.default, **score(args.default, sets)}}
    for label, spec in candidates.items():
        row = {"spec": spec, **score(spec, sets)}
        row["verdict"] = ship_verdict(row, rows["default"], args.margin)
        rows[label] = row
    result = {"command": command_line("ship_check.py", argv), "margin_db": args.margin,
              "input_C": sets["input_C"], "input_weak_split_psnr": sets["input_weak_split_psnr"],
              "real_scenes": len(sets["real"]), "models": rows}
    cpu_training.publish(args.name, result, table(rows, args.margin))
    return 0


if __name__ == "__main__":
    sys.exit(main())
