"""`mccnet demo --out DIR`: the README's main job, end to end, on the embedded default.

1. render a small synthetic DP test set (DPDD layout) into DIR/data;
2. get a model: shipped mccnet_tiny weights when the package has them, else train mccnet_tiny
   briefly with the `synthetic_smoke` config into DIR/run (resumable; reused when finished);
3. score it with the DPDD protocol on the held-out synthetic scenes and, when ../shared/realdp is
   present, on its real scenes (rows >= 56), each beside the input C (`--baseline input`);
4. deblur an example DP pair into DIR/deblurred_example.png, and when a defocus head is shipped
   for the weights, write its defocus map (DIR/defocus_example.png and _preview.png);
5. write DIR/report.md: tables (with the defocus map's MAE on the synthetic scenes), training
   curve, comparison pictures, the defocus map, wall times.

Example:
    mccnet demo --out runs/demo
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import time

from keras_mccnet.atomic_write import atomic_write, atomic_write_json
from keras_mccnet import shared_data
from keras_mccnet.training.config import CONFIG_NAMES, apply_overrides, named_config


def add_arguments(parser):
    parser.add_argument("--out", default="runs/demo", help="output folder")
    parser.add_argument("--config", default="synthetic_smoke", choices=CONFIG_NAMES,
                        help="training config when no shipped weights exist")
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                        help="override a training config field")
    parser.add_argument("--test-scenes", type=int, default=6, help="synthetic test scenes")
    parser.add_argument("--size", type=int, nargs=2, default=(192, 256), metavar=("H", "W"),
                        help="synthetic test scene size")
    parser.add_argument("--realdp", default=str(shared_data.realdp_path()),
                        help="real L/R/GT folder to score on when present")


def _get_model(args, out, timings):
    from keras_mccnet.model_spec import load_model
    from keras_mccnet.pretrained import default_weights
    from keras_mccnet.training.train import train

    config = apply_overrides(named_config(args.config), args.set)
    name = default_weights(config.preset)
    if name:
        from keras_mccnet.pretrained import head_for

        defocus = head_for(config.preset, name, "defocus") is not None
        print(f"[demo] using the shipped {config.preset} weights '{name}'"
              + (" with their defocus head" if defocus else ""), flush=True)
        return load_model(f"{config.preset}:{name}", defocus=defocus)[0], {
            "source": f"shipped {config.preset} weights '{name}' (keras_mccnet/weights)"
                      + (" with their defocus head" if defocus else "")}
    run_dir = os.path.join(out, "run")
    print(f"[demo] no shipped weights for {config.preset}: training it ({args.config}) in "
          f"{run_dir}", flush=True)
    t = time.time()
    code = train(config, run_dir, verbose=2)
    timings["train"] = time.time() - t
    if code != 0:
        raise RuntimeError(f"training failed with exit code {code}; see {run_dir}")
    with open(os.path.join(run_dir, "history.json")) as f:
        history = json.load(f)
    return load_model(run_dir)[0], {"source": f"trained ({args.config})", **history}


def run(args) -> int:
    from keras_mccnet.data.dpdd import find_scenes
    from keras_mccnet.data.synthetic import write_dataset
    from keras_mccnet.defocus import has_defocus
    from keras_mccnet.training.deblur import deblur_files
    from keras_mccnet.training.evaluate import evaluate

    out = args.out
    os.makedirs(out, exist_ok=True)
    started = time.time()
    timings = {}

    t = time.time()
    data = os.path.join(out, "data")
    if not os.path.isdir(os.path.join(data, "test_c")):
        write_dataset(data, {"test": args.test_scenes}, size=tuple(args.size), seed=2026)
    timings["render"] = time.time() - t

    model, training = _get_model(args, out, timings)

    t = time.time()
    for old in ("eval_synthetic", "eval_realdp"):  # this demo's own: no sheet of a past run stays
        shutil.rmtree(os.path.join(out, old), ignore_errors=True)
    evals = {"synthetic": evaluate(data, "test", model, True, None, out_dir=os.path.join(
        out, "eval_synthetic"), sheets=3)}
    realdp = args.realdp if os.path.isdir(args.realdp) else None
    if realdp:  # a flat L/ R/ GT/ folder: all its scenes
        evals["realdp"] = evaluate(realdp, None, model, True, None,
                                   out_dir=os.path.join(out, "eval_realdp"))
    timings["eval"] = time.time() - t

    t = time.time()
    example = find_scenes(realdp)[0] if realdp else find_scenes(data, "test")[0]
    deblurred = os.path.join(out, "deblurred_example.png")
    defocus_map = os.path.join(out, "defocus_example.png") if has_defocus(model) else None
    deblur_files(model, example.left, example.right, deblurred, progress=False,
                 defocus_map=defocus_map)
    timings["deblur"] = time.time() - t
    timings["total"] = time.time() - started

    _write_report(out, training, evals, example, timings, defocus_map)
    print(f"\n[demo] done in {timings['total']:.0f} s: {os.path.join(out, 'report.md')}")
    for name, result in evals.items():
        print(f"\n{name}:\n{result['table']}")
    return 0


def _write_report(out, training, evals, example, timings, defocus_map=None):
    lines = ["# keras-mccnet demo report", ""]
    lines.append(f"Model: {training['source']}.")
    if "initial_val_loss" in training:
        lines.append(f"Validation loss (Charbonnier + MS-SSIM, held-out synthetic scenes): "
                     f"{training['initial_val_loss']:.4f} before training, "
                     f"{training['final_val_loss']:.4f} after {training['global_step']} steps. "
                     f"Curve: [run/training_curve.png](run/training_curve.png).")
    for name, result in evals.items():
        rows = result["score_rows_from"]
        lines += ["", f"## {name}: {result['scenes']} scenes from `{result['data']}`"
                  + (f" (rows >= {rows})" if rows else ""), "", result["table"], ""]
        sheet_dir = os.path.join(out, f"eval_{name}", "sheets")
        for sheet in sorted(os.listdir(sheet_dir))[:4] if os.path.isdir(sheet_dir) else []:
            lines.append(f"![{sheet}](eval_{name}/sheets/{sheet})")
    lines += ["", "## Deblurred example", "",
              f"`mccnet deblur {example.left} {example.right} -o deblurred_example.png`", "",
              "![deblurred](deblurred_example.png)", ""]
    if defocus_map:
        synthetic = evals["synthetic"].get("defocus") or {}
        mae = synthetic.get("mae_px")
        lines += ["## Defocus map", "",
                  f"`mccnet deblur ... --defocus-map defocus_example.png`: the signed defocus "
                  f"disparity read from the cost volumes (red: behind the focal plane, blue: in "
                  f"front; 16-bit map, d = (v - 32768) / 256 px)."
                  + (f" On the synthetic test scenes (known truth) its MAE is {mae:.3f} px."
                     if mae is not None else ""), "",
                  "![defocus map](defocus_example_preview.png)", ""]
    lines += ["## Wall times (s)", "",
              " | ".join(f"{k} {v:.0f}" for k, v in timings.items()), "",
              "Protocol: design.md section 3 (Restormer's DP test script); see "
              "training/protocol.py. The real scenes are 8-bit GIF frames at half DPDD "
              "resolution: not comparable with published DPDD figures."]
    atomic_write(os.path.join(out, "report.md"), "\n".join(lines) + "\n")
    atomic_write_json(os.path.join(out, "timings.json"), timings)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="mccnet demo", description=__doc__.splitlines()[0])
    add_arguments(parser)
    return run(parser.parse_args(argv))

