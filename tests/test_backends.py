"""The layer, model, loss and metric tests also pass under the JAX backend (the GPU host's)."""

import os
import pathlib
import subprocess
import sys

import keras
import pytest


REPO = pathlib.Path(__file__).resolve().parents[1]
JAX_SUITE = ["tests/layers", "tests/test_mccnet.py", "tests/test_losses.py",
             "tests/test_metrics.py"]


@pytest.mark.slow
def test_suite_passes_under_jax():
    if keras.backend.backend() != "tensorflow":
        pytest.skip("already running under a non-default backend")
    pytest.importorskip("jax")
    env = {**os.environ, "KERAS_BACKEND": "jax", "JAX_PLATFORMS": "cpu"}
    result = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                             *JAX_SUITE], cwd=REPO, env=env, capture_output=True, text=True,
                            timeout=900)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert " passed" in result.stdout and " failed" not in result.stdout
