"""What the gap between the R6 planes' synthetic twins and the real views is not: noise, or the
views' L/R brightness ramp; and how alike the twins' and the real views' differences are.

    .venv/bin/python benchmarks/r6_gap_checks.py --threads 1 --name r6_gap_checks

On each Canon R6 plane (`benchmarks/r6_planes.py`) the default model is scored on: the real
views; the R6-split twin (the reference blurred by the renderer at the plane's thin-lens blur);
the twin with Gaussian noise added to each view (the same in every channel) so that its noise
level matches the real views' (Immerkaer's Laplacian-difference estimator on the grey image);
the real views flat-fielded (each divided by the square root of the L/R ratio of their
low-passed copies, which removes the DP vignetting ramp); and the real views with that ramp
tripled. Also the correlation between the real views' difference L - R and the twin's. Writes
benchmarks/results/NAME.{json,md} and the README section `NAME`.
"""

from __future__ import annotations

import pathlib
import sys

import numpy as np

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import cpu_training  # noqa: E402
import r6_planes  # noqa: E402
from scene_crops import command_line  # noqa: E402

TWIN = "R6 split 0.085"
RAMP_SIGMA = 48.0  # px: the low-pass that keeps the vignetting ramp and drops the disparity
LAPLACIAN_DIFFERENCE = np.array([[1, -2, 1], [-2, 4, -2], [1, -2, 1]], np.float32)


def noise_sigma(image: np.ndarray) -> float:
    """Immerkaer's fast noise estimate of the grey image, inside the scored crop."""
    import cv2

    response = cv2.filter2D(image.mean(-1).astype(np.float32), -1, LAPLACIAN_DIFFERENCE)
    inner = response[r6_planes.MARGIN:-r6_planes.MARGIN, r6_planes.MARGIN:-r6_planes.MARGIN]
    return float(np.sqrt(np.pi / 2) * np.abs(inner).mean() / 6)


def ramp(left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """sqrt(L/R) of heavily low-passed copies: the views' brightness ramp, per channel."""
    import cv2

    low = [cv2.GaussianBlur(v, (0, 0), RAMP_SIGMA) for v in (left, right)]
    return np.sqrt(low[0] / np.maximum(low[1], 1e-4))


def plane_rows(model, plane: dict, rng) -> dict:
    reference = plane["reference"]
    predict = lambda l, r: np.clip(model.predict({"left": l[None], "right": r[None]},  # noqa: E731
                                                 verbose=0)[0], 0, 1)
    gain = lambda l, r, c: (r6_planes.crop_scores(predict(l, r), reference)["psnr"]  # noqa: E731
                            - r6_planes.crop_scores(c, reference)["psnr"])
    left, right, center = plane["left"], plane["right"], plane["center"]
    twin_l, twin_r, twin_c = plane["twins"][TWIN]
    real_sigma, twin_sigma = noise_sigma(left), noise_sigma(twin_l)
    added = float(np.sqrt(max(real_sigma ** 2 - twin_sigma ** 2, 0.0)))
    # the same noise in every channel, so the grey image's level (what was measured) matches
    grey_shape = twin_l.shape[:2] + (1,)
    noisy_l = twin_l + rng.normal(0, added, grey_shape).astype(np.float32)
    noisy_r = twin_r + rng.normal(0, added, grey_shape).astype(np.float32)
    q = ramp(left, right)
    inner = np.s_[r6_planes.MARGIN:-r6_planes.MARGIN, r6_planes.MARGIN:-r6_planes.MARGIN]
    real_diff, twin_diff = (left - right)[inner].ravel(), (twin_l - twin_r)[inner].ravel()
    return {
        "noise_sigma_8bit": {"real_views": 255 * real_sigma, "twin_views": 255 * twin_sigma,
                             "twin_views_with_noise": 255 * noise_sigma(noisy_l),
                             "reference": 255 * noise_sigma(reference)},
        "gain_db": {"real views": gain(left, right, center),
                    "twin": gain(twin_l, twin_r, twin_c),
                    "twin, real noise level": gain(noisy_l, noisy_r, 0.5 * (noisy_l + noisy_r)),
                    "real views flat-fielded": gain(left / q, right * q, center),
                    "real views, ramp x3": gain(left * q ** 2, right / q ** 2, center)},
        "lr_ramp_left_over_right": [float(v) for v in np.percentile((q ** 2).mean(-1), [5, 95])],
        "difference_correlation_real_vs_twin": float(np.corrcoef(real_diff, twin_diff)[0, 1]),
    }


def main(argv=None) -> int:
    args, spec, model, planes = r6_planes.one_model_study(__doc__, "r6_gap_checks", argv)
    rng = np.random.default_rng(0)
    result = {"command": command_line("r6_gap_checks.py", argv), "model": spec,
              "planes": {p["name"]: plane_rows(model, p, rng) for p in planes}}
    cpu_training.publish(args.name, result, table(result))
    return 0


def table(result: dict) -> str:
    planes = result["planes"]
    cases = list(next(iter(planes.values()))["gain_db"])
    lines = [f"`{result['model']}` on the Canon R6 planes; dB over the input C (central crop).", "",
             "| case | " + " | ".join(planes) + " |", "|---|" + "---:|" * len(planes)]
    for case in cases:
        lines.append(f"| {case} | " + " | ".join(f"{row['gain_db'][case]:+.2f}"
                                                for row in planes.values()) + " |")
    lines.append("| noise sigma (8-bit levels): real views / twin / twin + noise / f/20 "
                 "reference | " + " | ".join(
                     " / ".join(f"{row['noise_sigma_8bit'][k]:.2f}" for k in
                                ("real_views", "twin_views", "twin_views_with_noise",
                                 "reference")) for row in planes.values()) + " |")
    lines.append("| L/R brightness ramp (5th-95th percentile of L/R) | " + " | ".join(
        "{:.3f}-{:.3f}".format(*row["lr_ramp_left_over_right"]) for row in planes.values())
        + " |")
    lines.append("| correlation of L - R, real vs twin | " + " | ".join(
        f"{row['difference_correlation_real_vs_twin']:.2f}" for row in planes.values()) + " |")
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())
