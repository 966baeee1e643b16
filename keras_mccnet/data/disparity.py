"""Measure the horizontal defocus disparity between the left and right DP views.

Sign convention (DPDD's, design.md section 5): a positive disparity `d` means the content sits `d`
pixels further RIGHT in R than in L, i.e. R(x + d) ~ L(x). In real DPDD scenes this is the case for
content behind the focal plane; content in front of it has d < 0.

The estimator is block matching by zero-mean normalised cross-correlation (NCC) over a 1-D
horizontal search, on high-passed grey images so that the blur-dependent brightness of the two
half-aperture views does not bias it; the peak is refined to sub-pixel with a parabola. Blocks with
little texture or a weak peak are marked invalid. It is used by the tests (on rendered and on real
scenes, the same code) and by `benchmarks/dp_calibration.py`.
"""

from __future__ import annotations

import dataclasses

import cv2
import numpy as np


@dataclasses.dataclass
class BlockDisparity:
    """Per-block results, each an array of shape (rows, cols).

    Attributes:
        y, x: block centres in pixels.
        disparity: signed horizontal disparity in pixels (positive: further right in R).
        score: NCC at the peak, in [-1, 1].
        texture: standard deviation of the high-passed left block.
        valid: texture above threshold, peak not on the search border, score above threshold.
    """

    y: np.ndarray
    x: np.ndarray
    disparity: np.ndarray
    score: np.ndarray
    texture: np.ndarray
    valid: np.ndarray


def gray_highpass(image: np.ndarray, sigma: float) -> np.ndarray:
    """Grey (channel mean) minus its Gaussian blur: shading and exposure offsets cancel."""
    image = np.asarray(image, dtype=np.float32)
    gray = image.mean(axis=2) if image.ndim == 3 else image
    return gray - cv2.GaussianBlur(gray, (0, 0), sigma)


def block_disparity(
    left: np.ndarray,
    right: np.ndarray,
    block: int = 48,
    max_shift: int = 16,
    stride: int | None = None,
    min_texture: float = 0.004,
    min_score: float = 0.5,
    highpass_sigma: float = 6.0,
) -> BlockDisparity:
    """Estimate the signed horizontal disparity of R against L on a grid of blocks.

    Args:
        left, right: HxWx3 (or HxW) float images in [0, 1].
        block: block side in pixels (48 at 840 px width, as the measurements in design.md).
        max_shift: search range +-max_shift pixels.
        stride: grid step (default: `block`).
        min_texture: minimum std of the high-passed block for it to count as textured.
        min_score: minimum NCC at the peak.
        highpass_sigma: Gaussian sigma of the high-pass (removes shading and exposure offsets).
    """
    stride = stride or block
    a = gray_highpass(left, highpass_sigma)
    b = gray_highpass(right, highpass_sigma)
    h, w = a.shape
    margin = block // 2 + max_shift
    ys = np.arange(margin, h - margin, stride)
    xs = np.arange(margin, w - margin, stride)
    if len(ys) == 0 or len(xs) == 0:
        raise ValueError(f"image {h}x{w} too small for block {block} and shift {max_shift}")
    gy, gx = np.meshgrid(ys, xs, indexing="ij")

    def local_mean(img):
        return cv2.boxFilter(img, -1, (block, block), normalize=True,
                             borderType=cv2.BORDER_REFLECT)

    mean_a = local_mean(a)
    var_a = np.maximum(local_mean(a * a) - mean_a**2, 1e-12)
    shifts = np.arange(-max_shift, max_shift + 1)
    scores = np.empty((len(shifts),) + gy.shape, np.float32)
    for i, s in enumerate(shifts):
        # bs(x) = b(x + s): a match at shift s means R(x + s) ~ L(x), content moved right by s.
        bs = np.roll(b, -s, axis=1)
        mean_b = local_mean(bs)
        var_b = np.maximum(local_mean(bs * bs) - mean_b**2, 1e-12)
        cov = local_mean(a * bs) - mean_a * mean_b
        ncc = cov / np.sqrt(var_a * var_b)
        scores[i] = ncc[gy, gx]
    best = np.argmax(scores, axis=0)
    peak = np.take_along_axis(scores, best[None], 0)[0]
    inner = (best > 0) & (best < len(shifts) - 1)
    lo = np.take_along_axis(scores, np.clip(best - 1, 0, len(shifts) - 1)[None], 0)[0]
    hi = np.take_along_axis(scores, np.clip(best + 1, 0, len(shifts) - 1)[None], 0)[0]
    denom = lo - 2 * peak + hi
    offset = np.where(inner & (denom < 0), 0.5 * (lo - hi) / np.where(denom < 0, denom, -1), 0.0)
    disparity = shifts[best] + np.clip(offset, -0.5, 0.5)
    texture = np.sqrt(var_a[gy, gx])
    valid = inner & (texture >= min_texture) & (peak >= min_score)
    return BlockDisparity(gy, gx, disparity.astype(np.float32), peak, texture, valid)


def dominant_sign(result: BlockDisparity, min_abs: float = 0.75, mask=None) -> tuple[int, int]:
    """(positive, negative): counts of valid blocks with disparity >= min_abs and <= -min_abs."""
    valid = result.valid if mask is None else result.valid & mask
    d = result.disparity[valid]
    return int((d >= min_abs).sum()), int((d <= -min_abs).sum())
