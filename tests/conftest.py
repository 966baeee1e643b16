import os
import pathlib

import pytest

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

REPO = pathlib.Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


@pytest.fixture
def shared_dir():
    """../shared beside the repository (real DP scenes, sharp photos); skip when absent."""
    if not SHARED.is_dir():
        pytest.skip("../shared is absent")
    return SHARED


@pytest.fixture
def realdp_dir(shared_dir):
    path = shared_dir / "realdp" / "dpdd_gif4"
    if not path.is_dir():
        pytest.skip("../shared/realdp/dpdd_gif4 is absent")
    return path
