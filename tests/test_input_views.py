"""One input rule for keras_mccnet.deblur, predict_views and ExportedModel.deblur."""

import numpy as np
import pytest

from keras_mccnet.input_views import normalize_views, to_unit_range


def test_integer_images_are_scaled_by_their_bit_depth():
    np.testing.assert_allclose(to_unit_range(np.array([0, 51, 255], np.uint8)), [0, 0.2, 1])
    np.testing.assert_allclose(to_unit_range(np.array([0, 65535], np.uint16)), [0, 1])


def test_floats_are_clamped_within_the_tolerance_and_refused_beyond():
    np.testing.assert_allclose(to_unit_range(np.array([-0.01, 0.5, 1.02], np.float32)),
                               [0, 0.5, 1])
    with pytest.raises(ValueError, match=r"left: float values span 0..255.*uint8"):
        to_unit_range(np.array([0.0, 255.0]), "left")
    with pytest.raises(ValueError, match="NaN"):
        to_unit_range(np.array([0.0, np.nan]))


@pytest.mark.parametrize("dtype", [np.int32, np.int8, bool, np.complex64])
def test_unsupported_dtypes_are_named(dtype):
    with pytest.raises(ValueError, match="unsupported dtype"):
        to_unit_range(np.zeros((2, 2, 3), dtype))


def test_shapes_batch_and_mismatches():
    left, right, batched = normalize_views(np.zeros((4, 5, 3), np.uint8),
                                           np.zeros((4, 5, 3), np.uint8))
    assert left.shape == (1, 4, 5, 3) and left.dtype == np.float32 and not batched
    assert normalize_views(np.zeros((2, 4, 5, 3)), np.zeros((2, 4, 5, 3)))[2]
    with pytest.raises(ValueError, match=r"left: expected HxWx3 .* got shape \(4, 5\)"):
        normalize_views(np.zeros((4, 5)), np.zeros((4, 5)))
    with pytest.raises(ValueError, match=r"right: expected .* got shape \(4, 5, 4\)"):
        normalize_views(np.zeros((4, 5, 3)), np.zeros((4, 5, 4)))
    with pytest.raises(ValueError, match="same shape"):
        normalize_views(np.zeros((4, 5, 3)), np.zeros((4, 6, 3)))


def test_library_deblur_takes_uint8_batches_and_clamps():
    import keras_mccnet
    from keras_mccnet import MCCNet

    model = MCCNet(widths=(8, 12), evidence_channels=4, fusion_channels=8,
                   output_init_scale=5.0)  # a large residual: outputs leave [0, 1] unclamped
    rng = np.random.default_rng(0)
    left8, right8 = (rng.integers(0, 256, (2, 24, 32, 3), dtype=np.uint8) for _ in range(2))
    out = keras_mccnet.deblur(left8, right8, model=model, tile=0)
    assert out.shape == (2, 24, 32, 3) and out.dtype == np.float32
    assert out.min() >= 0.0 and out.max() <= 1.0
    raw = np.asarray(model.predict_on_batch({"left": left8 / 255.0, "right": right8 / 255.0}))
    assert raw.min() < 0.0 or raw.max() > 1.0  # so the clamp above was needed
    np.testing.assert_allclose(out, np.clip(raw, 0, 1), atol=1e-5)
    single = keras_mccnet.deblur(left8[1], right8[1], model=model, tile=0)  # no batch dim
    assert single.shape == (24, 32, 3)
    np.testing.assert_allclose(single, out[1], atol=1e-5)
    with pytest.raises(ValueError, match="same shape"):
        keras_mccnet.deblur(left8[0], right8[0, :, :16], model=model)
