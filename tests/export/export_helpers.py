"""Constants and checks shared by the export tests (a uniquely named module: several conftest.py
files make `from conftest import` pick the wrong one in the full suite)."""

import keras
import pytest

TILE = 64
OVERLAP = 16


def require_tensorflow_backend():
    """TFLite and tf2onnx conversion trace the model with TensorFlow."""
    if keras.backend.backend() != "tensorflow":
        pytest.skip("export needs the TensorFlow backend")
