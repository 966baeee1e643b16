"""Is real defocus blur as round as the renderer's? Horizontal vs vertical blur, measured.

    .venv/bin/python benchmarks/blur_anisotropy.py --name blur_anisotropy

For every 64x64 block with texture in both directions, the input C is fitted as the target
blurred by an axis-aligned Gaussian (sigma_x, sigma_y on a 0.5-px grid, plus a gain and offset
for the exposure difference between DPDD's input and target), in linear light, after a
sub-pixel registration of the two (a misregistration would pass for blur along its axis). Run on the four
real DPDD scenes and on the synthetic validation scenes with the same estimator, so the
renderer's round PSFs give the reference: a ratio sigma_y / sigma_x near 1 there, and what the
real camera does beside it. Writes benchmarks/results/NAME.{json,md} and the README section
`NAME`.
"""

from __future__ import annotations

import argparse
import sys

import numpy as np

import cpu_training

SIGMAS = np.arange(0.0, 8.01, 0.5)
BLOCK, CONTEXT = 64, 32
MIN_SIGMA = 1.5  # blocks whose larger sigma is below this are in focus: no shape to measure


def gaussian(image: np.ndarray, sx: float, sy: float) -> np.ndarray:
    import cv2

    if sx == 0 and sy == 0:
        return image
    size = (int(3 * sx) * 2 + 1, int(3 * sy) * 2 + 1)
    return cv2.GaussianBlur(image, size, sigmaX=max(sx, 1e-3), sigmaY=max(sy, 1e-3))


def fit_block(sharp: np.ndarray, blurred: np.ndarray) -> tuple[float, float]:
    """(sigma_x, sigma_y) of the Gaussian that best maps `sharp` (with CONTEXT px around the
    block) to `blurred` (the block), up to a gain and an offset."""
    best = (np.inf, 0.0, 0.0)
    inner = (slice(CONTEXT, -CONTEXT), slice(CONTEXT, -CONTEXT))
    for sx in SIGMAS:
        for sy in SIGMAS:
            b = gaussian(sharp, sx, sy)[inner].ravel()
            design = np.stack([b, np.ones_like(b)], 1)
            coef, *_ = np.linalg.lstsq(design, blurred.ravel(), rcond=None)
            err = float(np.mean((design @ coef - blurred.ravel()) ** 2))
            if err < best[0]:
                best = (err, float(sx), float(sy))
    return best[1], best[2]


def textured_both_ways(block: np.ndarray) -> bool:
    """Both directions carry edges: otherwise one sigma is not observable."""
    gx = np.abs(np.diff(block, axis=1)).mean()
    gy = np.abs(np.diff(block, axis=0)).mean()
    return block.std() >= 0.02 and min(gx, gy) >= 0.3 * max(gx, gy)


def scene_sigmas(target_srgb, center_srgb, rows_from=0) -> list[tuple[float, float]]:
    from keras_mccnet.data.color import srgb_to_linear

    sharp, blurred = (srgb_to_linear(np.asarray(x, np.float32)).mean(-1)
                      for x in (target_srgb, center_srgb))
    fits = []
    for y in range(rows_from + CONTEXT, sharp.shape[0] - BLOCK - CONTEXT + 1, BLOCK):
        for x in range(CONTEXT, sharp.shape[1] - BLOCK - CONTEXT + 1, BLOCK):
            around = sharp[y - CONTEXT:y + BLOCK + CONTEXT, x - CONTEXT:x + BLOCK + CONTEXT]
            if not textured_both_ways(around[CONTEXT:-CONTEXT, CONTEXT:-CONTEXT]):
                continue
            block = blurred[y:y + BLOCK, x:x + BLOCK]
            sx, sy = fit_block(around, block)
            shift = registration(gaussian(around, sx, sy), block)
            sx, sy = fit_block(shifted(around, shift), block)
            if max(sx, sy) >= MIN_SIGMA:
                fits.append((sx, sy, *shift))
    return fits


def registration(blurred_sharp: np.ndarray, block: np.ndarray) -> tuple[float, float]:
    """Sub-pixel (dx, dy) that moves the blurred target onto the block: DPDD's input and
    target are separate shots, and a misregistration would pass for blur along its axis."""
    import cv2

    inner = blurred_sharp[CONTEXT:-CONTEXT, CONTEXT:-CONTEXT].astype(np.float32)
    (dx, dy), _ = cv2.phaseCorrelate(inner, block.astype(np.float32))
    return float(np.clip(dx, -2, 2)), float(np.clip(dy, -2, 2))


def shifted(image: np.ndarray, shift: tuple[float, float]) -> np.ndarray:
    import cv2

    matrix = np.float32([[1, 0, shift[0]], [0, 1, shift[1]]])
    return cv2.warpAffine(image, matrix, image.shape[::-1], flags=cv2.INTER_CUBIC,
                          borderMode=cv2.BORDER_REFLECT)


def summary(fits) -> dict:
    if not fits:
        return {"blocks": 0}
    a = np.array(fits)
    ratio = a[:, 1] / np.maximum(a[:, 0], SIGMAS[1])
    return {"blocks": len(a), "shift_x_median": float(np.median(a[:, 2])),
            "shift_y_median": float(np.median(a[:, 3])),
            "sigma_x_median": float(np.median(a[:, 0])),
            "sigma_y_median": float(np.median(a[:, 1])),
            "ratio_y_over_x_median": float(np.median(ratio)),
            "share_y_wider": float(np.mean(a[:, 1] > a[:, 0])),
            "share_x_wider": float(np.mean(a[:, 0] > a[:, 1]))}


def table(rows: dict) -> str:
    lines = ["Axis-aligned Gaussian fit of input C from the target, per 64x64 block with texture "
             f"in both directions and a larger sigma >= {MIN_SIGMA} px; sigma in px at the "
             "scenes' own scale.", "",
             "| scenes | blocks | median sigma_x | median sigma_y | median sigma_y / sigma_x "
             "| share y wider | share x wider | median registration shift x, y (px) |",
             "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for label, s in rows.items():
        if not s["blocks"]:
            lines.append(f"| {label} | 0 | - | - | - | - | - | - |")
            continue
        lines.append(f"| {label} | {s['blocks']} | {s['sigma_x_median']:.2f} | "
                     f"{s['sigma_y_median']:.2f} | {s['ratio_y_over_x_median']:.2f} | "
                     f"{s['share_y_wider']:.0%} | {s['share_x_wider']:.0%} | "
                     f"{s['shift_x_median']:+.2f}, {s['shift_y_median']:+.2f} |")
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--name", default="blur_anisotropy")
    parser.add_argument("--synthetic-scenes", type=int, default=24)
    args = parser.parse_args(argv)
    real = cpu_training.real_test_set()
    if not real:
        raise SystemExit("blur_anisotropy: ../shared/realdp is not beside the project")
    rows, fits_all = {}, []
    for name, kind, _l, _r, center, target, rows_from in real:
        fits = scene_sigmas(target, center, rows_from)
        fits_all += fits
        rows[f"real {name} ({kind})"] = summary(fits)
    rows["real DPDD, all four"] = summary(fits_all)
    synthetic = cpu_training.synthetic_test_set(count=args.synthetic_scenes, size=256)
    rows[f"synthetic validation ({args.synthetic_scenes} scenes)"] = summary(
        [f for _l, _r, center, target in synthetic for f in scene_sigmas(target, center)])
    result = {"command": "benchmarks/blur_anisotropy.py " + " ".join(
        sys.argv[1:] if argv is None else argv), "rows": rows}
    cpu_training.publish(args.name, result, table(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
