import os

import pytest

from keras_mccnet import shared_data

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")



@pytest.fixture
def shared_dir():
    """../shared beside the repository (real DP scenes, sharp photos); skip when absent."""
    path = shared_data.shared_dir()
    if not path.is_dir():
        pytest.skip(f"{path} is absent")
    return path


@pytest.fixture
def realdp_dir():
    path = shared_data.realdp_path()
    if not path.is_dir():
        pytest.skip(f"{path} is absent")
    return path
