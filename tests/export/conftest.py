"""One export of mccnet_tiny (all TFLite modes and ONNX, 64 px tile), shared by the export tests:
conversion is the slow part, so it runs once per session."""

import keras
import pytest

from export_helpers import OVERLAP, TILE, require_tensorflow_backend


@pytest.fixture(scope="session")
def tiny_model():
    from keras_mccnet import MCCNet

    require_tensorflow_backend()
    keras.utils.set_random_seed(0)
    return MCCNet.from_preset("mccnet_tiny")


@pytest.fixture(scope="session")
def calibration_tiles():
    from keras_mccnet.export.samples import synthetic_tiles

    return list(synthetic_tiles(4, TILE, seed=0))


@pytest.fixture(scope="session")
def exported_dir(tmp_path_factory, tiny_model, calibration_tiles):
    from keras_mccnet.export.onnx import export_onnx
    from keras_mccnet.export.tflite import export_tflite

    out = tmp_path_factory.mktemp("exported")
    source = {"kind": "preset", "preset": "mccnet_tiny", "random_init": True}
    export_tflite(tiny_model, out, "mccnet_tiny", ("fp32", "fp16", "dynamic", "int8"), TILE,
                  OVERLAP, calibration_tiles, weights=source)
    export_onnx(tiny_model, out, "mccnet_tiny", TILE, OVERLAP, weights=source)
    return out
