"""Which side of focus, and how strong a split: the model's gain on the same synthetic scenes
rendered four ways.

    .venv/bin/python benchmarks/focus_side.py --models "default=mccnet_tiny:synthetic" \\
        --threads 1 --name focus_side

The 24 synthetic validation scenes of the campaigns (`cpu_training.synthetic_test_set`), then
the very same scenes with L and R swapped (the renderer's PSF on one side of focus is the other
view's on the other side, so this is the same blur, of the same size, in front of focus instead
of behind), with a weak DP split like the Canon R6's (disparity / blur 0.06-0.10 instead of
DPDD's 0.10-0.25; results/sim_to_real.json measured 0.083-0.086), with both, and refocused on
their farthest surface (`render_scene(front_focus_share=1)`: physically consistent front-of-focus
scenes, but with less of the frame blurred, so their input is easier). The Canon R6 planes
(`benchmarks/r6_planes.py`) showed both effects on one real scene; these say how general they
are. Writes benchmarks/results/NAME.{json,md} and the README section `NAME`.

With --keep-others only --models are scored and every other row of the committed results stays
(the scenes are fixed, so a row does not change while its weights do not): a new default scores
the replaced one under its "default #N" label and itself as "shipped (...)", and the committed row
of the same spec under another label (the old "shipped (...)" row) is dropped
(benchmarks/ship_default.sh does this at every ship).
"""

from __future__ import annotations

import argparse
import json
import pathlib
import sys

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import cpu_training  # noqa: E402
from scene_crops import command_line, parse_models  # noqa: E402

WEAK_SPLIT = cpu_training.WEAK_SPLIT
SWAP = "swap"  # L and R exchanged: the renderer's PSFs of the other side of focus (psf.dp_kernels)
VARIANTS = {
    "as validated (88% behind focus, split 0.10-0.25)": {},
    "L and R swapped (same blur, other side of focus)": {SWAP: True},
    f"weak split ({WEAK_SPLIT[0]:.2f}-{WEAK_SPLIT[1]:.2f})": {"disparity_to_blur": WEAK_SPLIT},
    "weak split, L and R swapped": {"disparity_to_blur": WEAK_SPLIT, SWAP: True},
    "refocused on the farthest surface (defocus in front)": {"front_focus_share": 1.0},
}


def scenes_of(variant: dict) -> list:
    kwargs = {k: v for k, v in variant.items() if k != SWAP}
    scenes = cpu_training.synthetic_test_set(**kwargs)
    return [(r, l, c, t) for l, r, c, t in scenes] if variant.get(SWAP) else scenes


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--models", nargs="+", required=True, metavar="LABEL=MODEL_SPEC")
    parser.add_argument("--name", default="focus_side", help="results/NAME.*")
    parser.add_argument("--threads", type=int, default=None)
    parser.add_argument("--keep-others", action="store_true",
                        help="score only --models and keep the other rows of results/NAME.json, "
                             "less any row whose model spec is scored here under another label")
    args = parser.parse_args(argv)
    models = parse_models(args.models)
    cpu_training.limit_threads(args.threads)
    from keras_mccnet.model_spec import load_model

    sets = {name: scenes_of(variant) for name, variant in VARIANTS.items()}
    baseline = {name: cpu_training.input_baseline(scenes, [])["synthetic_psnr"]
                for name, scenes in sets.items()}
    rows = {}
    for label, spec in models.items():
        model = load_model(spec)[0]
        rows[label] = {name: cpu_training.evaluate(model, scenes, [])["synthetic_psnr"]
                       for name, scenes in sets.items()}
    result = {"command": command_line("focus_side.py", argv), "variants": VARIANTS,
              "models": models, "input_psnr": baseline, "psnr": rows,
              "gain_db": {label: {name: psnr - baseline[name] for name, psnr in row.items()}
                          for label, row in rows.items()}}
    if args.keep_others:
        committed = json.loads((cpu_training.RESULTS / f"{args.name}.json").read_text())
        result = with_committed_rows(result, committed)
    cpu_training.publish(args.name, result, table(result))
    return 0


def with_committed_rows(result: dict, committed: dict) -> dict:
    """`result` (some models scored) merged into the committed results of the same scenes: the
    committed rows stay, except those whose spec was scored again under another label."""
    if committed["input_psnr"].keys() != result["input_psnr"].keys():
        raise SystemExit("--keep-others: the committed results have other scene sets "
                         f"({list(committed['input_psnr'])}); score every model again")
    scored = result["models"]
    stale = [label for label, spec in committed["models"].items()
             if spec in scored.values() and label not in scored]
    merged = {key: cpu_training.merge_rows(committed[key], result[key], stale)
              for key in ("models", "psnr", "gain_db")}
    kept = [label for label in merged["models"] if label not in scored]
    return {**result, **merged, "rows_kept_from": cpu_training.kept_from(committed, kept)}


def table(result: dict) -> str:
    names = list(result["input_psnr"])
    lines = ["The 24 synthetic validation scenes, and the same scenes refocused or with a weaker "
             "DP split; PSNR (gain over the input C), dB.", "",
             "| model | " + " | ".join(names) + " |", "|---|" + "---:|" * len(names),
             "| input C | " + " | ".join(f"{result['input_psnr'][n]:.2f}" for n in names) + " |"]
    for label, row in result["psnr"].items():
        gains = result["gain_db"][label]
        lines.append(f"| `{label}` | " + " | ".join(f"{row[n]:.2f} ({gains[n]:+.2f})"
                                                  for n in names) + " |")
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())
