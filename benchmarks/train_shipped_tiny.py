"""Trains the shipped mccnet_tiny weights on CPU: the ablation's mccnet_tiny, trained on.

    .venv/bin/python benchmarks/train_shipped_tiny.py --init runs/cpu_ablation/mccnet_tiny/final.weights.h5 \\
        --out runs/shipped_tiny --steps 2000

No GPU host was lent to issue 7, so the shipped model is the CPU-sized one. It continues from
the 600-step ablation model on a larger, freshly rendered synthetic pool (another seed), with
the same loss and optimiser; model selection never looks at the real scenes (the last step is
shipped). (Since issue 10 the pool is a `PatchBank` and the loop `cpu_training.train`: a rerun
renders and orders its patches differently from the run that made the shipped weights.) Writes benchmarks/results/shipped_tiny.{json,md} and shipped_tiny_curve.png; resumable.
"""

from __future__ import annotations

import argparse
import json
import pathlib
import sys

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import cpu_training  # noqa: E402
from keras_mccnet.atomic_write import atomic_write_json  # noqa: E402


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--init", required=True, help="starting weights (.weights.h5)")
    parser.add_argument("--out", default="runs/shipped_tiny")
    parser.add_argument("--steps", type=int, default=2000)
    parser.add_argument("--batch", type=int, default=8)
    parser.add_argument("--patch", type=int, default=96)
    parser.add_argument("--pool", type=int, default=6000)
    parser.add_argument("--lr", type=float, default=1e-3)
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--checkpoint-every", type=int, default=100)
    parser.add_argument("--synthetic-test", type=int, default=24)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)
    out = pathlib.Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    from keras_mccnet.data import PatchBank

    bank = PatchBank.cached(out / f"bank_{args.pool}_{args.patch}.npz", args.pool, args.patch,
                            args.seed, args.workers, blur_range=cpu_training.BLUR_RANGE)
    schedule = cpu_training.Schedule(steps=args.steps, batch=args.batch, lr=args.lr,
                                     warmup=args.warmup, checkpoint_every=args.checkpoint_every)
    model, state = cpu_training.train("mccnet_tiny", bank, schedule, out / "mccnet_tiny",
                                      init=args.init, seed=args.seed)
    synthetic = cpu_training.synthetic_test_set(args.synthetic_test, 256)
    real = cpu_training.real_test_set()
    rows = {"input_C": cpu_training.input_baseline(synthetic, real),
            "mccnet_tiny (shipped)": {**cpu_training.evaluate(model, synthetic, real),
                                      "train_seconds": state["seconds"]}}
    result = {"command": "benchmarks/train_shipped_tiny.py " + " ".join(sys.argv[1:]),
              "setup": vars(args), "blur_range_px": cpu_training.BLUR_RANGE, "rows": rows}
    atomic_write_json(cpu_training.RESULTS / "shipped_tiny.json", result)
    cpu_training.plot_curves({"mccnet_tiny (continued)": state["loss"]},
                             cpu_training.RESULTS / "shipped_tiny_curve.png",
                             "Shipped mccnet_tiny: continued training on CPU")
    print(json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
