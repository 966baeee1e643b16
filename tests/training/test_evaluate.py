"""mccnet eval: the protocol on disk layouts, the input-C baseline, outputs, real scenes."""

import csv
import json

import numpy as np
import pytest

from keras_mccnet.data.image_io import read_image, write_image
from keras_mccnet.training import protocol
from keras_mccnet.training.evaluate import evaluate, main

# Input-C PSNR of the four real scenes over rows >= 56 (../shared/realdp/README.md).
REALDP_INPUT_PSNR = {"1P0A1002": 24.11, "1P0A1434": 22.64, "1P0A2170": 23.85, "1P0A2066": 28.22}


def write_dpdnet_tree(root, n=3, h=40, w=56, seed=0):
    """A tiny DPDD (DPDNet-layout) test split of 16-bit PNGs; C is NOT (L + R) / 2."""
    rng = np.random.default_rng(seed)
    for k in range(n):
        gt = rng.random((h, w, 3)).astype(np.float32)
        left = np.clip(gt + 0.1 * rng.standard_normal(gt.shape), 0, 1)
        right = np.clip(gt + 0.1 * rng.standard_normal(gt.shape), 0, 1)
        center = np.clip(gt + 0.02 * rng.standard_normal(gt.shape), 0, 1)
        write_image(root / f"test_l/source/S{k:03d}_L.png", left)
        write_image(root / f"test_r/source/S{k:03d}_R.png", right)
        write_image(root / f"test_c/source/S{k:03d}.png", center)
        write_image(root / f"test_c/target/T{k + 1:03d}.png", gt)


def test_model_and_input_baseline_on_a_dpdd_tree(tmp_path, micro_model_path):
    from keras_mccnet.model_spec import load_model

    data = tmp_path / "dpdd"
    write_dpdnet_tree(data)
    model, _ = load_model(micro_model_path)
    out = tmp_path / "eval"
    result = evaluate(data, "test", model, baseline_input=True, out_dir=str(out), tile=32,
                      overlap=8, progress=False)
    assert set(result["methods"]) == {"micro", "input C"}
    assert result["methods"]["input C"]["all"]["n"] == 3
    assert "indoor" not in result["methods"]["micro"]  # no kinds known for 3 scenes
    # the baseline scores the layout's own C file, not (L + R) / 2
    c = read_image(data / "test_c/source/S000.png")
    gt = read_image(data / "test_c/target/T001.png")
    first = next(r for r in result["rows"] if r["method"] == "input C" and r["scene"] == "S000")
    assert first["psnr"] == pytest.approx(protocol.psnr(gt, c))
    with open(out / "per_image.csv") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 6
    assert rows[0]["lpips"] == "unavailable" or float(rows[0]["lpips"]) >= 0
    summary = json.loads((out / "summary.json").read_text())
    assert summary["methods"]["micro"]["all"]["psnr"] == pytest.approx(
        np.mean([r["psnr"] for r in result["rows"] if r["method"] == "micro"]))
    assert sorted(p.name for p in (out / "sheets").iterdir()) == ["S000.png", "S001.png",
                                                                  "S002.png"]
    assert "| micro | all | 3 |" in (out / "table.md").read_text()


def test_cli_prints_table_and_rejects_bad_data(tmp_path, micro_model_path, capsys):
    data = tmp_path / "dpdd"
    write_dpdnet_tree(data, n=2)
    assert main(["--model", micro_model_path, "--data", str(data), "--out",
                 str(tmp_path / "e"), "--sheets", "0", "--tile", "0"]) == 0
    assert "| micro | all | 2 |" in capsys.readouterr().out
    assert not (tmp_path / "e" / "sheets").exists()
    assert main(["--baseline", "input", "--data", str(tmp_path / "missing"), "--out",
                 str(tmp_path / "e2")]) == 2
    assert "missing" in capsys.readouterr().err


def test_input_baseline_reproduces_realdp_reference_numbers(realdp_dir, tmp_path):
    result = evaluate(realdp_dir, baseline_input=True, out_dir=None, progress=False)
    assert result["score_rows_from"] == 56  # from the manifest
    scores = {r["scene"]: r["psnr"] for r in result["rows"]}
    assert {k: round(v, 2) for k, v in scores.items()} == REALDP_INPUT_PSNR
    kinds = {r["scene"]: r["kind"] for r in result["rows"]}
    assert kinds["1P0A1434"] == "indoor" and kinds["1P0A1002"] == "outdoor"
    groups = result["methods"]["input C"]
    assert groups["indoor"]["n"] == 2 and groups["outdoor"]["n"] == 2 and groups["all"]["n"] == 4


def test_a_second_eval_never_mixes_with_the_first(tmp_path, micro_model_path, capsys):
    data = tmp_path / "dpdd"
    write_dpdnet_tree(data, n=3)
    out = tmp_path / "eval"
    common = ["--data", str(data), "--out", str(out), "--tile", "0"]
    assert main(["--model", micro_model_path, *common]) == 0
    assert len(list((out / "sheets").iterdir())) == 3
    # before: the default runs/eval was silently overwritten, old sheets left beside new ones
    assert main(["--baseline", "input", *common, "--limit", "1"]) == 2
    assert "not empty" in capsys.readouterr().err
    assert "micro" in (out / "table.md").read_text()  # the first run is untouched
    assert main(["--baseline", "input", *common, "--limit", "1", "--overwrite"]) == 0
    assert [p.name for p in (out / "sheets").iterdir()] == ["S000.png"]
    assert "micro" not in (out / "table.md").read_text()


def test_a_split_of_a_flat_folder_is_an_argument_error(tmp_path, capsys):
    from keras_mccnet.data.image_io import write_image

    for sub in ("L", "R", "GT"):
        write_image(tmp_path / "flat" / sub / "a.png", np.zeros((8, 8, 3), np.float32))
    assert main(["--baseline", "input", "--data", str(tmp_path / "flat"), "--split", "train",
                 "--out", str(tmp_path / "e")]) == 2
    assert "no train/val/test split" in capsys.readouterr().err
    assert not (tmp_path / "e").exists()  # nothing written


def test_defocus_error_is_scored_on_synthetic_scenes_with_known_truth(tmp_path,
                                                                       micro_defocus_model_path):
    from keras_mccnet.data import signed_map
    from keras_mccnet.data.dpdd import find_scenes
    from keras_mccnet.data.synthetic import write_dataset
    from keras_mccnet.model_spec import load_model
    from keras_mccnet.predict import predict_views

    data = tmp_path / "synth"
    write_dataset(data, {"test": 2}, size=(32, 48), seed=3, sharp_dir=None, progress=False)
    model, _ = load_model(micro_defocus_model_path, defocus=True)
    out = tmp_path / "eval"
    result = evaluate(data, "test", model, out_dir=str(out), tile=0, progress=False)
    params = json.loads((data / "test_params.json").read_text())["scenes"]
    expected = []
    for scene in find_scenes(data, "test"):
        truth = signed_map.read(data / f"test_c/blur/{scene.name}.png") * params[scene.name][
            "disparity_to_blur"]
        _, pred = predict_views(model, read_image(scene.left), read_image(scene.right), 0,
                                defocus=True)
        expected.append(np.mean(np.abs(pred - truth)))
    assert result["defocus"]["scenes_with_truth"] == 2
    assert result["defocus"]["mae_px"] == pytest.approx(np.mean(expected), rel=1e-5)
    with open(out / "per_image.csv") as f:
        rows = list(csv.DictReader(f))
    assert float(rows[0]["defocus_mae_px"]) == pytest.approx(expected[0], rel=1e-5)
    assert "Defocus map (micro_defocus): MAE" in (out / "table.md").read_text()
    # the sheet gains the predicted and the true map: 6 panels instead of 4
    plain = tmp_path / "plain"
    evaluate(data, "test", model=None, baseline_input=True, out_dir=str(plain), progress=False)
    wide = read_image(out / "sheets" / "SYN_00000.png").shape[1]
    assert wide > 1.4 * read_image(plain / "sheets" / "SYN_00000.png").shape[1]


def test_cli_ensemble_scores_the_ensembled_prediction(tmp_path, micro_model_path, capsys):
    from keras_mccnet.model_spec import load_model
    from keras_mccnet.data.dpdd import find_scenes
    from keras_mccnet.predict import predict_views

    data = tmp_path / "dpdd"
    write_dpdnet_tree(data, n=1)
    out = tmp_path / "e"
    assert main(["--model", micro_model_path, "--data", str(data), "--out", str(out),
                 "--sheets", "0", "--tile", "0", "--ensemble"]) == 0
    assert "self-ensemble x4" in capsys.readouterr().out
    summary = json.loads((out / "summary.json").read_text())
    assert summary["ensemble"] is True
    scene = find_scenes(data, summary["split"])[0]
    model, _ = load_model(micro_model_path)
    views = read_image(scene.left), read_image(scene.right)
    expected = protocol.score(read_image(scene.target), predict_views(model, *views, 0,
                                                                      ensemble=True))["psnr"]
    plain = protocol.score(read_image(scene.target), predict_views(model, *views, 0))["psnr"]
    assert summary["methods"]["micro"]["all"]["psnr"] == pytest.approx(expected, abs=1e-4)
    assert abs(expected - plain) > 1e-3


def test_cli_dp_axis_scores_a_top_bottom_dataset_transposed(tmp_path, micro_model_path, capsys):
    from training_helpers import sideways_pair

    from keras_mccnet.dp_axis import transpose_views
    from keras_mccnet.model_spec import load_model
    from keras_mccnet.predict import predict_views

    data = tmp_path / "flat"  # plain L/R/GT folders, one scene split top / bottom
    left, right = (transpose_views(v) for v in sideways_pair(2, h=64, w=96))
    target = (left + right) / 2
    for name, image in (("L", left), ("R", right), ("GT", target)):
        write_image(data / name / "S000.png", image)
    args = ["--model", micro_model_path, "--data", str(data), "--sheets", "0", "--tile", "0"]
    assert main(args + ["--out", str(tmp_path / "auto"), "--dp-axis", "auto"]) == 0
    assert "DP axis auto" in capsys.readouterr().out
    with open(tmp_path / "auto" / "per_image.csv") as f:
        assert [r["dp_axis"] for r in csv.DictReader(f)] == ["vertical"]
    model, _ = load_model(micro_model_path)
    views = read_image(data / "L" / "S000.png"), read_image(data / "R" / "S000.png")
    gt = read_image(data / "GT" / "S000.png")
    summary = json.loads((tmp_path / "auto" / "summary.json").read_text())
    transposed = protocol.score(gt, predict_views(model, *views, 0, dp_axis="vertical"))["psnr"]
    assert summary["methods"]["micro"]["all"]["psnr"] == pytest.approx(transposed, abs=1e-4)
    assert main(args + ["--out", str(tmp_path / "as_is")]) == 0  # default: as recorded
    as_is = json.loads((tmp_path / "as_is" / "summary.json").read_text())
    assert as_is["dp_axis"] == "horizontal"
    assert abs(as_is["methods"]["micro"]["all"]["psnr"] - transposed) > 1e-4


def test_cli_split_gain_scores_the_amplified_prediction(tmp_path, micro_model_path, capsys):
    from keras_mccnet.data.dpdd import find_scenes
    from keras_mccnet.model_spec import load_model
    from keras_mccnet.predict import predict_views

    data = tmp_path / "dpdd"
    write_dpdnet_tree(data, n=1)
    out = tmp_path / "e"
    assert main(["--model", micro_model_path, "--data", str(data), "--out", str(out),
                 "--sheets", "0", "--tile", "0", "--split-gain", "1.5"]) == 0
    assert "split gain 1.5" in capsys.readouterr().out
    summary = json.loads((out / "summary.json").read_text())
    assert summary["split_gain"] == 1.5
    scene = find_scenes(data, summary["split"])[0]
    model, _ = load_model(micro_model_path)
    views = read_image(scene.left), read_image(scene.right)
    expected = protocol.score(read_image(scene.target),
                              predict_views(model, *views, 0, split_gain=1.5))["psnr"]
    plain = protocol.score(read_image(scene.target), predict_views(model, *views, 0))["psnr"]
    assert summary["methods"]["micro"]["all"]["psnr"] == pytest.approx(expected, abs=1e-4)
    assert abs(expected - plain) > 1e-3
    assert main(["--model", micro_model_path, "--data", str(data), "--out",
                 str(tmp_path / "bad"), "--split-gain", "-1"]) == 2
    assert "split_gain" in capsys.readouterr().err
