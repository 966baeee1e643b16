"""Reading and writing DP images with their bit depth detected, never assumed.

DPDD ships 16-bit sRGB PNGs; user photos are often 8-bit. Reading a 16-bit file as 8-bit (or
dividing an 8-bit one by 65535) is the most common failure of the original DPDNet code, so the
depth is read from the file itself and every reader returns float32 RGB in [0, 1].

Two readers with the same result:
- `read_image` (NumPy, OpenCV): PNG, TIFF, JPEG; 8-bit / 255, 16-bit / 65535, float TIFF clipped.
- `tf_read_png` (TensorFlow graph, for tf.data): `decode_png(dtype=uint16)` / 65535. libpng
  expands an 8-bit file to 16 bits by multiplying by 257, so 8-bit files come out as v / 255
  exactly; the bit depth is read from the PNG header (IHDR byte 24) and returned with the image.
"""

from __future__ import annotations

import os

import cv2
import numpy as np

from keras_mccnet.atomic_write import atomic_path

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_PNG_IEND = b"IEND\xaeB`\x82"


class ImageReadError(IOError):
    """An image file is missing, unreadable, truncated or has an unsupported format."""


def png_bit_depth(path) -> int:
    """Bit depth per channel from a PNG header (8 or 16); raises ImageReadError naming the file."""
    with open(path, "rb") as f:
        head = f.read(26)
    if len(head) < 26 or head[:8] != PNG_SIGNATURE or head[12:16] != b"IHDR":
        raise ImageReadError(f"{path}: not a PNG file (bad signature or header)")
    return int(head[24])


def check_png_complete(path) -> None:
    """Raises ImageReadError unless the file ends with PNG's IEND chunk."""
    # A truncated PNG can decode to a partly black image with only a libpng warning: the IEND
    # chunk must close the file, or the data is incomplete.
    size = os.path.getsize(path)
    with open(path, "rb") as f:
        f.seek(max(0, size - 8))
        tail = f.read(8)
    if tail != _PNG_IEND:
        raise ImageReadError(f"{path}: truncated PNG (no IEND chunk at the end of the file)")


def read_image(path, with_bit_depth: bool = False):
    """Read an image as float32 RGB HxWx3 in [0, 1].

    Args:
        path: PNG (8/16-bit), TIFF (8/16-bit or float) or JPEG file.
        with_bit_depth: also return the detected bits per channel (8, 16 or 32 for float).

    Returns:
        `image` or `(image, bit_depth)`.

    Raises:
        ImageReadError: naming the file, when it is missing, unreadable, truncated or not RGB/gray.
    """
    path = os.fspath(path)
    if not os.path.isfile(path):
        raise ImageReadError(f"{path}: file not found")
    if path.lower().endswith(".png"):
        png_bit_depth(path)
        check_png_complete(path)
    raw = cv2.imread(path, cv2.IMREAD_UNCHANGED)
    if raw is None:
        raise ImageReadError(f"{path}: unreadable or corrupt image (OpenCV could not decode it)")
    if raw.ndim == 2:
        raw = np.repeat(raw[:, :, None], 3, axis=2)
    if raw.ndim != 3 or raw.shape[2] not in (3, 4):
        raise ImageReadError(f"{path}: expected a gray, RGB or RGBA image, got shape {raw.shape}")
    rgb = raw[:, :, 2::-1]  # OpenCV is BGR(A); drop alpha, reorder to RGB
    if raw.dtype == np.uint8:
        image, bits = rgb.astype(np.float32) / 255.0, 8
    elif raw.dtype == np.uint16:
        image, bits = rgb.astype(np.float32) / 65535.0, 16
    elif raw.dtype in (np.float32, np.float64):
        image, bits = np.clip(rgb.astype(np.float32), 0.0, 1.0), 32
    else:
        raise ImageReadError(f"{path}: unsupported sample type {raw.dtype}")
    image = np.ascontiguousarray(image)
    return (image, bits) if with_bit_depth else image


def to_uint(image: np.ndarray, bits: int = 16) -> np.ndarray:
    """float [0, 1] RGB -> uint8/uint16 RGB, rounded and clipped."""
    if bits not in (8, 16):
        raise ValueError(f"bits must be 8 or 16, got {bits}")
    peak = 255.0 if bits == 8 else 65535.0
    dtype = np.uint8 if bits == 8 else np.uint16
    return (np.clip(image, 0.0, 1.0) * peak + 0.5).astype(dtype)


def write_image(path, image: np.ndarray, bits: int = 16) -> None:
    """Write float RGB [0, 1] (HxWx3) or gray (HxW) as an 8- or 16-bit PNG, atomically.

    The file is written to a temporary name in the same folder and then renamed, so a reader never
    sees a half-written image, even if the process is killed.
    """
    path = os.fspath(path)
    data = to_uint(np.asarray(image, dtype=np.float32), bits)
    if data.ndim == 3:
        data = data[:, :, ::-1]  # RGB -> BGR for OpenCV
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with atomic_path(path) as tmp:
        if not cv2.imwrite(tmp, data):
            raise OSError(f"{path}: OpenCV failed to write the image")


def tf_png_bit_depth(contents):
    """Bit depth (int32 scalar tensor) from the IHDR chunk of encoded PNG bytes."""
    import tensorflow as tf

    return tf.cast(tf.io.decode_raw(tf.strings.substr(contents, 24, 1), tf.uint8)[0], tf.int32)


def tf_decode_png_uint16(contents):
    """Encoded PNG bytes (8- or 16-bit) -> uint16 HxWx3 tensor on the 16-bit scale.

    Kept as uint16 so that tf.data caches half the bytes of float32; convert with `/ 65535` after
    cropping. 8-bit files are expanded exactly (v * 257), see the module docstring.
    """
    import tensorflow as tf

    return tf.io.decode_png(contents, channels=3, dtype=tf.uint16)


def tf_read_png(path):
    """Read a PNG in a TensorFlow graph: returns (float32 HxWx3 in [0, 1], bit depth tensor)."""
    import tensorflow as tf

    contents = tf.io.read_file(path)
    image = tf.cast(tf_decode_png_uint16(contents), tf.float32) / 65535.0
    return image, tf_png_bit_depth(contents)
