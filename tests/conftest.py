import os

import pytest

from keras_mccnet import shared_data

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")


def _present(path):
    if not path.is_dir():
        pytest.skip(f"{path} is absent")
    return path


@pytest.fixture
def shared_dir():
    """../shared beside the repository (real DP scenes, sharp photos); skip when absent."""
    return _present(shared_data.shared_dir())


@pytest.fixture
def realdp_dir():
    """The real DP scenes (L/ R/ GT/) of ../shared; skip when absent."""
    return _present(shared_data.realdp_path())
