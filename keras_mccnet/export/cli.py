"""`mccnet export`: TFLite variants and ONNX of a model, each with its metadata JSON.

    mccnet export --model mccnet_tiny:synthetic --out exported/ --tile 512 --quant fp32,fp16,int8
    mccnet export --model runs/dpdd --out exported/ --data /data/dpdd --verify
    mccnet export --model mccnet_tiny:synthetic --defocus --out exported/  # + defocus head

Every argument (model, data, output folder) is checked before anything is written; the output
folder must be new or empty (`--overwrite` replaces an earlier export there).

A model with the defocus head (keras_mccnet.defocus) exports a second named output `defocus`
(1, tile, tile, 1): the signed defocus disparity in input px, > 0 behind the focal plane; the
metadata lists it under "outputs" and describes it under "defocus".
"""

from __future__ import annotations

import argparse
import itertools
import os
import sys

from keras_mccnet import io_spec

from keras_mccnet.export.int8_float import DEFAULT_GROUPS, GROUPS
from keras_mccnet.export.metadata import DEFAULT_CALIBRATION_TILES, QUANT_MODES


def add_arguments(parser):
    parser.add_argument("--model", required=True, metavar="SPEC",
                        help="a `mccnet train` run folder (its model.keras), a .keras file, or "
                             "PRESET[:WEIGHTS]: e.g. mccnet_tiny:synthetic (shipped weights; a "
                             "plain preset uses its shipped weights, else RANDOM ones, with a "
                             "warning)")
    parser.add_argument("--out", required=True, help="output folder (new or empty)")
    parser.add_argument("--overwrite", action="store_true",
                        help="replace the contents of an earlier export in --out")
    parser.add_argument("--tile", type=int, default=io_spec.DEFAULT_TILE,
                        help=f"fixed tile side of the exported models (default "
                             f"{io_spec.DEFAULT_TILE})")
    parser.add_argument("--overlap", type=int, default=io_spec.DEFAULT_OVERLAP,
                        help=f"tile overlap written to the metadata (default "
                             f"{io_spec.DEFAULT_OVERLAP})")
    parser.add_argument("--quant", default=",".join(QUANT_MODES),
                        help=f"comma-separated TFLite modes (default {','.join(QUANT_MODES)})")
    parser.add_argument("--dynamic", action="store_true",
                        help="any-size models (<name>_<mode>_anysize.tflite, <name>_anysize.onnx) "
                             "instead of fixed tiles; --tile is then only the recommended "
                             "tiling. Fixed tiles suit the GPU delegate and NNAPI best")
    parser.add_argument("--no-onnx", action="store_true", help="skip the ONNX export")
    parser.add_argument("--name", help="file name stem (default: the model's name)")
    parser.add_argument("--data", default=None,
                        help="DPDD-layout folder: int8 calibration on its train (else val) split, "
                             "never test; --verify scores its test split (default: synthetic "
                             "calibration scenes)")
    parser.add_argument("--calibration", type=int, default=DEFAULT_CALIBRATION_TILES,
                        help=f"int8 calibration tiles (default {DEFAULT_CALIBRATION_TILES})")
    parser.add_argument("--int8-float", default=",".join(DEFAULT_GROUPS), metavar="GROUPS",
                        help=f"op groups the int8 model keeps in float, among {GROUPS} or "
                             f"'none' (full int8). Default {','.join(DEFAULT_GROUPS)}: the cost "
                             f"volume's L2 normalisation, which int8 gets wrong for features of "
                             f"small norm, the final ADD (C + residual) and its two operands, "
                             f"and the full-resolution decoder's last block and skip merge; "
                             f"benchmarks/int8_quality.py measures each choice")
    parser.add_argument("--int8-float-ops", default="",
                        help="comma-separated TFLite ops kept in float in the int8 model "
                             "(e.g. MEAN,RSQRT: the cost volume's reductions and normalisation)")
    parser.add_argument("--defocus", action="store_true",
                        help="with a preset name: export its shipped weights with their shipped "
                             "defocus head (second output `defocus`); a .keras model with the "
                             "head exports it anyway")
    parser.add_argument("--verify", action="store_true",
                        help="after export, report parity with Keras and op compatibility")


def parse_modes(text: str) -> list[str]:
    modes = [m.strip() for m in text.split(",") if m.strip()]
    bad = [m for m in modes if m not in QUANT_MODES]
    if bad or not modes:
        raise SystemExit(f"mccnet export: --quant must list modes of {QUANT_MODES}, got {text!r}")
    return modes


class CalibrationTiles:
    """Re-iterable calibration tiles: synthetic scenes, or crops of DPDD when `data` is given."""

    def __init__(self, tile: int, count: int, data=None):
        self.tile, self.count, self.data = tile, count, data
        self._cache = None

    def __iter__(self):
        if self._cache is None:
            from keras_mccnet.export.samples import CALIBRATION_SPLITS, real_tiles, synthetic_tiles

            if self.data:
                source = real_tiles(self.data, self.tile, per_image=4, seed=1,
                                    splits=CALIBRATION_SPLITS)
            else:
                source = synthetic_tiles(self.count, self.tile, seed=0)
            self._cache = list(itertools.islice(source, self.count))
        return iter(self._cache)


def parse_float_groups(text: str) -> tuple[str, ...]:
    groups = tuple(g.strip() for g in text.split(",") if g.strip())
    if groups == ("none",):
        return ()
    bad = [g for g in groups if g not in GROUPS]
    if bad or not groups:
        raise SystemExit(f"mccnet export: --int8-float must list groups of {GROUPS} or be "
                         f"'none', got {text!r}")
    return groups


def check_arguments(args) -> list[str]:
    """Every check that needs no model, before anything is loaded or written; returns the
    quantisation modes. Raises SystemExit naming the bad argument."""
    from keras_mccnet.output_dir import OutputDirError, check_output_dir

    modes = parse_modes(args.quant)
    parse_float_groups(args.int8_float)
    if args.tile < 8:
        raise SystemExit(f"mccnet export: --tile must be >= 8, got {args.tile}")
    if not 0 <= args.overlap < args.tile:
        raise SystemExit(f"mccnet export: --overlap must be in [0, tile), got {args.overlap}")
    if args.data:
        if not os.path.isdir(args.data):
            raise SystemExit(f"mccnet export: --data {args.data}: folder not found")
        from keras_mccnet.export.samples import CALIBRATION_SPLITS, scene_split

        try:
            if "int8" in modes:
                scene_split(args.data, CALIBRATION_SPLITS)
            if args.verify:
                scene_split(args.data, ("test",))  # what --verify scores
        except ValueError as e:
            raise SystemExit(f"mccnet export: --data {e}") from None
    try:
        check_output_dir(args.out, args.overwrite)
    except OutputDirError as e:
        raise SystemExit(f"mccnet export: {e}") from None
    return modes


def run(args) -> int:
    from keras_mccnet.export.loading import ModelSourceError, load_model
    from keras_mccnet.output_dir import prepare_output_dir

    modes = check_arguments(args)
    try:
        model, source = load_model(args.model, defocus=args.defocus)
    except (ModelSourceError, ValueError) as e:
        raise SystemExit(f"mccnet export: {e}") from None
    if model.stride > args.tile or args.tile % model.stride:
        raise SystemExit(f"mccnet export: --tile {args.tile} must be a multiple of the model "
                         f"stride {model.stride}")
    if source["random_init"]:
        print(f"WARNING: {args.model}: exporting RANDOMLY INITIALISED weights (untrained: no "
              f"shipped weights for this preset). Pass a training run folder, a .keras file or "
              f"PRESET:WEIGHTS for a real model.", file=sys.stderr)
    else:
        print(f"mccnet export: model: {source['description']}", file=sys.stderr)
    name = args.name or model.name
    float_ops = [o.strip() for o in args.int8_float_ops.split(",") if o.strip()]
    samples = CalibrationTiles(args.tile, args.calibration, args.data)
    calibration = {"source": args.data or "synthetic", "tiles": args.calibration}
    if args.data and "int8" in modes:
        from keras_mccnet.export.samples import CALIBRATION_SPLITS, scene_split

        calibration["split"] = scene_split(args.data, CALIBRATION_SPLITS)
    extra = {"weights": source, "calibration": calibration}
    prepare_output_dir(args.out, args.overwrite, "mccnet export")
    from keras_mccnet.defocus import has_defocus, output_description

    defocus = {"defocus": output_description()} if has_defocus(model) else {}
    extra.update(defocus)

    from tqdm import tqdm

    from keras_mccnet.export.tflite import export_tflite

    written = []
    bar = tqdm(total=len(modes) + (0 if args.no_onnx else 1), desc="export", unit="model")
    for path, _ in export_tflite(model, args.out, name, modes, args.tile, args.overlap,
                                 samples, float_ops=float_ops,
                                 float_groups=parse_float_groups(args.int8_float),
                                 dynamic=args.dynamic,
                                 **extra):
        written.append(path)
        bar.update(1)
    if not args.no_onnx:
        from keras_mccnet.export.onnx import export_onnx

        path, _ = export_onnx(model, args.out, name, args.tile, args.overlap,
                              dynamic=args.dynamic, weights=source, **defocus)
        written.append(path)
        bar.update(1)
    bar.close()
    for path in written:
        print(f"{path}  ({os.path.getsize(path) / 2**20:.2f} MiB, metadata beside it)")
    if args.verify:
        from keras_mccnet.export.verify import explain_failures, format_reports, resolve_data, verify_folder

        reports = verify_folder(args.out, model, args.tile, data=resolve_data(args.data or "auto"),
                                source=source)
        print(format_reports(reports))
        failures = explain_failures(reports)
        if failures:
            print("mccnet export --verify FAILED:\n" + "\n".join(failures), file=sys.stderr)
            return 1
    return 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="mccnet export", description=__doc__)
    add_arguments(parser)
    return run(parser.parse_args(argv))

