"""Trains the shipped mccnet_tiny weights on CPU: the ablation's mccnet_tiny, trained on.

    .venv/bin/python benchmarks/train_shipped_tiny.py --init runs/cpu_ablation/mccnet_tiny/final.weights.h5 \\
        --out runs/shipped_tiny --steps 2000

No GPU host was lent to issue 7, so the shipped model is the CPU-sized one. It continues from
the 600-step ablation model on a larger, freshly rendered synthetic pool (another seed), with
the same loss and optimiser; model selection never looks at the real scenes (the last step is
shipped). Writes benchmarks/results/shipped_tiny.{json,md} and shipped_tiny_curve.png; resumable.
"""

from __future__ import annotations

import argparse
import json
import pathlib
import sys

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import cpu_ablation  # noqa: E402


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
    pool = cpu_ablation.render_pool(out / f"pool_{args.pool}_{args.patch}.npz", args.pool,
                                    args.patch, args.seed, args.workers)
    model, state = cpu_ablation.train_one("mccnet_tiny", pool, args, out, init=args.init)
    synthetic = cpu_ablation.synthetic_test_set(args.synthetic_test, 256)
    real = cpu_ablation.real_test_set()
    rows = {"input_C": cpu_ablation.input_baseline(synthetic, real),
            "mccnet_tiny (shipped)": {**cpu_ablation.evaluate(model, synthetic, real),
                                      "train_seconds": state["seconds"]}}
    result = {"command": "benchmarks/train_shipped_tiny.py " + " ".join(sys.argv[1:]),
              "setup": vars(args), "blur_range_px": cpu_ablation.BLUR_RANGE, "rows": rows}
    cpu_ablation.RESULTS.mkdir(exist_ok=True)
    (cpu_ablation.RESULTS / "shipped_tiny.json").write_text(json.dumps(result, indent=1) + "\n")
    cpu_ablation.plot_curves({"mccnet_tiny (continued)": state["loss"]},
                             cpu_ablation.RESULTS / "shipped_tiny_curve.png",
                             "Shipped mccnet_tiny: continued training on CPU")
    print(json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
