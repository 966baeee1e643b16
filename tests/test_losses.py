import numpy as np
import pytest
import keras

from keras_mccnet.image_similarity import max_scales, ms_ssim
from keras_mccnet.losses import (CharbonnierLoss, CharbonnierMSSSIMLoss, MSSSIMLoss, charbonnier,
                                 spectral_l1)


def smooth_pair(seed, size, noise=0.05):
    rng = np.random.default_rng(seed)
    base = rng.random((2, size // 8, size // 8, 3)).astype(np.float32)
    base = np.repeat(np.repeat(base, 8, axis=1), 8, axis=2)  # blocky, structured content
    noisy = np.clip(base + noise * rng.standard_normal(base.shape), 0, 1).astype(np.float32)
    return base, noisy


def test_charbonnier_matches_its_formula():
    x, y = smooth_pair(0, 32)
    want = np.sqrt((y.astype(np.float64) - x) ** 2 + 1e-6).mean(axis=(1, 2, 3))
    np.testing.assert_allclose(np.asarray(charbonnier(x, y)), want, rtol=1e-5)
    assert float(CharbonnierLoss()(x, x)) == pytest.approx(1e-3, rel=1e-4)  # sqrt(eps^2)


def test_ms_ssim_matches_tensorflow_at_five_scales():
    if keras.backend.backend() != "tensorflow":
        pytest.skip("reference is tf.image.ssim_multiscale")
    import tensorflow as tf

    x, y = smooth_pair(1, 192)
    np.testing.assert_allclose(np.asarray(ms_ssim(x, y)),
                               tf.image.ssim_multiscale(x, y, 1.0).numpy(), atol=2e-4)


@pytest.mark.parametrize("size,scales", [(256, 5), (176, 5), (175, 4), (128, 4), (64, 3), (11, 1)])
def test_number_of_scales_adapts_to_the_patch(size, scales):
    assert max_scales(size, size, 11) == scales


def test_small_patches_work_and_identical_images_score_one():
    x, y = smooth_pair(2, 96)
    assert np.all(np.asarray(ms_ssim(x, x)) == pytest.approx(1.0, abs=1e-5))
    loss = float(MSSSIMLoss()(x, y))
    assert 0.0 < loss < 1.0


def test_too_many_scales_for_the_patch_is_a_clear_error():
    x, y = smooth_pair(3, 128)
    with pytest.raises(ValueError, match="at least 176x176"):
        MSSSIMLoss(num_scales=5)(x, y)


def test_combined_loss_is_the_weighted_sum_and_serializes():
    x, y = smooth_pair(4, 96)
    combined = CharbonnierMSSSIMLoss(ms_ssim_weight=0.3)
    want = float(CharbonnierLoss()(x, y)) + 0.3 * float(MSSSIMLoss()(x, y))
    assert float(combined(x, y)) == pytest.approx(want, rel=1e-5)
    clone = keras.losses.deserialize(keras.losses.serialize(combined))
    assert clone.get_config() == combined.get_config()


def test_spectral_l1_matches_numpy_orthonormal_fft_per_channel():
    x, y = smooth_pair(5, 32)
    x, y = x[:, :, :24], y[:, :, :24]  # non-square: the scale is sqrt(H * W), not H or W
    spectrum = np.fft.fft2(y.astype(np.float64) - x, axes=(1, 2), norm="ortho")
    want = (np.abs(spectrum.real) + np.abs(spectrum.imag)).mean(axis=(1, 2, 3)) / 2
    np.testing.assert_allclose(np.asarray(spectral_l1(x, y)), want, rtol=1e-4)
    assert np.all(np.asarray(spectral_l1(x, x)) == 0.0)


def test_spectral_l1_weighs_a_white_error_like_the_pixel_l1_at_any_patch_size():
    # orthonormal: E|Re| + E|Im| of a white error's spectrum is sqrt(2) E|e|, halved
    rng = np.random.default_rng(6)
    for size in (64, 256):
        error = (0.01 * rng.standard_normal((1, size, size, 3))).astype(np.float32)
        ratio = float(spectral_l1(np.zeros_like(error), error)[0]) / np.abs(error).mean()
        assert ratio == pytest.approx(2 ** -0.5, rel=0.02)


def test_combined_loss_adds_the_weighted_spectral_term():
    x, y = smooth_pair(7, 96)
    base = CharbonnierMSSSIMLoss(ms_ssim_weight=0.3)
    with_fft = CharbonnierMSSSIMLoss(ms_ssim_weight=0.3, fft_weight=0.5)
    want = float(base(x, y)) + 0.5 * float(np.mean(spectral_l1(x, y)))
    assert float(with_fft(x, y)) == pytest.approx(want, rel=1e-5)
    clone = keras.losses.deserialize(keras.losses.serialize(with_fft))
    assert clone.get_config()["fft_weight"] == 0.5
