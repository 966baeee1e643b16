import json

import numpy as np
import pytest

from keras_mccnet import MCCNet, pretrained
from model_checks import predict, random_views


@pytest.fixture
def registry(tmp_path, monkeypatch):
    """A private weights folder with one shipped entry for mccnet_tiny."""
    model = MCCNet.from_preset("mccnet_tiny")
    path = tmp_path / "mccnet_tiny_test.weights.h5"
    model.save_weights(path)
    (tmp_path / "registry.json").write_text(json.dumps({"weights": [{
        "preset": "mccnet_tiny", "name": "test", "filename": path.name,
        "sha256": pretrained.sha256_of(path), "description": "test"}]}))
    monkeypatch.setattr(pretrained, "WEIGHTS_DIR", tmp_path)
    monkeypatch.setattr(pretrained, "REGISTRY", tmp_path / "registry.json")
    pretrained.shipped.cache_clear()
    yield model, path
    pretrained.shipped.cache_clear()


@pytest.mark.slow
def test_shipped_weights_load_after_the_digest_check(registry):
    model, _ = registry
    loaded = MCCNet.from_preset("mccnet_tiny", weights="test")
    views = random_views(np.random.default_rng(0), h=32, w=32)
    np.testing.assert_array_equal(predict(loaded, views), predict(model, views))
    assert pretrained.default_weights("mccnet_tiny") == "test"


def test_altered_file_is_refused(registry):
    _, path = registry
    data = bytearray(path.read_bytes())
    data[-100] ^= 0xFF
    path.write_bytes(bytes(data))
    with pytest.raises(ValueError, match="SHA-256 mismatch"):
        MCCNet.from_preset("mccnet_tiny", weights="test")


def test_unknown_weights_name_lists_what_exists(registry):
    with pytest.raises(ValueError, match="available for mccnet_tiny: \\['test'\\]"):
        MCCNet.from_preset("mccnet_tiny", weights="imagenet")


def test_every_shipped_file_matches_its_digest():
    pretrained.shipped.cache_clear()
    for entry in pretrained.available():
        assert pretrained.resolve(entry.preset, entry.name) == entry.path


def test_register_replaces_in_place_so_the_default_stays(registry):
    _, path = registry
    entry = {"preset": "mccnet_tiny", "filename": path.name, "sha256": pretrained.sha256_of(path)}
    pretrained.register({**entry, "name": "later", "description": "added second"})
    pretrained.register({**entry, "name": "test", "description": "re-shipped"})
    assert [w.name for w in pretrained.available("mccnet_tiny")] == ["test", "later"]
    assert pretrained.default_weights("mccnet_tiny") == "test"
    assert pretrained.shipped()[("mccnet_tiny", "test")].description == "re-shipped"
