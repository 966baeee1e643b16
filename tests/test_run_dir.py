"""RunDir: the one reader of a training run folder (model.keras, else the latest checkpoint)."""

import json

import numpy as np
import pytest

from keras_mccnet.model_spec import ModelSourceError, load_model
from keras_mccnet.run_dir import MODEL_FILE, RunDir

MICRO = dict(widths=(8, 12), evidence_channels=4, fusion_channels=8)


def test_the_final_model_file_is_what_a_run_folder_loads(tmp_path):
    from keras_mccnet import MCCNet

    model = MCCNet(name="micro", **MICRO)
    model.save(tmp_path / MODEL_FILE)
    loaded, source = load_model(str(tmp_path))
    assert source["kind"] == "run" and source["finished"] is True
    np.testing.assert_array_equal(loaded.get_weights()[0], model.get_weights()[0])


def test_no_other_file_name_is_looked_up(tmp_path):
    from keras_mccnet import MCCNet

    MCCNet(name="micro", **MICRO).save(tmp_path / "best.keras")  # the name nothing writes
    with pytest.raises(ModelSourceError, match=f"not a finished training run \\(no {MODEL_FILE}"):
        load_model(str(tmp_path))


def test_an_unfinished_run_loads_its_checkpoint_with_a_warning(tmp_path):
    from keras_mccnet import MCCNet

    (tmp_path / "checkpoints").mkdir()
    model = MCCNet.from_preset("mccnet_tiny", weights="synthetic")
    model.save_weights(tmp_path / "checkpoints" / "ckpt-00000007.weights.h5")
    (tmp_path / "config.json").write_text(json.dumps({"preset": "mccnet_tiny"}))
    (tmp_path / "checkpoints" / "state.json").write_text(json.dumps(
        {"weights": "ckpt-00000007.weights.h5", "global_step": 7}))
    with pytest.warns(UserWarning, match="not finished.*step 7"):
        loaded = RunDir(tmp_path).load()
    assert all(np.array_equal(a, b) for a, b in zip(loaded.get_weights(), model.get_weights()))

