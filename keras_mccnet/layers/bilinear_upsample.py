"""Bilinear upsampling by a power of two that also works on tensors of unknown size."""

from __future__ import annotations

import keras
from keras import ops


def _upsample2x_along(x, axis: int):
    """Half-pixel bilinear 2x along `axis` with edge replication, from slices and adds:
    out[2i] = 0.75 x[i] + 0.25 x[i-1], out[2i+1] = 0.75 x[i] + 0.25 x[i+1]."""
    pad = [[0, 0]] * 4
    pad[axis] = [1, 1]
    padded = ops.pad(x, pad, mode="symmetric")  # x[-1] := x[0], x[n] := x[n-1]

    def window(start):
        index = [slice(None)] * 4
        index[axis] = slice(start, start + ops.shape(x)[axis])
        return padded[tuple(index)]

    even = 0.75 * x + 0.25 * window(0)
    odd = 0.75 * x + 0.25 * window(2)
    shape = list(ops.shape(x))
    shape[axis] = shape[axis] * 2
    return ops.reshape(ops.stack([even, odd], axis=axis + 1), shape)


@keras.saving.register_keras_serializable(package="keras_mccnet")
class BilinearUpsample(keras.layers.Layer):
    """Bilinear upsampling (half-pixel centres, as `tf.image.resize`) by `factor`, a power of
    two, done as successive 2x steps.

    Keras' `UpSampling2D(interpolation="bilinear")` fails inside a TensorFlow graph whose spatial
    size is unknown (`keras.ops.image.resize` tests the size in Python), which happens as soon
    as `model.predict` sees a second image size. With a static size this layer emits the
    resize op (TFLite RESIZE_BILINEAR, GPU-delegate friendly); with an unknown size it computes
    the same values from pads, slices and adds.

    Args:
        factor: upsampling factor, a power of two.
    """

    def __init__(self, factor: int = 2, **kwargs):
        super().__init__(**kwargs)
        if int(factor) != factor or factor < 1 or factor & (factor - 1):
            raise ValueError(f"factor must be a power of two, got {factor!r}")
        self.factor = int(factor)

    def call(self, x):
        steps = self.factor.bit_length() - 1
        for _ in range(steps):
            height, width = x.shape[1], x.shape[2]
            if height is not None and width is not None:
                x = ops.image.resize(x, (2 * height, 2 * width), interpolation="bilinear",
                                     antialias=False)
            else:
                x = _upsample2x_along(_upsample2x_along(x, 1), 2)
        return x

    def compute_output_shape(self, input_shape):
        n, h, w, c = input_shape
        scale = lambda s: None if s is None else s * self.factor  # noqa: E731
        return (n, scale(h), scale(w), c)

    def get_config(self):
        return {**super().get_config(), "factor": self.factor}
