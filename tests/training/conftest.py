"""Fixtures for the training / evaluation / deblur tests."""

import pytest
from training_helpers import MICRO


@pytest.fixture(scope="session")
def micro_model_path(tmp_path_factory):
    from keras_mccnet import MCCNet

    model = MCCNet(name="micro", **MICRO)
    path = tmp_path_factory.mktemp("model") / "micro.keras"
    model.save(path)
    return str(path)


@pytest.fixture(scope="session")
def micro_defocus_model_path(tmp_path_factory):
    """The micro model with the defocus head (random weights), saved as .keras."""
    from keras_mccnet import MCCNet

    model = MCCNet(name="micro_defocus", defocus_head=True, **MICRO)
    path = tmp_path_factory.mktemp("model") / "micro_defocus.keras"
    model.save(path)
    return str(path)
