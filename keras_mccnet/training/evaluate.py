"""`mccnet eval`: score a model on DP scenes with the DPDD protocol (training/protocol.py).

Full-resolution tiled inference (no crop), output clamped to [0, 1], PSNR / SSIM / MAE / LPIPS
per image, averaged over indoor / outdoor / all; `--baseline input` scores the input C itself
beside the model (the layout's combined image C where it has one, as DPDD's `_c/source` and
realdp's `C/`, else (L + R) / 2).

Writes into --out (new or empty; `--overwrite` replaces an earlier eval there, so the files of
two runs never mix): per_image.csv, summary.json, table.md and sheets/<scene>.png (input,
output, target, error map); prints the table.

A model with the defocus head (`--defocus`, or a model built with defocus_head=True) is also
scored on its `defocus` output where the data knows the truth (synthetic scenes: the blur map
`{split}_c/blur/` times the scene's disparity-to-blur ratio from `{split}_params.json`): the
mean absolute error in px (`defocus_mae_px`), and the sheets show the predicted and true maps.

Examples:
    mccnet eval --model runs/dpdd --data /data/dd_dp_dataset_png --split test --out runs/eval
    mccnet eval --model runs/smoke --data ../shared/realdp/dpdd_gif4 --score-rows-from 56 \
        --baseline input --out runs/eval_realdp
"""

from __future__ import annotations

import argparse
import csv
import os
import sys

from keras_mccnet import io_spec
from keras_mccnet.atomic_write import atomic_path, atomic_write, atomic_write_json


def add_arguments(parser):
    parser.add_argument("--data", required=True,
                        help="dataset folder: DPDD (DPDNet layout), Restormer or plain L/R/GT")
    parser.add_argument("--split", default=None, choices=("train", "val", "test"),
                        help="split of a split dataset (default: test); a flat folder (L/ R/ GT/) "
                             "has none and is scored whole")
    parser.add_argument("--model", metavar="SPEC",
                        help="training run folder (its model.keras), .keras file, or "
                             "PRESET[:WEIGHTS] (e.g. mccnet_tiny:synthetic, the shipped weights)")
    parser.add_argument("--baseline", action="append", choices=("input",), default=[],
                        help="also score the input C itself ('input')")
    parser.add_argument("--score-rows-from", type=int, default=None, metavar="N",
                        help="score rows >= N only (default: the data's manifest.json value, "
                             "else 0); 56 for ../shared/realdp")
    parser.add_argument("--tile", type=int, default=io_spec.DEFAULT_TILE,
                        help="inference tile side (0 = whole image in one pass)")
    parser.add_argument("--overlap", type=int, default=io_spec.DEFAULT_OVERLAP)
    parser.add_argument("--out", default="runs/eval", help="output folder (new or empty)")
    parser.add_argument("--overwrite", action="store_true",
                        help="replace the contents of an earlier eval in --out")
    parser.add_argument("--sheets", type=int, default=-1,
                        help="comparison sheets to write (-1 = all, 0 = none)")
    parser.add_argument("--limit", type=int, default=0, help="score only the first N scenes")
    parser.add_argument("--defocus", action="store_true",
                        help="score the defocus map too: PRESET[:WEIGHTS] loads the shipped "
                             "defocus head with the weights; a saved model must have the head")
    parser.add_argument("--ensemble", action="store_true",
                        help="score the model's mean over four DP-consistent flips "
                             "(keras_mccnet.self_ensemble): 4x the time")
    parser.add_argument("--dp-axis", choices=("horizontal", "vertical", "auto"),
                        default="horizontal",
                        help="the sensor's DP split (keras_mccnet.dp_axis): 'horizontal' (the "
                             "recorded orientation, DPDD's), 'vertical' (run every scene "
                             "transposed) or 'auto' (measured per scene, in per_image.csv)")
    parser.add_argument("--split-gain", type=float, default=1.0, metavar="K",
                        help="the camera's DP split gain (keras_mccnet.dp_split): score a few "
                             "values on scenes with a reference to calibrate a camera")


def scene_input(scene, left, right):
    """The input C of the protocol: the layout's combined image when it has one, else (L+R)/2."""
    from keras_mccnet.data.image_io import read_image

    if scene.center:
        return read_image(scene.center)
    return 0.5 * (left + right)


def default_split(data, split=None):
    """`split`, or "test" for a split dataset and None (all scenes) for a flat folder."""
    from keras_mccnet.data.dpdd import dataset_splits

    if split is not None:
        return split
    return "test" if dataset_splits(data) else None


def defocus_truth(data, split, scene):
    """The known signed disparity (HxW px) of a synthetic scene written by `mccnet synth`:
    its blur map times its disparity-to-blur ratio; None for data without them."""
    import json

    from keras_mccnet.data import signed_map

    if split is None:  # a flat folder: not written by `mccnet synth`
        return None
    blur = os.path.join(os.fspath(data), f"{split}_c", "blur", f"{scene.name}.png")
    params = os.path.join(os.fspath(data), f"{split}_params.json")
    if not (os.path.isfile(blur) and os.path.isfile(params)):
        return None
    with open(params) as f:
        ratio = json.load(f)["scenes"].get(scene.name, {}).get("disparity_to_blur")
    return None if ratio is None else signed_map.read(blur) * float(ratio)


def evaluate(data, split=None, model=None, baseline_input=False, score_rows_from=None,
             tile=io_spec.DEFAULT_TILE, overlap=io_spec.DEFAULT_OVERLAP, out_dir=None,
             sheets=-1, limit=0, progress=True, overwrite=False, ensemble=False,
             dp_axis="horizontal", split_gain=1.0) -> dict:
    """Score `model` (and/or the input C) on the scenes of `data` (its `split`; default
    `default_split`) with the DP split `dp_axis` (keras_mccnet.dp_axis; "horizontal" = as
    recorded); returns the summary dict ({"methods": {...}, "rows": [...], "table": str,
    ...}) and, when out_dir, writes the files into it (`keras_mccnet.output_dir` rules: new or
    empty, or an earlier mccnet output replaced when `overwrite`)."""
    from keras_mccnet.data.dpdd import find_scenes
    from keras_mccnet.data.image_io import read_image, write_image
    from keras_mccnet.defocus import has_defocus
    from keras_mccnet.dp_axis import check_dp_axis, resolve_dp_axis
    from keras_mccnet.dp_split import check_split_gain
    from keras_mccnet.output_dir import check_output_dir, prepare_output_dir
    from keras_mccnet.predict import predict_views
    from keras_mccnet.training import protocol
    from keras_mccnet.training.comparison_sheet import defocus_panels, scene_sheet

    import numpy as np

    if model is None and not baseline_input:
        raise ValueError("nothing to score: give a model and/or --baseline input")
    check_dp_axis(dp_axis)
    check_split_gain(split_gain)
    if out_dir:
        check_output_dir(out_dir, overwrite)
    split = default_split(data, split)
    scenes = find_scenes(data, split)
    if out_dir:
        prepare_output_dir(out_dir, overwrite, "mccnet eval")
    if limit:
        scenes = scenes[:limit]
    kinds = protocol.scene_kinds(data, [s.name for s in scenes])
    if score_rows_from is None:
        score_rows_from = protocol.manifest_rows_from(data) or 0
    lpips_fn = protocol.LPIPSAlex()
    method = getattr(model, "name", "model") if model is not None else None
    defocus = model is not None and has_defocus(model)
    rows = []
    bar = None
    if progress:
        from tqdm import tqdm

        bar = tqdm(total=len(scenes), desc="eval", unit="scene")
    for index, (scene, kind) in enumerate(zip(scenes, kinds)):
        left, right, target = (read_image(p) for p in (scene.left, scene.right, scene.target))
        if not left.shape == right.shape == target.shape:
            raise ValueError(f"scene {scene.name}: L/R/GT sizes differ: {left.shape}, "
                             f"{right.shape}, {target.shape}")
        center = scene_input(scene, left, right)
        output = disparity = truth = None
        if model is not None:
            axis = resolve_dp_axis(dp_axis, left, right).axis
            output = predict_views(model, left, right, tile, overlap, defocus=defocus,
                                   ensemble=ensemble, dp_axis=axis, split_gain=split_gain)
            row = {"method": method, "scene": scene.name, "kind": kind}
            if dp_axis != "horizontal":
                row["dp_axis"] = axis
            if defocus:
                output, disparity = output
                truth = defocus_truth(data, split, scene)
                row["defocus_mae_px"] = None if truth is None else float(
                    np.mean(np.abs(disparity - truth)[score_rows_from:]))
            rows.append({**row, **protocol.score(target, output, lpips_fn, score_rows_from)})
        if baseline_input:
            rows.append({"method": "input C", "scene": scene.name, "kind": kind,
                         **protocol.score(target, np.clip(center, 0, 1), lpips_fn,
                                          score_rows_from)})
        if out_dir and (sheets < 0 or index < sheets):
            shown = output if output is not None else center
            write_image(os.path.join(out_dir, "sheets", f"{scene.name}.png"),
                        scene_sheet(center, shown, target, method or "input C",
                                    defocus_panels(disparity, truth)), bits=8)
        if bar is not None:
            bar.update(1)
    if bar is not None:
        bar.close()
    summary = protocol.summarise(rows)
    table = protocol.format_table(summary, lpips_fn.reason)
    errors = [r["defocus_mae_px"] for r in rows if r.get("defocus_mae_px") is not None]
    defocus_summary = None
    if defocus:
        defocus_summary = {"scenes_with_truth": len(errors),
                           "mae_px": float(np.mean(errors)) if errors else None}
        table += ("\n\nDefocus map (" + method + "): " + (
            f"MAE {defocus_summary['mae_px']:.3f} px over {len(errors)} scenes with known "
            "disparity" if errors else "no scene with known disparity (synthetic data only)"))
    result = {"data": os.fspath(data), "split": split, "scenes": len(scenes),
              "score_rows_from": score_rows_from, "tile": tile, "overlap": overlap,
              "ensemble": ensemble, "dp_axis": dp_axis, "split_gain": split_gain,
              "lpips": "available" if lpips_fn.available else f"unavailable: {lpips_fn.reason}",
              "protocol": "Restormer DP test script: float32 [0,1], clamped, no requantisation; "
                          "PSNR 10log10(1/MSE); skimage SSIM data_range=1 channel_axis=-1; MAE",
              "methods": summary, "defocus": defocus_summary, "rows": rows, "table": table}
    if out_dir:
        _write_outputs(out_dir, result)
    return result


def _write_outputs(out_dir, result):
    os.makedirs(out_dir, exist_ok=True)
    fields = ["method", "scene", "kind", "psnr", "ssim", "mae", "lpips"]
    fields += [extra for extra in ("defocus_mae_px", "dp_axis")
               if any(extra in row for row in result["rows"])]
    with atomic_path(os.path.join(out_dir, "per_image.csv")) as tmp, \
            open(tmp, "w", newline="") as f:
        writer = csv.DictWriter(f, fields)
        writer.writeheader()
        for row in result["rows"]:
            writer.writerow({k: ("unavailable" if v is None else v) for k, v in row.items()})
    atomic_write_json(os.path.join(out_dir, "summary.json"),
                      {k: v for k, v in result.items() if k not in ("rows", "table")})
    atomic_write(os.path.join(out_dir, "table.md"), result["table"] + "\n")


def check_arguments(args) -> int:
    """The argument checks (no Keras, nothing written): 0, or 2 with a message naming the
    bad argument."""
    from keras_mccnet.data.dpdd import DatasetLayoutError, find_scenes
    from keras_mccnet.data.image_io import ImageReadError
    from keras_mccnet.dp_split import check_split_gain
    from keras_mccnet.output_dir import check_output_dir

    try:
        if not args.model and "input" not in args.baseline:
            raise ValueError("nothing to score: give --model and/or --baseline input")
        if args.defocus and not args.model:
            raise ValueError("--defocus scores a model's defocus map: give --model too")
        check_output_dir(args.out, args.overwrite)
        check_split_gain(args.split_gain)
        find_scenes(args.data, default_split(args.data, args.split))
    except (ValueError, DatasetLayoutError, ImageReadError) as e:
        print(f"mccnet eval: {e}", file=sys.stderr)
        return 2
    return 0


def run(args) -> int:
    from keras_mccnet.data.dpdd import DatasetLayoutError
    from keras_mccnet.data.image_io import ImageReadError
    from keras_mccnet.model_spec import load_model

    code = check_arguments(args)  # also when called as a library entry point (main)
    if code:
        return code
    try:
        model = None
        if args.model:
            model, source = load_model(args.model, defocus=args.defocus)
            print(f"mccnet eval: model: {source['description']}", file=sys.stderr)
        result = evaluate(args.data, args.split, model, "input" in args.baseline,
                          args.score_rows_from, args.tile, args.overlap, args.out, args.sheets,
                          args.limit, overwrite=args.overwrite, ensemble=args.ensemble,
                          dp_axis=args.dp_axis, split_gain=args.split_gain)
    except (ValueError, FileNotFoundError, DatasetLayoutError, ImageReadError) as e:
        print(f"mccnet eval: {e}", file=sys.stderr)
        return 2
    gain = result["split_gain"]
    print(f"\n{result['scenes']} scenes from {result['data']} (rows >= "
          f"{result['score_rows_from']}), tile {result['tile']} overlap {result['overlap']}"
          f"{', self-ensemble x4' if result['ensemble'] else ''}"
          f"{'' if result['dp_axis'] == 'horizontal' else ', DP axis ' + result['dp_axis']}"
          f"{'' if gain == 1.0 else f', split gain {gain:g}'}")
    print(result["table"])
    print(f"\nwritten: {args.out}/per_image.csv, summary.json, table.md, sheets/")
    return 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="mccnet eval", description=__doc__.splitlines()[0])
    add_arguments(parser)
    return run(parser.parse_args(argv))

