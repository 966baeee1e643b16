"""Peak memory and wall time of `mccnet deblur` on full-size photos, tiled.

Sizes: DPDD's 1680x1120 and a 12-MP phone photo (4032x3024). The model is mccnet_base with
random weights (memory and time do not depend on the weight values); the DP pair is a smooth
random texture with a 3-px disparity, written as 16-bit PNGs. Each deblur runs in its own
process; its peak resident memory (max RSS, includes Python, TensorFlow and the model) is read
with getrusage(RUSAGE_CHILDREN) from a small wrapper process.

Run:
    .venv/bin/python benchmarks/inference_memory.py [--sizes 1120x1680 3024x4032] [--tile N]
Writes benchmarks/results/inference_memory.json. Bar: peak memory < 4 GB at 12 MP.
"""

from __future__ import annotations

import argparse
import json
import os
import pathlib
import platform
import subprocess
import sys
import tempfile
import time

import numpy as np

REPO = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from keras_mccnet import io_spec  # noqa: E402  (no Keras import: the tile rule only)
WRAPPER = ("import resource, subprocess, sys, time; t = time.time(); "
           "code = subprocess.run(sys.argv[1:]).returncode; "
           "print('RESULT', code, time.time() - t, "
           "resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")


def write_pair(folder, h, w, seed=0):
    import cv2

    rng = np.random.default_rng(seed)
    small = rng.random((h // 8 + 2, w // 8 + 2, 3)).astype(np.float32)
    base = cv2.resize(small, (w + 6, h), interpolation=cv2.INTER_CUBIC)
    left, right = base[:, 3:3 + w], base[:, 0:w]  # content 3 px further right in R
    for name, image in (("L", left), ("R", right)):
        data = (np.clip(image, 0, 1) * 65535 + 0.5).astype(np.uint16)[:, :, ::-1]
        cv2.imwrite(os.path.join(folder, f"{name}.png"), data)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--preset", default="mccnet_base")
    parser.add_argument("--sizes", nargs="+", default=["1120x1680", "3024x4032"])
    parser.add_argument("--tile", type=int, default=io_spec.DEFAULT_TILE)
    parser.add_argument("--overlap", type=int, default=io_spec.DEFAULT_OVERLAP)
    parser.add_argument("--out", default=str(REPO / "benchmarks" / "results" /
                                            "inference_memory.json"))
    args = parser.parse_args(argv)

    results = []
    with tempfile.TemporaryDirectory() as tmp:
        model_path = os.path.join(tmp, "model.keras")
        subprocess.run([sys.executable, "-c",
                        "import sys; from keras_mccnet import MCCNet; "
                        f"MCCNet.from_preset({args.preset!r}).save(sys.argv[1])", model_path],
                       check=True, cwd=REPO)
        for size in args.sizes:
            h, w = (int(v) for v in size.split("x"))
            write_pair(tmp, h, w)
            out = os.path.join(tmp, f"out_{h}x{w}.png")  # deblur refuses an existing output
            command = [sys.executable, "-m", "keras_mccnet.cli", "deblur",
                       os.path.join(tmp, "L.png"), os.path.join(tmp, "R.png"), "-o", out,
                       "--model", model_path, "--tile", str(args.tile), "--overlap",
                       str(args.overlap), "--quiet", "--no-sign-check"]
            run = subprocess.run([sys.executable, "-c", WRAPPER, *command], cwd=REPO,
                                 capture_output=True, text=True)
            line = [x for x in run.stdout.splitlines() if x.startswith("RESULT")]
            if not line:
                print(run.stdout[-2000:], run.stderr[-2000:], file=sys.stderr)
                return 1
            _, code, seconds, maxrss_kb = line[-1].split()
            if int(code) != 0:  # a refused or crashed run measured nothing: no row, no bar
                print(f"deblur of {h}x{w} failed (exit {code}):\n{run.stdout[-2000:]}"
                      f"{run.stderr[-2000:]}", file=sys.stderr)
                return 1
            from keras_mccnet.tiling import plan_tiles

            row = {"size_hw": [h, w], "megapixels": round(h * w / 1e6, 2),
                   "tiles": len(plan_tiles(h, w, args.tile, args.overlap).tiles),
                   "exit_code": int(code), "wall_s": round(float(seconds), 1),
                   "peak_rss_mib": round(int(maxrss_kb) / 1024, 1)}
            results.append(row)
            print(json.dumps(row), flush=True)
    report = {"benchmark": "mccnet deblur peak memory and time", "preset": args.preset,
              "tile": args.tile, "overlap": args.overlap, "weights": "random (same compute)",
              "host": {"machine": platform.machine(), "cpus": os.cpu_count(),
                       "python": platform.python_version()},
              "backend": os.environ.get("KERAS_BACKEND", "tensorflow"),
              "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
              "note": "max RSS of the whole deblur process (interpreter, framework, model, "
                      "images, tiles). 2 shared CPU cores: wall times include contention.",
              "results": results,
              "bar_4gb_at_12mp": all(r["peak_rss_mib"] < 4096 for r in results
                                     if r["megapixels"] >= 12)}
    from keras_mccnet.atomic_write import atomic_write

    atomic_write(args.out, json.dumps(report, indent=1))
    print(f"written {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
