"""Whole-frame latency through the tiler: model x quantisation x tile x threads x frame size.

Two steps, so that a short quiet window on the host only times:

    # 1. export every cell into --work (conversion, int8 calibration: slow, run it any time)
    PYTHONPATH=. .venv/bin/python benchmarks/frame_latency.py --export-only \\
        --work /work/cache/frame_latency
    # 2. time only (--no-export: a missing cell is an error naming it, nothing is converted)
    PYTHONPATH=. .venv/bin/python benchmarks/frame_latency.py --no-export \\
        --work /work/cache/frame_latency --budget-s 540

Every (model, tile, mode) is exported with `export.tflite.export_tflite` (the `mccnet export`
path, so int8 is what `mccnet export --quant int8` ships; calibrated on rendered DP tiles, random
init weights: latency does not depend on either). Timing, all in one process (LiteRT, XNNPACK):

1. Per-tile latency of every cell, per thread count: one warm-up run of every cell, then run r of
   every cell, then run r + 1 (round-robin, so load drifts hit all cells alike).
2. Whole frames through the tiler (`ExportedModel.deblur`, as `mccnet deblur` and
   `mccnet bench --image`) for the `--whole` cells at `--whole-frame`, round-robin.

Frame times in the table: MEASURED whole where step 2 ran; otherwise ESTIMATED = per-tile median
x the tiler's tile count (`tiling.plan_tiles`): the estimate leaves out the tiler's own work
(slicing, padding of edge tiles, blending), and the measured cells give measured / estimated.
The overlap cost is the tiled pixels over the frame's pixels.

`--budget-s` keeps the timing inside a fixed window: after the first round at a thread count,
another round starts only if it, one round at each thread count still to come and the
whole-frame cells (all predicted from the warm-up runs) still fit; whole-frame cells that do not
fit are skipped. Whatever was skipped is listed in the output. Writes
benchmarks/results/frame_latency.json and .md.
"""

from __future__ import annotations

import argparse
import datetime
import gc
import json
import os
import sys
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))

ALL = {"models": ("mccnet_base", "dpdnet_concat"), "tiles": (256, 384, 512, 608, 640),
       "modes": ("fp32", "fp16", "dynamic", "int8"), "threads": (1, 2)}
FRAMES = ((1120, 1680), (3024, 4032))  # DPDD's frame; a 12-MP phone frame (4:3, 4032x3024)
WHOLE = ("mccnet_base:512:int8:2,mccnet_base:608:int8:2,mccnet_base:640:int8:2,"
         "dpdnet_concat:512:int8:2,dpdnet_concat:608:int8:2,mccnet_base:608:fp32:2,"
         "mccnet_base:512:fp32:2,dpdnet_concat:608:fp32:2")


def cell_path(work, name, tile, mode) -> str:
    return os.path.join(work, name, f"tile{tile}", f"{name}_{mode}.tflite")


def cells(args) -> list[tuple]:
    """(model, tile, mode) of every cell asked for."""
    return [(name, tile, mode) for name in args.models
            for tile in args.model_tiles.get(name, args.tiles) for mode in args.modes]


def export_cells(args, log) -> dict:
    """{(model, tile, mode): path}, exporting what --work does not hold yet (unless
    --no-export, where a missing cell is an error)."""
    import keras

    from keras_mccnet.export.cli import CalibrationTiles
    from keras_mccnet.export.loading import load_model
    from keras_mccnet.export.tflite import export_tflite

    files = {cell: cell_path(args.work, *cell) for cell in cells(args)}
    missing = [cell for cell, path in files.items() if not os.path.isfile(path)]
    if missing and args.no_export:
        raise SystemExit(f"frame_latency: --no-export, but {len(missing)} cell(s) are not in "
                         f"--work {args.work}: " + ", ".join(
                             os.path.relpath(files[c], args.work) for c in missing)
                         + "; run with --export-only first")
    for name in args.models:
        model = source = None
        for tile in args.model_tiles.get(name, args.tiles):
            todo = [mode for (n, t, mode) in missing if (n, t) == (name, tile)]
            if not todo:
                continue
            if model is None:
                keras.utils.set_random_seed(0)
                model, source = load_model(name)
            out_dir = os.path.dirname(cell_path(args.work, name, tile, todo[0]))
            samples = CalibrationTiles(tile, args.calibration)
            export_tflite(model, out_dir, name, todo, tile, args.overlap, samples,
                          float_groups=args.int8_float,
                          weights=source, calibration={"source": "synthetic",
                                                       "tiles": args.calibration},
                          progress=lambda mode, path: log(f"exported {path}"))
    return files


class Budget:
    """Seconds left of --budget-s (None: no limit)."""

    def __init__(self, seconds):
        self.seconds, self.start = seconds, time.perf_counter()

    def left(self) -> float:
        if self.seconds is None:
            return float("inf")
        return self.seconds - (time.perf_counter() - self.start)


def tile_counts(tile, overlap, frames) -> dict:
    from keras_mccnet.tiling import plan_tiles

    return {f"{h}x{w}": len(plan_tiles(h, w, tile, overlap).tiles) for h, w in frames}


def predicted_whole_s(whole, warmup_ms, threads_done, args) -> float:
    """Seconds the whole-frame cells will take, from the warm-up tile times (scaled by the
    thread ratio where that thread count was not timed yet)."""
    total = 0.0
    for name, tile, mode, threads in whole:
        ms = warmup_ms.get((name, tile, mode, threads))
        if ms is None:  # not timed yet: from the nearest thread count timed, x thread ratio
            near = [(t, warmup_ms[(name, tile, mode, t)]) for t in threads_done
                    if (name, tile, mode, t) in warmup_ms]
            if not near:
                continue
            t, ms = near[0]
            ms *= t / threads
        total += ms / 1e3 * tile_counts(tile, args.overlap, [args.whole_frame])[
            "x".join(map(str, args.whole_frame))]
    return total * args.whole_runs


def time_tiles(files, args, budget, whole, log) -> tuple[dict, dict, list]:
    """Per-tile latency {(model, tile, mode, threads): [seconds]}, warm-up ms, skipped rounds."""
    from keras_mccnet.export.runtime import ExportedModel

    times, warmup_ms, skipped = {}, {}, []
    rng = np.random.default_rng(0)
    for i, threads in enumerate(args.threads):
        models = {cell: ExportedModel(path, num_threads=threads) for cell, path in files.items()}
        inputs = {tile: tuple(rng.random((1, tile, tile, 3), dtype=np.float32) for _ in range(2))
                  for tile in {c[1] for c in models}}
        for cell, m in models.items():
            start = time.perf_counter()
            m.run_batch(*inputs[cell[1]])
            warmup_ms[(*cell, threads)] = (time.perf_counter() - start) * 1e3
        round_s = sum(warmup_ms[(*c, threads)] for c in models) / 1e3
        later = args.threads[i + 1:]
        reserve = sum(round_s * threads / t for t in later) + predicted_whole_s(
            whole, warmup_ms, args.threads[:i + 1], args)
        for r in range(args.runs):
            if r > 0 and budget.left() - reserve < round_s:
                skipped.append(f"per-tile runs {r + 1}..{args.runs} at {threads} thread(s)")
                break
            for cell, m in models.items():
                start = time.perf_counter()
                m.run_batch(*inputs[cell[1]])
                times.setdefault((*cell, threads), []).append(time.perf_counter() - start)
            log(f"{threads} thread(s): per-tile round {r + 1} done ({round_s:.1f} s a round, "
                f"{budget.left():.0f} s of budget left)")
        del models, m
        gc.collect()  # ExportedModel holds a reference cycle: free this thread count's models
    return times, warmup_ms, skipped


def time_whole(files, whole, warmup_ms, args, budget, log) -> tuple[dict, list]:
    """Measured whole-frame seconds {(model, tile, mode, threads): [s]}, skipped cells."""
    from keras_mccnet.export.benchmark import time_images_interleaved

    measured, skipped = {}, []
    chosen = []
    for cell in whole:
        if budget.left() - predicted_whole_s(chosen + [cell], warmup_ms, args.threads,
                                             args) < 0:
            skipped.append("whole frame " + ":".join(map(str, cell)))
        else:
            chosen.append(cell)
    for threads in sorted({c[3] for c in chosen}):
        group = [c for c in chosen if c[3] == threads]
        paths = [files[c[:3]] for c in group]
        stats = time_images_interleaved(
            paths, threads, args.whole_frame, args.whole_runs,
            progress=lambda f, s: log(f"whole frame {os.path.basename(f)} {threads} thr: "
                                      f"{s:.1f} s"))
        for cell, path in zip(group, paths):
            measured[cell] = {"median_s": stats[path]["median_ms"] / 1e3,
                              "runs": stats[path]["runs"], "tiles": stats[path]["tiles"]}
    return measured, skipped


def rows_of(files, times, measured, args) -> list[dict]:
    rows = []
    frame_keys = ["x".join(map(str, f)) for f in args.frames]
    for (name, tile, mode), _ in files.items():
        counts = tile_counts(tile, args.overlap, args.frames)
        for threads in args.threads:
            t = times.get((name, tile, mode, threads))
            if not t:
                continue
            per_tile_ms = float(np.median(t) * 1e3)
            row = {"model": name, "tile": tile, "mode": mode, "threads": threads,
                   "per_tile_ms": per_tile_ms, "tile_runs": len(t), "frames": {}}
            for (h, w), key in zip(args.frames, frame_keys):
                row["frames"][key] = {
                    "tiles": counts[key], "overlap_cost": counts[key] * tile * tile / (h * w),
                    "estimated_s": per_tile_ms / 1e3 * counts[key]}
            whole = measured.get((name, tile, mode, threads))
            if whole is not None:
                key = "x".join(map(str, args.whole_frame))
                estimate = per_tile_ms / 1e3 * whole["tiles"]
                row["whole_frame"] = {"frame": key, **whole, "estimated_s": estimate,
                                      "measured_over_estimated": whole["median_s"] / estimate}
            rows.append(row)
    return rows


def int8_float_groups(files) -> list:
    """The float groups the timed int8 cells were exported with (from their metadata)."""
    from keras_mccnet.export.metadata import read_metadata

    return sorted({",".join(read_metadata(path)["int8_kept_in_float"]["float_groups"])
                   for (_, _, mode), path in files.items() if mode == "int8"})


def markdown(result) -> str:
    frames = result["frames"]
    lines = [f"# Whole-frame latency through the tiler (overlap {result['overlap']})", "",
             f"LiteRT (XNNPACK) on {result['host']}, {result['date']}; load average "
             f"{result['load_average_start'][0]:.1f} at start, "
             f"{result['load_average_end'][0]:.1f} at end. Weights: random init (latency does "
             "not depend on them). Frame seconds are **est.** = per-tile median x tile count "
             "unless marked **measured** (whole frame through the tiler). Sizes are W x H."
             + (" Int8 keeps in float: " + "; ".join(result["int8_kept_in_float"]) + "."
                if result.get("int8_kept_in_float") else ""), "",
             "| model | tile | mode | threads | tile ms | " + " | ".join(
                 f"{f.split('x')[1]}x{f.split('x')[0]} s (tiles, overlap cost)" for f in frames)
             + " |", "|---|---|---|---|---|" + "---|" * len(frames)]
    for r in result["rows"]:
        cells = []
        for f in frames:
            fr = r["frames"][f]
            whole = r.get("whole_frame")
            if whole and whole["frame"] == f:
                text = (f"**{whole['median_s']:.1f} measured** (est. {fr['estimated_s']:.1f}, "
                        f"x{whole['measured_over_estimated']:.2f})")
            else:
                text = f"{fr['estimated_s']:.1f} est."
            cells.append(f"{text} ({fr['tiles']}, {fr['overlap_cost']:.2f}x)")
        lines.append(f"| {r['model']} | {r['tile']} | {r['mode']} | {r['threads']} | "
                     f"{r['per_tile_ms']:.0f} (n={r['tile_runs']}) | " + " | ".join(cells) + " |")
    if result["not_measured"]:
        lines += ["", "Not measured in this run: " + "; ".join(result["not_measured"]) + "."]
    return "\n".join(lines) + "\n"


def publish_in_readme(out, result) -> bool:
    """The table (without its title) into the README section named after OUT's file name."""
    from readme_table import replace_section

    body = "\n".join(line for line in markdown(result).splitlines() if not line.startswith("# "))
    return replace_section(os.path.basename(out), body.strip() + "\n")


def not_measured(args, skipped) -> list[str]:
    asked = {"models": args.models, "tiles": args.tiles, "modes": args.modes,
             "threads": args.threads}
    missing = [f"{k}={v}" for k in ALL for v in ALL[k] if v not in asked[k]]
    missing += [f"{name} tile {t}" for name, tiles in args.model_tiles.items()
                for t in args.tiles if t not in tiles]
    return missing + skipped


def parse_args(argv):
    from keras_mccnet.export.cli import parse_float_groups
    from keras_mccnet.export.int8_float import DEFAULT_GROUPS

    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--models", default=",".join(ALL["models"]))
    parser.add_argument("--tiles", default=",".join(map(str, ALL["tiles"])))
    parser.add_argument("--modes", default="fp32,fp16,dynamic,int8")
    parser.add_argument("--threads", default="2,1", help="timed in this order")
    parser.add_argument("--frames", default="1120x1680,3024x4032",
                        help="HxW,HxW: frame sizes of the table (estimated unless in --whole)")
    parser.add_argument("--whole", default=WHOLE,
                        help="MODEL:TILE:MODE:THREADS,... cells timed as whole frames at "
                             "--whole-frame, in priority order ('' for none)")
    parser.add_argument("--whole-frame", default="1120x1680", help="HxW")
    parser.add_argument("--whole-runs", type=int, default=1)
    parser.add_argument("--model-tiles", action="append", default=[], metavar="NAME=T,T",
                        help="tiles of one model, when fewer than --tiles")
    parser.add_argument("--overlap", type=int, default=64)
    parser.add_argument("--runs", type=int, default=3, help="per-tile timed rounds")
    parser.add_argument("--calibration", type=int, default=8,
                        help="int8 calibration tiles (latency does not depend on them)")
    parser.add_argument("--int8-float", default=",".join(DEFAULT_GROUPS),
                        help="int8 groups kept in float when exporting, as `mccnet export "
                             "--int8-float` (give each choice its own --work)")
    parser.add_argument("--work", default="runs/frame_latency", help="exported cells")
    step = parser.add_mutually_exclusive_group()
    step.add_argument("--export-only", action="store_true",
                      help="export the missing cells into --work, then stop (no timing)")
    step.add_argument("--no-export", action="store_true",
                      help="time only: fail, naming them, if cells are missing from --work")
    parser.add_argument("--budget-s", type=float, default=None,
                        help="stop starting timed work that would end past this many seconds")
    parser.add_argument("--out", default=os.path.join(HERE, "results", "frame_latency"))
    args = parser.parse_args(argv)
    args.models = args.models.split(",")
    args.tiles = [int(t) for t in args.tiles.split(",")]
    args.modes = args.modes.split(",")
    args.int8_float = parse_float_groups(args.int8_float)
    args.threads = [int(t) for t in args.threads.split(",")]
    size = lambda f: tuple(int(v) for v in f.split("x"))  # noqa: E731
    args.frames = [size(f) for f in args.frames.split(",")]
    args.whole_frame = size(args.whole_frame)
    args.model_tiles = {k: [int(t) for t in v.split(",")]
                        for k, v in (m.split("=", 1) for m in args.model_tiles)}
    args.whole = [(m, int(t), mode, int(n)) for m, t, mode, n in
                  (c.split(":") for c in args.whole.split(",") if c)]
    bad = [c for c in args.whole if c[:3] not in set(cells(args)) or c[3] not in args.threads]
    if bad:
        parser.error(f"--whole cells {bad} are not among the cells asked for")
    return args


def main(argv=None) -> int:
    from keras_mccnet.atomic_write import atomic_write

    args = parse_args(argv)
    start = time.time()
    log = lambda msg: print(f"[{time.time() - start:6.0f} s] {msg}", flush=True)  # noqa: E731
    files = export_cells(args, log)
    if args.export_only:
        log(f"{len(files)} cells ready in {args.work}")
        return 0
    budget = Budget(args.budget_s)
    load_start = os.getloadavg()
    times, warmup_ms, skipped = time_tiles(files, args, budget, args.whole, log)
    measured, skipped_whole = time_whole(files, args.whole, warmup_ms, args, budget, log)
    result = {
        "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "command": "python benchmarks/frame_latency.py " + " ".join(argv or sys.argv[1:]),
        "host": f"{os.cpu_count()} CPU cores", "load_average_start": list(load_start),
        "load_average_end": list(os.getloadavg()), "overlap": args.overlap,
        "wall_s": time.time() - start,
        "frames": ["x".join(map(str, f)) for f in args.frames],
        "models": args.models, "modes": args.modes, "runs": args.runs,
        "not_measured": not_measured(args, skipped + skipped_whole),
        "int8_kept_in_float": int8_float_groups(files),
        "rows": rows_of(files, times, measured, args),
    }
    atomic_write(args.out + ".json", json.dumps(result, indent=1) + "\n")
    atomic_write(args.out + ".md", markdown(result))
    publish_in_readme(args.out, result)
    log(f"wrote {args.out}.json and .md")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
