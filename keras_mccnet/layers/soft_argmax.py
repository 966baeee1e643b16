"""Soft-argmax over a horizontal cost volume: the expected disparity and its peak probability."""

from __future__ import annotations

import math

import keras
from keras import ops


@keras.saving.register_keras_serializable(package="keras_mccnet")
class SoftArgmax(keras.layers.Layer):
    """Differentiable disparity readout of a horizontal cost volume.

    For a cost volume whose channels are the displacements -D..+D (as `CrossCorrelation` with
    `direction="horizontal"` orders them), returns two channels:

        disparity  = scale * sum_d softmax(beta * cost)_d * d
        confidence = max_d softmax(beta * cost)_d

    `scale` converts the level's pixels into input pixels (2^k at pyramid level k); `beta` is a
    trainable sharpness (stored as its logarithm so it stays positive). The sign is the cost
    volume's: a peak at d > 0 means the right view's content sits d pixels further right.

    Args:
        max_displacement: D >= 1, the cost volume holds 2D + 1 channels.
        scale: input pixels per displacement step (default 1).
        temperature: initial beta (cosine costs in [-1, 1] need a sharp softmax: default 10).

    Example:
        >>> volume = CrossCorrelation(4)([f_left, f_right])      # (N, H, W, 9)
        >>> readout = SoftArgmax(4, scale=2)(volume)              # (N, H, W, 2)

    Reference: Kendall et al., "End-to-End Learning of Geometry and Context for Deep Stereo
    Regression" (GC-Net), ICCV 2017 (soft argmin over a cost volume).
    """

    def __init__(self, max_displacement: int, scale: float = 1.0, temperature: float = 10.0,
                 **kwargs):
        super().__init__(**kwargs)
        if int(max_displacement) != max_displacement or max_displacement < 1:
            raise ValueError(f"max_displacement must be an integer >= 1, got {max_displacement!r}")
        if temperature <= 0:
            raise ValueError(f"temperature must be > 0, got {temperature!r}")
        self.max_displacement = int(max_displacement)
        self.scale = float(scale)
        self.temperature = float(temperature)

    def build(self, input_shape):
        channels = input_shape[-1]
        if channels is not None and channels != 2 * self.max_displacement + 1:
            raise ValueError(f"{self.name}: a cost volume with D={self.max_displacement} has "
                             f"{2 * self.max_displacement + 1} channels, got shape {input_shape}")
        self.log_beta = self.add_weight(
            shape=(), name="log_beta",
            initializer=keras.initializers.Constant(math.log(self.temperature)))
        super().build(input_shape)

    def call(self, cost):
        p = ops.softmax(cost * ops.exp(self.log_beta), axis=-1)
        steps = ops.cast(ops.arange(-self.max_displacement, self.max_displacement + 1),
                         p.dtype) * self.scale
        disparity = ops.sum(p * steps, axis=-1, keepdims=True)
        confidence = ops.max(p, axis=-1, keepdims=True)
        return ops.concatenate([disparity, confidence], axis=-1)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape[:-1]) + (2,)

    def get_config(self):
        return {**super().get_config(), "max_displacement": self.max_displacement,
                "scale": self.scale, "temperature": self.temperature}
