"""Which way a dual-pixel sensor splits the aperture, and turning the views to the model's way.

MCCNet correlates the two views along image rows (`correlation_direction="horizontal"`): DPDD's
Canon splits each pixel into a left and a right half, so defocus shifts content sideways. Other
sensors, and phone photos stored in portrait orientation, split top / bottom: the defocus
disparity runs along the columns. Fed as is, such a pair costs quality instead of gaining it
(the shipped model on the four DPDD scenes transposed loses up to 1.6 dB against the input,
benchmarks/results/dp_axis.md). Transposing both views (rows <-> columns) turns a vertical
disparity into a horizontal one; the output is transposed back.

`measure_dp_axis` decides from the views alone. Per 32 px block it solves for the 2-D shift
between the views that best explains their difference (least squares on the image gradients,
Lucas-Kanade: the structure tensor resolves oblique edges, which a 1-D search along the wrong
axis matches as well) and keeps blocks whose texture pins down both components. A vertical split
needs a mean shift along the columns of at least `MIN_SHIFT_PX` and `VERTICAL_RATIO` times the
one along the rows, and the shifts must explain at least `MIN_EXPLAINED` of the views'
difference; anything less (in-focus photos, tiny images, unrelated views) stays horizontal, the
model's native axis. Sign convention after the transpose: content that sits further DOWN in the
second view plays "further right in R"; when that is the other way round, swap the views
(`mccnet deblur --order rl`).
"""

from __future__ import annotations

import dataclasses

import numpy as np

DP_AXES = ("auto", "horizontal", "vertical")
MEASURE_SIDE = 1024  # centre crop measured, at native resolution: phone disparities are ~1-4 px
BLOCK = 32
MIN_SHIFT_PX = 0.1  # pairs without disparity measure <= 0.04 px, the faintest real one 0.25 px
# The true axis measured >= 2.9x the other on every DPDD, sdirt and synthetic pair with
# disparity (benchmarks/results/dp_axis.md); 2 leaves margin both ways.
VERTICAL_RATIO = 2.0
# Share of the views' (high-passed) difference energy the per-block shifts explain: DP pairs
# 0.39-0.9, pairs without disparity and independent noise <= 0.11.
MIN_EXPLAINED = 0.2


@dataclasses.dataclass(frozen=True)
class DpAxis:
    """The axis to run the model on, and the evidence when it was measured.

    Attributes:
        axis: "horizontal" (run as is) or "vertical" (transpose in and out).
        horizontal, vertical: mean absolute shift between the views along rows / columns, px
            (NaN when not measured).
        explained: share of the views' difference that those shifts explain (NaN when not
            measured).
        measured: whether the axis came from `measure_dp_axis` (dp_axis="auto").
    """

    axis: str
    horizontal: float = float("nan")
    vertical: float = float("nan")
    explained: float = float("nan")
    measured: bool = False

    def describe(self) -> str:
        if not self.measured:
            return f"DP axis: {self.axis} (given)"
        return (f"DP axis: {self.axis} (measured: the views differ by a mean shift of "
                f"{self.horizontal:.2f} px along rows, {self.vertical:.2f} px along columns, "
                f"explaining {self.explained:.0%} of their difference)")


def check_dp_axis(dp_axis: str) -> str:
    if dp_axis not in DP_AXES:
        raise ValueError(f"dp_axis must be one of {', '.join(DP_AXES)}, got {dp_axis!r}")
    return dp_axis


def transpose_views(image: np.ndarray) -> np.ndarray:
    """Rows <-> columns of an HxW[xC] image (its own inverse)."""
    return np.ascontiguousarray(np.swapaxes(image, 0, 1))


def mean_shifts(left: np.ndarray, right: np.ndarray) -> tuple[float, float, float]:
    """(mean |shift| along rows, along columns, share of the difference explained): per block
    the least-squares 2-D shift of the high-passed grey views (Lucas-Kanade on the structure
    tensor), over blocks whose texture determines both components; zeros when none does."""
    import cv2

    from keras_mccnet.data.disparity import gray_highpass

    def grey(image):  # high-passed as the block matcher does, then lightly denoised
        return cv2.GaussianBlur(gray_highpass(_centre(image), 6.0), (0, 0), 1.0)

    a, b = grey(left), grey(right)
    if min(a.shape) < BLOCK:
        return 0.0, 0.0, 0.0
    mean = (a + b) / 2
    gx = cv2.Sobel(mean, -1, 1, 0, ksize=3) / 8
    gy = cv2.Sobel(mean, -1, 0, 1, ksize=3) / 8
    gt = b - a

    def block_sum(x):
        return cv2.boxFilter(x, -1, (BLOCK, BLOCK))[BLOCK // 2::BLOCK // 2, BLOCK // 2::BLOCK // 2]

    sxx, syy, sxy = block_sum(gx * gx), block_sum(gy * gy), block_sum(gx * gy)
    sxt, syt, stt = block_sum(gx * gt), block_sum(gy * gt), block_sum(gt * gt)
    det = sxx * syy - sxy * sxy
    weakest = (sxx + syy) / 2 - np.sqrt(np.maximum((sxx - syy) ** 2 / 4 + sxy * sxy, 0))
    pinned = (det > 0) & (weakest > 0.1 * np.median(weakest)) & (weakest > 1e-12)
    if not pinned.any() or stt[pinned].sum() <= 0:
        return 0.0, 0.0, 0.0
    det = np.where(pinned, det, 1.0)
    dx = (syy * sxt - sxy * syt) / det
    dy = (sxx * syt - sxy * sxt) / det
    # the least-squares fit's explained energy per block is d . (sum g * gt)
    explained = float((dx * sxt + dy * syt)[pinned].sum() / stt[pinned].sum())
    return float(np.abs(dx[pinned]).mean()), float(np.abs(dy[pinned]).mean()), explained


def measure_dp_axis(left: np.ndarray, right: np.ndarray) -> DpAxis:
    """The split axis of one DP pair (HxWx3 float in [0, 1]) from the views alone."""
    horizontal, vertical, explained = mean_shifts(left, right)
    is_vertical = (vertical >= MIN_SHIFT_PX and vertical >= VERTICAL_RATIO * horizontal
                   and explained >= MIN_EXPLAINED)
    return DpAxis("vertical" if is_vertical else "horizontal", horizontal, vertical, explained,
                  True)


def resolve_dp_axis(dp_axis: str, left: np.ndarray, right: np.ndarray) -> DpAxis:
    """`dp_axis` ("auto", "horizontal" or "vertical") for this pair: measured when "auto"."""
    if check_dp_axis(dp_axis) == "auto":
        return measure_dp_axis(left, right)
    return DpAxis(dp_axis)


def run_oriented(run, left: np.ndarray, right: np.ndarray, dp_axis: str):
    """`run(left, right)` on the pair turned to the model's axis (`resolve_dp_axis`), its
    output (an image, or a tuple of images) turned back: the one place views get transposed."""
    if resolve_dp_axis(dp_axis, left, right).axis != "vertical":
        return run(left, right)
    out = run(transpose_views(left), transpose_views(right))
    return tuple(map(transpose_views, out)) if isinstance(out, tuple) else transpose_views(out)


def _centre(image: np.ndarray) -> np.ndarray:
    h, w = image.shape[:2]
    top, left = max(0, (h - MEASURE_SIDE) // 2), max(0, (w - MEASURE_SIDE) // 2)
    return image[top:top + MEASURE_SIDE, left:left + MEASURE_SIDE]
