"""The committed golden vectors of the Android core must be exactly what the Python code produces.

The Kotlin tests (android_demo/core, run by android_demo/core/run_jvm_tests.sh) check the app
against these files; this test checks the files against keras_mccnet.tiling, so a change to the
Python tiling rule fails here until the vectors are regenerated, and then fails on the Kotlin
side until the app follows.
"""

import json
import shutil

import numpy as np
import pytest

from keras_mccnet import tiling

from android_scripts import REPO, TOOLS, load_tool

SCRIPT = TOOLS / "make_golden_vectors.py"
COMMITTED = REPO / "android_demo/core/src/test/resources/golden"


def load_script():
    return load_tool("make_golden_vectors")


def test_committed_golden_vectors_equal_a_fresh_generation(tmp_path):
    written = load_script().write_all(tmp_path, web=False)
    assert [p.name for p in written] == ["tiling.json", "packing.json", "stats.json",
                                         "tile_io.json", "metadata_fp16.json",
                                         "metadata_int8.json", "metadata_defocus.json",
                                         "metadata_anysize.json", "dp_axis.json"]
    for path in written:
        committed = COMMITTED / path.name
        assert committed.exists(), f"{committed} is missing: run {SCRIPT.relative_to(REPO)}"
        assert path.read_text() == committed.read_text(), (
            f"{committed.relative_to(REPO)} is stale: rerun {SCRIPT.relative_to(REPO)} "
            "and make the Kotlin core follow")


def test_golden_blend_is_run_tiled_and_depends_on_the_weights():
    """The stored blends are run_tiled's output, and the test pattern makes tiles disagree, so a
    wrong weight in the Kotlin blend could not pass by accident."""
    script = load_script()
    data = json.loads((COMMITTED / "tiling.json").read_text())
    case = next(c for c in data["cases"] if (c["tile"], c["overlap"], c["height"], c["width"])
                == (8, 3, 13, 21))
    stored = np.array(case["blended"], np.float32).reshape(13, 21, 3)
    np.testing.assert_array_equal(stored, script.blended(8, 3, 13, 21))
    # The same tiles blended without overlap weights (plain averaging) give a different image.
    plan = tiling.plan_tiles(13, 21, 8, 3)
    left, right = script.input_image(13, 21, 0), script.input_image(13, 21, 13)
    acc = np.zeros((13, 21, 3), np.float32)
    cnt = np.zeros((13, 21, 1), np.float32)
    for k, t in enumerate(plan.tiles):
        win = (slice(t.y, t.y + t.h), slice(t.x, t.x + t.w))
        acc[win] += left[win] * 0.5 + right[win] * 0.25 + script.tile_pattern(k, t.h, t.w)
        cnt[win] += 1
    assert np.abs(acc / cnt - stored).max() > 1e-3


def test_golden_defocus_blend_is_unclamped_and_weighted_like_the_image():
    """The defocus map of the image + defocus blends leaves [0, 1] (so a clamp on the Kotlin side
    would fail the bit-exact check) and is blended with the image's weights: the fake map run
    through run_tiled on its own gives the stored map."""
    script = load_script()
    data = json.loads((COMMITTED / "tiling.json").read_text())
    case = next(c for c in data["defocus_cases"] if (c["height"], c["width"]) == (13, 21))
    stored = np.array(case["defocus"], np.float32).reshape(13, 21)
    assert stored.min() < -1 and stored.max() > 2
    np.testing.assert_array_equal(script.run_fake(script.defocus_fn, 8, 3, 13, 21)[..., 0], stored)


@pytest.mark.skipif(shutil.which("node") is None, reason="node runs the web demo's colouring")
def test_committed_defocus_colors_are_the_web_demos():
    """defocus_colors.json is what web_demo/src/app.js's paintDefocus paints now: a change to the
    web demo's colours fails here until the file is regenerated, then on the Kotlin side."""
    script = load_script()
    fresh = script.defocus_color_vectors()
    committed = json.loads((COMMITTED / "defocus_colors.json").read_text())
    assert fresh == committed, (f"defocus_colors.json is stale: rerun {SCRIPT.relative_to(REPO)} "
                                "and make DefocusColors.kt follow")
    cases = committed["cases"]
    assert any(min(c["values"]) < 0 for c in cases) and any(min(c["values"]) >= 0 for c in cases)
    assert all(len(c["rgb"]) == 3 * len(c["values"]) for c in cases)
