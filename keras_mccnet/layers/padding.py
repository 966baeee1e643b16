"""Pad an image to a multiple of the network stride, and crop the result back."""

from __future__ import annotations

import keras
from keras import ops


@keras.saving.register_keras_serializable(package="keras_mccnet")
class PadToMultiple(keras.layers.Layer):
    """Pads the bottom and right of an NHWC tensor so height and width are multiples of `multiple`.

    Lets a U-Net whose total stride is `multiple` accept any input size: pad here, crop back with
    `CropToReference`. When the static size is already a multiple (fixed-size export tiles),
    no op is emitted at all.

    Args:
        multiple: the total downsampling factor of the network, >= 1.
        mode: "symmetric" (mirror, no artificial edge; needs sides >= multiple - 1) or "constant".

    Example:
        >>> padded = PadToMultiple(8)(image)  # (1, 37, 53, 3) -> (1, 40, 56, 3)
    """

    def __init__(self, multiple: int, mode: str = "symmetric", **kwargs):
        super().__init__(**kwargs)
        if int(multiple) != multiple or multiple < 1:
            raise ValueError(f"multiple must be a positive integer, got {multiple!r}")
        if mode not in ("symmetric", "constant"):
            raise ValueError(f"mode must be 'symmetric' or 'constant', got {mode!r}")
        self.multiple = int(multiple)
        self.mode = mode

    def _static_pad(self, size):
        return None if size is None else (-size) % self.multiple

    def call(self, x):
        static_h, static_w = x.shape[1], x.shape[2]
        pad_h, pad_w = self._static_pad(static_h), self._static_pad(static_w)
        if pad_h == 0 and pad_w == 0:
            return x
        if pad_h is not None and pad_w is not None:
            return ops.pad(x, [[0, 0], [0, pad_h], [0, pad_w], [0, 0]], mode=self.mode)
        # Unknown size (any-size export): pad by the largest amount ever needed, a constant, and
        # crop to the runtime size. A pad by a runtime amount would lose every static dimension
        # in the TF graph, channels included, and the next convolution would then need a Flex
        # op; the mirror of the first p rows is the same whatever the total pad, so this is exact.
        most = self.multiple - 1
        full = ops.pad(x, [[0, 0], [0, most if pad_h is None else pad_h],
                           [0, most if pad_w is None else pad_w], [0, 0]], mode=self.mode)
        # Round up with non-negative operands only: tf2onnx turns a floor-mod of a negative
        # size into a truncating Mod (-37 % 8 -> -5, not 3).
        up = lambda s: (s + self.multiple - 1) // self.multiple * self.multiple  # noqa: E731
        end_h = up(ops.shape(x)[1]) if pad_h is None else None
        end_w = up(ops.shape(x)[2]) if pad_w is None else None
        return full[:, :end_h, :end_w, :]

    def compute_output_shape(self, input_shape):
        n, h, w, c = input_shape
        up = lambda s: None if s is None else s + (-s) % self.multiple  # noqa: E731
        return (n, up(h), up(w), c)

    def get_config(self):
        config = super().get_config()
        config.update(multiple=self.multiple, mode=self.mode)
        return config


@keras.saving.register_keras_serializable(package="keras_mccnet")
class CropToReference(keras.layers.Layer):
    """Crops `x` to the height and width of `reference` (top-left aligned): `[x, reference]`.

    The inverse of `PadToMultiple`.
    """

    def call(self, inputs):
        x, reference = inputs
        if x.shape[1] is not None and x.shape[1] == reference.shape[1] and \
                x.shape[2] == reference.shape[2]:
            return x
        height, width = ops.shape(reference)[1], ops.shape(reference)[2]
        return x[:, :height, :width, :]

    def compute_output_shape(self, input_shape):
        x, reference = input_shape
        return (x[0], reference[1], reference[2], x[3])
