"""Training-time image quality metrics (PSNR, SSIM) in `keras.ops`.

Outputs are clamped to [0, 1] first, as at inference. The paper-protocol evaluator
(`training/evaluate.py`) computes its reported numbers separately, exactly as Restormer's test
script does; these metrics are for monitoring during `fit`.
"""

from __future__ import annotations

import keras
from keras import ops

from keras_mccnet import image_similarity


def psnr(y_true, y_pred, max_val=1.0):
    """Per-image PSNR in dB, 10 log10(max^2 / MSE), of the clamped prediction; shape (N,)."""
    y_true = ops.convert_to_tensor(y_true, "float32")
    y_pred = ops.clip(ops.convert_to_tensor(y_pred, "float32"), 0.0, max_val)
    mse = ops.mean(ops.square(y_true - y_pred), axis=(1, 2, 3))
    return 10.0 * ops.log(max_val * max_val / ops.maximum(mse, 1e-10)) / ops.log(10.0)


def ssim(y_true, y_pred, max_val=1.0):
    """Per-image Gaussian-window SSIM of the clamped prediction; shape (N,)."""
    y_pred = ops.clip(ops.convert_to_tensor(y_pred, "float32"), 0.0, max_val)
    return image_similarity.ssim(y_true, y_pred, max_val)


@keras.saving.register_keras_serializable(package="keras_mccnet")
class PSNRMetric(keras.metrics.MeanMetricWrapper):
    """Mean per-image PSNR (dB) over the batches seen."""

    def __init__(self, name="psnr", dtype=None):
        super().__init__(fn=psnr, name=name, dtype=dtype)

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype}


@keras.saving.register_keras_serializable(package="keras_mccnet")
class SSIMMetric(keras.metrics.MeanMetricWrapper):
    """Mean per-image SSIM over the batches seen."""

    def __init__(self, name="ssim", dtype=None):
        super().__init__(fn=ssim, name=name, dtype=dtype)

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype}
