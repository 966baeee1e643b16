"""Export benchmark: MCCNet and the DPDNet-sized concat baseline, side by side from one run.

For each model: export every TFLite mode (fp32, fp16, dynamic, int8) and ONNX at one tile size,
verify parity with Keras (max abs diff, PSNR drop on synthetic DP tiles and on real DPDD crops
from ../shared/realdp when present), check builtin-only and GPU-delegate compatibility per op,
and time every variant through the LiteRT interpreter at 1 and 2 threads; optionally a whole
1680x1120 image through the tiler. Writes benchmarks/results/export.json and export.md.

    .venv/bin/python benchmarks/export_benchmark.py --tile 256 [--weights mccnet_base=run/best.keras]

Model files go to runs/export_benchmark/ (not committed).
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
from keras_mccnet.atomic_write import atomic_write, atomic_write_json  # noqa: E402

RESULTS = os.path.join(HERE, "results")
MODES = ("fp32", "fp16", "dynamic", "int8")


def _load(name: str, weights: dict):
    from keras_mccnet.export.loading import load_model

    return load_model(weights.get(name, name))


def export_and_verify(name, weights, args, out_root, log):
    """Exports every variant of one model (or reuses them with --reuse) and checks parity."""
    from keras_mccnet.cost import model_cost

    from keras_mccnet.export.cli import CalibrationTiles
    from keras_mccnet.export.onnx import export_onnx
    from keras_mccnet.export.tflite import export_tflite
    from keras_mccnet.export.verify import keras_outputs, model_files, tile_sets, verify_file

    out_dir = os.path.join(out_root, name)
    keras_file = os.path.join(out_dir, "reference.keras")
    reuse = args.reuse and len(model_files(out_dir)) == len(MODES) + 1 and \
        os.path.isfile(keras_file)
    model, source = _load(name, weights)
    if reuse:
        # The exported files must be compared with the very weights they were made from (a
        # preset gets new random weights on every build).
        import keras

        model.set_weights(keras.saving.load_model(keras_file).get_weights())
    float_ops = args.int8_float_ops.get(name, [])
    t0 = time.time()
    if not reuse:
        os.makedirs(out_dir, exist_ok=True)
        model.save(keras_file)
        samples = CalibrationTiles(args.tile, args.calibration, None)
        export_tflite(model, out_dir, name, MODES, args.tile, args.overlap, samples,
                      float_ops=float_ops, weights=source)
        export_onnx(model, out_dir, name, args.tile, args.overlap, weights=source)
        log(f"{name}: exported in {time.time() - t0:.0f} s")
    sets = tile_sets(args.tile, args.synthetic, args.data)
    references = {k: keras_outputs(model, v) for k, v in sets.items()}
    files = model_files(out_dir)
    reports = {os.path.basename(f): verify_file(f, model, sets, references) for f in files}
    log(f"{name}: verified")
    cost = model_cost({**model.get_config(), "name": name}, args.tile, args.tile)
    return {"model_name": name, "weights": source, "tile": args.tile, "overlap": args.overlap,
            "params": cost["params"], "gmacs_per_tile": cost["gmacs"],
            "int8_float_ops": float_ops, "variants": reports, "files": files,
            "whole_image_threads": max(args.threads)}


def export_profile_model(name, args, out_root):
    """fp32 export of an ablation preset: latency differences between presets attribute the time
    to the cost volume (mccnet vs siamese_no_corr) and to the two-view encoder (vs concat)."""
    from keras_mccnet.cost import model_cost

    from keras_mccnet.export.loading import load_model
    from keras_mccnet.export.tflite import export_tflite

    model, _ = load_model(name)
    path = os.path.join(out_root, "profile", f"{name}_fp32.tflite")
    if not (args.reuse and os.path.isfile(path)):
        export_tflite(model, os.path.dirname(path), name, ("fp32",), args.tile, args.overlap)
    cost = model_cost({**model.get_config(), "name": name}, args.tile, args.tile)
    return {"model_name": name, "mode": "fp32", "params": cost["params"],
            "gmacs_per_tile": cost["gmacs"], "file": path}


def time_everything(models, profile, args, log):
    """Tile latency of every file of every model in ONE round-robin per thread count, then the
    whole-image timings."""
    from keras_mccnet.export.benchmark import bench_files, time_image

    files = [f for m in models for f in m.pop("files")] + [p["file"] for p in profile]
    rows = {r["path"]: r for r in bench_files(files, args.threads, args.runs, args.warmup)}
    log("timed tiles (round-robin over all models)")
    for m in models:
        for name, report in m["variants"].items():
            path = os.path.abspath(os.path.join(args.work, m["model_name"], name))
            report["tile_latency"] = rows[path]["tile_latency"]
    for p in profile:
        p["tile_latency"] = rows[os.path.abspath(p.pop("file"))]["tile_latency"]
    tiles_needed = _tiles(args)
    n = max(args.threads)
    for m in models:
        m["whole_image_latency"] = {}
        for mode in args.image_modes:
            name = f"{m['model_name']}_{mode}.tflite"
            estimate = m["variants"][name]["tile_latency"][str(n)]["median_ms"] / 1e3 * \
                tiles_needed
            if estimate > args.image_budget_s:
                m["whole_image_latency"][mode] = {
                    "skipped": f"estimated {estimate:.0f} s > budget {args.image_budget_s} s"}
                continue
            path = os.path.join(args.work, m["model_name"], name)
            m["whole_image_latency"][mode] = time_image(path, n, tuple(args.image), runs=1)
        log(f"{m['model_name']}: timed whole image")


def _tiles(args) -> int:
    from keras_mccnet.tiling import plan_tiles

    return len(plan_tiles(*args.image, args.tile, args.overlap).tiles)


def write_markdown(result, path):
    lines = [f"# Export benchmark (tile {result['tile']}, {result['host']['cpu']}, "
             f"load average at start {result['load_average_start']:.2f})", "",
             "PSNR drop = PSNR(Keras vs target) - PSNR(export vs target), mean over tiles; "
             "latency = LiteRT interpreter (ONNX: onnxruntime), batch 1, median (p90) of "
             f"{result['runs']} runs after {result['warmup']} warm-up, all models timed "
             "round-robin in one process so background load hits them alike.", ""]
    for m in result["models"]:
        w = m["weights"]
        lines.append(f"- **{m['model_name']}**: {m['params']:,} params, "
                     f"{m['gmacs_per_tile']:.1f} GMACs per {result['tile']} px tile; weights: "
                     + ("RANDOM INIT (no trained weights available)" if w["random_init"]
                        else w.get("path", "?")))
    lines.append("")
    sets = [s for s in ("synthetic", "realdp") if s in next(iter(result["models"][0]
                                                                 ["variants"].values()))]
    head = "| model | variant | size MB | " + " | ".join(
        f"{s} max abs diff | {s} PSNR drop dB" for s in sets) + \
        " | 1 thread ms | 2 threads ms | builtin only | GPU compatible |"
    lines += [head, "|" + "---|" * (head.count("|") - 1)]
    for m in result["models"]:
        for name, r in sorted(m["variants"].items(), key=lambda kv: _order(kv[1])):
            lat = r.get("tile_latency", {})
            cells = [m["model_name"], r["quant_mode"] + (" (onnx)" if r["runtime"] == "onnx"
                                                         else ""),
                     f"{r['size_bytes'] / 2**20:.2f}"]
            for s in sets:
                cells += [f"{r[s]['max_abs_diff']:.2e}", f"{r[s]['psnr_drop']:+.3f}"]
            for n in ("1", "2"):
                t = lat.get(n)
                cells.append(f"{t['median_ms']:.0f} ({t['p90_ms']:.0f})" if t else "-")
            cells += [str(r.get("builtin_only", "n/a")), str(r.get("gpu_compatible", "n/a"))]
            lines.append("| " + " | ".join(cells) + " |")
    lines += ["", f"Whole {result['image'][1]}x{result['image'][0]} image through the tiler "
                  f"(tile {result['tile']}, overlap {result['overlap']}):", ""]
    for m in result["models"]:
        for mode, t in m["whole_image_latency"].items():
            text = t.get("skipped") or f"{t['median_ms'] / 1e3:.1f} s ({t['tiles']} tiles)"
            lines.append(f"- {m['model_name']} {mode}, {m['whole_image_threads']} threads: "
                         f"{text}")
    if result.get("profile"):
        lines += ["", "Latency attribution (fp32 tile latency of ablation presets, same run):",
                  "", "| model | params | GMACs/tile | 1 thread ms | 2 threads ms |",
                  "|---|---|---|---|---|"]
        rows = [(m["model_name"], m["params"], m["gmacs_per_tile"],
                 m["variants"][f"{m['model_name']}_fp32.tflite"]["tile_latency"])
                for m in result["models"]]
        rows += [(p["model_name"], p["params"], p["gmacs_per_tile"], p["tile_latency"])
                 for p in result["profile"]]
        for name, params, gmacs, lat in rows:
            cells = [f"{lat[n]['median_ms']:.0f}" if n in lat else "-" for n in ("1", "2")]
            lines.append(f"| {name} | {params:,} | {gmacs:.1f} | {cells[0]} | {cells[1]} |")
    if "speedup" in result:
        lines += ["", "Speed-up of the first model over the second (tile latency ratio, "
                      "same tile, mode and threads):", ""]
        for key, value in result["speedup"].items():
            lines.append(f"- {key}: {value:.2f}x")
    atomic_write(path, "\n".join(lines) + "\n")


def _order(r):
    return (r["runtime"] == "onnx", MODES.index(r["quant_mode"]))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--models", default="mccnet_base,dpdnet_concat")
    parser.add_argument("--weights", action="append", default=[], metavar="NAME=PATH",
                        help="trained weights (.keras or run folder) for a model name")
    parser.add_argument("--tile", type=int, default=256)
    parser.add_argument("--overlap", type=int, default=64)
    parser.add_argument("--calibration", type=int, default=16)
    parser.add_argument("--synthetic", type=int, default=8)
    parser.add_argument("--data", default="auto", help="real DP folder ('auto', 'none')")
    parser.add_argument("--threads", default="1,2")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--warmup", type=int, default=1)
    parser.add_argument("--image", nargs=2, type=int, default=[1120, 1680])
    parser.add_argument("--image-modes", default="fp32,int8")
    parser.add_argument("--image-budget-s", type=float, default=240.0,
                        help="skip a whole-image timing estimated to take longer")
    parser.add_argument("--int8-float-ops", action="append", default=[], metavar="NAME=OP,OP",
                        help="ops kept in float in a model's int8 variant")
    parser.add_argument("--profile-models", default="siamese_no_corr_base,concat_base",
                        help="ablation presets timed in fp32 to attribute latency ('' = none)")
    parser.add_argument("--out", default=os.path.join(RESULTS, "export"))
    parser.add_argument("--work", default="runs/export_benchmark")
    parser.add_argument("--reuse", action="store_true",
                        help="reuse model files already exported to --work")
    args = parser.parse_args(argv)
    import keras

    keras.utils.set_random_seed(0)  # random-init presets are reproducible run to run
    from keras_mccnet.export.verify import resolve_data

    args.data = resolve_data(args.data)
    args.threads = [int(t) for t in args.threads.split(",")]
    args.image_modes = [m for m in args.image_modes.split(",") if m]
    weights = dict(w.split("=", 1) for w in args.weights)
    args.int8_float_ops = {k: v.split(",") for k, v in
                           (w.split("=", 1) for w in args.int8_float_ops)}
    names = args.models.split(",")
    start = time.time()
    log = lambda msg: print(f"[{time.time() - start:6.0f} s] {msg}", flush=True)  # noqa: E731
    load_start = os.getloadavg()[0]
    models = [export_and_verify(n, weights, args, args.work, log) for n in names]
    profile = [export_profile_model(n, args, args.work)
               for n in args.profile_models.split(",") if n]
    time_everything(models, profile, args, log)
    result = {
        "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "command": "python benchmarks/export_benchmark.py " + " ".join(argv or sys.argv[1:]),
        "host": {"cpu": f"{os.cpu_count()} CPU cores, {platform.machine()}",
                 "python": platform.python_version()},
        "load_average_start": load_start, "load_average_end": os.getloadavg()[0],
        "tile": args.tile, "overlap": args.overlap, "runs": args.runs, "warmup": args.warmup,
        "threads": args.threads, "image": args.image, "realdp": args.data,
        "synthetic_tiles": args.synthetic, "calibration_tiles": args.calibration,
        "psnr_drop_note": "with RANDOM-INIT weights the PSNR drop only measures numerical "
                          "agreement; trained weights are needed for the real figure"
        if any(m["weights"]["random_init"] for m in models) else "trained weights",
        "models": models,
        "profile": profile,
    }
    if len(models) >= 2:
        a, b = models[0], models[1]
        result["speedup"] = {}
        for mode in MODES:
            for n in args.threads:
                ta = a["variants"][f"{a['model_name']}_{mode}.tflite"]["tile_latency"][str(n)]
                tb = b["variants"][f"{b['model_name']}_{mode}.tflite"]["tile_latency"][str(n)]
                key = f"{a['model_name']} vs {b['model_name']} {mode} {n} thread(s)"
                result["speedup"][key] = tb["median_ms"] / ta["median_ms"]
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    atomic_write_json(args.out + ".json", result)
    write_markdown(result, args.out + ".md")
    log(f"wrote {args.out}.json and .md")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
