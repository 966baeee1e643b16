"""The residual convolution block used throughout the encoder and decoder."""

from __future__ import annotations

import keras


@keras.saving.register_keras_serializable(package="keras_mccnet")
class ResidualBlock(keras.layers.Layer):
    """`x + conv3x3(act(conv3x3(x)))`, channel count preserved.

    No normalisation layer: batch statistics hurt image restoration at small batch sizes and
    complicate int8 export; the identity path keeps deep stacks trainable.

    Args:
        filters: channels of the input and output.
        activation: a Keras activation name ("relu" default; lowers to a fused TFLite RELU).
        kernel_size: spatial size of both convolutions.

    Example:
        >>> y = ResidualBlock(64, name="enc_s1_block0")(x)
    """

    def __init__(self, filters: int, activation: str = "relu", kernel_size: int = 3, **kwargs):
        super().__init__(**kwargs)
        self.filters = int(filters)
        self.activation = activation
        self.kernel_size = int(kernel_size)
        self.conv1 = keras.layers.Conv2D(self.filters, self.kernel_size, padding="same",
                                         activation=activation, name="conv1")
        self.conv2 = keras.layers.Conv2D(self.filters, self.kernel_size, padding="same",
                                         name="conv2")

    def build(self, input_shape):
        if input_shape[-1] != self.filters:
            raise ValueError(f"{self.name}: input has {input_shape[-1]} channels, "
                             f"expected {self.filters}")
        self.conv1.build(input_shape)
        self.conv2.build(input_shape[:-1] + (self.filters,))
        super().build(input_shape)

    def call(self, x):
        return x + self.conv2(self.conv1(x))

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        config = super().get_config()
        config.update(filters=self.filters, activation=self.activation,
                      kernel_size=self.kernel_size)
        return config
