"""Which way a dual-pixel sensor splits the aperture, and turning the views to the model's way.

MCCNet correlates the two views along image rows (`correlation_direction="horizontal"`): DPDD's
Canon splits each pixel into a left and a right half, so defocus shifts content sideways. Other
sensors, and phone photos stored in portrait orientation, split top / bottom: the defocus
disparity runs along the columns. Fed as is, such a pair costs quality instead of gaining it
(the shipped model on the four DPDD scenes transposed: -1.3 to +0.0 dB against the input,
benchmarks/results/dp_axis.md). Transposing both views (rows <-> columns) turns a vertical
disparity into a horizontal one; the output is transposed back.

`measure_dp_axis` decides from the views alone: block matching (keras_mccnet.data.disparity,
NCC on high-passed grey images) searches along rows and, on the transposed views, along
columns; the share of textured blocks whose best match moved by >= 0.75 px is the evidence for
each axis. A vertical split needs clearly more moving blocks along the columns
(`VERTICAL_RATIO` x); anything less (in-focus photos, tiny images, noise) stays horizontal, the
model's native axis. Sign convention after the transpose: content that sits further DOWN in the
second view plays "further right in R"; when that is the other way round, swap the views
(`mccnet deblur --order rl`).
"""

from __future__ import annotations

import dataclasses

import numpy as np

DP_AXES = ("auto", "horizontal", "vertical")
MEASURE_SIDE = 1024  # centre crop measured, at native resolution: phone disparities are ~1-4 px
MOVING_PX = 0.75  # a block "moves" when its best match is at least this far away
MIN_MOVING_SHARE = 0.02  # below this on both axes there is no disparity to orient by
# True axis vs the other on every DPDD, sdirt and synthetic pair measured: >= 1.77x
# (benchmarks/results/dp_axis.md); 1.25 leaves margin both ways and favours the native axis.
VERTICAL_RATIO = 1.25


@dataclasses.dataclass(frozen=True)
class DpAxis:
    """The axis to run the model on, and the evidence when it was measured.

    Attributes:
        axis: "horizontal" (run as is) or "vertical" (transpose in and out).
        horizontal, vertical: share of textured blocks that move along rows / columns
            (NaN when not measured).
        measured: whether the axis came from `measure_dp_axis` (dp_axis="auto").
    """

    axis: str
    horizontal: float = float("nan")
    vertical: float = float("nan")
    measured: bool = False

    def describe(self) -> str:
        if not self.measured:
            return f"DP axis: {self.axis} (given)"
        return (f"DP axis: {self.axis} (measured: {self.horizontal:.0%} of blocks move along "
                f"rows, {self.vertical:.0%} along columns)")


def check_dp_axis(dp_axis: str) -> str:
    if dp_axis not in DP_AXES:
        raise ValueError(f"dp_axis must be one of {', '.join(DP_AXES)}, got {dp_axis!r}")
    return dp_axis


def transpose_views(image: np.ndarray) -> np.ndarray:
    """Rows <-> columns of an HxW[xC] image (its own inverse)."""
    return np.ascontiguousarray(np.swapaxes(image, 0, 1))


def moving_share(left: np.ndarray, right: np.ndarray) -> float:
    """Share of textured blocks whose horizontal disparity is at least MOVING_PX (0 when the
    image is too small to measure)."""
    from keras_mccnet.data.disparity import block_disparity

    try:
        result = block_disparity(_centre(left), _centre(right), block=32, stride=16,
                                 max_shift=12)
    except ValueError:  # smaller than one block plus the search range
        return 0.0
    return float((result.valid & (np.abs(result.disparity) >= MOVING_PX)).mean())


def measure_dp_axis(left: np.ndarray, right: np.ndarray) -> DpAxis:
    """The split axis of one DP pair (HxWx3 float in [0, 1]) from the views alone."""
    horizontal = moving_share(left, right)
    vertical = moving_share(transpose_views(left), transpose_views(right))
    is_vertical = vertical >= MIN_MOVING_SHARE and vertical >= VERTICAL_RATIO * horizontal
    return DpAxis("vertical" if is_vertical else "horizontal", horizontal, vertical, True)


def resolve_dp_axis(dp_axis: str, left: np.ndarray, right: np.ndarray) -> DpAxis:
    """`dp_axis` ("auto", "horizontal" or "vertical") for this pair: measured when "auto"."""
    if check_dp_axis(dp_axis) == "auto":
        return measure_dp_axis(left, right)
    return DpAxis(dp_axis)


def _centre(image: np.ndarray) -> np.ndarray:
    h, w = image.shape[:2]
    top, left = max(0, (h - MEASURE_SIDE) // 2), max(0, (w - MEASURE_SIDE) // 2)
    return image[top:top + MEASURE_SIDE, left:left + MEASURE_SIDE]
