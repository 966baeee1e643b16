"""Writing a defocus map: the 16-bit signed PNG and its colour preview with a legend.

The map (`mccnet deblur --defocus-map MAP.png`) is a 16-bit grey PNG in the synthetic blur maps'
encoding (keras_mccnet.data.signed_map): d = (v - 32768) / 256 input pixels, the signed defocus
disparity, > 0 behind the focal plane. The preview `MAP_preview.png` colours it as the synthetic
previews colour blur (red behind the focal plane, blue in front, white in focus) and adds a
legend bar in pixels.
"""

from __future__ import annotations

import os

import cv2
import numpy as np

LEGEND_HEIGHT = 44


def preview_path(map_path) -> str:
    """`map.png` -> `map_preview.png` beside it."""
    root, ext = os.path.splitext(os.fspath(map_path))
    return f"{root}_preview{ext or '.png'}"


def colour_limit(disparity: np.ndarray) -> float:
    """The colour scale's end: the 99th percentile of |d| (>= 0.25 px, so noise stays pale)."""
    return max(0.25, float(np.percentile(np.abs(disparity), 99)))


def legend(width: int, limit: float, labels=None) -> np.ndarray:
    """A colour bar from -limit to +limit px with labelled ends and centre (RGB float [0, 1]);
    `labels` replaces the default (left, centre, right) texts."""
    from keras_mccnet.data.preview import blur_colormap

    bar_w = max(16, width - 20)
    ramp = np.linspace(-limit, limit, bar_w, dtype=np.float32)[None].repeat(12, axis=0)
    out = np.ones((LEGEND_HEIGHT, width, 3), np.float32)
    out[4:16, 10:10 + bar_w] = blur_colormap(ramp, limit)
    canvas = np.ascontiguousarray((out * 255).astype(np.uint8))
    font, scale = cv2.FONT_HERSHEY_SIMPLEX, 0.4
    texts = labels or (f"-{limit:.2g} px in front", "0 in focus", f"+{limit:.2g} px behind")
    labels = list(zip(texts, (10, 10 + bar_w // 2, 10 + bar_w)))
    for i, (text, x) in enumerate(labels):
        size = cv2.getTextSize(text, font, scale, 1)[0][0]
        x = [x, x - size // 2, x - size][i]
        x = min(max(0, x), width - size)
        cv2.putText(canvas, text, (x, 34), font, scale, (0, 0, 0), 1, cv2.LINE_AA)
    return canvas.astype(np.float32) / 255.0


def preview(disparity: np.ndarray, limit: float | None = None) -> np.ndarray:
    """The colour map of `disparity` (HxW px) with its legend below: RGB float [0, 1]."""
    from keras_mccnet.data.preview import blur_colormap

    disparity = np.asarray(disparity, np.float32)
    limit = colour_limit(disparity) if limit is None else float(limit)
    return np.concatenate([blur_colormap(disparity, limit),
                           legend(disparity.shape[1], limit)], axis=0)


def write_defocus_map(path, disparity: np.ndarray) -> str:
    """Writes the 16-bit map to `path` (.png) and its preview beside it; returns the preview path.

    Both writes are atomic (complete files or none).
    """
    from keras_mccnet.data import signed_map
    from keras_mccnet.data.image_io import write_image

    path = os.fspath(path)
    if not path.lower().endswith(".png"):
        raise ValueError(f"{path}: the defocus map must be a .png (16-bit)")
    disparity = np.asarray(disparity, np.float32)
    if disparity.ndim != 2:
        raise ValueError(f"defocus map must be HxW, got shape {disparity.shape}")
    write_image(path, signed_map.encode(disparity), bits=16)
    extra = preview_path(path)
    write_image(extra, preview(disparity), bits=8)
    return extra
