"""Clear errors: missing or corrupt model paths, bad metadata, non-builtin ops, bad arguments."""

import json

import numpy as np
import pytest


def test_missing_model_path_names_the_path(tmp_path):
    from keras_mccnet.export.loading import ModelSourceError, load_model

    missing = tmp_path / "nope" / "model.keras"
    with pytest.raises(ModelSourceError, match="no such model file"):
        load_model(str(missing))
    with pytest.raises(ModelSourceError, match="no model.keras"):
        load_model(str(tmp_path))  # a folder without model.keras nor a checkpoint


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


def test_run_folder_uses_its_model_keras_and_nothing_else(tmp_path, tiny_model):
    """A run folder means its model.keras (RunDir's one order): a stray best.keras with other
    weights beside it is not read."""
    import keras

    from keras_mccnet import MCCNet
    from keras_mccnet.export.loading import load_model

    tiny_model.save(tmp_path / "model.keras")
    keras.utils.set_random_seed(1)
    stray = MCCNet.from_preset("mccnet_tiny")  # other weights than the final model's
    stray.save(tmp_path / "best.keras")
    assert not np.array_equal(stray.get_weights()[0], tiny_model.get_weights()[0])
    model, source = load_model(str(tmp_path))
    assert source["kind"] == "run" and source["path"] == str(tmp_path)
    assert source["random_init"] is False and len(source["weights_sha256"]) == 64
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


def test_explain_failures_names_the_variant_the_drop_and_the_bound():
    from keras_mccnet.export.verify import explain_failures, format_reports

    report = {"file": "m_int8.tflite", "quant_mode": "int8", "size_bytes": 2**20,
              "psnr_drop_bound": 0.5, "within_bound": False, "passed": False,
              "weights_match": True, "weights_origin": "",
              "synthetic": {"max_abs_diff": 0.03, "psnr_drop": 1.14}}
    assert explain_failures([report]) == [
        "m_int8.tflite: PSNR drop 1.140 dB on the synthetic tiles exceeds the int8 bound of "
        "0.5 dB (max abs diff 3.00e-02)"]
    table = format_reports([report])
    assert "bound dB" in table.splitlines()[0] and "verdict" in table.splitlines()[0]
    assert table.splitlines()[1].split()[-1] == "FAIL" and " 0.50 " in table.splitlines()[1]


def test_int8_calibration_never_reads_test_scenes(tmp_path):
    from keras_mccnet.export.samples import CALIBRATION_SPLITS, real_scenes
    from keras_mccnet.cli import main
    from keras_mccnet.data.image_io import write_image
    from keras_mccnet.data.synthetic import write_dataset

    write_dataset(tmp_path / "dpdd", {"train": 1, "test": 2}, size=(24, 24), sharp_dir=None,
                  progress=False)
    train = [s[1] for s in real_scenes(tmp_path / "dpdd", CALIBRATION_SPLITS)]
    test = [s[1] for s in real_scenes(tmp_path / "dpdd")]
    assert len(train) == 1 and len(test) == 2  # the split of each (scene names repeat)
    assert not any(np.array_equal(train[0], t) for t in test)
    for sub in ("L", "R", "GT"):
        write_image(tmp_path / "flat" / sub / "a.png", np.zeros((80, 80, 3), np.float32))
    with pytest.raises(SystemExit, match="no train/val split; int8 calibration must not see"):
        main(["export", "--model", "mccnet_tiny", "--out", str(tmp_path / "out"),
              "--data", str(tmp_path / "flat"), "--quant", "int8"])
    assert not (tmp_path / "out").exists()  # refused before anything was written


def test_export_verify_explains_its_verdict_and_a_foreign_reference(tmp_path, capsys):
    import keras

    from keras_mccnet.export.verify import main as verify_main
    from keras_mccnet import MCCNet
    from keras_mccnet.cli import main

    require_tf()
    out = tmp_path / "exported"
    args = ["export", "--model", "mccnet_tiny:synthetic", "--out", str(out), "--tile", "64",
            "--overlap", "16",
            "--quant", "fp32", "--no-onnx", "--verify"]
    assert main(args) == 0
    table = capsys.readouterr().out
    assert "bound dB" in table and table.strip().splitlines()[-1].split()[-1] == "pass"
    meta = json.loads((out / "mccnet_tiny_fp32.json").read_text())
    assert meta["weights"]["weights"] == "synthetic" and meta["weights"]["random_init"] is False
    with pytest.raises(SystemExit, match="not empty.*--overwrite"):
        main(args)  # a second export never lands beside the first
    keras.utils.set_random_seed(1)
    other = tmp_path / "other.keras"
    MCCNet.from_preset("mccnet_tiny").save(other)  # same architecture, other weights
    assert verify_main(["--model", str(other), "--dir", str(out), "--data", "none",
                        "--synthetic", "2"]) == 1
    err = capsys.readouterr().err
    assert "verified against a DIFFERENT model than it was exported from" in err
    assert "shipped weights mccnet_tiny:synthetic" in err and "other.keras" in err
    assert verify_main(["--model", "mccnet_tiny:synthetic", "--dir", str(out), "--data", "none",
                        "--synthetic", "2"]) == 0


def require_tf():
    import keras

    if keras.backend.backend() != "tensorflow":
        pytest.skip("export needs the TensorFlow backend")
