"""`mccnet bench`: latency of exported models through the LiteRT interpreter (and onnxruntime).

For every model file in a folder (or given files): median and p90 latency of one fixed-size tile
at each thread count, after warm-up runs, and optionally of a whole image (default DPDD's
1680x1120) through the overlap-blended tiler with the metadata's tile and overlap.

    mccnet bench --dir exported/ --threads 1,2 --runs 5 [--image 1120 1680] [--json out.json]
"""

from __future__ import annotations

import argparse
import os
import time

import numpy as np

DPDD_SIZE = (1120, 1680)


def _stats(times_s) -> dict:
    ms = np.asarray(times_s) * 1e3
    return {"median_ms": float(np.median(ms)), "p90_ms": float(np.percentile(ms, 90)),
            "min_ms": float(ms.min()), "runs": int(len(ms))}


def time_image(path, num_threads: int, size=DPDD_SIZE, runs: int = 1, seed: int = 0) -> dict:
    """Latency of a whole image through the tiler (one warm-up tile first)."""
    return time_images_interleaved([path], num_threads, size, runs, seed)[path]


def time_tiles_interleaved(files, num_threads: int, runs: int = 5, warmup: int = 1,
                           seed: int = 0) -> dict:
    """Tile latency of several models measured round-robin (run r of every model, then run
    r + 1): on a shared, loaded host, drifts in background load then hit all models alike, so
    their ratios stay fair. Returns {path: stats}."""
    from keras_mccnet.export.runtime import ExportedModel

    models = {f: ExportedModel(f, num_threads=num_threads) for f in files}
    rng = np.random.default_rng(seed)
    inputs = {}
    for f, m in models.items():
        shape = (1, m.tile, m.tile, 3)
        inputs[f] = (rng.random(shape, dtype=np.float32), rng.random(shape, dtype=np.float32))
        for _ in range(warmup):
            m.run_batch(*inputs[f])
    times = {f: [] for f in files}
    for _ in range(runs):
        for f, m in models.items():
            start = time.perf_counter()
            m.run_batch(*inputs[f])
            times[f].append(time.perf_counter() - start)
    return {f: _stats(t) for f, t in times.items()}


def time_images_interleaved(files, num_threads: int, size=DPDD_SIZE, runs: int = 1,
                            seed: int = 0, progress=None) -> dict:
    """Whole-image latency (through the tiler) of several models, round-robin like
    `time_tiles_interleaved`: image r of every model, then image r + 1. One warm-up tile per
    model first. Returns {path: stats with "tiles" and "image"}."""
    from keras_mccnet.tiling import plan_tiles

    from keras_mccnet.export.runtime import ExportedModel

    models = {f: ExportedModel(f, num_threads=num_threads) for f in files}
    rng = np.random.default_rng(seed)
    left = rng.random((*size, 3), dtype=np.float32)
    right = rng.random((*size, 3), dtype=np.float32)
    for m in models.values():
        m(left[:m.tile, :m.tile], right[:m.tile, :m.tile])
    times = {f: [] for f in files}
    for _ in range(runs):
        for f, m in models.items():
            start = time.perf_counter()
            # the model path only: the DP-axis measurement (keras_mccnet.dp_axis) is timed by
            # benchmarks/dp_axis.py
            m.deblur(left, right, dp_axis="horizontal")
            times[f].append(time.perf_counter() - start)
            if progress is not None:
                progress(f, times[f][-1])
    out = {}
    for f, m in models.items():
        out[f] = {**_stats(times[f]), "image": list(size),
                  "tiles": len(plan_tiles(*size, m.tile, m.overlap).tiles)}
    return out


def bench_files(files, threads=(1, 2), runs: int = 5, warmup: int = 1, image=None,
                image_runs: int = 1, progress=None) -> list[dict]:
    """Latency rows: one per model file, with a result per thread count (tiles timed
    round-robin across all files, see `time_tiles_interleaved`)."""
    from keras_mccnet.export.metadata import read_metadata

    rows = []
    for path in files:
        meta = read_metadata(path)
        rows.append({"file": os.path.basename(path), "path": os.path.abspath(path),
                     "model_name": meta["model_name"], "quant_mode": meta["quant_mode"],
                     "runtime": meta.get("runtime", "tflite"), "tile": meta["tile"]["size"],
                     "size_bytes": os.path.getsize(path), "tile_latency": {},
                     "image_latency": {}})
    for n in threads:
        stats = time_tiles_interleaved(files, n, runs, warmup)
        for path, row in zip(files, rows):
            row["tile_latency"][str(n)] = stats[path]
    for path, row in zip(files, rows):
        if image is not None:
            for n in threads:
                row["image_latency"][str(n)] = time_image(path, n, image, image_runs)
        if progress is not None:
            progress(row)
    return rows


def format_rows(rows) -> str:
    lines = [f"{'file':<34} {'threads':>7} {'median ms':>10} {'p90 ms':>9} {'image s':>8}"]
    for r in rows:
        for n, t in r["tile_latency"].items():
            image = r["image_latency"].get(n)
            lines.append(f"{r['file']:<34} {n:>7} {t['median_ms']:>10.1f} {t['p90_ms']:>9.1f} "
                         f"{(image['median_ms'] / 1e3 if image else float('nan')):>8.2f}")
    return "\n".join(lines)


def add_arguments(parser):
    parser.add_argument("--dir", help="folder written by `mccnet export` (all its models)")
    parser.add_argument("--models", nargs="*", default=[], help="model files (.tflite/.onnx)")
    parser.add_argument("--threads", default="1,2", help="comma-separated thread counts")
    parser.add_argument("--runs", type=int, default=5, help="timed runs per setting (default 5)")
    parser.add_argument("--warmup", type=int, default=1, help="warm-up runs (default 1)")
    parser.add_argument("--image", nargs=2, type=int, metavar=("H", "W"),
                        help="also time a whole H x W image through the tiler (e.g. 1120 1680)")
    parser.add_argument("--json", help="write the rows to this JSON file")


def run(args) -> int:
    from keras_mccnet.export.verify import model_files

    files = list(args.models)
    if args.dir:
        if not os.path.isdir(args.dir):
            raise SystemExit(f"mccnet bench: --dir {args.dir}: folder not found")
        files += model_files(args.dir)
    missing = [f for f in files if not os.path.isfile(f)]
    if missing:
        raise SystemExit(f"mccnet bench: model file(s) not found: {missing}")
    if not files:
        raise SystemExit("mccnet bench: no models; pass --dir or --models")
    threads = [int(t) for t in args.threads.split(",") if t.strip()]
    rows = bench_files(files, threads, args.runs, args.warmup,
                       tuple(args.image) if args.image else None)
    print(format_rows(rows))
    if args.json:
        from keras_mccnet.export.metadata import write_metadata

        write_metadata(args.json, {"load_average": os.getloadavg(), "rows": rows})
    return 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="mccnet bench", description=__doc__)
    add_arguments(parser)
    return run(parser.parse_args(argv))

