"""Why explicit correlation does not win the CPU ablation: two measurements.

    .venv/bin/python benchmarks/correlation_diagnosis.py \\
        --models shipped=mccnet_tiny:synthetic \\
                 "mccnet seed 0=runs/cpu_ablation_600/mccnet_tiny_seed0/checkpoint.keras" ...
    # a new default, the other models' runs gone: re-measure the shipped row only
    .venv/bin/python benchmarks/correlation_diagnosis.py --keep-others \\
        --models "shipped mccnet_tiny (campaign)=mccnet_tiny:synthetic"
    # a longer ablation's runs, kept apart from the shipped diagnosis
    .venv/bin/python benchmarks/correlation_diagnosis.py --name correlation_diagnosis_6400 \\
        --models "mccnet_tiny seed 0=runs/ablation_6400/mccnet_tiny_zero_output_init_seed0" ...
    # campaigns at equal steps: a campaign's evaluated weights, built as its setup says
    .venv/bin/python benchmarks/correlation_diagnosis.py --name correlation_diagnosis_campaigns \\
        --models "campaign 96 step 17600=runs/campaign96_d4211_scratch_fft_long/snapshots/\\
step17600.weights.h5"

1. **Search range against real disparities.** Where every level's cost-volume slices fall in
   full-resolution pixels (level k compares displacements of 2^k px steps), against the real
   DPDD disparities measured by benchmarks/dp_calibration.py (results/dp_calibration.json).
2. **How much each model uses the dual-pixel cue.** Every model is scored on synthetic
   validation and on the four real DPDD scenes twice: with its real L and R, and with both views
   replaced by C = (L + R) / 2. C, the residual base, is unchanged, but no L/R disparity is
   left, so a model that ignores the difference of the views scores the same both ways; the
   drop is what the dual-pixel cue is worth to that model (scoring of cpu_training.py).

Writes benchmarks/results/NAME.{json,md} and the README table NAME (`--name`, default
`correlation_diagnosis`).
"""

from __future__ import annotations

import argparse
import json
import pathlib
import sys

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import cpu_campaign  # noqa: E402
import cpu_training  # noqa: E402


def search_range_table(presets=("mccnet_tiny", "mccnet_base")) -> tuple[list[dict], str]:
    """Each preset's per-level search range in full-resolution px, next to the real disparities."""
    from keras_mccnet.mccnet import default_max_displacements
    from keras_mccnet.presets import preset_config

    calibration = json.loads((cpu_training.RESULTS / "dp_calibration.json").read_text())
    p5, p50, p95 = calibration["disparity_px_p5_p50_p95"]
    rows = []
    for preset in presets:
        config = preset_config(preset)
        levels = len(config["widths"])
        ranges = config.get("max_displacements") or default_max_displacements(levels)
        for k, d in enumerate(ranges):
            step = 2 ** k
            rows.append({"preset": preset, "level": k, "slices": 2 * d + 1, "step_px": step,
                         "reach_px": d * step,
                         # slices strictly inside the real disparities' 5-95 % band
                         "slices_within_p5_p95": sum(1 for i in range(-d, d + 1)
                                                     if p5 <= i * step <= p95)})
    lines = [f"Real DPDD disparities at 840 px (results/dp_calibration.json): p5 / p50 / p95 = "
             f"{p5:.1f} / {p50:.1f} / {p95:.1f} px.", "",
             "| preset | level | slices | slice step (full-res px) | reach (px) "
             "| slices inside the real p5-p95 band |", "|---|---:|---:|---:|---:|---:|"]
    lines += [f"| {r['preset']} | {r['level']} | {r['slices']} | {r['step_px']} | ±{r['reach_px']} "
              f"| {r['slices_within_p5_p95']} |" for r in rows]
    return rows, "\n".join(lines)


def reliance(models: dict, synthetic, real, baseline) -> dict:
    import keras

    out = {}
    for name, spec in models.items():
        model = cpu_campaign.snapshot_or_spec_model(spec)

        def predict(left, right, center, model=model):
            return model.predict({"left": left[None], "right": right[None]}, verbose=0)[0]

        both = cpu_training.evaluate_outputs(synthetic, real, predict)
        no_dp = cpu_training.evaluate_outputs(
            synthetic, real, lambda l, r, c: predict(c, c, c))
        out[name] = {"spec": spec, "with_lr": {**both, **cpu_training.gains(both, baseline)},
                     "views_set_to_c": {**no_dp, **cpu_training.gains(no_dp, baseline)}}
        print(name, json.dumps({k: v["synthetic_gain_db"] for k, v in out[name].items()
                                if isinstance(v, dict)}), flush=True)
        keras.backend.clear_session()
    return out


def cue_table(cue: dict) -> str:
    lines = ["| model | synthetic gain, L and R | synthetic gain, both views = C | real gain, L and R "
             "| real gain, both views = C |", "|---|---:|---:|---:|---:|"]
    for name, r in cue.items():
        a, b = r["with_lr"], r["views_set_to_c"]
        lines.append(f"| {name} | {a['synthetic_gain_db']:+.2f} | {b['synthetic_gain_db']:+.2f} | "
                     f"{a.get('real_gain_db', float('nan')):+.2f} | "
                     f"{b.get('real_gain_db', float('nan')):+.2f} |")
    return "\n".join(lines)


def keep_other_rows(previous: dict, measured: dict) -> dict:
    """The committed results' rows with `measured` in place (`--keep-others`). Each row carries
    the command that measured it; rows from before rows carried one are listed under
    `rows_kept_from` with the results' first command (later `--keep-others` runs of that time
    added rows without recording their own)."""
    cue = cpu_training.merge_rows(previous["dual_pixel_cue"], measured)
    result = {"dual_pixel_cue": cue}
    without_command = [name for name, row in cue.items() if "command" not in row]
    if without_command:
        result["rows_kept_from"] = cpu_training.kept_from(previous, without_command)
    return result


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--models", nargs="+", default=["shipped mccnet_tiny=mccnet_tiny:synthetic"],
                        help="NAME=SPEC (any `--model` SPEC: preset:weights, .keras file, run "
                             "folder; or a campaign's OUT/snapshots/stepN.weights.h5)")
    parser.add_argument("--threads", type=int, default=None)
    parser.add_argument("--name", default="correlation_diagnosis",
                        help="results/NAME.{json,md} and README section NAME (a second "
                             "diagnosis, such as a longer ablation's runs, keeps its own)")
    parser.add_argument("--keep-others", action="store_true",
                        help="measure only --models and keep every other model's row of the "
                             "committed results/NAME.json (a new default when the ablation's "
                             "models are gone, or an ablation's seeds as they finish)")
    args = parser.parse_args(argv)
    cpu_training.limit_threads(args.threads)
    models = dict(m.split("=", 1) for m in args.models)
    ranges, range_md = search_range_table()
    synthetic, real = cpu_training.synthetic_test_set(), cpu_training.real_test_set()
    baseline = cpu_training.input_baseline(synthetic, real)
    command = "benchmarks/correlation_diagnosis.py " + " ".join(sys.argv[1:])
    cue = {name: {**row, "command": command}
           for name, row in reliance(models, synthetic, real, baseline).items()}
    result = {"command": command, "input_C": baseline, "search_ranges": ranges}
    if args.keep_others:
        previous = json.loads((cpu_training.RESULTS / f"{args.name}.json").read_text())
        result.update(keep_other_rows(previous, cue))
    else:
        result["dual_pixel_cue"] = cue
    cpu_training.publish(args.name, result, range_md + "\n\n" + cue_table(result["dual_pixel_cue"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
