"""A model with the defocus head exports `defocus` as a second named output (TFLite and ONNX)."""

import numpy as np
import pytest

from export_helpers import OVERLAP, require_tensorflow_backend

TILE = 32


@pytest.fixture(scope="module")
def defocus_export(tmp_path_factory):
    from keras_mccnet import MCCNet

    from keras_mccnet.export.onnx import export_onnx
    from keras_mccnet.export.tflite import export_tflite

    require_tensorflow_backend()
    model = MCCNet(widths=(8, 12, 16), evidence_channels=4, fusion_channels=8,
                   defocus_head=True, name="micro_defocus")
    out = tmp_path_factory.mktemp("defocus_export")
    export_tflite(model, out, "micro_defocus", ("fp32",), TILE, OVERLAP // 2)
    export_onnx(model, out, "micro_defocus", TILE, OVERLAP // 2)
    return model, out


def test_metadata_lists_both_outputs_by_name_with_shapes(defocus_export):
    from keras_mccnet.export.metadata import read_metadata

    _, out = defocus_export
    for name in ("micro_defocus_fp32.tflite", "micro_defocus.onnx"):
        meta = read_metadata(out / name)
        shapes = {t["name"]: t["shape"] for t in meta["outputs"]}
        assert shapes == {"deblurred": [1, TILE, TILE, 3], "defocus": [1, TILE, TILE, 1]}, name


def test_both_outputs_match_keras(defocus_export):
    from keras_mccnet.export.onnx import session
    from keras_mccnet.export.tflite import interpreter_for

    model, out = defocus_export
    rng = np.random.default_rng(0)
    views = {n: rng.random((1, TILE, TILE, 3), dtype=np.float32) for n in ("left", "right")}
    want = {k: np.asarray(v) for k, v in model(views).items()}
    runner = interpreter_for(str(out / "micro_defocus_fp32.tflite")).get_signature_runner()
    got = runner(**views)
    sess = session(out / "micro_defocus.onnx")
    for name in ("deblurred", "defocus"):
        np.testing.assert_allclose(got[name], want[name], atol=1e-4)
        np.testing.assert_allclose(sess.run([name], views)[0], want[name], atol=1e-4)


def test_runtime_still_deblurs_through_the_image_output(defocus_export):
    from keras_mccnet.export.runtime import ExportedModel

    model, out = defocus_export
    exported = ExportedModel(out / "micro_defocus_fp32.tflite")
    rng = np.random.default_rng(1)
    left, right = (rng.random((TILE, TILE, 3), dtype=np.float32) for _ in range(2))
    got = exported(left, right)
    want = np.clip(np.asarray(model({"left": left[None], "right": right[None]})["deblurred"])[0],
                   0, 1)
    assert got.shape == (TILE, TILE, 3)
    np.testing.assert_allclose(got, want, atol=1e-4)
