"""16-bit PNG encoding of signed per-pixel maps in pixels (blur diameter, defocus disparity).

    v = 32768 + 256 * c      c = (v - 32768) / 256 px

so 1/256 px steps over -128 .. +128 px, 0 px at mid-grey. The synthetic data's blur maps
(`{split}_c/blur/`) and `mccnet deblur --defocus-map` use this one encoding.
"""

from __future__ import annotations

import numpy as np

OFFSET = 32768
STEPS_PER_PX = 256


def encode(pixels: np.ndarray) -> np.ndarray:
    """Signed map (px) -> float in [0, 1] on the 16-bit grid, ready for `write_image(bits=16)`."""
    return np.clip(OFFSET + STEPS_PER_PX * np.asarray(pixels, np.float64), 0, 65535) / 65535.0


def decode(image: np.ndarray) -> np.ndarray:
    """What `read_image` returns for such a PNG (HxW or HxWx3, [0, 1]) -> signed map in px."""
    image = np.asarray(image, np.float64)
    if image.ndim == 3:
        image = image[..., 0]
    return ((np.round(image * 65535.0) - OFFSET) / STEPS_PER_PX).astype(np.float32)


def read(path) -> np.ndarray:
    """Read a signed-map PNG (16-bit) into HxW float32 px; ImageReadError names a bad file."""
    from keras_mccnet.data.image_io import ImageReadError, png_bit_depth, read_image

    if str(path).lower().endswith(".png") and png_bit_depth(path) != 16:
        raise ImageReadError(f"{path}: a signed map must be a 16-bit PNG")
    return decode(read_image(path))
