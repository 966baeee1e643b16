"""Clear errors: missing or corrupt model paths, bad metadata, non-builtin ops, bad arguments."""

import json

import numpy as np
import pytest


def test_missing_model_path_names_the_path(tmp_path):
    from keras_mccnet.export.loading import ModelSourceError, load_model

    missing = tmp_path / "nope" / "model.keras"
    with pytest.raises(ModelSourceError, match="no such model file"):
        load_model(str(missing))
    with pytest.raises(ModelSourceError, match="none of"):
        load_model(str(tmp_path))  # a folder without best.keras / model.keras


def test_corrupt_keras_file_is_reported_as_corrupt(tmp_path):
    from keras_mccnet.export.loading import ModelSourceError, load_model

    bad = tmp_path / "broken.keras"
    bad.write_bytes(b"not a zip archive at all")
    with pytest.raises(ModelSourceError, match="broken.keras: corrupt"):
        load_model(str(bad))


def test_cli_exits_with_a_message_for_a_missing_model(tmp_path, capsys):
    from keras_mccnet.cli import main

    with pytest.raises(SystemExit, match="missing.keras: no such model file"):
        main(["export", "--model", str(tmp_path / "missing.keras"), "--out", str(tmp_path)])
    with pytest.raises(SystemExit, match="--quant"):
        main(["export", "--model", "mccnet_tiny", "--out", str(tmp_path), "--quant", "int4"])


def test_run_folder_uses_best_then_model_keras(tmp_path, tiny_model):
    from keras_mccnet.export.loading import load_model

    import keras

    from keras_mccnet import MCCNet

    tiny_model.save(tmp_path / "model.keras")
    keras.utils.set_random_seed(1)
    best = MCCNet.from_preset("mccnet_tiny")  # other weights than the final model's
    best.save(tmp_path / "best.keras")
    model, source = load_model(str(tmp_path))
    assert source["path"] == str(tmp_path / "best.keras")
    np.testing.assert_array_equal(model.get_weights()[0], best.get_weights()[0])
    assert not np.array_equal(best.get_weights()[0], tiny_model.get_weights()[0])
    (tmp_path / "best.keras").unlink()
    model, source = load_model(str(tmp_path))
    assert source == {"kind": "file", "path": str(tmp_path / "model.keras"),
                      "random_init": False}
    np.testing.assert_array_equal(model.get_weights()[0], tiny_model.get_weights()[0])


@pytest.mark.slow
def test_corrupt_exported_model_and_missing_metadata(tmp_path, exported_dir):
    from keras_mccnet.export.metadata import MetadataError
    from keras_mccnet.export.runtime import ExportedModel

    with pytest.raises(FileNotFoundError, match="not found"):
        ExportedModel(tmp_path / "absent.tflite")
    lonely = tmp_path / "lonely.tflite"
    lonely.write_bytes((exported_dir / "mccnet_tiny_fp32.tflite").read_bytes())
    with pytest.raises(MetadataError, match="lonely.json: metadata JSON not found"):
        ExportedModel(lonely)
    corrupt = tmp_path / "corrupt.tflite"
    corrupt.write_bytes(b"\x00" * 64)
    meta = json.loads((exported_dir / "mccnet_tiny_fp32.json").read_text())
    (tmp_path / "corrupt.json").write_text(json.dumps(meta))
    with pytest.raises(ValueError, match="corrupt.tflite: not a loadable TFLite model"):
        ExportedModel(corrupt)
    del meta["tile"]
    (tmp_path / "corrupt.json").write_text(json.dumps(meta))
    with pytest.raises(MetadataError, match="missing keys \\['tile'\\]"):
        ExportedModel(corrupt)


def test_ops_outside_the_builtins_fail_the_export_loudly():
    import keras

    if keras.backend.backend() != "tensorflow":
        pytest.skip("export needs the TensorFlow backend")
    import tensorflow as tf

    from keras_mccnet.export.tflite import ExportError, convert

    left = keras.Input((8, 8, 3), batch_size=1, name="left")
    right = keras.Input((8, 8, 3), batch_size=1, name="right")
    # A matrix SVD has no TFLite builtin kernel: only Flex could run it.
    svd = keras.layers.Lambda(lambda x: tf.linalg.svd(x[..., 0], compute_uv=False))(left)
    out = keras.layers.Lambda(lambda a: a[0] + tf.reduce_mean(a[1]))([right, svd])
    model = keras.Model({"left": left, "right": right}, out)
    with pytest.raises(ExportError, match="outside TFLITE_BUILTINS"):
        convert(model, 8, "fp32")
