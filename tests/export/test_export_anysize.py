"""`mccnet export --dynamic`: any-size TFLite and ONNX models that match Keras at odd sizes."""

import numpy as np
import pytest

from keras_mccnet.export.onnx import ODD_SIZES

# Largest |export - Keras| allowed per variant (as tests/export/test_export_parity.py).
MAX_ABS_DIFF = {"mccnet_tiny_fp32_anysize.tflite": 1e-4, "mccnet_tiny_anysize.onnx": 1e-4,
                "mccnet_tiny_int8_anysize.tflite": 0.25}


@pytest.fixture(scope="module")
def anysize_dir(tmp_path_factory, tiny_model):
    from keras_mccnet.export.cli import main

    root = tmp_path_factory.mktemp("anysize")
    tiny_model.save(root / "model.keras")
    out = root / "exported"
    assert main(["--model", str(root / "model.keras"), "--out", str(out), "--tile", "64",
                 "--overlap", "16", "--quant", "fp32,int8", "--calibration", "2",
                 "--dynamic"]) == 0
    return out


def test_any_size_models_are_written_with_open_sides_in_their_metadata(anysize_dir):
    from keras_mccnet.export.metadata import read_metadata

    written = [p.name for p in anysize_dir.iterdir()
               if p.suffix != ".json" and not p.name.startswith(".")]  # .mccnet-output marker
    assert sorted(written) == sorted(MAX_ABS_DIFF)
    for name in MAX_ABS_DIFF:
        meta = read_metadata(anysize_dir / name)
        assert meta["tile"] == {"size": 64, "overlap": 16}  # the recommended tiling
        for t in meta["inputs"] + meta["outputs"]:
            assert t["shape"] == [1, -1, -1, 3], (name, t)


def test_any_size_models_match_keras_at_odd_sizes(anysize_dir, tiny_model):
    from keras_mccnet.export.runtime import ExportedModel

    for name, bound in MAX_ABS_DIFF.items():
        exported = ExportedModel(anysize_dir / name)
        assert exported.dynamic
        for h, w in ODD_SIZES + ((96, 130),):  # 96x130 exceeds the 64 px recommended tile
            rng = np.random.default_rng(h * w)
            views = {v: rng.random((1, h, w, 3), dtype=np.float32) for v in ("left", "right")}
            got = exported.run_batch(views["left"], views["right"])
            assert got.shape == (1, h, w, 3), (name, got.shape)
            diff = np.max(np.abs(got - np.asarray(tiny_model(views))))
            assert diff <= bound, (name, h, w, diff)
        # Tiles run at their own size, no padding to the tile.
        tile = exported(views["left"][0, :50, :70], views["right"][0, :50, :70])
        assert tile.shape == (50, 70, 3)
