"""The defocus head: an opt-in second output that leaves the deblurred output untouched."""

import keras
import numpy as np
import pytest

from keras_mccnet import MCCNet, pretrained
from keras_mccnet.defocus import head_layers, load_backbone, load_head, save_head
from model_checks import MICRO, random_views


def outputs(model, views):
    out = model.predict(views, verbose=0, batch_size=len(views["left"]))
    return {k: np.asarray(v) for k, v in out.items()} if isinstance(out, dict) else np.asarray(out)


def test_head_adds_a_cropped_one_channel_output_and_leaves_deblurring_bit_identical(tmp_path):
    plain = MCCNet(**MICRO)
    path = tmp_path / "plain.weights.h5"
    plain.save_weights(path)
    with_head = MCCNet(**MICRO, defocus_head=True)
    load_backbone(with_head, path)
    views = random_views(np.random.default_rng(0), n=2, h=30, w=45)  # not a multiple of 4
    out = outputs(with_head, views)
    assert sorted(out) == ["deblurred", "defocus"]
    assert out["defocus"].shape == (2, 30, 45, 1)
    assert np.all(np.isfinite(out["defocus"]))
    np.testing.assert_array_equal(out["deblurred"], outputs(plain, views))
    # the head only reads the backbone: its layers are extra, nothing else changed
    assert len(with_head.weights) - len(plain.weights) == sum(
        len(layer.weights) for layer in head_layers(with_head))


def test_default_config_has_no_head_and_old_configs_still_load():
    config = MCCNet(**MICRO).get_config()
    assert config["defocus_head"] is False
    del config["defocus_head"]  # a config saved before the head existed
    assert not MCCNet.from_config(config).defocus_head


def test_save_load_round_trip_keeps_both_outputs(tmp_path):
    model = MCCNet(**MICRO, defocus_head=True)
    model.save(tmp_path / "m.keras")
    loaded = keras.saving.load_model(tmp_path / "m.keras")
    views = random_views(np.random.default_rng(1), h=16, w=24)
    a, b = outputs(model, views), outputs(loaded, views)
    for name in ("deblurred", "defocus"):
        np.testing.assert_array_equal(a[name], b[name])


def test_head_weights_file_round_trip_in_float16_and_mismatch_is_named(tmp_path):
    trained = MCCNet(**MICRO, defocus_head=True)
    for layer in head_layers(trained):
        layer.set_weights([np.full(w.shape, 0.125, np.float32) for w in layer.weights])
    save_head(trained, tmp_path / "head.h5")
    fresh = MCCNet(**MICRO, defocus_head=True)
    load_head(fresh, tmp_path / "head.h5")
    for a, b in zip(head_layers(trained), head_layers(fresh)):
        for wa, wb in zip(a.get_weights(), b.get_weights()):
            np.testing.assert_array_equal(wa, wb)  # 0.125 is exact in float16
    other = MCCNet(widths=(8, 12, 16), evidence_channels=4, fusion_channels=4,
                   defocus_head=True)
    with pytest.raises(ValueError, match="head.h5: layer defocus_conv0"):
        load_head(other, tmp_path / "head.h5")


def test_head_needs_the_cost_volumes():
    with pytest.raises(ValueError, match="defocus_head needs"):
        MCCNet(architecture="concat", **MICRO, defocus_head=True)
    with pytest.raises(ValueError, match="defocus_head needs"):
        MCCNet(correlation_direction="2d", **MICRO, defocus_head=True)


def test_every_shipped_head_matches_its_digest_and_backbone():
    pretrained.shipped.cache_clear()
    heads = [w for w in pretrained.shipped().values() if w.head]
    assert heads, "the package ships a defocus head"
    for entry in heads:
        assert pretrained.resolve(entry.preset, entry.name) == entry.path
        assert (entry.preset, entry.backbone) in pretrained.shipped()
        assert entry.name not in [w.name for w in pretrained.available(entry.preset)]


def test_weights_without_a_shipped_head_are_refused(monkeypatch):
    monkeypatch.setattr(pretrained, "head_for", lambda *a: None)
    with pytest.raises(ValueError, match="train_defocus_head.py"):
        MCCNet.from_preset("mccnet_tiny", weights="synthetic", defocus_head=True)


def test_shipped_head_reads_signed_defocus_on_synthetic_scenes():
    """The shipped head on scenes it never saw: ranks the known disparity, beats predicting 0,
    and the deblurred output is bit-identical to the shipped model without the head."""
    from scipy.stats import spearmanr

    from keras_mccnet.data.synthetic import render_scene, scene_rng

    model = MCCNet.from_preset("mccnet_tiny", weights="synthetic", defocus_head=True)
    plain = MCCNet.from_preset("mccnet_tiny", weights="synthetic")
    errors, zero, rho = [], [], []
    for i in range(3):
        scene = render_scene(scene_rng(99, i, 16), (96, 96), None, blur_range=(6.0, 24.0))
        truth = scene["blur"] * scene["params"]["disparity_to_blur"]
        views = {"left": scene["left"][None], "right": scene["right"][None]}
        out = outputs(model, views)
        np.testing.assert_array_equal(out["deblurred"], outputs(plain, views))
        pred = out["defocus"][0, ..., 0]
        errors.append(np.mean(np.abs(pred - truth)))
        zero.append(np.mean(np.abs(truth)))
        if np.ptp(truth) > 0.05:  # a single fronto-parallel plane has no ranks to compare
            rho.append(spearmanr(pred.ravel(), truth.ravel()).statistic)
    assert np.mean(errors) < 0.7 * np.mean(zero), (errors, zero)
    assert len(rho) >= 2 and np.mean(rho) > 0.3, rho
