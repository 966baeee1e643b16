"""Tiled inference: equal to the untiled model away from the seams, clamped, any size."""

import numpy as np
import pytest
from training_helpers import MICRO, sideways_pair

from keras_mccnet import MCCNet
from keras_mccnet.predict import predict_views
from keras_mccnet.tiling import plan_tiles


@pytest.fixture(scope="module")
def model():
    return MCCNet(name="micro", **MICRO)


def test_tiled_equals_untiled_away_from_seams(model):
    rng = np.random.default_rng(0)
    left, right = (rng.random((48, 160, 3), dtype=np.float32) for _ in range(2))
    tile, overlap = 96, 32
    plan = plan_tiles(48, 160, tile, overlap)
    assert [(t.x, t.w) for t in plan.tiles] == [(0, 96), (64, 96)]  # one seam region, 64..96
    whole = predict_views(model, left, right, tile=0, clamp=False)
    tiled = predict_views(model, left, right, tile=tile, overlap=overlap, clamp=False)
    assert tiled.shape == whole.shape
    margin = 32  # > the receptive-field radius of MICRO
    far = np.r_[0:96 - margin, 64 + margin:160]
    np.testing.assert_allclose(tiled[:, far], whole[:, far], atol=1e-5)


def test_whole_image_pass_is_the_clamped_model_output(model):
    rng = np.random.default_rng(1)
    left, right = (rng.random((30, 42, 3), dtype=np.float32) for _ in range(2))
    raw = np.asarray(model.predict_on_batch({"left": left[None], "right": right[None]}))[0]
    out = predict_views(model, left, right, tile=512)  # smaller than one tile
    np.testing.assert_allclose(out, np.clip(raw, 0, 1), atol=1e-6)
    assert out.min() >= 0.0 and out.max() <= 1.0


def test_mismatched_views_are_refused(model):
    with pytest.raises(ValueError, match="same shape"):
        predict_views(model, np.zeros((8, 8, 3), np.float32), np.zeros((8, 9, 3), np.float32))


def test_uint8_views_are_scaled_not_fed_raw(model):
    # before: uint8 went into the model as 0..255 (outputs -17..279)
    rng = np.random.default_rng(2)
    left8, right8 = (rng.integers(0, 256, (24, 32, 3), dtype=np.uint8) for _ in range(2))
    as_float = predict_views(model, left8 / 255.0, right8 / 255.0, tile=0)
    np.testing.assert_allclose(predict_views(model, left8, right8, tile=0), as_float, atol=1e-6)


def test_defocus_map_is_tiled_and_blended_like_the_image():
    model = MCCNet(name="micro_defocus", defocus_head=True, **MICRO)
    rng = np.random.default_rng(2)
    left, right = (rng.random((48, 256, 3), dtype=np.float32) for _ in range(2))
    whole_image, whole = predict_views(model, left, right, tile=0, clamp=False, defocus=True)
    raw = model.predict_on_batch({"left": left[None], "right": right[None]})
    np.testing.assert_allclose(whole, np.asarray(raw["defocus"])[0, ..., 0], atol=1e-6)
    np.testing.assert_allclose(whole_image, np.asarray(raw["deblurred"])[0], atol=1e-6)
    # tiles [0, 160) and [96, 256); the head sees up to ~60 px, so compare outside the seam
    image, tiled = predict_views(model, left, right, tile=160, overlap=64, clamp=False,
                                 defocus=True)
    assert tiled.shape == (48, 256)
    far = np.r_[0:96, 160:256]
    np.testing.assert_allclose(tiled[:, far], whole[:, far], atol=1e-5)
    assert np.all(np.isfinite(tiled))
    # the image is unchanged by carrying the map along
    np.testing.assert_array_equal(image, predict_views(model, left, right, tile=160, overlap=64,
                                                       clamp=False))


def test_defocus_from_a_model_without_the_head_is_refused(model):
    with pytest.raises(ValueError, match="no defocus output"):
        predict_views(model, np.zeros((8, 8, 3), np.float32), np.zeros((8, 8, 3), np.float32),
                      defocus=True)


def test_ensemble_is_the_mean_of_the_flipped_predictions(model):
    from keras_mccnet.self_ensemble import FLIPS, flip_pair, unflip

    rng = np.random.default_rng(3)
    left, right = (rng.random((32, 48, 3), dtype=np.float32) for _ in range(2))
    expected = np.mean([unflip(predict_views(model, *flip_pair(left, right, *flip), tile=0,
                                             clamp=False), *flip) for flip in FLIPS], axis=0)
    out = predict_views(model, left, right, tile=0, clamp=False, ensemble=True)
    np.testing.assert_allclose(out, expected, atol=1e-5)
    plain = predict_views(model, left, right, tile=0, clamp=False)
    assert np.abs(out - plain).max() > 1e-4  # random weights are not flip-equivariant


def test_a_vertical_split_runs_transposed_and_comes_back_upright(model):
    import keras_mccnet
    from keras_mccnet.dp_axis import transpose_views

    rng = np.random.default_rng(3)
    left, right = (rng.random((40, 56, 3), dtype=np.float32) for _ in range(2))
    vertical = predict_views(model, left, right, tile=0, dp_axis="vertical")
    upright = transpose_views(predict_views(model, transpose_views(left), transpose_views(right),
                                            tile=0))
    assert vertical.shape == left.shape
    np.testing.assert_array_equal(vertical, upright)
    # random views have no disparity: "auto" keeps the native axis ...
    np.testing.assert_array_equal(keras_mccnet.deblur(left, right, model, tile=0),
                                  predict_views(model, left, right, tile=0))
    with pytest.raises(ValueError, match="dp_axis"):
        keras_mccnet.deblur(left, right, model, dp_axis="sideways")


def test_auto_transposes_a_pair_that_moves_along_columns(model):
    import keras_mccnet
    from keras_mccnet.dp_axis import transpose_views

    left, right = (transpose_views(v) for v in sideways_pair())
    np.testing.assert_array_equal(keras_mccnet.deblur(left, right, model, tile=0),
                                  predict_views(model, left, right, tile=0, dp_axis="vertical"))


def test_split_gain_runs_the_model_on_the_amplified_views(model):
    from keras_mccnet.dp_split import amplify_split

    rng = np.random.default_rng(5)
    left, right = (rng.random((32, 48, 3), dtype=np.float32) for _ in range(2))
    amplified = amplify_split(left, right, 2.0)
    raw = np.asarray(model.predict_on_batch({"left": amplified[0][None],
                                             "right": amplified[1][None]}))[0]
    out = predict_views(model, left, right, tile=0, clamp=False, split_gain=2.0)
    np.testing.assert_allclose(out, raw, atol=1e-5)
    # and the gain is not silently ignored
    assert np.abs(out - predict_views(model, left, right, tile=0, clamp=False)).max() > 1e-4


def test_split_gain_reports_the_defocus_map_in_the_recorded_views_px():
    from keras_mccnet.dp_split import amplify_split

    model = MCCNet(name="micro_defocus_gain", defocus_head=True, **MICRO)
    rng = np.random.default_rng(6)
    left, right = (rng.random((32, 48, 3), dtype=np.float32) for _ in range(2))
    amplified = amplify_split(left, right, 2.5)
    raw = model.predict_on_batch({"left": amplified[0][None], "right": amplified[1][None]})
    _, disparity = predict_views(model, left, right, tile=0, defocus=True, split_gain=2.5)
    np.testing.assert_allclose(disparity, np.asarray(raw["defocus"])[0, ..., 0] / 2.5, atol=1e-5)


def test_split_gain_is_applied_once_on_a_vertical_split(model):
    from keras_mccnet.dp_axis import transpose_views

    rng = np.random.default_rng(7)
    left, right = (rng.random((40, 24, 3), dtype=np.float32) for _ in range(2))
    turned = predict_views(model, left, right, tile=0, dp_axis="vertical", split_gain=2.0)
    direct = predict_views(model, transpose_views(left), transpose_views(right), tile=0,
                           split_gain=2.0)
    np.testing.assert_allclose(turned, transpose_views(direct), atol=1e-5)


def test_a_bad_split_gain_is_refused_before_the_model_runs(model):
    left = np.zeros((8, 8, 3), np.float32)
    with pytest.raises(ValueError, match="split_gain"):
        predict_views(model, left, left, split_gain=0)
