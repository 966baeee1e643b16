"""Running exported models: metadata contract, the tiler, padding of small tiles, timing."""

import json

import numpy as np
import pytest

from keras_mccnet.tiling import run_tiled

from export_helpers import OVERLAP, TILE


@pytest.mark.slow
def test_metadata_follows_the_schema_and_the_converted_model(exported_dir):
    from keras_mccnet.export.metadata import FORMAT, read_metadata

    for path in sorted(exported_dir.glob("*.tflite")) + sorted(exported_dir.glob("*.onnx")):
        meta = read_metadata(path)
        assert meta["format"] == FORMAT and meta["model_file"] == path.name
        assert meta["model_name"] == "mccnet_tiny" and meta["layout"] == "NHWC"
        assert meta["value_range"] == [0.0, 1.0]
        assert meta["tile"] == {"size": TILE, "overlap": OVERLAP}
        assert [t["name"] for t in meta["inputs"]] == ["left", "right"]
        assert [t["name"] for t in meta["outputs"]] == ["deblurred"]
        for t in meta["inputs"] + meta["outputs"]:
            assert t["shape"] == [1, TILE, TILE, 3]
            assert t["dtype"] == "float32" and t["quantization"] is None  # float I/O everywhere
        assert meta["weights"]["random_init"] is True
        expected = "fp32" if path.suffix == ".onnx" else path.stem.rsplit("_", 1)[1]
        assert meta["quant_mode"] == expected
        if path.suffix == ".onnx":
            assert meta["runtime"] == "onnx" and meta["opset"] >= 17


@pytest.mark.slow
def test_tiled_image_matches_keras_through_the_same_tiler(exported_dir, tiny_model):
    from keras_mccnet.export.runtime import ExportedModel

    exported = ExportedModel(exported_dir / "mccnet_tiny_fp32.tflite")
    assert (exported.tile, exported.overlap) == (TILE, OVERLAP)
    rng = np.random.default_rng(3)
    left, right = rng.random((100, 150, 3), dtype=np.float32), rng.random((100, 150, 3),
                                                                         dtype=np.float32)

    def keras_tile(l, r):
        out = np.asarray(tiny_model({"left": l[None], "right": r[None]}))[0]
        return np.clip(out, 0.0, 1.0)

    want = run_tiled(keras_tile, left, right, TILE, OVERLAP)
    got = exported.deblur(left, right)
    assert got.shape == (100, 150, 3)
    np.testing.assert_allclose(got, want, atol=1e-4)


@pytest.mark.slow
def test_tiles_smaller_than_the_model_tile_are_padded_and_cropped_back(exported_dir):
    from keras_mccnet.export.runtime import ExportedModel

    for name in ("mccnet_tiny_int8.tflite", "mccnet_tiny.onnx"):
        exported = ExportedModel(exported_dir / name)
        rng = np.random.default_rng(1)
        left, right = rng.random((40, 50, 3), dtype=np.float32), rng.random((40, 50, 3),
                                                                           dtype=np.float32)
        out = exported(left, right)
        assert out.shape == (40, 50, 3)
        assert out.min() >= 0.0 and out.max() <= 1.0
        with pytest.raises(ValueError, match="exceeds"):
            exported(np.zeros((65, 10, 3), np.float32), np.zeros((65, 10, 3), np.float32))


@pytest.mark.slow
def test_bench_times_every_variant(exported_dir, tmp_path, capsys):
    from keras_mccnet.export.benchmark import main

    out = tmp_path / "bench.json"
    assert main(["--dir", str(exported_dir), "--threads", "1", "--runs", "1", "--warmup", "0",
                 "--json", str(out)]) == 0
    rows = json.loads(out.read_text())["rows"]
    assert len(rows) == 5
    for row in rows:
        t = row["tile_latency"]["1"]
        assert 0 < t["median_ms"] <= t["p90_ms"] and t["runs"] == 1
    assert "mccnet_tiny_int8.tflite" in capsys.readouterr().out


def test_analyzer_report_parsing_finds_incompatible_ops():
    from keras_mccnet.export.analyze import parse_report

    report = ("Subgraph#0 main(T#0) -> [T#3]\n"
              "  Op#0 CONV_2D(T#0, T#1, T#2) -> [T#3]\n"
              "  Op#1 CUMSUM(T#3, T#4) -> [T#5]\n"
              "GPU COMPATIBILITY WARNING: Not supported op CUMSUM\n"
              "\nGPU COMPATIBILITY WARNING: Subgraph#0 has GPU delegate compatibility issues "
              "at nodes 1 with TFLite runtime version 2.21.0\n")
    parsed = parse_report(report)
    assert not parsed["gpu_compatible"]
    assert parsed["incompatible"] == {"CUMSUM": ["Not supported op CUMSUM"]}
    assert parsed["ops"][0]["gpu_compatible"] and parsed["op_counts"] == {"CONV_2D": 1,
                                                                          "CUMSUM": 1}
    with pytest.raises(RuntimeError, match="no ops"):
        parse_report("nothing here")


def test_exported_deblur_takes_uint8_and_batches_like_the_library(exported_dir):
    from keras_mccnet.export.runtime import ExportedModel

    exported = ExportedModel(exported_dir / "mccnet_tiny_fp32.tflite")
    rng = np.random.default_rng(5)
    left8, right8 = (rng.integers(0, 256, (2, 40, 70, 3), dtype=np.uint8) for _ in range(2))
    out = exported.deblur(left8, right8)
    assert out.shape == (2, 40, 70, 3)
    assert 0.0 <= out.min() and out.max() <= 1.0 and out.max() - out.min() > 0.1  # was all 1.0
    np.testing.assert_allclose(out[0], exported.deblur(left8[0] / 255.0, right8[0] / 255.0),
                               atol=1e-6)
    with pytest.raises(ValueError, match="float values span 0..255"):
        exported.deblur(left8[0].astype(np.float32), right8[0].astype(np.float32))


def test_whole_images_are_timed_round_robin_with_their_tile_count(exported_dir):
    from keras_mccnet.export.benchmark import time_images_interleaved
    from keras_mccnet.tiling import plan_tiles

    files = [str(exported_dir / "mccnet_tiny_fp32.tflite"),
             str(exported_dir / "mccnet_tiny_int8.tflite")]
    order = []
    stats = time_images_interleaved(files, 1, (90, 130), runs=2,
                                    progress=lambda f, s: order.append(f))
    assert order == files * 2  # run r of every model before run r + 1
    for f in files:
        assert stats[f]["runs"] == 2 and stats[f]["median_ms"] > 0
        assert stats[f]["tiles"] == len(plan_tiles(90, 130, TILE, OVERLAP).tiles) > 1


def test_exported_deblur_runs_a_top_bottom_pair_transposed(exported_dir):
    from keras_mccnet.dp_axis import transpose_views
    from keras_mccnet.export.runtime import ExportedModel

    exported = ExportedModel(exported_dir / "mccnet_tiny_fp32.tflite")
    rng = np.random.default_rng(6)
    left, right = (rng.random((40, 70, 3), dtype=np.float32) for _ in range(2))
    upright = transpose_views(exported.deblur(transpose_views(left), transpose_views(right)))
    np.testing.assert_array_equal(exported.deblur(left, right, dp_axis="vertical"), upright)
    with pytest.raises(ValueError, match="dp_axis"):
        exported.deblur(left, right, dp_axis="up")


def test_exported_deblur_applies_the_split_gain_like_the_library(exported_dir):
    from keras_mccnet.dp_split import amplify_split
    from keras_mccnet.export.runtime import ExportedModel

    exported = ExportedModel(exported_dir / "mccnet_tiny_fp32.tflite")
    rng = np.random.default_rng(7)
    # mid-grey views, so the amplified pair stays inside [0, 1] and can be passed as such
    left, right = (0.3 + 0.4 * rng.random((40, 70, 3), dtype=np.float32) for _ in range(2))
    amplified = amplify_split(left, right, 1.5)
    out = exported.deblur(left, right, dp_axis="horizontal", split_gain=1.5)
    np.testing.assert_array_equal(out, exported.deblur(*amplified, dp_axis="horizontal"))
    assert np.abs(out - exported.deblur(left, right, dp_axis="horizontal")).max() > 1e-4
    with pytest.raises(ValueError, match="split_gain"):
        exported.deblur(left, right, split_gain=-2)
