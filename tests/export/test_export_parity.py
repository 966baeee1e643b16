"""mccnet_tiny exported to every mode and ONNX: builtin ops, GPU compatibility, parity with Keras."""

import numpy as np
import pytest

TILE = 64  # as in tests/export/conftest.py
# Every test here uses the session export of every mode (about 2 minutes on a loaded host).
pytestmark = pytest.mark.slow

# max |export - Keras| on realistic tiles, per variant (random-init tiny model, 64 px tiles)
MAX_ABS_DIFF = {"fp32": 1e-4, "onnx": 1e-4, "fp16": 5e-3, "dynamic": 0.1, "int8": 0.25}
MIN_PSNR_VS_KERAS = {"fp32": 80.0, "onnx": 80.0, "fp16": 55.0, "dynamic": 35.0, "int8": 28.0}


@pytest.fixture(scope="module")
def reports(exported_dir, tiny_model):
    from keras_mccnet.export.verify import verify_folder

    return {r["file"]: r for r in verify_folder(exported_dir, tiny_model, TILE, n_synthetic=4)}


def _key(report):
    return "onnx" if report["runtime"] == "onnx" else report["quant_mode"]


def test_every_variant_is_written_with_metadata(exported_dir):
    names = sorted(p.name for p in exported_dir.iterdir())
    for stem in ["mccnet_tiny_fp32", "mccnet_tiny_fp16", "mccnet_tiny_dynamic",
                 "mccnet_tiny_int8"]:
        assert f"{stem}.tflite" in names and f"{stem}.json" in names
    assert "mccnet_tiny.onnx" in names and "mccnet_tiny.json" in names


def test_parity_with_keras_within_bounds(reports):
    assert len(reports) == 5
    for name, r in reports.items():
        key = _key(r)
        s = r["synthetic"]
        assert s["max_abs_diff"] <= MAX_ABS_DIFF[key], (name, s)
        assert s["psnr_vs_keras"] >= MIN_PSNR_VS_KERAS[key], (name, s)
        assert r["within_bound"], (name, s["psnr_drop"], r["psnr_drop_bound"])


def test_quantised_variants_are_smaller(reports):
    size = {_key(r): r["size_bytes"] for r in reports.values()}
    assert size["fp16"] < 0.6 * size["fp32"]
    assert size["dynamic"] < 0.4 * size["fp32"] and size["int8"] < 0.4 * size["fp32"]


def test_every_op_is_builtin_and_float_models_fit_the_gpu_delegate(reports):
    for name, r in reports.items():
        if r["runtime"] != "tflite":
            continue
        assert r["builtin_only"], (name, r["non_builtin_ops"])
        assert "CONV_2D" in r["op_counts"]
        if r["quant_mode"] in ("fp32", "fp16"):
            assert r["gpu_compatible"], (name, r["gpu_incompatible_ops"])
    int8_ops = reports["mccnet_tiny_int8.tflite"]["op_counts"]
    assert "QUANTIZE" in int8_ops and "DEQUANTIZE" in int8_ops  # float I/O around int8 body


def test_realdp_parity(exported_dir, tiny_model, realdp_dir):
    from keras_mccnet.export.verify import verify_file, tile_sets, keras_outputs

    sets = tile_sets(TILE, n_synthetic=1, data=realdp_dir, per_image=1)
    assert len(sets["realdp"]) == 4 and sets["realdp"][0][0].shape == (TILE, TILE, 3)
    refs = {k: keras_outputs(tiny_model, v) for k, v in sets.items()}
    report = verify_file(str(exported_dir / "mccnet_tiny_fp16.tflite"), tiny_model, sets, refs)
    assert report["realdp"]["max_abs_diff"] <= MAX_ABS_DIFF["fp16"]
    assert abs(report["realdp"]["psnr_drop"]) <= 0.05
