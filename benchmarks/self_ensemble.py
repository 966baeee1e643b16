"""Does the test-time self-ensemble (mean over four DP-consistent flips) help the shipped weights?

    .venv/bin/python benchmarks/self_ensemble.py [--models mccnet_tiny:synthetic ...] [--threads 1]

Each model SPEC is scored plain and with `ensemble=True` (`keras_mccnet.self_ensemble`) through
`keras_mccnet.predict.predict_views` (one pass per image, as the campaign scores), on the
synthetic validation scenes, the same scenes with a weak DP split (phone-like), the four real
DPDD scenes of ../shared/realdp (rows >= 56) and the Canon R6 planes (`r6_planes.py`; skipped
when absent), against the input C, in one process. Writes benchmarks/results/self_ensemble.{json,md}
and the README section `self_ensemble`.
"""

from __future__ import annotations

import argparse
import pathlib
import sys
import time

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import cpu_training  # noqa: E402
import r6_planes  # noqa: E402

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
    weak = cpu_training.weak_split_test_set()
    planes = r6_planes.load_planes(r6_planes.FLAT) if r6_planes.FLAT.is_dir() else []
    baseline = cpu_training.input_baseline(synthetic, real)
    baseline["weak_split_psnr"] = cpu_training.input_baseline(weak, [])["synthetic_psnr"]
    if planes:
        baseline["r6_psnr"] = r6_planes.mean_psnr(planes, lambda l, r, c: c)
    rows = []
    for spec in args.models:
        model = load_model(spec)[0]
        for ensemble in (False, True):
            def output_of(left, right, center):
                return predict_views(model, left, right, tile=None, ensemble=ensemble)

            started = time.perf_counter()
            row = cpu_training.evaluate_outputs(synthetic, real, output_of)
            row["weak_split_psnr"] = cpu_training.evaluate_outputs(weak, [], output_of)[
                "synthetic_psnr"]
            row["weak_split_gain_db"] = row["weak_split_psnr"] - baseline["weak_split_psnr"]
            if planes:
                row["r6_psnr"] = r6_planes.mean_psnr(planes, output_of)
                row["r6_gain_db"] = row["r6_psnr"] - baseline["r6_psnr"]
            rows.append({"model": spec, "ensemble": ensemble,
                         "seconds": time.perf_counter() - started, **row,
                         **cpu_training.gains(row, baseline)})
            print(spec, ensemble, {k: round(v, 3) for k, v in rows[-1].items()
                                   if k.endswith("_db")}, flush=True)
    cpu_training.publish("self_ensemble", {"command": "benchmarks/self_ensemble.py " +
                                           " ".join(sys.argv[1:]), "input_C": baseline,
                                           "rows": rows}, table(rows, baseline))
    return 0


def table(rows, baseline) -> str:
    def cell(row, key):
        return f"{row[key + '_psnr']:.2f} ({row[key + '_gain_db']:+.2f})" if (
            key + "_psnr") in row else "-"

    lines = ["Plain vs self-ensemble (mean over 4 DP-consistent flips, 4x the compute); PSNR "
             "(dB over the input C). Input C: synthetic "
             f"{baseline['synthetic_psnr']:.2f} dB, weak split {baseline['weak_split_psnr']:.2f}, "
             f"DPDD {baseline.get('real_psnr', float('nan')):.2f} (rows >= 56), Canon R6 planes "
             f"{baseline.get('r6_psnr', float('nan')):.2f}.", "",
             "| model | ensemble | synthetic validation | synthetic, weak split | 4 DPDD scenes | "
             "Canon R6 planes | scoring time (s) |", "|---|---|---:|---:|---:|---:|---:|"]
    for r in rows:
        lines.append(f"| `{r['model']}` | {'x4 flips' if r['ensemble'] else 'plain'} | "
                     f"{cell(r, 'synthetic')} | {cell(r, 'weak_split')} | {cell(r, 'real')} | "
                     f"{cell(r, 'r6')} | {r['seconds']:.0f} |")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
