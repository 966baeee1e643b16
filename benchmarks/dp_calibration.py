"""Calibrate the simulator's disparity-to-blur ratio on the real DPDD scenes in ../shared/realdp.

For every 48-px block (840-px-wide scenes, rows >= 80 to skip the burnt-in label) it measures
- the defocus disparity between L and R (`keras_mccnet.data.disparity.block_disparity`), and
- the blur diameter: the disk diameter D that best maps GT to C (squared error of high-passed
  linear-light grey images, D in 0..24 px),
and reports the ratio disparity / D over blocks with D >= 3 px. The result sets
`DISPARITY_TO_BLUR` in keras_mccnet/data/psf.py. The same measurement is then repeated on
rendered synthetic scenes (`synthetic_check`) to show that the simulator reproduces it.

Run: .venv/bin/python benchmarks/dp_calibration.py  (writes benchmarks/results/dp_calibration.json)
"""

from __future__ import annotations

import json
import os
import sys

import cv2
import numpy as np

from keras_mccnet.atomic_write import atomic_write_json
from keras_mccnet.data.color import srgb_to_linear
from keras_mccnet.data.disparity import block_disparity
from keras_mccnet import shared_data
from keras_mccnet.data.dpdd import find_scenes
from keras_mccnet.data.image_io import read_image
from keras_mccnet.data.psf import disk_kernel

ROOT = str(shared_data.realdp_path())
DIAMETERS = np.arange(0, 25, 1.0)


def measure(scene):
    views = [read_image(p) for p in (scene.left, scene.right, scene.center, scene.target)]
    b, d = measure_views(*views)
    keep = d[2] >= 80
    return b[keep], d[0][keep]


def measure_views(left, right, center, target, min_row=0):
    """(blur per valid block, (disparity, x, y)) for sRGB float views."""
    left, right, center, target = (srgb_to_linear(v).mean(axis=2)
                                   for v in (left, right, center, target))
    result = block_disparity(left, right, block=48, max_shift=16)
    highpass = lambda im: im - cv2.GaussianBlur(im, (0, 0), 6)  # noqa: E731
    hc = highpass(center)
    errors = []
    for d in DIAMETERS:
        blurred = cv2.filter2D(target, -1, disk_kernel(d), borderType=cv2.BORDER_REFLECT)
        err = cv2.boxFilter((highpass(blurred) - hc) ** 2, -1, (48, 48))
        errors.append(err[result.y, result.x])
    blur = DIAMETERS[np.argmin(np.array(errors), axis=0)]
    keep = result.valid
    return blur[keep], (result.disparity[keep], result.x[keep], result.y[keep])


def synthetic_check(n=24):
    from keras_mccnet.data.synthetic import Stream, render_scene, scene_rng

    blurs, disps, signs = [], [], []
    for k in range(n):
        s = render_scene(scene_rng(123, k, Stream.DP_CALIBRATION), (384, 384), None)
        b, (d, x, y) = measure_views(s["left"], s["right"], s["center"], s["target"])
        blurs.append(b)
        disps.append(d)
        signs.append(np.sign(s["blur"][y, x]))
    b, d, sign = np.concatenate(blurs), np.concatenate(disps), np.concatenate(signs)
    m = b >= 3
    return {
        "scenes": n, "size": [384, 384], "blocks_blur_ge_3": int(m.sum()),
        "ratio_median": float(np.median(np.abs(d[m]) / b[m])),
        "ratio_p25_p75": [float(v) for v in np.percentile(np.abs(d[m]) / b[m], [25, 75])],
        "fraction_behind_focus": float(np.mean(sign[m] > 0)),
    }


def main(argv=None) -> int:
    root = (argv or sys.argv[1:] or [ROOT])[0]
    if not os.path.isdir(root):
        print(f"{root}: not found; nothing to calibrate")
        return 1
    per_scene, blurs, disps = {}, [], []
    for scene in find_scenes(root):
        b, d = measure(scene)
        m = b >= 3
        per_scene[scene.name] = {
            "blocks": int(len(b)),
            "median_blur_px": float(np.median(b)),
            "median_disparity_px": float(np.median(d)),
            "median_ratio_blur_ge_3": float(np.median(d[m] / b[m])) if m.any() else None,
        }
        blurs.append(b)
        disps.append(d)
    b, d = np.concatenate(blurs), np.concatenate(disps)
    m = b >= 3
    ratio = d[m] / b[m]
    out = {
        "what": "disparity (L vs R) / disk blur diameter (C vs GT), 48-px blocks, 840-px width",
        "scenes": per_scene,
        "blocks_blur_ge_3": int(m.sum()),
        "ratio_median": float(np.median(ratio)),
        "ratio_p25_p75": [float(x) for x in np.percentile(ratio, [25, 75])],
        "blur_px_p50_p90_p99": [float(x) for x in np.percentile(b, [50, 90, 99])],
        "disparity_px_p5_p50_p95": [float(x) for x in np.percentile(d, [5, 50, 95])],
        "fraction_positive_disparity_blur_ge_3": float(np.mean(d[m] > 0)),
        "synthetic_check": synthetic_check(),
    }
    path = os.path.join(os.path.dirname(__file__), "results", "dp_calibration.json")
    atomic_write_json(path, out)
    print(json.dumps(out, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
