"""Where do the shipped weights help: gain over the input by the scene's blur size.

    .venv/bin/python benchmarks/blur_size_gain.py [--models SPEC ...] [--scenes 24] [--threads 1]

Phones have small apertures, so their DP photos are blurred by a few pixels at most, while DPDD's
Canon at f/4 reaches ~20 px (design.md). The held-back phone scenes gained +0.24 dB with SSIM
slightly below the input's. This scores each model (plain) on synthetic validation scenes
rendered with the campaign's generator but with the scene's largest blur drawn from one band at a
time (`blur_range`), same seeds in every band, against the input C: PSNR and SSIM gains per band.
Writes benchmarks/results/blur_size_gain.{json,md} and the README section `blur_size_gain`.
"""

from __future__ import annotations

import argparse
import pathlib
import sys

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import cpu_campaign  # noqa: E402
import cpu_training  # noqa: E402

BANDS = ((0.5, 2.0), (2.0, 4.0), (4.0, 8.0), (8.0, 16.0), (16.0, 24.0))
DEFAULT_MODELS = ("mccnet_tiny:synthetic",)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--models", nargs="+", default=list(DEFAULT_MODELS),
                        metavar="[LABEL=]SPEC", help="model specs (`mccnet deblur --model`), "
                        "optionally named, e.g. candidate=mccnet_tiny:runs/x/best.weights.h5, or a "
                        "campaign's OUT/snapshots/stepN.weights.h5")
    parser.add_argument("--name", default="blur_size_gain", help="results/NAME.{json,md}")
    parser.add_argument("--scenes", type=int, default=24)
    parser.add_argument("--threads", type=int, default=None)
    args = parser.parse_args(argv)
    cpu_training.limit_threads(args.threads)
    from keras_mccnet.predict import predict_views

    named = (m.split("=", 1) if "=" in m else (m, m) for m in args.models)
    models = {label: cpu_campaign.snapshot_or_spec_model(spec) for label, spec in named}
    rows = []
    for band in BANDS:
        scenes = cpu_training.synthetic_test_set(args.scenes, blur_range=band)
        base = cpu_training.input_baseline(scenes, [])
        for label, model in models.items():
            row = cpu_training.evaluate_outputs(scenes, [], lambda l, r, c: predict_views(
                model, l, r, tile=None))
            rows.append({"band_px": band, "model": label,
                         "input_psnr": base["synthetic_psnr"], "input_ssim": base["synthetic_ssim"],
                         "psnr": row["synthetic_psnr"], "ssim": row["synthetic_ssim"],
                         "gain_db": row["synthetic_psnr"] - base["synthetic_psnr"],
                         "ssim_gain": row["synthetic_ssim"] - base["synthetic_ssim"]})
            print(rows[-1], flush=True)
    lines = [f"{args.scenes} synthetic validation scenes per band (the same seeds in every band), "
             "the scene's largest |blur diameter| drawn from the band; one pass per scene.", "",
             "| largest blur (px) | model | input PSNR | PSNR gain (dB) | input SSIM | SSIM gain |",
             "|---|---|---:|---:|---:|---:|"]
    for r in rows:
        lines.append(f"| {r['band_px'][0]:g}-{r['band_px'][1]:g} | `{r['model']}` | "
                     f"{r['input_psnr']:.2f} | {r['gain_db']:+.2f} | {r['input_ssim']:.3f} | "
                     f"{r['ssim_gain']:+.3f} |")
    cpu_training.publish(args.name, {"command": "benchmarks/blur_size_gain.py " +
                                            " ".join(sys.argv[1:]), "rows": rows},
                         "\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
