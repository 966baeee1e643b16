"""What each quantisation variant costs in PSNR, with trained weights, where int8 loses it, and
what each variant buys in speed.

Quality model: the shipped `mccnet_tiny` ("synthetic" weights; the only trained MCCNet). Every
variant is exported at one fixed tile (`--tile`, 256) and compared with Keras:

* synthetic validation tiles (the project's DP renderer, a seed disjoint from calibration);
* the 4 real DPDD scenes of ../shared/realdp/dpdd_gif4, whole 840x560 frames through the
  overlap-blended tiler (export vs Keras through the same tiler), scored on rows >= 56 (the
  rows above carry a burnt-in label) against the ground truth.

PSNR drop = PSNR(Keras vs target) - PSNR(export vs target).

Where the loss comes from (`diagnosis` in the JSON):
* TFLite's QuantizationDebugger on full int8: per-layer error of each int8 op against the float
  op on the same (dequantised) inputs, as RMSE / quantisation step (~0.29 is pure rounding);
  the worst layers are listed, every layer goes to int8_layers.csv;
* the drop of the Keras output alone rounded to the int8 output grid, and of Keras run on
  inputs rounded to the int8 input grid (what output / input quantisation cost by themselves);
* float fallback per op group (`keras_mccnet.export.int8_float`) and per calibration.

Int8 variants, all from one calibrated model per calibration set (`export.tflite.calibrate` +
`quantize_calibrated`, the path of the exporter): full int8 (per-channel weights, the
converter's default), per-tensor, calibration on 8 / 32 / 128 rendered DP tiles or on 32 crops
of real DP pairs from another camera (../shared/realdp/sdirt_canon_r6, L/R only: never the
DPDD scenes scored here), the old MEAN+RSQRT op fallback, and the structural groups of
`int8_float` in float (the cost volume's L2 normalisation, the output ADD, both, and both with
the ADD's operands = the default of `mccnet export`).

Latency (`--latency-tile`, 512; `--latency-threads`, 2): every distinct graph re-exported at
that tile (calibrated on 8 rendered tiles: latency does not depend on calibration content),
timed round-robin in one process (run r of every variant, then r + 1), for mccnet_tiny and,
with `--base`, mccnet_base (random init: latency only). Ratios are vs fp32 of the same model.
Writes benchmarks/results/int8_quality.json, .md (also into README.md between the
int8_quality markers) and int8_layers.csv; `--tables-only` rewrites the tables from the JSON.

    PYTHONPATH=. .venv/bin/python benchmarks/int8_quality.py [--tile 256] [--base]
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import pathlib
import sys
import tempfile
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
sys.path.insert(0, HERE)  # readme_table

REAL_ROWS_FROM = 56
SDIRT = pathlib.Path(os.path.dirname(HERE)).parent / "shared" / "realdp" / "sdirt_canon_r6"
DEBUG_WORST = 12  # layers listed in the JSON (all of them go to the CSV)
LATENCY_CALIBRATION = 8


def variants():
    """{name: (mode, calibration set, int8 options)}; calibration sets: see `calibration_sets`."""
    from keras_mccnet.export.int8_float import DEFAULT_GROUPS

    full = {"float_groups": ()}
    return {
        "fp32": ("fp32", None, {}),
        "fp16": ("fp16", None, {}),
        "dynamic": ("dynamic", None, {}),
        "int8": ("int8", "synthetic32", full),
        "int8_per_tensor": ("int8", "synthetic32", {**full, "per_channel": False}),
        "int8_calib8": ("int8", "synthetic8", full),
        "int8_calib128": ("int8", "synthetic128", full),
        "int8_calib_real": ("int8", "real32", full),
        # the first attempt: the cost volume's reductions and normalisation scale by op type
        "int8_volume_float": ("int8", "synthetic32", {**full, "float_ops": ("MEAN", "RSQRT")}),
        "int8_float_output": ("int8", "synthetic32", {"float_groups": ("output",)}),
        "int8_float_norm": ("int8", "synthetic32", {"float_groups": ("normalization",)}),
        "int8_float_norm_output": ("int8", "synthetic32",
                                   {"float_groups": ("normalization", "output")}),
        "int8_float_norm_output_operands": ("int8", "synthetic32",
                                            {"float_groups": ("normalization", "output",
                                                              "output_operands")}),
        # the default of `mccnet export --quant int8`, whatever it is
        "int8_float_default": ("int8", "synthetic32", {"float_groups": DEFAULT_GROUPS}),
        "int8_float_norm_output_per_tensor": ("int8", "synthetic32",
                                              {"float_groups": ("normalization", "output"),
                                               "per_channel": False}),
        "int8_float_norm_output_calib_real": ("int8", "real32",
                                              {"float_groups": ("normalization", "output")}),
    }


def sdirt_tiles(n: int, tile: int, seed: int = 0):
    """`n` random tile crops of the real DP pairs of sdirt_canon_r6 (L/R only; no target)."""
    from keras_mccnet.data.image_io import read_image

    pairs = sorted(p.parent for p in SDIRT.glob("**/l.png") if (p.parent / "r.png").is_file())
    if not pairs:
        raise FileNotFoundError(f"{SDIRT}: no l.png/r.png pairs")
    rng = np.random.default_rng(seed)
    out = []
    for k in range(n):
        folder = pairs[k % len(pairs)]
        left, right = read_image(folder / "l.png"), read_image(folder / "r.png")
        y = int(rng.integers(0, left.shape[0] - tile + 1))
        x = int(rng.integers(0, left.shape[1] - tile + 1))
        out.append((left[y:y + tile, x:x + tile], right[y:y + tile, x:x + tile], None))
    return out


def calibration_sets(tile: int, names) -> dict:
    from keras_mccnet.export.samples import synthetic_tiles

    sets = {}
    synthetic = list(synthetic_tiles(128 if "synthetic128" in names else 32, tile, seed=0))
    for name in names:
        if name.startswith("synthetic"):
            sets[name] = synthetic[:int(name[len("synthetic"):])]
        elif name == "real32":
            sets[name] = sdirt_tiles(32, tile, seed=0)
    return sets


class Converter:
    """Exports variants of one model at one tile, calibrating once per calibration set."""

    def __init__(self, model, tile: int, calibrations: dict):
        self.model, self.tile, self.calibrations = model, tile, calibrations
        self._calibrated = {}

    def _converter(self, mode, samples, workdir):
        from keras_mccnet.export import tflite
        from keras_mccnet.export.loading import fixed_tile_model

        fixed = fixed_tile_model(self.model, self.tile)
        return tflite.configure(tflite._converter(fixed, self.tile, workdir),  # noqa: SLF001
                                mode, samples)

    def calibrated(self, calibration: str) -> bytes:
        from keras_mccnet.export import tflite

        if calibration not in self._calibrated:
            with tempfile.TemporaryDirectory() as workdir:
                self._calibrated[calibration] = tflite.calibrate(self._converter(
                    "int8", self.calibrations[calibration], workdir))
        return self._calibrated[calibration]

    def __call__(self, mode, calibration, options) -> bytes:
        from keras_mccnet.export import tflite

        if mode != "int8":
            with tempfile.TemporaryDirectory() as workdir:
                return self._converter(mode, None, workdir).convert()
        return tflite.quantize_calibrated(self.calibrated(calibration), **options)


def _scores(got, keras_out, targets) -> dict:
    from keras_mccnet.training.protocol import psnr

    clamp = lambda x: np.clip(x, 0.0, 1.0)  # noqa: E731
    p_keras = np.mean([psnr(t, clamp(k)) for k, t in zip(keras_out, targets)])
    p_export = np.mean([psnr(t, clamp(g)) for g, t in zip(got, targets)])
    return {"psnr_keras": float(p_keras), "psnr_export": float(p_export),
            "psnr_drop": float(p_keras - p_export),
            "psnr_vs_keras": float(np.mean([psnr(clamp(k), clamp(g))
                                            for g, k in zip(got, keras_out)]))}


def evaluate(name, flatbuffer, model, tile, overlap, synthetic, references, scenes, log):
    from keras_mccnet.tiling import run_tiled

    from keras_mccnet.export.runtime import ExportedModel
    from keras_mccnet.export.tflite import write_tflite
    from keras_mccnet.export.verify import parity

    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, f"{name}.tflite")
        write_tflite(flatbuffer, path, model.name, _mode(name), tile, overlap)
        exported = ExportedModel(path, num_threads=2)
        row = {"variant": name, "size_mb": len(flatbuffer) / 2**20,
               "synthetic": parity(exported, synthetic, references["synthetic"]), "real": []}
        for (scene, left, right, target), keras_out in zip(scenes, references["real"]):
            got = run_tiled(exported, left, right, tile, overlap)
            t, k = target[REAL_ROWS_FROM:], keras_out[REAL_ROWS_FROM:]
            g = got[REAL_ROWS_FROM:]
            row["real"].append({"scene": scene, **_scores([g], [k], [t]),
                                "max_abs_diff": float(np.abs(got - keras_out).max())})
        if row["real"]:
            row["real_psnr_drop_mean"] = float(np.mean([r["psnr_drop"] for r in row["real"]]))
            row["real_psnr_keras_mean"] = float(np.mean([r["psnr_keras"] for r in row["real"]]))
    log(f"{name}: synthetic drop {row['synthetic']['psnr_drop']:+.3f} dB, real drop "
        f"{row.get('real_psnr_drop_mean', float('nan')):+.3f} dB")
    return row


def _mode(variant):
    return variant.split("_")[0]


def debug_layers(converter, calibration, synthetic, csv_path) -> list[dict]:
    """QuantizationDebugger on full int8: per-layer error vs float on the same inputs. Writes
    every layer to `csv_path`; returns the worst layers by RMSE / scale."""
    import tensorflow as tf

    def dataset():
        for left, right, _ in synthetic:
            yield [left[None], right[None]]  # the interpreter's input order: left, right

    with tempfile.TemporaryDirectory() as workdir:
        debugger = tf.lite.experimental.QuantizationDebugger(
            converter=converter._converter("int8", converter.calibrations[calibration],
                                           workdir),
            debug_dataset=dataset,
            debug_options=tf.lite.experimental.QuantizationDebugOptions(
                layer_debug_metrics={"max_abs_error": lambda d: float(np.max(np.abs(d))),
                                     "mean_error": lambda d: float(np.mean(d))}))
    debugger.run()
    buffer = io.StringIO()
    debugger.layer_statistics_dump(buffer)
    from keras_mccnet.atomic_write import atomic_write

    atomic_write(csv_path, buffer.getvalue())
    rows = []
    for r in csv.DictReader(io.StringIO(buffer.getvalue())):
        scale, mse = float(r["scale"]), float(r["mean_squared_error"] or "nan")
        rows.append({"op": r["op_name"], "tensor": r["tensor_name"],
                     "rmse_over_scale": float(np.sqrt(mse) / scale),
                     "max_abs_error": float(r["max_abs_error"] or "nan"),
                     "range": scale * 255})
    rows = [r for r in rows if np.isfinite(r["rmse_over_scale"])]
    return sorted(rows, key=lambda r: -r["rmse_over_scale"])[:DEBUG_WORST]


def io_grids(flatbuffer):
    """(scale, zero point) of the int8 input (QUANTIZE output) and output (DEQUANTIZE input)."""
    from keras_mccnet.export.tflite import interpreter_for

    interpreter = interpreter_for(flatbuffer, delegates=False)
    tensors = {t["index"]: t for t in interpreter.get_tensor_details()}
    ops = interpreter._get_ops_details()  # noqa: SLF001
    grid = lambda i: (float(tensors[i]["quantization"][0]),  # noqa: E731
                      int(tensors[i]["quantization"][1]))
    first_quantize = next(o for o in ops if o["op_name"] == "QUANTIZE")
    last_dequantize = [o for o in ops if o["op_name"] == "DEQUANTIZE"][-1]
    return grid(first_quantize["outputs"][0]), grid(last_dequantize["inputs"][0])


def _round_to(x, grid):
    scale, zero = grid
    return ((np.clip(np.round(x / scale) + zero, -128, 127) - zero) * scale).astype(np.float32)


def io_only_drops(model, full_int8, synthetic, reference) -> dict:
    """Drops of the Keras model with only its output, or only its inputs, rounded to the int8
    grids of the full-int8 export: what I/O quantisation costs by itself."""
    from keras_mccnet.export.verify import keras_outputs

    in_grid, out_grid = io_grids(full_int8)
    targets = [t for _, _, t in synthetic]
    rounded_inputs = [(_round_to(l, in_grid), _round_to(r, in_grid), t)
                      for l, r, t in synthetic]
    return {"input_grid": list(in_grid), "output_grid": list(out_grid),
            "output_rounding_only": _scores(_round_to(reference, out_grid), reference, targets),
            "input_rounding_only": _scores(keras_outputs(model, rounded_inputs), reference,
                                           targets)}


def time_variants(flatbuffers, threads, runs, tile):
    from keras_mccnet.export.tflite import interpreter_for

    runners = {n: interpreter_for(fb, threads).get_signature_runner()
               for n, fb in flatbuffers.items()}
    rng = np.random.default_rng(0)
    x, y = (rng.random((1, tile, tile, 3), dtype=np.float32) for _ in range(2))
    for r in runners.values():
        r(left=x, right=y)
    times = {n: [] for n in runners}
    for _ in range(runs):
        for n, r in runners.items():
            start = time.perf_counter()
            r(left=x, right=y)
            times[n].append(time.perf_counter() - start)
    return {n: float(np.median(t) * 1e3) for n, t in times.items()}


def latency(model, args, names, log) -> dict:
    """Tile latency of every distinct graph of `names` at --latency-tile, round-robin."""
    from keras_mccnet.export.int8_float import float_op_names
    from keras_mccnet.export.samples import synthetic_tiles

    tile = args.latency_tile
    samples = list(synthetic_tiles(LATENCY_CALIBRATION, tile, seed=0))
    convert = Converter(model, tile, {"any": samples})
    graphs, of_variant, float_ops = {}, {}, {}
    for name in names:
        mode, calibration, options = variants()[name]
        key = (mode, json.dumps(options, sort_keys=True))  # calibration: no latency effect
        if key not in graphs:
            graphs[key] = convert(mode, calibration and "any", options)
            float_ops[key] = len(float_op_names(graphs[key])) if mode == "int8" else None
            log(f"latency: exported {model.name} {name} at {tile}")
        of_variant[name] = key
    keys = list(graphs)
    medians = time_variants({str(i): graphs[k] for i, k in enumerate(keys)},
                            args.latency_threads, args.runs, tile)
    ms = {k: medians[str(i)] for i, k in enumerate(keys)}
    fp32 = ms[("fp32", "{}")]
    return {name: {"tile_ms": ms[key], "ratio_vs_fp32": ms[key] / fp32,
                   "float_ops_in_int8": float_ops[key]} for name, key in of_variant.items()}


def run_model(model, args, log, save):
    from keras_mccnet.tiling import run_tiled

    from keras_mccnet.export.samples import real_scenes, synthetic_tiles
    from keras_mccnet.export.verify import keras_outputs, resolve_data

    tile, overlap = args.tile, args.overlap
    chosen = {k: v for k, v in variants().items() if k in args.variants}
    needed = {c for _, c, _ in chosen.values() if c} | {"synthetic32"}
    convert = Converter(model, tile, calibration_sets(tile, needed))
    synthetic = list(synthetic_tiles(args.synthetic, tile, seed=1000))  # disjoint seed
    data = resolve_data("auto")
    scenes = list(real_scenes(data)) if data else []

    def keras_tile(l, r):
        return np.clip(np.asarray(model({"left": l[None], "right": r[None]}))[0], 0.0, 1.0)

    references = {"synthetic": keras_outputs(model, synthetic),
                  "real": [run_tiled(keras_tile, l, r, tile, overlap) for _, l, r, _ in scenes]}
    rows = []
    result = {"model": model.name, "weights": "mccnet_tiny synthetic (shipped, trained)",
              "tile": tile, "overlap": overlap, "synthetic_tiles": len(synthetic),
              "calibration": {k: len(v) for k, v in convert.calibrations.items()},
              "real_scenes": [s[0] for s in scenes], "rows": rows}
    if args.debug:
        full = convert("int8", "synthetic32", {"float_groups": ()})
        result["diagnosis"] = {
            "worst_layers_full_int8": debug_layers(convert, "synthetic32", synthetic,
                                                   args.layers_csv),
            **io_only_drops(model, full, synthetic, references["synthetic"])}
        log(f"diagnosis: {json.dumps(result['diagnosis'])[:600]}")
        save(result)
    for name, (mode, calibration, options) in chosen.items():
        rows.append(evaluate(name, convert(mode, calibration, options), model, tile, overlap,
                             synthetic, references, scenes, log))
        rows[-1]["calibration"] = calibration
        rows[-1]["options"] = {k: list(v) if isinstance(v, tuple) else v
                               for k, v in options.items()}
        save(result)
    return result


DESCRIPTION = {
    "fp32": "float32", "fp16": "float16 weights", "dynamic": "dynamic-range int8",
    "int8": "full int8, per-channel weights, 32 rendered calibration tiles",
    "int8_per_tensor": "full int8, per-tensor weights",
    "int8_calib8": "full int8, 8 calibration tiles",
    "int8_calib128": "full int8, 128 calibration tiles",
    "int8_calib_real": "full int8, 32 real DP crops (sdirt R6) for calibration",
    "int8_volume_float": "int8, ops MEAN + RSQRT in float (first attempt)",
    "int8_float_output": "int8, output ADD in float",
    "int8_float_norm": "int8, cost-volume L2 normalisation in float",
    "int8_float_norm_output": "int8, normalisation + output ADD in float (export default to #16)",
    "int8_float_norm_output_operands":
        "int8, normalisation + output ADD and its operands in float (export default to #17)",
    "int8_float_default":
        "**int8, those + the decoder's last block and skip merge in float (export default)**",
    "int8_float_norm_output_per_tensor":
        "int8, normalisation + output ADD in float, per-tensor weights",
    "int8_float_norm_output_calib_real":
        "int8, normalisation + output ADD in float, real DP crops for calibration",
}


def markdown(out) -> str:
    q = out["quality"]
    lat = out.get("latency", {})
    models = list(lat)
    columns = ["variant", "size MB", "PSNR vs Keras, synthetic dB", "PSNR drop synthetic dB",
               "PSNR drop real dB: mean (per scene)"] + [
        f"{m}: {lat[m]['tile']} px, {lat[m]['threads']} thr ms (x fp32)" for m in models]
    lines = ["| " + " | ".join(columns) + " |", "|---|---:|---:|---:|---|" + "---:|" * len(models)]
    for r in q["rows"]:
        real = ", ".join(f"{x['psnr_drop']:.3f}" for x in r["real"])
        timing = []
        for m in models:
            t = lat[m]["variants"].get(r["variant"])
            timing.append(f"{t['tile_ms']:.0f} (x{t['ratio_vs_fp32']:.2f})" if t else "-")
        lines.append(f"| {DESCRIPTION.get(r['variant'], r['variant'])} | {r['size_mb']:.2f} | "
                     f"{r['synthetic']['psnr_vs_keras']:.1f} | "
                     f"{r['synthetic']['psnr_drop']:.3f} | "
                     f"{r.get('real_psnr_drop_mean', float('nan')):.3f} ({real}) |"
                     + "".join(f" {t} |" for t in timing))
    d = q.get("diagnosis")
    if d:
        lines += ["", f"Keras output alone rounded to the int8 output grid: drop "
                      f"{d['output_rounding_only']['psnr_drop']:.3f} dB (PSNR vs Keras "
                      f"{d['output_rounding_only']['psnr_vs_keras']:.1f} dB); Keras on inputs "
                      f"rounded to the int8 input grid: drop "
                      f"{d['input_rounding_only']['psnr_drop']:.3f} dB. Worst layers of full "
                      f"int8 (QuantizationDebugger, RMSE / quantisation step; ~0.29 is pure "
                      f"rounding): " + ", ".join(
                          f"{w['op']} `{w['tensor'].split('/', 1)[-1]}` {w['rmse_over_scale']:.0f}"
                          for w in d["worst_layers_full_int8"][:4]) + "."]
    return "\n".join(lines) + "\n"


def write_tables(out, out_path):
    from readme_table import replace_section
    from keras_mccnet.atomic_write import atomic_write

    text = markdown(out)
    atomic_write(os.path.splitext(out_path)[0] + ".md", text)
    # The README section named after the output file (int8_quality by default).
    replace_section(os.path.splitext(os.path.basename(out_path))[0], text)


def main(argv=None) -> int:
    from keras_mccnet import MCCNet
    from keras_mccnet.atomic_write import atomic_write

    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tile", type=int, default=256)
    parser.add_argument("--overlap", type=int, default=64)
    parser.add_argument("--synthetic", type=int, default=12)
    parser.add_argument("--runs", type=int, default=7, help="timed runs per variant")
    parser.add_argument("--variants", default=",".join(variants()),
                        help="comma-separated variant names")
    parser.add_argument("--no-debug", dest="debug", action="store_false",
                        help="skip the QuantizationDebugger and I/O rounding diagnosis")
    parser.add_argument("--latency-tile", type=int, default=512)
    parser.add_argument("--latency-threads", type=int, default=2)
    parser.add_argument("--latency-variants", default="fp32,fp16,dynamic,int8,int8_per_tensor,"
                        "int8_volume_float,int8_float_output,int8_float_norm,"
                        "int8_float_norm_output,int8_float_norm_output_operands,"
                        "int8_float_default,int8_float_norm_output_per_tensor")
    parser.add_argument("--base", action="store_true",
                        help="also the latency of mccnet_base (random init: latency only)")
    parser.add_argument("--out", default=os.path.join(HERE, "results", "int8_quality.json"))
    parser.add_argument("--layers-csv",
                        default=os.path.join(HERE, "results", "int8_layers.csv"))
    parser.add_argument("--tables-only", action="store_true",
                        help="rewrite the markdown table and README section from --out")
    args = parser.parse_args(argv)
    if args.tables_only:
        with open(args.out) as f:
            write_tables(json.load(f), args.out)
        return 0
    args.variants = args.variants.split(",")
    latency_names = [n for n in args.latency_variants.split(",") if n]
    import keras

    start = time.time()
    log = lambda msg: print(f"[{time.time() - start:6.0f} s] {msg}", flush=True)  # noqa: E731
    out = {"command": "python benchmarks/int8_quality.py " + " ".join(argv or sys.argv[1:]),
           "load_average_start": list(os.getloadavg()),
           "note": "2-core host shared with two training jobs and another helper: latencies "
                   "are upper bounds and noisy; ratios come from one round-robin run per model",
           "quality": None, "latency": {}}

    def save(_=None):
        out["load_average_end"] = list(os.getloadavg())
        atomic_write(args.out, json.dumps(out, indent=1) + "\n")

    tiny = MCCNet.from_preset("mccnet_tiny", weights="synthetic")
    out["quality"] = {}
    out["quality"] = run_model(tiny, args, log, save=lambda r: (out.update(quality=r), save()))
    save()
    models = [("mccnet_tiny", tiny)]
    if args.base:
        keras.utils.set_random_seed(0)
        models.append(("mccnet_base (random init)", MCCNet.from_preset("mccnet_base")))
    for label, model in models if latency_names else []:  # --latency-variants "": quality only
        lat = latency(model, args, latency_names, log)
        out["latency"][label] = {"tile": args.latency_tile, "threads": args.latency_threads,
                                 "runs": args.runs, "load_average": list(os.getloadavg()),
                                 "variants": lat}
        for name, row in lat.items():
            log(f"{label} {name}: {row['tile_ms']:.0f} ms, x{row['ratio_vs_fp32']:.3f} of fp32")
        save()
    write_tables(out, args.out)
    log(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
