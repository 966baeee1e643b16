import numpy as np
import pytest
import keras

from keras_mccnet import MCCNet
from keras_mccnet.growth import grow, train_only
from model_checks import MICRO, predict, random_views

DEEPER = dict(MICRO, encoder_blocks=(1, 1, 2), decoder_blocks=(1, 1, 2))


def _trained_like_source(seed=3):
    keras.utils.set_random_seed(seed)
    return MCCNet(**MICRO)


def test_grown_model_computes_what_the_source_did():
    source = _trained_like_source()
    model = MCCNet(global_context=True, **DEEPER)
    new = grow(model, source)
    assert sorted(new) == ["ctx_hidden", "ctx_offset", "dec_s2_block1",
                           "siamese_encoder/enc_s2_block1"]
    views = random_views(np.random.default_rng(0), h=40, w=56)
    np.testing.assert_allclose(predict(model, views), predict(source, views), atol=1e-6)


def test_new_blocks_learn_from_the_first_step():
    model = MCCNet(**DEEPER)
    grow(model, _trained_like_source())
    block = model.get_layer("dec_s2_block1")
    assert not np.any(block.conv2.kernel.numpy())
    model.compile(keras.optimizers.Adam(1e-3), "mae")
    views = random_views(np.random.default_rng(1), n=2)
    model.train_on_batch(views, views["left"])
    assert np.any(block.conv2.kernel.numpy()), "a zeroed residual branch must still get gradient"


def test_a_widened_layer_is_refused_by_name():
    with pytest.raises(ValueError, match="enc_s0_entry.*changed shape"):
        grow(MCCNet(**{**MICRO, "widths": (12, 12, 16)}), _trained_like_source())


def test_a_new_layer_that_changes_the_output_is_refused():
    model = MCCNet(global_context=True, **MICRO)
    offset = model.get_layer("ctx_offset")
    offset.set_weights([np.full(w.shape, 0.5, "float32") for w in offset.weights])
    with pytest.raises(ValueError, match="output differs"):
        grow(model, _trained_like_source())


def _layer_values(model):
    layers = [*model.layers, *model.get_layer("siamese_encoder").layers]
    return {layer.name: [w.numpy().copy() for w in layer.weights]
            for layer in layers if layer.weights and not isinstance(layer, keras.Model)}


def test_training_only_the_new_layers_leaves_the_others_unchanged():
    model = MCCNet(global_context=True, **DEEPER)
    new = grow(model, _trained_like_source())
    train_only(model, new)
    before = _layer_values(model)
    model.compile(keras.optimizers.Adam(1e-2), "mae")
    views = random_views(np.random.default_rng(2), n=2)
    model.train_on_batch(views, views["left"])
    after = _layer_values(model)
    changed = {name for name in before
               if any(not np.array_equal(a, b) for a, b in zip(before[name], after[name]))}
    assert changed == {"ctx_offset", "dec_s2_block1", "enc_s2_block1"}, changed


def test_train_only_names_an_unknown_layer():
    with pytest.raises(ValueError, match="no such layers.*dec_s9_block0"):
        train_only(MCCNet(**MICRO), ["dec_s9_block0"])
