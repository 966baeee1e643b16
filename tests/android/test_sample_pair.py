"""The app's bundled DP sample: rendered by the project's generator, small, a real pair."""

import json

import cv2
import numpy as np

from android_scripts import REPO, TOOLS, load_tool

SCRIPT = TOOLS / "make_sample_pair.py"
ASSETS = REPO / "android_demo/app/src/main/assets/sample"


def load_script():
    return load_tool("make_sample_pair")


def test_script_renders_an_8bit_pair_of_the_requested_size(tmp_path):
    written = load_script().render(tmp_path, seed=3, size=(40, 56))
    assert [p.name for p in written] == ["sample_L.png", "sample_R.png", "sample.json"]
    left = cv2.imread(str(tmp_path / "sample_L.png"), cv2.IMREAD_UNCHANGED)
    right = cv2.imread(str(tmp_path / "sample_R.png"), cv2.IMREAD_UNCHANGED)
    assert left.shape == right.shape == (40, 56, 3) and left.dtype == np.uint8
    assert np.any(left != right), "the two DP views must differ (defocus disparity, noise)"
    info = json.loads((tmp_path / "sample.json").read_text())
    assert info["content"] == "procedural" and info["seed"] == 3


def test_bundled_sample_is_small_8bit_and_procedural():
    files = {p.name: p for p in ASSETS.glob("*")}
    assert {"sample_L.png", "sample_R.png", "sample.json"} <= set(files)
    assert sum(p.stat().st_size for p in files.values()) < 400_000
    left = cv2.imread(str(files["sample_L.png"]), cv2.IMREAD_UNCHANGED)
    right = cv2.imread(str(files["sample_R.png"]), cv2.IMREAD_UNCHANGED)
    assert left.dtype == np.uint8 and left.shape == right.shape and left.shape[2] == 3
    info = json.loads(files["sample.json"].read_text())
    assert info["content"] == "procedural"
    assert (info["height"], info["width"]) == left.shape[:2]
