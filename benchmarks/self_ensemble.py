"""Does the test-time self-ensemble (mean over four DP-consistent flips) help the shipped weights?

    .venv/bin/python benchmarks/self_ensemble.py [--models mccnet_tiny:synthetic ...] [--threads 1]

Each model SPEC is scored plain and with `ensemble=True` (`keras_mccnet.self_ensemble`) through
`keras_mccnet.predict.predict_views` (one pass per image, as the campaign scores), on the
synthetic validation scenes and the four real DPDD scenes of ../shared/realdp (rows >= 56),
against the input C, in one process. Writes benchmarks/results/self_ensemble.{json,md} and the
README section `self_ensemble`.
"""

from __future__ import annotations

import argparse
import pathlib
import sys
import time

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import cpu_training  # noqa: E402

DEFAULT_MODELS = ("mccnet_tiny:synthetic",)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--models", nargs="+", default=list(DEFAULT_MODELS), metavar="SPEC")
    parser.add_argument("--threads", type=int, default=None)
    args = parser.parse_args(argv)
    cpu_training.limit_threads(args.threads)
    from keras_mccnet.model_spec import load_model
    from keras_mccnet.predict import predict_views

    synthetic, real = cpu_training.synthetic_test_set(), cpu_training.real_test_set()
    baseline = cpu_training.input_baseline(synthetic, real)
    rows = []
    for spec in args.models:
        model = load_model(spec)[0]
        for ensemble in (False, True):
            started = time.perf_counter()
            row = cpu_training.evaluate_outputs(synthetic, real, lambda l, r, c: predict_views(
                model, l, r, tile=None, ensemble=ensemble))
            rows.append({"model": spec, "ensemble": ensemble,
                         "seconds": time.perf_counter() - started, **row,
                         **cpu_training.gains(row, baseline)})
            print(spec, ensemble, {k: round(v, 3) for k, v in rows[-1].items()
                                   if k.endswith("_db")}, flush=True)
    lines = ["Plain vs self-ensemble (mean over 4 DP-consistent flips, 4x the compute); dB over "
             f"the input C (synthetic {baseline['synthetic_psnr']:.2f} dB, real "
             f"{baseline.get('real_psnr', float('nan')):.2f} dB, rows >= 56).", "",
             "| model | ensemble | synthetic PSNR | synthetic gain | real PSNR | real gain | "
             "scoring time (s) |", "|---|---|---:|---:|---:|---:|---:|"]
    for r in rows:
        lines.append(f"| `{r['model']}` | {'x4 flips' if r['ensemble'] else 'plain'} | "
                     f"{r['synthetic_psnr']:.2f} | {r['synthetic_gain_db']:+.2f} | "
                     f"{r.get('real_psnr', float('nan')):.2f} | "
                     f"{r.get('real_gain_db', float('nan')):+.2f} | {r['seconds']:.0f} |")
    cpu_training.publish("self_ensemble", {"command": "benchmarks/self_ensemble.py " +
                                           " ".join(sys.argv[1:]), "input_C": baseline,
                                           "rows": rows}, "\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
