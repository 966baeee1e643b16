"""Start-up time of the `mccnet` command: --help, each stage's --help, argument errors, and one
command that needs Keras (for scale), in fresh processes, median of N runs each.

Run:
    .venv/bin/python benchmarks/cli_startup.py [--runs 5]
Writes benchmarks/results/cli_startup.json. Bar (issue 16): --help and argument errors in well
under a second (Keras/TensorFlow are imported only by the stage that runs).
"""

from __future__ import annotations

import argparse
import os
import pathlib
import statistics
import subprocess
import sys
import time

REPO = pathlib.Path(__file__).resolve().parents[1]
CASES = {
    "mccnet --help": ["--help"],
    "mccnet train --help": ["train", "--help"],
    "mccnet eval --help": ["eval", "--help"],
    "mccnet deblur --help": ["deblur", "--help"],
    "mccnet export --help": ["export", "--help"],
    "mccnet synth --help": ["synth", "--help"],
    "mccnet demo --help": ["demo", "--help"],
    "argument error: mccnet frobnicate": ["frobnicate"],
    "argument error: mccnet export --quant int4": ["export", "--model", "m", "--out", "o",
                                                    "--quant", "int4"],
    "argument error: mccnet train --distribute data_parallel (TensorFlow)": [
        "train", "--run-dir", "/nonexistent/run", "--distribute", "data_parallel"],
    "for scale, needs Keras: mccnet info --preset mccnet_tiny --size 64 64": [
        "info", "--preset", "mccnet_tiny", "--size", "64", "64"],
}


def time_once(argv) -> tuple[float, int, str]:
    env = dict(os.environ, PYTHONPATH=str(REPO), KERAS_BACKEND="tensorflow")
    env.pop("TF_CPP_MIN_LOG_LEVEL", None)  # as a user's shell: the command must quiet TF itself
    start = time.perf_counter()
    run = subprocess.run([sys.executable, "-m", "keras_mccnet.cli", *argv], cwd=REPO, env=env,
                         capture_output=True, text=True)
    return time.perf_counter() - start, run.returncode, run.stderr


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    results = {}
    for name, command in CASES.items():
        times, codes, stderr = [], set(), ""
        for _ in range(args.runs):
            t, code, stderr = time_once(command)
            times.append(t)
            codes.add(code)
        results[name] = {"median_s": round(statistics.median(times), 3),
                         "max_s": round(max(times), 3), "exit_codes": sorted(codes),
                         "stderr_lines": len(stderr.strip().splitlines()) if stderr.strip() else 0}
        print(f"{results[name]['median_s']:7.3f} s (max {results[name]['max_s']:.3f})  "
              f"exit {sorted(codes)}  stderr lines {results[name]['stderr_lines']}  {name}",
              flush=True)
    load = os.getloadavg()
    out = {"runs": args.runs, "python": sys.version.split()[0],
           "load_average_1_5_15": [round(x, 2) for x in load],
           "note": "fresh process per run; wall time incl. interpreter start. The development "
                   "machine (2 cores) was shared with other jobs while this ran.",
           "results": results}
    path = REPO / "benchmarks" / "results" / "cli_startup.json"
    from keras_mccnet.atomic_write import atomic_write_json
    atomic_write_json(path, out)
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
