import numpy as np
import pytest

from keras_mccnet.data.gif_palette import gif_quantize


def _gradient(h=48, w=64):
    y, x = np.mgrid[0:h, 0:w].astype(np.float32)
    return np.stack([x / (w - 1), y / (h - 1), np.full_like(x, 0.5)], axis=2)


def test_gif_quantize_uses_at_most_the_palette_and_keeps_local_means():
    image = _gradient()
    out = gif_quantize(image, 8)
    assert out.shape == image.shape and out.dtype == np.float32
    assert len(np.unique(out.reshape(-1, 3), axis=0)) <= 8
    np.testing.assert_allclose(out * 255, np.round(out * 255), atol=1e-4)  # the 8-bit grid
    # Dithering trades per-pixel error for local means: 8x8 box averages are far closer.
    box = lambda a: a.reshape(6, 8, 8, 8, 3).mean(axis=(1, 3))  # noqa: E731
    assert np.abs(box(out) - box(image)).mean() < 0.5 * np.abs(out - image).mean()


def test_gif_quantize_dithers_a_flat_ramp_into_speckle():
    ramp = np.repeat(np.linspace(0.3, 0.35, 64, dtype=np.float32)[None, :, None], 32, 0)
    ramp = np.repeat(ramp, 3, axis=2)
    out = gif_quantize(ramp, 2)
    # Two colours cannot follow the ramp without dithering; with it, neighbouring pixels alternate.
    assert (np.diff(out[:, :, 0], axis=1) != 0).mean() > 0.1


def test_gif_quantize_rejects_bad_palette_sizes():
    with pytest.raises(ValueError, match="palette_colors"):
        gif_quantize(_gradient(), 1)
    with pytest.raises(ValueError, match="palette_colors"):
        gif_quantize(_gradient(), 300)
