"""SSIM and MS-SSIM in `keras.ops`, shared by the losses and the metrics.

Gaussian-window SSIM (Wang et al. 2004) computed with a 'valid' depthwise convolution, and
MS-SSIM (Wang et al. 2003) with 2x2 average-pool downsampling between scales, as in
`tf.image.ssim_multiscale`, but backend-neutral and with the number of scales adapted to small
training patches.
"""

from __future__ import annotations

import numpy as np
from keras import ops

MS_SSIM_WEIGHTS = (0.0448, 0.2856, 0.3001, 0.2363, 0.1333)
"""Per-scale exponents of Wang et al. 2003 (finest first)."""


def gaussian_kernel(size: int, sigma: float, channels: int) -> np.ndarray:
    """A (size, size, channels, 1) depthwise Gaussian kernel that sums to 1 per channel."""
    coords = np.arange(size, dtype=np.float64) - (size - 1) / 2.0
    g = np.exp(-(coords**2) / (2.0 * sigma**2))
    k2 = np.outer(g, g)
    k2 /= k2.sum()
    return np.tile(k2[:, :, None, None], (1, 1, channels, 1)).astype(np.float32)


def max_scales(height: int, width: int, filter_size: int, limit: int = 5) -> int:
    """Largest number of MS-SSIM scales (<= limit) whose coarsest scale still holds one full
    `filter_size` window: min(H, W) // 2^(n-1) >= filter_size."""
    side, n = min(height, width), 0
    while n < limit and side >= filter_size:
        n += 1
        side //= 2
    return n


def _ssim_parts(x, y, kernel, max_val, k1=0.01, k2=0.03):
    """Per-image, per-channel mean SSIM and contrast-structure terms: (ssim, cs), each (N, C)."""
    c1, c2 = (k1 * max_val) ** 2, (k2 * max_val) ** 2
    blur = lambda t: ops.depthwise_conv(t, kernel, strides=1, padding="valid")  # noqa: E731
    mu_x, mu_y = blur(x), blur(y)
    sigma_x = blur(x * x) - mu_x * mu_x
    sigma_y = blur(y * y) - mu_y * mu_y
    sigma_xy = blur(x * y) - mu_x * mu_y
    cs = (2.0 * sigma_xy + c2) / (sigma_x + sigma_y + c2)
    luminance = (2.0 * mu_x * mu_y + c1) / (mu_x * mu_x + mu_y * mu_y + c1)
    return ops.mean(luminance * cs, axis=(1, 2)), ops.mean(cs, axis=(1, 2))


def ssim(y_true, y_pred, max_val=1.0, filter_size=11, sigma=1.5):
    """Per-image SSIM (N,), Gaussian window, averaged over pixels and channels."""
    y_true = ops.convert_to_tensor(y_true, "float32")
    y_pred = ops.convert_to_tensor(y_pred, "float32")
    kernel = gaussian_kernel(filter_size, sigma, y_true.shape[-1])
    value, _ = _ssim_parts(y_true, y_pred, kernel, max_val)
    return ops.mean(value, axis=-1)


def ms_ssim(y_true, y_pred, max_val=1.0, num_scales=None, filter_size=11, sigma=1.5,
            weights=MS_SSIM_WEIGHTS):
    """Per-image MS-SSIM (N,).

    `num_scales=None` picks the most scales the (static) image size allows, at most
    len(weights); the weights of the scales used are renormalised to sum to 1. An explicit
    `num_scales` that the image size cannot hold raises a ValueError saying the minimum size.
    """
    y_true = ops.convert_to_tensor(y_true, "float32")
    y_pred = ops.convert_to_tensor(y_pred, "float32")
    height, width, channels = y_true.shape[1], y_true.shape[2], y_true.shape[-1]
    if height is None or width is None:
        if num_scales is None:
            raise ValueError("ms_ssim needs a static image size to choose num_scales; "
                             "pass num_scales explicitly")
    else:
        fits = max_scales(height, width, filter_size, limit=len(weights))
        if num_scales is None:
            num_scales = fits
        if num_scales > fits or num_scales < 1:
            need = filter_size * 2 ** (max(num_scales, 1) - 1)
            raise ValueError(
                f"MS-SSIM with {num_scales} scales and an {filter_size}-px window needs images "
                f"of at least {need}x{need} px, got {height}x{width}; use num_scales<={fits} "
                f"or a larger patch size")
    w = np.asarray(weights[:num_scales], np.float64)
    w = (w / w.sum()).astype(np.float32)
    kernel = gaussian_kernel(filter_size, sigma, channels)
    value = None
    for scale in range(num_scales):
        full, cs = _ssim_parts(y_true, y_pred, kernel, max_val)
        term = full if scale == num_scales - 1 else cs
        # relu + floor keep the fractional power defined and its gradient finite.
        term = ops.power(ops.maximum(term, 1e-6), float(w[scale]))
        value = term if value is None else value * term
        if scale < num_scales - 1:
            y_true = ops.average_pool(y_true, 2, strides=2, padding="valid")
            y_pred = ops.average_pool(y_pred, 2, strides=2, padding="valid")
    return ops.mean(value, axis=-1)
