"""The smoke bar: `mccnet train --config synthetic_smoke` lowers the validation loss in < 2 min,
then `mccnet eval` on ../shared/realdp prints the indoor / outdoor / all table.

Run:
    .venv/bin/python benchmarks/smoke_train.py [--run-dir runs/smoke_bench]
Writes benchmarks/results/smoke_train.json and benchmarks/results/realdp_eval.md.
"""

from __future__ import annotations

import argparse
import json
import os
import pathlib
import shutil
import subprocess
import sys
import time

from keras_mccnet.atomic_write import atomic_write_json
from keras_mccnet import shared_data

REPO = pathlib.Path(__file__).resolve().parents[1]
REALDP = shared_data.realdp_path()
RESULTS = REPO / "benchmarks" / "results"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--run-dir", default=str(REPO / "runs" / "smoke_bench"))
    args = parser.parse_args(argv)
    shutil.rmtree(args.run_dir, ignore_errors=True)
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="2")
    cli = [sys.executable, "-m", "keras_mccnet.cli"]

    t = time.time()
    train = subprocess.run([*cli, "train", "--config", "synthetic_smoke", "--run-dir",
                            args.run_dir, "--quiet"], env=env, cwd=REPO, capture_output=True,
                           text=True)
    train_s = time.time() - t
    print(train.stdout[-3000:])
    if train.returncode != 0:
        print(train.stderr[-3000:], file=sys.stderr)
        return 1
    history = json.loads(pathlib.Path(args.run_dir, "history.json").read_text())
    log = pathlib.Path(args.run_dir, "train_log.csv").read_text()
    result = {"command": "mccnet train --config synthetic_smoke --run-dir RUN --quiet",
              "wall_s_including_startup": round(train_s, 1),
              "initial_val_loss": history["initial_val_loss"],
              "final_val_loss": history["final_val_loss"],
              "val_loss_lowered": history["final_val_loss"] < history["initial_val_loss"],
              "steps": history["global_step"], "train_log_csv": log,
              "bar_under_2_min": train_s < 120,
              "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
              "host": f"{os.cpu_count()} CPU cores shared with other jobs"}

    if REALDP.is_dir():
        out = os.path.join(args.run_dir, "eval_realdp")
        t = time.time()
        ev = subprocess.run([*cli, "eval", "--model", args.run_dir, "--data", str(REALDP),
                             "--score-rows-from", "56", "--baseline", "input", "--out", out,
                             "--overwrite"],
                            env=env, cwd=REPO, capture_output=True, text=True)
        result["realdp_eval_wall_s"] = round(time.time() - t, 1)
        printed = ev.stdout[ev.stdout.find("scenes from"):]
        print(printed)
        if ev.returncode != 0:
            print(ev.stderr[-3000:], file=sys.stderr)
            return 1
        (RESULTS / "realdp_eval.md").write_text(
            "# mccnet eval on ../shared/realdp (synthetic_smoke model vs input C)\n\n"
            "`mccnet eval --model RUN --data ../shared/realdp/dpdd_gif4 --score-rows-from 56 "
            "--baseline input`\n\n" + printed.split("\n", 1)[1].split("\nwritten")[0].strip()
            + "\n\nThe real scenes are 8-bit GIF frames at half DPDD resolution: not comparable "
            "with published DPDD figures. The smoke model is 20 CPU steps of mccnet_tiny.\n")
    RESULTS.mkdir(parents=True, exist_ok=True)
    atomic_write_json(RESULTS / "smoke_train.json", result)
    print(json.dumps({k: v for k, v in result.items() if k != "train_log_csv"}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
