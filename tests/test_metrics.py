import numpy as np
import pytest
import keras

from keras_mccnet.metrics import PSNRMetric, SSIMMetric, psnr, ssim


def test_psnr_is_ten_log_inverse_mse_on_clamped_output():
    target = np.full((1, 8, 8, 3), 0.5, np.float32)
    pred = target + 0.1
    assert float(psnr(target, pred)[0]) == pytest.approx(20.0, abs=1e-4)  # MSE 0.01
    over = target.copy()
    over[..., 0] = 1.7  # clamped to 1.0 before scoring: MSE = 0.25 / 3
    assert float(psnr(target, over)[0]) == pytest.approx(10 * np.log10(3 / 0.25), abs=1e-4)


def test_ssim_matches_tensorflow():
    if keras.backend.backend() != "tensorflow":
        pytest.skip("reference is tf.image.ssim")
    import tensorflow as tf

    rng = np.random.default_rng(0)
    x = rng.random((2, 40, 40, 3)).astype(np.float32)
    y = np.clip(x + 0.1 * rng.standard_normal(x.shape), 0, 1).astype(np.float32)
    np.testing.assert_allclose(np.asarray(ssim(x, y)), tf.image.ssim(x, y, 1.0).numpy(),
                               atol=1e-4)


def test_metric_objects_average_over_batches():
    metric = PSNRMetric()
    target = np.full((1, 8, 8, 3), 0.5, np.float32)
    metric.update_state(target, target + 0.1)   # 20 dB
    metric.update_state(target, target + 0.01)  # 40 dB
    assert float(metric.result()) == pytest.approx(30.0, abs=1e-3)
    assert SSIMMetric.from_config(SSIMMetric().get_config()).name == "ssim"
