"""A classic, photometrically robust cost volume: windowed NCC of high-passed grey views."""

from __future__ import annotations

import keras
from keras import ops


def _box(x, size: int):
    """Separable box mean over `size` x `size` ("same" size; the border averages what exists)."""
    x = ops.average_pool(x, (size, 1), strides=1, padding="same")
    return ops.average_pool(x, (1, size), strides=1, padding="same")


@keras.saving.register_keras_serializable(package="keras_mccnet")
class HighpassNCC(keras.layers.Layer):
    """Horizontal cost volume by windowed normalised cross-correlation, without weights.

    Called on `[left, right]` (NHWC, RGB), it turns both views to grey, removes their low
    frequencies (x - box(box(x))), and for every displacement d in -D..+D returns

        ncc_d(x) = box(a * b_d)(x) / sqrt(box(a^2)(x) * box(b_d^2)(x) + epsilon),
        b_d(x) = b(x + d), zero outside the image,

    i.e. the estimator of `keras_mccnet.data.disparity` (the project's block matcher) computed
    densely. The high-pass and the per-window normalisation make it insensitive to what learned
    features are not: the opposite shading of the two half-aperture views, gain mismatch and
    colour. A peak at d > 0 means the right view's content sits d px further right (DPDD's sign).

    Args:
        max_displacement: D >= 1 (2D + 1 output channels).
        window: side of the correlation window in pixels.
        highpass: side of the box filter (applied twice) whose output is subtracted.
        epsilon: added to the product of the variances (flat windows tend to 0).

    Reference: the block matcher of keras_mccnet/data/disparity.py; Lewis, "Fast Normalized
    Cross-Correlation", Vision Interface 1995.
    """

    def __init__(self, max_displacement: int = 4, window: int = 15, highpass: int = 9,
                 epsilon: float = 1e-7, **kwargs):
        super().__init__(**kwargs)
        if int(max_displacement) != max_displacement or max_displacement < 1:
            raise ValueError(f"max_displacement must be an integer >= 1, got {max_displacement!r}")
        if window < 1 or highpass < 1:
            raise ValueError(f"window and highpass must be >= 1, got {window}, {highpass}")
        self.max_displacement = int(max_displacement)
        self.window = int(window)
        self.highpass = int(highpass)
        self.epsilon = float(epsilon)

    def call(self, inputs):
        def grey_highpass(x):
            g = ops.mean(x, axis=-1, keepdims=True)
            return g - _box(_box(g, self.highpass), self.highpass)

        a, b = (grey_highpass(v) for v in inputs)
        d = self.max_displacement
        width = ops.shape(b)[2]
        pad = [[0, 0], [0, 0], [d, d], [0, 0]]
        padded_b = ops.pad(b, pad)
        padded_bb = ops.pad(_box(b * b, self.window), pad)
        shifted = lambda t, s: t[:, :, d + s:d + s + width, :]  # noqa: E731
        steps = range(-d, d + 1)
        products = ops.concatenate([a * shifted(padded_b, s) for s in steps], axis=-1)
        energy_b = ops.concatenate([shifted(padded_bb, s) for s in steps], axis=-1)
        energy_a = _box(a * a, self.window)
        return _box(products, self.window) * ops.rsqrt(energy_a * energy_b + self.epsilon)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape[0][:3]) + (2 * self.max_displacement + 1,)

    def get_config(self):
        return {**super().get_config(), "max_displacement": self.max_displacement,
                "window": self.window, "highpass": self.highpass, "epsilon": self.epsilon}
