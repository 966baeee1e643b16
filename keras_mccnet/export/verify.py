"""Parity of exported models with the Keras model: max abs difference and PSNR, plus op checks.

For every model file (with its metadata JSON) in an export folder, on the same tiles:

* `max_abs_diff`: largest |exported - Keras| over all pixels (raw, unclamped outputs);
* `psnr_vs_keras`: PSNR of the exported output against the Keras output (both clamped);
* `psnr_keras`, `psnr_export`: PSNR of each against the sharp target, and
  `psnr_drop = psnr_keras - psnr_export` (what quantisation costs in the paper's metric);
* TFLite only: `builtin_only` (no Flex/custom op) and the per-op GPU-delegate compatibility.

Tile sets: synthetic DP scenes (always) and crops of real DPDD scenes when a folder is given
(../shared/realdp/dpdd_gif4 by default when present). Usage:

    python -m export.verify --model runs/x --dir exported/ [--data ../shared/realdp/dpdd_gif4]
"""

from __future__ import annotations

import argparse
import glob
import os

import numpy as np

from keras_mccnet import io_spec
from keras_mccnet.export.metadata import metadata_path
from keras_mccnet.training.protocol import psnr

# Bars of the export issue: largest allowed PSNR drop (dB) per quantisation mode.
PSNR_DROP_BOUNDS = {"fp32": 0.01, "fp16": 0.05, "dynamic": 0.3, "int8": 0.5}


def tile_sets(tile: int, n_synthetic: int = 8, data=None, seed: int = 0, per_image: int = 2):
    """{"synthetic": [(L, R, T), ...], "realdp": [...]} (realdp only when `data` is given)."""
    from keras_mccnet.export.samples import real_tiles, synthetic_tiles

    sets = {"synthetic": list(synthetic_tiles(n_synthetic, tile, seed=seed + 1000))}
    if data:
        sets["realdp"] = list(real_tiles(data, tile, per_image=per_image, seed=seed))
    return sets


def keras_outputs(model, tiles, batch: int = 4) -> np.ndarray:
    """Raw Keras outputs (N, H, W, 3) of the tiles."""
    out = []
    for i in range(0, len(tiles), batch):
        chunk = tiles[i:i + batch]
        views = {"left": np.stack([t[0] for t in chunk]), "right": np.stack([t[1] for t in chunk])}
        result = model(views, training=False)
        if isinstance(result, dict):  # the defocus head's second output is not an image
            result = result[io_spec.OUTPUT_NAME]
        out.append(np.asarray(result))
    return np.concatenate(out)


def parity(exported, tiles, reference: np.ndarray) -> dict:
    """Parity numbers of one exported model (`runtime.ExportedModel`) on one tile set."""
    got = np.concatenate([exported.run_batch(l[None], r[None]) for l, r, _ in tiles])
    clamp = lambda x: np.clip(x, 0.0, 1.0)  # noqa: E731
    p_keras = [psnr(clamp(k), t[2]) for k, t in zip(reference, tiles)]
    p_export = [psnr(clamp(g), t[2]) for g, t in zip(got, tiles)]
    p_vs = [psnr(clamp(g), clamp(k)) for g, k in zip(got, reference)]
    return {
        "tiles": len(tiles),
        "max_abs_diff": float(np.max(np.abs(got - reference))),
        "psnr_vs_keras": float(np.mean(p_vs)),
        "psnr_keras": float(np.mean(p_keras)),
        "psnr_export": float(np.mean(p_export)),
        "psnr_drop": float(np.mean(p_keras) - np.mean(p_export)),
    }


def op_checks(path: str) -> dict:
    """Builtin-only and GPU-delegate compatibility of a .tflite file."""
    from keras_mccnet.export.analyze import gpu_compatibility
    from keras_mccnet.export.tflite import non_builtin_ops

    with open(path, "rb") as f:
        flatbuffer = f.read()
    gpu = gpu_compatibility(flatbuffer)
    bad = non_builtin_ops(flatbuffer)
    return {"builtin_only": not bad, "non_builtin_ops": bad,
            "gpu_compatible": gpu["gpu_compatible"], "gpu_incompatible_ops": gpu["incompatible"],
            "op_counts": gpu["op_counts"]}


def weights_origin(meta_weights: dict | None, source: dict | None):
    """(match, detail): whether the export's recorded weights (its metadata's `weights`) are
    those of the reference model described by `source` (`keras_mccnet.model_spec.load_model`),
    compared by the SHA-256 of the weight values; match is None when either side lacks it."""
    recorded = (meta_weights or {}).get("weights_sha256")
    reference = (source or {}).get("weights_sha256")
    if not recorded or not reference:
        return None, "weights origin not recorded"
    exported_from = (meta_weights.get("description") or meta_weights.get("path")
                     or meta_weights.get("preset"))
    detail = (f"exported from {exported_from} (weights {recorded[:12]}), verified against "
              f"{source.get('description', '?')} (weights {reference[:12]})")
    return recorded == reference, detail


def verify_file(path, model, sets: dict, references: dict, source: dict | None = None) -> dict:
    """The full report of one exported model file."""
    from keras_mccnet.export.runtime import ExportedModel

    exported = ExportedModel(path)
    meta = exported.metadata
    report = {"file": os.path.basename(path), "quant_mode": meta["quant_mode"],
              "runtime": meta.get("runtime", "tflite"), "size_bytes": os.path.getsize(path)}
    report["weights_match"], report["weights_origin"] = weights_origin(meta.get("weights"),
                                                                       source)
    for name, tiles in sets.items():
        report[name] = parity(exported, tiles, references[name])
    if path.endswith(".tflite"):
        report.update(op_checks(path))
    bound = PSNR_DROP_BOUNDS[meta["quant_mode"]]
    report["psnr_drop_bound"] = bound
    report["within_bound"] = all(report[n]["psnr_drop"] <= bound for n in sets)
    report["passed"] = report["within_bound"] and report["weights_match"] is not False
    return report


def model_files(folder) -> list[str]:
    """Exported model files (with a metadata JSON beside them) in `folder`, sorted."""
    files = sorted(glob.glob(os.path.join(os.fspath(folder), "*.tflite")) +
                   glob.glob(os.path.join(os.fspath(folder), "*.onnx")))
    return [f for f in files if os.path.isfile(metadata_path(f))]


def verify_folder(folder, model, tile: int, n_synthetic: int = 8, data=None,
                  source: dict | None = None) -> list[dict]:
    """Reports of every exported model in `folder` against the Keras `model` (whose origin
    `source` is checked against each export's recorded weights when given)."""
    files = model_files(folder)
    if not files:
        raise FileNotFoundError(f"{folder}: no exported models (.tflite/.onnx with .json)")
    sets = tile_sets(tile, n_synthetic, data)
    references = {name: keras_outputs(model, tiles) for name, tiles in sets.items()}
    return [verify_file(f, model, sets, references, source) for f in files]


def format_reports(reports: list[dict]) -> str:
    """A plain-text table of verification reports, with each variant's PSNR-drop bound and its
    verdict (pass / FAIL)."""
    sets = [k for k in ("synthetic", "realdp") if k in reports[0]]
    head = f"{'file':<32} {'size':>9}" + "".join(
        f" {s + ' maxdiff':>17} {s + ' drop dB':>17}" for s in sets) + \
        f" {'bound dB':>9}  builtin  gpu    verdict"
    lines = [head]
    for r in reports:
        row = f"{r['file']:<32} {r['size_bytes'] / 2**20:>7.2f}MB"
        for s in sets:
            row += f" {r[s]['max_abs_diff']:>17.2e} {r[s]['psnr_drop']:>17.4f}"
        row += (f" {r['psnr_drop_bound']:>9.2f}  {str(r.get('builtin_only', '-')):>7}  "
                f"{str(r.get('gpu_compatible', '-')):<5}  {'pass' if r['passed'] else 'FAIL'}")
        lines.append(row)
    return "\n".join(lines)


def explain_failures(reports: list[dict]) -> list[str]:
    """One line per reason a variant failed (empty when all passed): the PSNR drop above its
    bound on which tile set, or weights that are not the ones the export was made from."""
    reasons = []
    for r in reports:
        if r.get("weights_match") is False:
            reasons.append(f"{r['file']}: verified against a DIFFERENT model than it was exported "
                           f"from: {r['weights_origin']}; pass the export's own model as --model")
        for name in ("synthetic", "realdp"):
            if name in r and r[name]["psnr_drop"] > r["psnr_drop_bound"]:
                reasons.append(f"{r['file']}: PSNR drop {r[name]['psnr_drop']:.3f} dB on the "
                               f"{name} tiles exceeds the {r['quant_mode']} bound of "
                               f"{r['psnr_drop_bound']} dB (max abs diff "
                               f"{r[name]['max_abs_diff']:.2e})")
    return reasons


def add_arguments(parser):
    parser.add_argument("--model", required=True, metavar="SPEC",
                        help="Keras reference, the model the export was made from: training run "
                             "folder, .keras file or PRESET[:WEIGHTS]")
    parser.add_argument("--dir", required=True, help="folder written by `mccnet export`")
    parser.add_argument("--data", default="auto",
                        help="real DP folder (L/ R/ GT/ or DPDD); 'auto' = ../shared/realdp/"
                             "dpdd_gif4 when present; 'none' to skip")
    parser.add_argument("--synthetic", type=int, default=8, help="synthetic tiles (default 8)")
    parser.add_argument("--json", help="also write the reports to this JSON file")


def resolve_data(data):
    from keras_mccnet import shared_data

    if data in (None, "none", ""):
        return None
    if data == "auto":
        return shared_data.realdp_dir()
    if not os.path.isdir(data):
        raise FileNotFoundError(f"{data}: real DP data folder not found")
    return data


def run(args) -> int:
    import sys

    from keras_mccnet.export.loading import ModelSourceError, load_model

    files = model_files(args.dir)
    if not files:
        raise SystemExit(f"export.verify: {args.dir}: no exported models (.tflite/.onnx with "
                         f"metadata JSON)")
    from keras_mccnet.export.metadata import read_metadata

    meta = read_metadata(files[0])
    try:
        data = resolve_data(args.data)
        # an export with the defocus output was made from the model with its head: compare
        # against the same weights (shipped weights: with their shipped head)
        model, source = load_model(args.model, defocus="defocus" in meta)
    except (ModelSourceError, FileNotFoundError) as e:
        raise SystemExit(f"export.verify: {e}") from None
    tile = int(meta["tile"]["size"])
    reports = verify_folder(args.dir, model, tile, args.synthetic, data, source=source)
    print(format_reports(reports))
    if args.json:
        from keras_mccnet.export.metadata import write_metadata

        write_metadata(args.json, {"reports": reports})  # atomic JSON write
    failures = explain_failures(reports)
    if failures:
        print(f"export.verify: {len(failures)} failure(s), exit 1:\n" + "\n".join(failures),
              file=sys.stderr)
        return 1
    print(f"export.verify: all {len(reports)} variants within their PSNR-drop bounds")
    return 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m export.verify", description=__doc__)
    add_arguments(parser)
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    raise SystemExit(main())

