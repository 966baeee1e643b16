"""The one rule for turning user images into model inputs: shared by `keras_mccnet.deblur`,
`predict_views` and the exported-model runtime (`ExportedModel.deblur`).

Accepted: two arrays of the same shape, HxWx3 or NxHxWx3 (RGB, channels last), of dtype
uint8 (divided by 255), uint16 (divided by 65535) or float (taken as [0, 1]). Floats may stray
outside [0, 1] by `FLOAT_TOLERANCE` (resampling overshoot) and are clamped; anything further out
is refused, since it is almost surely 0..255 or 0..65535 data passed as float. Everything else
(other ranks, channel counts, dtypes, mismatched shapes, NaN) raises a ValueError that says what
was given and what is expected.
"""

from __future__ import annotations

import numpy as np

from keras_mccnet import io_spec

FLOAT_TOLERANCE = 0.05
INTEGER_SCALES = {np.dtype(np.uint8): 255.0, np.dtype(np.uint16): 65535.0}


def to_unit_range(image, name: str = "image") -> np.ndarray:
    """One image (any shape) as float32 in [0, 1], by the rule of the module docstring."""
    array = np.asarray(image)
    if array.dtype in INTEGER_SCALES:
        return array.astype(np.float32) / np.float32(INTEGER_SCALES[array.dtype])
    if not np.issubdtype(array.dtype, np.floating):
        raise ValueError(f"{name}: unsupported dtype {array.dtype}; give uint8 (0..255), uint16 "
                         f"(0..65535) or float in [0, 1] (e.g. keras_mccnet.data.read_image)")
    array = array.astype(np.float32)
    if array.size:
        low, high = float(np.min(array)), float(np.max(array))
        if not (np.isfinite(low) and np.isfinite(high)):
            raise ValueError(f"{name}: contains NaN or Inf")
        if low < -FLOAT_TOLERANCE or high > 1.0 + FLOAT_TOLERANCE:
            raise ValueError(f"{name}: float values span {low:.3g}..{high:.3g}, outside [0, 1]; "
                             f"scale them to [0, 1] (8-bit data / 255, 16-bit / 65535) or pass "
                             f"the uint8/uint16 array itself")
    return np.clip(array, 0.0, 1.0)


def normalize_views(left, right) -> tuple[np.ndarray, np.ndarray, bool]:
    """(left, right, batched): both views as float32 NxHxWx3 in [0, 1]; `batched` says whether
    the input had a batch dimension (so the caller can return the same rank)."""
    shapes = [np.shape(left), np.shape(right)]
    for name, shape in zip(io_spec.INPUT_NAMES, shapes):
        if len(shape) not in (3, 4) or shape[-1] != io_spec.CHANNELS:
            raise ValueError(f"{name}: expected HxWx{io_spec.CHANNELS} or NxHxWx"
                             f"{io_spec.CHANNELS} (RGB, channels last), got shape {shape}")
        if 0 in shape:
            raise ValueError(f"{name}: empty image, shape {shape}")
    if shapes[0] != shapes[1]:
        raise ValueError(f"left and right must have the same shape, got {shapes[0]} and "
                         f"{shapes[1]}")
    batched = len(shapes[0]) == 4
    views = [to_unit_range(v, n) for v, n in zip((left, right), io_spec.INPUT_NAMES)]
    if not batched:
        views = [v[None] for v in views]
    return views[0], views[1], batched
