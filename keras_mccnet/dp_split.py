"""The DP split gain: a per-camera setting that makes a weak dual-pixel split look stronger.

How far apart the left and right views of a defocused point sit, relative to the size of its
blur, is a property of the camera (its aperture and its pixels' half-apertures): 0.22 of the
blur diameter on DPDD's Canon, 0.08-0.09 on the Canon R6 of ../shared/realdp
(benchmarks/results/sim_to_real.md), and weak on phones too. The model sees one small window
at a time and cannot tell a small blur on a strong split from a large blur on a weak one, so
it was trained on a range of splits (0.05-0.25) and hedges between them: on a weak-split
camera it under-restores. A split gain `k` scales the views' difference about their mean,

    L' = C + k (L - R) / 2,   R' = C - k (L - R) / 2,   C = (L + R) / 2,

which leaves the combined image C unchanged and multiplies the disparity by k, so the model
reads the blur the camera's split implies. 1.0 (the default) runs the views as recorded;
DPDD-like cameras want 1.0, the weak-split R6 about 2 (benchmarks/results/split_gain.md: the
gain on the R6 planes, the DPDD scenes and synthetic validation at each k). It is a
calibration of the camera, not of the photo: choose it once per camera on scenes with a
reference (`mccnet eval --split-gain`), never per photo on the photo's own score.
"""

from __future__ import annotations

import math

import numpy as np

DEFAULT_SPLIT_GAIN = 1.0
# Beyond this the difference image is mostly amplified noise and the views leave [0, 1] by far.
MAX_SPLIT_GAIN = 4.0


def check_split_gain(split_gain: float) -> float:
    """`split_gain` as a float, or ValueError naming it when it is not in (0, MAX_SPLIT_GAIN]."""
    try:
        gain = float(split_gain)
    except (TypeError, ValueError):
        raise ValueError(f"split_gain must be a number, got {split_gain!r}") from None
    if not (math.isfinite(gain) and 0.0 < gain <= MAX_SPLIT_GAIN):
        raise ValueError(f"split_gain must be in (0, {MAX_SPLIT_GAIN:g}], got {split_gain!r} "
                         "(1.0 = the views as recorded)")
    return gain


def amplify_split(left: np.ndarray, right: np.ndarray, split_gain: float):
    """(L', R'): the views' difference scaled by `split_gain` about their mean, float32.

    Not clamped: where the difference is large the views may leave [0, 1] slightly, which the
    model takes (its inputs are not clamped either) and which keeps L' + R' = L + R exactly.
    """
    gain = check_split_gain(split_gain)
    left = np.asarray(left, np.float32)
    right = np.asarray(right, np.float32)
    if gain == 1.0:
        return left, right
    center = 0.5 * (left + right)
    half_difference = (0.5 * gain) * (left - right)
    return center + half_difference, center - half_difference
