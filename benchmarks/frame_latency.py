"""Whole-frame latency through the tiler: model x quantisation x tile x threads x frame size.

Every (model, tile, mode) is exported with `export.tflite.export_tflite` (the `mccnet export`
path; int8 calibrated on rendered DP tiles) into --work, then whole frames are deblurred
through `export.runtime.ExportedModel.deblur` (the overlap-blended tiler of `mccnet deblur`,
`mccnet bench --image`): per thread count and frame size, frame r of every cell, then frame
r + 1 (`export.benchmark.time_images_interleaved`), so load drifts on a shared host hit all
cells alike. The overlap cost is the tiled pixels over the frame's pixels. Cells not asked for
are listed as not measured in the output. Writes benchmarks/results/frame_latency.json and .md.

    PYTHONPATH=. .venv/bin/python benchmarks/frame_latency.py --tiles 256,512 --modes fp32,int8 \\
        --threads 2 --frames 1120x1680
"""

from __future__ import annotations

import argparse
import datetime
import itertools
import json
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))

ALL = {"models": ("mccnet_base", "dpdnet_concat"), "tiles": (256, 384, 512),
       "modes": ("fp32", "fp16", "dynamic", "int8"), "threads": (1, 2),
       "frames": ((1120, 1680), (3024, 4032))}


def export_cells(args, log) -> dict:
    """{(model, tile, mode): path}, exporting what --work does not hold yet."""
    import keras

    from keras_mccnet.export.cli import CalibrationTiles
    from keras_mccnet.export.loading import load_model
    from keras_mccnet.export.tflite import export_tflite

    files = {}
    for name in args.models:
        model = None
        for tile in args.model_tiles.get(name, args.tiles):
            out_dir = os.path.join(args.work, name, f"tile{tile}")
            todo = [m for m in args.modes
                    if not os.path.isfile(os.path.join(out_dir, f"{name}_{m}.tflite"))]
            if todo:
                if model is None:
                    keras.utils.set_random_seed(0)
                    model, source = load_model(name)
                samples = CalibrationTiles(tile, args.calibration)
                export_tflite(model, out_dir, name, todo, tile, args.overlap, samples,
                              weights=source, calibration={"source": "synthetic",
                                                           "tiles": args.calibration})
                log(f"exported {name} tile {tile}: {','.join(todo)}")
            for mode in args.modes:
                files[(name, tile, mode)] = os.path.join(out_dir, f"{name}_{mode}.tflite")
    return files


def measure(files, args, log) -> list[dict]:
    from keras_mccnet.export.benchmark import time_images_interleaved
    from keras_mccnet.export.metadata import read_metadata

    rows = []
    for threads, frame in itertools.product(args.threads, args.frames):
        paths = list(files.values())
        stats = time_images_interleaved(
            paths, threads, frame, args.runs,
            progress=lambda f, s: log(f"{os.path.basename(f)} {threads} thr {frame}: {s:.1f} s"))
        for (name, tile, mode), path in files.items():
            s = stats[path]
            rows.append({"model": name, "tile": tile, "mode": mode, "threads": threads,
                         "frame": list(frame), "seconds": s["median_ms"] / 1e3,
                         "runs": s["runs"], "tiles": s["tiles"],
                         "overlap_cost": s["tiles"] * tile * tile / (frame[0] * frame[1]),
                         "per_tile_ms": s["median_ms"] / s["tiles"],
                         # int8 calibration tiles (latency does not depend on them)
                         "calibration": read_metadata(path).get("calibration")})
    return rows


def not_measured(args) -> list[str]:
    asked = {"models": args.models, "tiles": args.tiles, "modes": args.modes,
             "threads": args.threads, "frames": [tuple(f) for f in args.frames]}
    missing = [f"{k}={v}" for k in ALL for v in ALL[k] if v not in asked[k]]
    missing += [f"{name} tile {t}" for name, tiles in args.model_tiles.items()
                for t in args.tiles if t not in tiles]
    return missing


def markdown(result) -> str:
    rows = result["rows"]
    lines = [f"# Whole-frame latency through the tiler (overlap {result['overlap']})", "",
             f"LiteRT (XNNPACK) on {result['host']}; uptime load average "
             f"{result['load_average_start'][0]:.1f} at start, "
             f"{result['load_average_end'][0]:.1f} at end (a shared host: other jobs ran; "
             "absolute times are upper bounds, ratios in one round-robin run are fair). "
             "Weights: random init (latency does not depend on them).", "",
             "| frame | threads | tile | tiles (overlap cost) | model | " +
             " | ".join(result["modes"]) + " |",
             "|---|---|---|---|---|" + "---|" * len(result["modes"])]
    keys = sorted({(tuple(r["frame"]), r["threads"], r["tile"], r["model"]) for r in rows},
                  key=lambda k: (k[0], k[1], k[2], result["models"].index(k[3])))
    for frame, threads, tile, model in keys:
        cells = {r["mode"]: r for r in rows if (tuple(r["frame"]), r["threads"], r["tile"],
                                                r["model"]) == (frame, threads, tile, model)}
        any_row = next(iter(cells.values()))
        lines.append(f"| {frame[1]}x{frame[0]} | {threads} | {tile} | {any_row['tiles']} "
                     f"({any_row['overlap_cost']:.2f}x) | {model} | " + " | ".join(
                         f"{cells[m]['seconds']:.1f} s" if m in cells else "-"
                         for m in result["modes"]) + " |")
    if result["not_measured"]:
        lines += ["", "Not measured in this run: " + ", ".join(result["not_measured"]) + "."]
    return "\n".join(lines) + "\n"


def main(argv=None) -> int:
    from keras_mccnet.atomic_write import atomic_write

    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--models", default=",".join(ALL["models"]))
    parser.add_argument("--tiles", default="256,384,512")
    parser.add_argument("--modes", default="fp32,fp16,dynamic,int8")
    parser.add_argument("--threads", default="1,2")
    parser.add_argument("--frames", default="1120x1680,3024x4032", help="HxW,HxW")
    parser.add_argument("--model-tiles", action="append", default=[], metavar="NAME=T,T",
                        help="tiles of one model, when fewer than --tiles (a loaded host)")
    parser.add_argument("--overlap", type=int, default=64)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--calibration", type=int, default=16)
    parser.add_argument("--work", default="runs/frame_latency")
    parser.add_argument("--out", default=os.path.join(HERE, "results", "frame_latency"))
    args = parser.parse_args(argv)
    args.models = args.models.split(",")
    args.tiles = [int(t) for t in args.tiles.split(",")]
    args.modes = args.modes.split(",")
    args.threads = [int(t) for t in args.threads.split(",")]
    args.frames = [tuple(int(v) for v in f.split("x")) for f in args.frames.split(",")]
    args.model_tiles = {k: [int(t) for t in v.split(",")]
                        for k, v in (m.split("=", 1) for m in args.model_tiles)}

    start = time.time()
    log = lambda msg: print(f"[{time.time() - start:6.0f} s] {msg}", flush=True)  # noqa: E731
    files = export_cells(args, log)
    load_start = os.getloadavg()
    rows = measure(files, args, log)
    result = {
        "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "command": "python benchmarks/frame_latency.py " + " ".join(argv or sys.argv[1:]),
        "host": f"{os.cpu_count()} CPU cores", "load_average_start": list(load_start),
        "load_average_end": list(os.getloadavg()), "overlap": args.overlap,
        "models": args.models, "modes": args.modes, "runs": args.runs,
        "not_measured": not_measured(args), "rows": rows,
    }
    atomic_write(args.out + ".json", json.dumps(result, indent=1) + "\n")
    atomic_write(args.out + ".md", markdown(result))
    log(f"wrote {args.out}.json and .md")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
