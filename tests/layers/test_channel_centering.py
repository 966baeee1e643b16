import numpy as np
import pytest

from keras_mccnet import MCCNet
from keras_mccnet.layers import ChannelCentering, CrossCorrelation
from model_checks import MICRO, assert_config_round_trip, random_views


def test_centering_removes_each_pixels_channel_mean():
    x = np.random.default_rng(0).random((2, 5, 7, 6)).astype(np.float32) + 3.0
    out = np.asarray(ChannelCentering()(x))
    np.testing.assert_allclose(out, x - x.mean(axis=-1, keepdims=True), atol=1e-6)
    np.testing.assert_allclose(out.mean(axis=-1), 0.0, atol=1e-6)


def test_centred_cost_volume_separates_what_plain_cosine_does_not():
    """Non-negative (ReLU-like) features: plain cosine is high at every displacement, the
    centred one (ZNCC) peaks at the true shift."""
    rng = np.random.default_rng(1)
    base = rng.random((1, 8, 40, 16)).astype(np.float32) + 2.0  # shared positive mean
    shifted = np.roll(base, 2, axis=2)  # right view: content 2 px further right
    corr = CrossCorrelation(4, "horizontal", True)
    plain = np.asarray(corr([base, shifted]))[0, :, 8:32] * 16
    centred = np.asarray(corr([ChannelCentering()(base), ChannelCentering()(shifted)]))[
        0, :, 8:32] * 16
    assert plain.min() > 0.9  # every displacement looks alike
    assert (centred.argmax(axis=-1) == 4 + 2).all()  # displacement +2 of -4..+4
    assert np.median(np.sort(centred, axis=-1)[..., -2]) < 0.5


def test_mccnet_with_zncc_round_trips_and_differs():
    model = MCCNet(correlation_center=True, **MICRO)
    assert assert_config_round_trip(model).correlation_center
    plain = MCCNet(**MICRO)
    plain.set_weights(model.get_weights())  # weightless layer: same weights, other volume
    views = random_views(np.random.default_rng(2), h=24, w=40)
    a = np.asarray(model.predict(views, verbose=0))
    b = np.asarray(plain.predict(views, verbose=0))
    assert not np.allclose(a, b)
    assert MCCNet(**MICRO).get_config()["correlation_center"] is False


def test_cost_contrast_feeds_the_fusion_zero_mean_cost_curves():
    import keras

    model = MCCNet(correlation_contrast=True, **MICRO)
    assert assert_config_round_trip(model).correlation_contrast
    views = random_views(np.random.default_rng(3), h=24, w=40)
    probe = keras.Model(model.inputs, [model.get_layer("corr_s0_cos").output,
                                       model.get_layer("corr_s0_contrast").output])
    raw, contrast = (np.asarray(t) for t in probe(views))
    np.testing.assert_allclose(contrast, raw - raw.mean(axis=-1, keepdims=True), atol=1e-5)
    assert raw.mean() > 0.3  # the level the contrast removes is really there
    assert MCCNet(**MICRO).get_config()["correlation_contrast"] is False


@pytest.mark.parametrize("option", ["correlation_center", "correlation_contrast"])
@pytest.mark.parametrize("architecture", ["concat", "siamese_no_corr", "single_view"])
def test_cost_volume_options_are_refused_without_a_cost_volume(option, architecture):
    with pytest.raises(ValueError, match=f"{option} needs architecture='mccnet'.*{architecture}"):
        MCCNet(architecture=architecture, **{option: True}, **MICRO)
