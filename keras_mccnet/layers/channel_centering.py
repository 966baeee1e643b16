"""ChannelCentering: subtracts each pixel's mean over channels."""

from __future__ import annotations

import keras
from keras import ops


@keras.saving.register_keras_serializable(package="keras_mccnet")
class ChannelCentering(keras.layers.Layer):
    """x - mean_c(x) at every pixel (NHWC), no weights.

    Before an L2-normalised cost volume this turns the cosine similarity into a zero-normalised
    cross-correlation (ZNCC). ReLU features are non-negative, so their plain cosine similarity is
    high at every displacement (shared positive mean); centred, it measures how well the
    patterns match, which is the disparity evidence the correlation is there for.

    Example:
        >>> centred = ChannelCentering(name="corr_s0_center_left")(features)
    """

    def call(self, inputs):
        return inputs - ops.mean(inputs, axis=-1, keepdims=True)

    def compute_output_shape(self, input_shape):
        return input_shape
