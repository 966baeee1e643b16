"""`--model SPEC`: one resolver for files, run folders and PRESET[:WEIGHTS]."""

import re

import numpy as np
import pytest

from keras_mccnet.model_spec import ModelSourceError, load_model
from keras_mccnet.pretrained import available


def _same_weights(a, b):
    return all(np.array_equal(x, y) for x, y in zip(a.get_weights(), b.get_weights()))


def test_shipped_weights_by_name_and_as_the_preset_default():
    from keras_mccnet import MCCNet

    shipped = MCCNet.from_preset("mccnet_tiny", weights="synthetic")
    named, source = load_model("mccnet_tiny:synthetic")
    assert _same_weights(named, shipped)
    assert source["random_init"] is False and source["weights"] == "synthetic"
    default, default_source = load_model("mccnet_tiny")  # a plain preset: its shipped weights
    assert _same_weights(default, shipped)
    assert default_source["weights_sha256"] == source["weights_sha256"]


def test_a_preset_without_shipped_weights_warns_that_it_is_untrained():
    with pytest.warns(UserWarning, match="UNTRAINED"):
        _, source = load_model("concat_tiny")
    assert source["random_init"] is True and "RANDOM" in source["description"]


def test_from_preset_without_weights_warns():
    from keras_mccnet import MCCNet

    with pytest.warns(UserWarning, match=r"from_preset\('concat_tiny'\).*UNTRAINED"):
        MCCNet.from_preset("concat_tiny")
    with pytest.warns(UserWarning, match="pass weights='synthetic'"):
        MCCNet.from_preset("mccnet_tiny")


def test_bad_specs_name_what_exists(tmp_path):
    with pytest.raises(ModelSourceError, match=r"mccnet_tiny:synthetic"):
        load_model(str(tmp_path / "nope.keras"))  # lists the shipped weights
    names = [w.name for w in available("mccnet_tiny")]  # every shipped name, in registry order
    with pytest.raises(ModelSourceError, match=r"no shipped weights 'nope'.*" + re.escape(str(names))):
        load_model("mccnet_tiny:nope")
    with pytest.raises(ModelSourceError, match="missing.weights.h5: weights file not found"):
        load_model(f"mccnet_tiny:{tmp_path}/missing.weights.h5")


def test_weights_file_for_a_preset(tmp_path):
    from keras_mccnet import MCCNet

    shipped = MCCNet.from_preset("mccnet_tiny", weights="synthetic")
    path = tmp_path / "mine.weights.h5"
    shipped.save_weights(path)
    model, source = load_model(f"mccnet_tiny:{path}")
    assert _same_weights(model, shipped) and source["weights"] == str(path)


def test_defocus_loads_the_shipped_head_and_refuses_models_without_one(tmp_path):
    from keras_mccnet import MCCNet

    model, source = load_model("mccnet_tiny:synthetic", defocus=True)
    assert model.defocus_head and source["defocus_head"] is True
    shipped = MCCNet.from_preset("mccnet_tiny", weights="synthetic", defocus_head=True)
    assert _same_weights(model, shipped)
    with pytest.raises(ModelSourceError, match="no shipped weights, so no shipped defocus head"):
        load_model("concat_tiny", defocus=True)
    with pytest.raises(ModelSourceError, match="shipped only with shipped weights"):
        load_model(f"mccnet_tiny:{tmp_path / 'x.weights.h5'}", defocus=True)
    plain = tmp_path / "plain.keras"
    MCCNet(widths=(8, 12), evidence_channels=4, fusion_channels=8).save(plain)
    with pytest.raises(ModelSourceError, match="no defocus output"):
        load_model(str(plain), defocus=True)
