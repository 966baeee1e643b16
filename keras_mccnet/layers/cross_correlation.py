"""Explicit cross-correlation (cost volume) between the left and right dual-pixel features."""

from __future__ import annotations

import keras
from keras import ops

DIRECTIONS = ("horizontal", "2d")


@keras.saving.register_keras_serializable(package="keras_mccnet")
class CrossCorrelation(keras.layers.Layer):
    """Cost volume between two feature maps over a range of displacements.

    Replaces tensorflow-addons' `CorrelationCost` (end-of-life, does not import with Keras 3)
    with pure `keras.ops`, so it runs under TensorFlow, JAX and torch and converts to TFLite
    builtin ops. Called on `[a, b]` (NHWC, same shape), it returns one channel per displacement
    `d_k`:

        out[..., k] = mean_c( a(x)[c] * b(x + d_k)[c] ),  b = 0 outside the image,

    with `a`, `b` L2-normalised over channels first when `normalize=True` (so `out * C` is the
    cosine similarity). Displacements run from -D to +D in steps of `stride`; for
    `direction="2d"` they are (dy, dx) pairs in row-major order (dy outer, dx inner).
    Defocus disparity in dual-pixel images lies along the DP split, which is horizontal on
    DPDD's Canon sensor and on Pixel phones, hence the 1-D default.

    Args:
        max_displacement: D >= 0, the largest displacement in pixels of this feature map.
        direction: "horizontal" (1-D search along W, 2D/stride + 1 channels) or "2d"
            ((2D/stride + 1)^2 channels).
        normalize: L2-normalise the features over channels before correlating.
        stride: step between displacements, a divisor of `max_displacement`.
        epsilon: added under the square root of the L2 norm.

    Example:
        >>> corr = CrossCorrelation(max_displacement=4)
        >>> volume = corr([f_left, f_right])  # (N, H, W, 9)

    Reference: Dosovitskiy et al., "FlowNet", ICCV 2015 (correlation layer); K. Swami,
    "Adjust Your Focus", arXiv 2502.11002 (explicit multi-scale cross-correlation for DP).
    """

    def __init__(self, max_displacement: int, direction: str = "horizontal",
                 normalize: bool = True, stride: int = 1, epsilon: float = 1e-6, **kwargs):
        super().__init__(**kwargs)
        if int(max_displacement) != max_displacement or max_displacement < 0:
            raise ValueError(f"max_displacement must be an integer >= 0, got {max_displacement!r}")
        if direction not in DIRECTIONS:
            raise ValueError(f"direction must be one of {DIRECTIONS}, got {direction!r}")
        if int(stride) != stride or stride < 1 or max_displacement % stride:
            raise ValueError(
                f"stride must be a positive divisor of max_displacement={max_displacement}, "
                f"got {stride!r}")
        self.max_displacement = int(max_displacement)
        self.direction = direction
        self.normalize = bool(normalize)
        self.stride = int(stride)
        self.epsilon = float(epsilon)

    @property
    def displacements(self) -> list[tuple[int, int]]:
        """The (dy, dx) displacement of each output channel, in channel order."""
        steps = list(range(-self.max_displacement, self.max_displacement + 1, self.stride))
        if self.direction == "horizontal":
            return [(0, dx) for dx in steps]
        return [(dy, dx) for dy in steps for dx in steps]

    def build(self, input_shape):
        if not isinstance(input_shape, (list, tuple)) or len(input_shape) != 2:
            raise ValueError(f"{self.name} expects a list [a, b] of two tensors, got {input_shape}")
        a, b = (tuple(s) for s in input_shape)
        if len(a) != 4 or len(b) != 4:
            raise ValueError(f"{self.name} expects NHWC tensors, got shapes {a} and {b}")
        for da, db in zip(a[1:], b[1:]):
            if da is not None and db is not None and da != db:
                raise ValueError(f"{self.name}: the two inputs differ in shape: {a} vs {b}")
        super().build(input_shape)

    def _normalized(self, x):
        # x * rsqrt(sum_c x^2 + eps), with the channel sum as a 1x1 convolution: written as a
        # reduction, the TFLite converter fuses the pattern into L2_NORMALIZATION, which XNNPACK
        # does not run (int8 falls back to a slow reference kernel and splits the graph).
        ones = ops.ones((1, 1, x.shape[-1], 1), dtype=x.dtype)
        squares = ops.conv(x * x, ones)  # MUL: XNNPACK has no int8 SQUARE
        return x * ops.rsqrt(squares + self.epsilon)

    def call(self, inputs):
        a, b = inputs
        if self.normalize:
            a, b = self._normalized(a), self._normalized(b)
        dmax = self.max_displacement
        pad_h = dmax if self.direction == "2d" else 0
        # Zero-pad b once; every displacement is then a window of the padded map. The window's
        # size is the runtime size, so unknown spatial sizes work and D may exceed the size.
        # Windows + products + channel MEANs measured fastest in LiteRT/XNNPACK, fp32 and int8:
        # one 1x1 convolution over all concatenated products, or constant depthwise shifts, were
        # slower (benchmarks/export_op_profile.py). The windows are plain slices, not strided
        # ones: TensorFlow's gradient of a strided slice made MCCNet's CPU training step
        # 1.4-1.5x slower, with bit-identical results (benchmarks/correlation_train_speed.py).
        padded = ops.pad(b, [[0, 0], [pad_h, pad_h], [dmax, dmax], [0, 0]])
        window_shape = ops.shape(b)
        volume = []
        for dy, dx in self.displacements:
            window = ops.slice(padded, [0, pad_h + dy, dmax + dx, 0], window_shape)
            volume.append(ops.mean(a * window, axis=-1, keepdims=True))
        return ops.concatenate(volume, axis=-1) if len(volume) > 1 else volume[0]

    def compute_output_shape(self, input_shape):
        a = tuple(input_shape[0])
        return a[:3] + (len(self.displacements),)

    def get_config(self):
        config = super().get_config()
        config.update(max_displacement=self.max_displacement, direction=self.direction,
                      normalize=self.normalize, stride=self.stride, epsilon=self.epsilon)
        return config
