"""Real blur or synthetic blur of the SAME content: is a real scene hard because of what it shows
or because of how it was blurred?

    .venv/bin/python benchmarks/rerender_region.py --scene 1P0A1434 --box 100 300 200 200 \\
        --diameters 4 6 8 10 12 --models "default=mccnet_tiny:synthetic" --name rerender_1434

The all-in-focus target of one region of a real DPDD scene is blurred again with the renderer's
DP PSFs (`keras_mccnet.data.psf.dp_kernels`, a uniform blur diameter per run, the DPDD-calibrated
disparity ratio, in linear light, no noise), and every model deblurs both the real views and
these synthetic ones. With the content fixed, a model that gains much less on the real blur than
on a synthetic blur of matching difficulty (input PSNR) is held back by the real blur or camera
processing, not by the content. Writes benchmarks/results/NAME.{json,md,png} (the picture: the
synthetic blur whose input PSNR is closest to the real input's, beside the real one) and the
README section `NAME`.
"""

from __future__ import annotations

import argparse
import pathlib
import sys

import numpy as np

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import cpu_training  # noqa: E402
from scene_crops import (ZOOM, add_region_arguments, command_line, find_scene,  # noqa: E402
                         parse_models)

RATIO = 0.22  # disparity / blur diameter: the DPDD median (results/dp_calibration.json)
RIM = 0.2
MARGIN = 40  # context around the box, so the model sees past its edges


def srgb_clipped(image_linear: np.ndarray) -> np.ndarray:
    """Linear light -> sRGB float32 in [0, 1]."""
    from keras_mccnet.data.color import linear_to_srgb

    return np.clip(linear_to_srgb(image_linear), 0.0, 1.0).astype(np.float32)


def views_from_linear(left: np.ndarray, right: np.ndarray) -> tuple:
    """(left, right, center) sRGB from linear-light L and R: C is their mean in linear light."""
    return tuple(srgb_clipped(v) for v in (left, right, 0.5 * (left + right)))


def views_blurred_by(target_srgb: np.ndarray, kernels) -> tuple:
    """(left, right, center) sRGB views of `target_srgb` blurred by the (left, right) PSFs in
    linear light (reflected borders: the target is a crop of a larger image)."""
    from keras_mccnet.data.color import srgb_to_linear
    from keras_mccnet.data.psf import convolve

    linear = srgb_to_linear(target_srgb)
    return views_from_linear(*(convolve(linear, k, border="reflect") for k in kernels))


def blurred_views(target_srgb: np.ndarray, diameter: float, ratio: float = RATIO):
    """(left, right, center) sRGB views of `target_srgb` under a uniform DP blur (signed
    diameter, px; disparity = `ratio` x diameter)."""
    from keras_mccnet.data.psf import dp_kernels

    return views_blurred_by(target_srgb, dp_kernels(diameter, ratio, RIM))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    add_region_arguments(parser)
    parser.add_argument("--diameters", nargs="+", type=float, required=True,
                        help="synthetic blur diameters, px")
    args = parser.parse_args(argv)
    models = parse_models(args.models)
    cpu_training.limit_threads(args.threads)
    name, kind, left, right, center, target, rows_from = find_scene(args.scene)
    y, x, h, w = args.box
    y0, x0 = y - MARGIN, x - MARGIN
    if y0 < rows_from or x0 < 0 or y + h + MARGIN > target.shape[0] or \
            x + w + MARGIN > target.shape[1]:
        raise SystemExit(f"rerender_region: --box {y} {x} {h} {w} needs {MARGIN} px of the "
                         f"scored part of {name} around it")

    from keras_mccnet.model_spec import load_model
    from keras_mccnet.training.comparison_sheet import comparison_sheet
    from keras_mccnet.training.protocol import psnr

    box = (slice(MARGIN, MARGIN + h), slice(MARGIN, MARGIN + w))
    region = (slice(y0, y + h + MARGIN), slice(x0, x + w + MARGIN))
    truth = target[region]
    inputs = {"real": (left[region], right[region], center[region])}
    inputs.update({f"synthetic {d:g} px": blurred_views(truth, d) for d in args.diameters})
    rows, outputs = [], {}
    for label, spec in models.items():
        model = load_model(spec)[0]
        for blur, (l, r, c) in inputs.items():
            out = np.clip(model.predict({"left": l[None], "right": r[None]}, verbose=0)[0], 0, 1)
            outputs[label, blur] = out[box]
            rows.append({"model": label, "blur": blur, "input_psnr": psnr(truth[box], c[box]),
                         "output_psnr": psnr(truth[box], out[box])})
    for row in rows:
        row["gain_db"] = row["output_psnr"] - row["input_psnr"]
    real_input = rows[0]["input_psnr"]
    matched = min((r for r in rows if r["blur"] != "real"),
                  key=lambda r: abs(r["input_psnr"] - real_input))["blur"]
    first = next(iter(models))
    panels = [("real input", inputs["real"][2][box]),
              (f"{first} on it", outputs[first, "real"]),
              (f"{matched} input", inputs[matched][2][box]),
              (f"{first} on it", outputs[first, matched]), ("target", truth[box])]
    sheet = comparison_sheet(panels, max_panel_width=w)
    sheet = np.repeat(np.repeat(sheet, ZOOM, 0), ZOOM, 1)

    from keras_mccnet.data import write_image

    write_image(str(cpu_training.RESULTS / f"{args.name}.png"), sheet)
    result = {"command": command_line("rerender_region.py", argv), "scene": name,
              "box_yxhw": args.box, "ratio": RATIO, "rim": RIM, "models": models,
              "matched_blur": matched, "rows": rows}
    cpu_training.publish(args.name, result, table(rows, name, args.box, matched))
    return 0


def table(rows, scene, box, matched) -> str:
    lines = [f"{scene}, region y {box[0]} x {box[1]}, {box[2]}x{box[3]} px: the real DP views, and "
             f"its target blurred again by the renderer's DP PSFs (uniform diameter, disparity "
             f"{RATIO} x diameter, linear light, no noise). PSNR on the region, dB. Closest to the "
             f"real input's difficulty: {matched}.", "",
             "| model | blur | input PSNR | output PSNR | gain |", "|---|---|---:|---:|---:|"]
    for r in rows:
        lines.append(f"| {r['model']} | {r['blur']} | {r['input_psnr']:.2f} | "
                     f"{r['output_psnr']:.2f} | {r['gain_db']:+.2f} |")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
