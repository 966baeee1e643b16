"""sRGB <-> linear light (IEC 61966-2-1), for blurring where light adds up: in linear space."""

from __future__ import annotations

import numpy as np

_LUT_SIZE = 65536
_SRGB_TO_LINEAR_8 = None
_LINEAR_TO_SRGB_16 = None


def srgb_to_linear(x: np.ndarray) -> np.ndarray:
    """sRGB-encoded values in [0, 1] -> linear light, float32."""
    x = np.clip(np.asarray(x, dtype=np.float32), 0.0, 1.0)
    return np.where(x <= 0.04045, x / 12.92, ((x + 0.055) / 1.055) ** 2.4).astype(np.float32)


def linear_to_srgb(x: np.ndarray) -> np.ndarray:
    """Linear light in [0, 1] -> sRGB-encoded values, float32 (clipped to [0, 1])."""
    x = np.clip(np.asarray(x, dtype=np.float32), 0.0, 1.0)
    return np.where(
        x <= 0.0031308, x * 12.92, 1.055 * np.power(x, 1.0 / 2.4, dtype=np.float32) - 0.055
    ).astype(np.float32)


def srgb8_to_linear(x: np.ndarray) -> np.ndarray:
    """uint8 sRGB -> linear float32 through a 256-entry table (fast path for photo content)."""
    global _SRGB_TO_LINEAR_8
    if _SRGB_TO_LINEAR_8 is None:
        _SRGB_TO_LINEAR_8 = srgb_to_linear(np.arange(256, dtype=np.float32) / 255.0)
    return _SRGB_TO_LINEAR_8[x]


def linear_to_srgb16(x: np.ndarray) -> np.ndarray:
    """Linear [0, 1] -> sRGB float32 on the 16-bit grid, through a 65536-entry table.

    The input is first quantised to 1/65535 in linear light; the table then returns the exact
    sRGB value of that level rounded to the 16-bit grid. About 10x faster than `linear_to_srgb`.
    """
    global _LINEAR_TO_SRGB_16
    if _LINEAR_TO_SRGB_16 is None:
        levels = linear_to_srgb(np.arange(_LUT_SIZE, dtype=np.float64) / (_LUT_SIZE - 1))
        _LINEAR_TO_SRGB_16 = (np.round(levels * 65535.0) / 65535.0).astype(np.float32)
    index = (np.clip(x, 0.0, 1.0) * (_LUT_SIZE - 1) + 0.5).astype(np.uint16)
    return _LINEAR_TO_SRGB_16[index]
