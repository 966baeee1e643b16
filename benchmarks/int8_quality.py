"""What each quantisation variant costs in PSNR, with trained weights, and what it buys in speed.

Model: the shipped `mccnet_tiny` ("synthetic" weights; the only trained MCCNet). Every variant is
exported at one fixed tile and compared with Keras:

* synthetic validation tiles (the project's DP renderer, a seed disjoint from calibration);
* the 4 real DPDD scenes of ../shared/realdp/dpdd_gif4, whole 840x560 frames through the
  overlap-blended tiler (export vs Keras through the same tiler), scored on rows >= 56 (the
  rows above carry a burnt-in label) against the ground truth.

PSNR drop = PSNR(Keras vs target) - PSNR(export vs target). Int8 variants: per-channel weights
(the converter's default) vs per-tensor, calibration on 32 vs 8 rendered DP tiles, and one
with the cost volume's reductions and normalisation scale (MEAN, RSQRT) kept in float (the
fallback the issue allows only where profile and PSNR ask for it). Latency: 1-thread tile median, round-robin. Optionally
`mccnet_base` (random init: no trained weights exist) for numerical parity only.
Writes benchmarks/results/int8_quality.json.

    PYTHONPATH=. .venv/bin/python benchmarks/int8_quality.py [--tile 256] [--base]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))

REAL_ROWS_FROM = 56


def variants(calibration_32, calibration_8):
    """{name: (mode, samples, converter options)}."""
    return {
        "fp32": ("fp32", None, {}),
        "fp16": ("fp16", None, {}),
        "dynamic": ("dynamic", None, {}),
        "int8": ("int8", calibration_32, {}),
        "int8_per_tensor": ("int8", calibration_32, {"per_tensor": True}),
        "int8_calib8": ("int8", calibration_8, {}),
        # MEAN and RSQRT occur only in the cost volume (its channel reductions and the scale
        # of its normalisation): the float fallback the issue allows where PSNR asks for it.
        "int8_volume_float": ("int8", calibration_32, {"float_ops": ["MEAN", "RSQRT"]}),
    }


def convert_variant(model, tile, mode, samples, options) -> bytes:
    from keras_mccnet.export import tflite

    if options.get("per_tensor"):
        from keras_mccnet.export.loading import fixed_tile_model
        import tempfile

        fixed = fixed_tile_model(model, tile)
        with tempfile.TemporaryDirectory() as workdir:
            converter = tflite._converter(fixed, tile, workdir)  # noqa: SLF001
            converter = tflite.configure(converter, mode, samples)
            converter._experimental_disable_per_channel = True  # noqa: SLF001
            return converter.convert()
    return tflite.convert(model, tile, mode, samples, float_ops=options.get("float_ops", ()))


def evaluate(name, flatbuffer, model, tile, overlap, synthetic, references, scenes, log):
    from keras_mccnet.tiling import run_tiled

    from keras_mccnet.export.runtime import ExportedModel
    from keras_mccnet.export.tflite import write_tflite
    from keras_mccnet.export.verify import parity
    from keras_mccnet.training.protocol import psnr

    import tempfile

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
            row["real"].append({"scene": scene, "psnr_keras": psnr(t, k), "psnr_export": psnr(t, g),
                                "psnr_drop": psnr(t, k) - psnr(t, g),
                                "max_abs_diff": float(np.abs(got - keras_out).max())})
        if row["real"]:  # none for a parity-only model (strict JSON has no NaN)
            row["real_psnr_drop_mean"] = float(np.mean([r["psnr_drop"] for r in row["real"]]))
            row["real_psnr_keras_mean"] = float(np.mean([r["psnr_keras"] for r in row["real"]]))
    log(f"{name}: synthetic drop {row['synthetic']['psnr_drop']:+.3f} dB, real drop "
        f"{row.get('real_psnr_drop_mean', float('nan')):+.3f} dB")
    return row


def _mode(variant):
    return variant.split("_")[0]


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


def run_model(model, args, log, real=True, save=None):
    from keras_mccnet.tiling import run_tiled

    from keras_mccnet.export.samples import real_scenes, synthetic_tiles
    from keras_mccnet.export.verify import keras_outputs, resolve_data

    tile, overlap = args.tile, args.overlap
    calibration_32 = list(synthetic_tiles(32, tile, seed=0))
    calibration_8 = calibration_32[:8]
    synthetic = list(synthetic_tiles(args.synthetic, tile, seed=1000))  # disjoint seed
    data = resolve_data("auto") if real else None
    scenes = list(real_scenes(data)) if data else []

    def keras_tile(l, r):
        return np.clip(np.asarray(model({"left": l[None], "right": r[None]}))[0], 0.0, 1.0)

    references = {"synthetic": keras_outputs(model, synthetic),
                  "real": [run_tiled(keras_tile, l, r, tile, overlap) for _, l, r, _ in scenes]}
    flatbuffers, rows = {}, []
    chosen = {k: v for k, v in variants(calibration_32, calibration_8).items()
              if k in args.variants}
    if not real:  # parity only: the default int8 and the float reference
        chosen = {k: v for k, v in chosen.items() if k in ("fp32", "int8")}
    result = {"model": model.name, "tile": tile, "overlap": overlap,
              "synthetic_tiles": len(synthetic), "real_scenes": [s[0] for s in scenes],
              "rows": rows}
    for name, (mode, samples, options) in chosen.items():
        flatbuffers[name] = convert_variant(model, tile, mode, samples, options)
        rows.append(evaluate(name, flatbuffers[name], model, tile, overlap, synthetic,
                             references, scenes, log))
        if save is not None:  # a slow, loaded host: keep every finished variant
            save(result)
    latency = time_variants(flatbuffers, 1, args.runs, tile)
    for row in rows:
        row["tile_ms_1_thread"] = latency[row["variant"]]
    return result


def main(argv=None) -> int:
    from keras_mccnet import MCCNet
    from keras_mccnet.atomic_write import atomic_write

    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tile", type=int, default=256)
    parser.add_argument("--overlap", type=int, default=64)
    parser.add_argument("--synthetic", type=int, default=12)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--variants", default="fp32,fp16,dynamic,int8,int8_per_tensor,"
                        "int8_calib8,int8_volume_float", help="comma-separated variant names")
    parser.add_argument("--base", action="store_true",
                        help="also mccnet_base (random init): numerical parity only")
    parser.add_argument("--out", default=os.path.join(HERE, "results", "int8_quality.json"))
    args = parser.parse_args(argv)
    args.variants = args.variants.split(",")
    import keras

    start = time.time()
    log = lambda msg: print(f"[{time.time() - start:6.0f} s] {msg}", flush=True)  # noqa: E731
    load_start = os.getloadavg()
    results = []

    def save(current):
        done = [r for r in results if r is not current] + [current]
        out = {"command": "python benchmarks/int8_quality.py " + " ".join(argv or sys.argv[1:]),
               "load_average_start": list(load_start), "load_average_end": list(os.getloadavg()),
               "note": "2-core host shared with other jobs: latencies are upper bounds; rows "
                       "are saved as each variant finishes",
               "models": done}
        atomic_write(args.out, json.dumps(out, indent=1) + "\n")

    tiny = {"weights": "mccnet_tiny synthetic (shipped, trained)"}
    results.append(tiny)
    tiny.update(run_model(MCCNet.from_preset("mccnet_tiny", weights="synthetic"), args, log,
                          save=lambda r: save(tiny.update(r) or tiny)))
    save(tiny)
    if args.base:
        keras.utils.set_random_seed(0)
        base = {"weights": "RANDOM INIT: numerical parity only, the PSNR drop means nothing"}
        results.append(base)
        base.update(run_model(MCCNet.from_preset("mccnet_base"), args, log, real=False,
                              save=lambda r: save(base.update(r) or base)))
        save(base)
    log(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
