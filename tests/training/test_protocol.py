import json
import math

import numpy as np
import pytest

from keras_mccnet.training import protocol


def test_psnr_is_ten_log10_inverse_mse():
    target = np.zeros((4, 4, 3), np.float32)
    output = np.full((4, 4, 3), 0.1, np.float32)
    assert protocol.psnr(target, output) == pytest.approx(20.0, abs=1e-4)
    assert protocol.psnr(target, target) == 100.0  # Restormer's value for identical images


def test_ssim_and_mae_match_restormer_definitions():
    from skimage.metrics import structural_similarity

    rng = np.random.default_rng(0)
    target = rng.random((40, 48, 3)).astype(np.float32)
    output = np.clip(target + 0.05 * rng.standard_normal(target.shape), 0, 1).astype(np.float32)
    assert protocol.ssim(target, output) == pytest.approx(
        structural_similarity(target, output, data_range=1, channel_axis=-1))
    per_channel = [np.mean(np.abs(target[..., c] - output[..., c])) for c in range(3)]
    assert protocol.mae(target, output) == pytest.approx(np.mean(per_channel))


def test_score_rows_from_ignores_the_label_rows():
    target = np.zeros((10, 8, 3), np.float32)
    output = target.copy()
    output[:3] = 1.0  # a "burnt-in label" in rows 0-2
    assert protocol.score(target, output, rows_from=3)["psnr"] == 100.0
    assert protocol.score(target, output)["psnr"] < 10


def test_dpdd_indoor_rule_has_37_indoor_of_76():
    kinds = protocol.scene_kinds("/nonexistent", [f"s{i:03d}" for i in range(76)])
    assert kinds.count("indoor") == 37 and kinds.count("outdoor") == 39
    assert kinds[8] == kinds[13] == kinds[16] == kinds[75] == "indoor"
    assert kinds[7] == kinds[14] == kinds[57] == "outdoor"
    assert protocol.scene_kinds("/nonexistent", ["a", "b"]) == ["unknown", "unknown"]


def test_manifest_gives_kinds_and_rows(tmp_path):
    (tmp_path / "manifest.json").write_text(json.dumps({
        "score_rows_from": 56,
        "scenes": [{"source": "A", "scene": "indoor"}, {"source": "B", "scene": "outdoor"}]}))
    assert protocol.scene_kinds(tmp_path, ["B", "A", "C"]) == ["outdoor", "indoor", "unknown"]
    assert protocol.manifest_rows_from(tmp_path) == 56


def test_summary_reports_lpips_unavailable_never_a_number():
    rows = [{"method": "m", "scene": "a", "kind": "indoor", "psnr": 20.0, "ssim": 0.5,
             "mae": 0.1, "lpips": None},
            {"method": "m", "scene": "b", "kind": "outdoor", "psnr": 30.0, "ssim": 0.7,
             "mae": 0.2, "lpips": None}]
    summary = protocol.summarise(rows)
    assert summary["m"]["all"]["psnr"] == 25.0 and summary["m"]["all"]["n"] == 2
    assert summary["m"]["indoor"]["psnr"] == 20.0
    assert summary["m"]["all"]["lpips"] is None
    table = protocol.format_table(summary, "weights not on disk")
    assert "unavailable" in table and "weights not on disk" in table
    assert not math.isnan(summary["m"]["outdoor"]["ssim"])


def test_lpips_reports_a_reason_when_unavailable():
    lpips_fn = protocol.LPIPSAlex()
    if lpips_fn.available:
        pytest.skip("LPIPS weights are on this machine")
    assert lpips_fn.reason
    assert lpips_fn(np.zeros((8, 8, 3), np.float32), np.zeros((8, 8, 3), np.float32)) is None
