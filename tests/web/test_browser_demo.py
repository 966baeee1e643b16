"""The browser demo in a real headless Chromium: the bundled sample pair through the exported,
trained tiny model on LiteRT.js's WASM backend must match the Python LiteRT runtime.

Needs what `make web` installs (LiteRT.js from npm, Debian's chromium + chromium-driver) and the
selenium package; skips, naming what is missing, only where those are absent.
"""

import threading

import cv2
import numpy as np
import pytest

from keras_mccnet.commands import web
from keras_mccnet.data.image_io import read_image

from web_demo_driver import load_driver

SAMPLE = web.SAMPLE_DIR
TOLERANCE = 2e-3  # the bar: max abs difference to export/runtime.py


@pytest.fixture(scope="module")
def drive():
    driver = load_driver()
    absent = driver.missing() + [str(p) for p in (web.LITERT_BUNDLE, web.LITERT_WASM)
                                 if not p.exists()]
    if absent:
        pytest.skip(f"browser demo test needs `make web`: missing {', '.join(absent)}")
    return driver


@pytest.fixture(scope="module")
def browser(drive):
    page = drive.DemoPage()
    yield page
    page.close()


def serve(model_path):
    """`mccnet web`'s server on a free port, in a thread; yields its URL."""
    server = web.make_server(model_path)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def exported(tmp_path_factory, drive):
    """The shipped mccnet_tiny weights exported the way `mccnet web` does it."""
    out = tmp_path_factory.mktemp("web_export")
    return web.prepare_model("mccnet_tiny", out, tile=256, overlap=32)


@pytest.fixture(scope="module")
def page(browser, exported):
    """The page on the tiny model, after it deblurred the sample pair on WASM once."""
    for url in serve(exported):
        browser.open("accelerator=wasm&run=sample", url)
        assert browser.wait() == "done", f"{browser.message()}\n" + "\n".join(browser.console())
        yield browser


@pytest.fixture(scope="module")
def reference(exported):
    from keras_mccnet.export.runtime import ExportedModel

    left, right = read_image(SAMPLE / "sample_L.png"), read_image(SAMPLE / "sample_R.png")
    return left, right, ExportedModel(exported).deblur(left, right)  # both measure the DP axis


def test_sample_pair_on_wasm_matches_python_litert(page, reference):
    left, right, expected = reference
    info = page.result_info()
    assert info["backend"]["accelerator"] == "wasm"
    assert info["backend"]["label"].startswith("WASM")
    # 384x288 in 256-px tiles with 32 px of overlap: 2 x 2 tiles, all blended.
    assert (info["height"], info["width"], info["tiles"]) == (288, 384, 4)
    assert len(info["tileMs"]) == 4 and all(t > 0 for t in info["tileMs"])
    assert info["times"]["inferenceMs"] <= info["times"]["totalMs"]
    got = page.output()
    diff = np.abs(got - expected).max()
    print(f"browser vs Python LiteRT: max abs difference {diff:.2e}")
    assert diff <= TOLERANCE, f"browser vs Python LiteRT: max abs difference {diff:.2e}"
    # The model really changed the image (about 0.03 on average here), far more than the
    # tolerance: a page that showed its input, or one tile everywhere, would fail.
    assert np.abs(got - (left + right) / 2).mean() > 5 * TOLERANCE


def test_saved_png_is_the_result_in_8_bit(page, reference):
    *_, expected = reference
    png = cv2.imdecode(np.frombuffer(page.result_png(), np.uint8), cv2.IMREAD_UNCHANGED)
    assert png is not None and png.dtype == np.uint8 and png.shape[:2] == (288, 384)
    rgb = png[..., 2::-1].astype(np.int16)  # BGR(A) -> RGB
    want = np.round(np.clip(expected, 0, 1) * 255).astype(np.int16)
    assert np.abs(rgb - want).max() <= 1


def run_upload(page, element_id, path) -> str:
    page.upload(element_id, path)
    page.driver.execute_script("document.body.dataset.status = 'clicked'")
    page.click("run")
    return page.wait()


def test_side_by_side_upload_gives_the_same_result(page, reference, tmp_path):
    *_, expected = reference
    left = cv2.imread(str(SAMPLE / "sample_L.png"), cv2.IMREAD_UNCHANGED)
    right = cv2.imread(str(SAMPLE / "sample_R.png"), cv2.IMREAD_UNCHANGED)
    pair = tmp_path / "pair_LR.png"
    cv2.imwrite(str(pair), np.concatenate([left, right], axis=1))
    assert run_upload(page, "pair-file", pair) == "done", page.message()
    assert np.abs(page.output() - expected).max() <= TOLERANCE


def test_left_and_right_uploads_give_the_same_result(page, reference):
    *_, expected = reference
    page.driver.execute_script("document.getElementById('pair-file').value = ''")
    page.upload("left-file", SAMPLE / "sample_L.png")
    assert run_upload(page, "right-file", SAMPLE / "sample_R.png") == "done", page.message()
    assert np.abs(page.output() - expected).max() <= TOLERANCE


def test_a_top_bottom_pair_is_measured_and_run_transposed(page, reference, tmp_path):
    *_, expected = reference
    page.driver.execute_script("document.getElementById('pair-file').value = ''")
    for side in "LR":  # the sample as a sensor that splits top / bottom records it
        view = cv2.imread(str(SAMPLE / f"sample_{side}.png"), cv2.IMREAD_UNCHANGED)
        cv2.imwrite(str(tmp_path / f"top_bottom_{side}.png"),
                    np.ascontiguousarray(view.swapaxes(0, 1)))
    page.upload("left-file", tmp_path / "top_bottom_L.png")
    assert run_upload(page, "right-file", tmp_path / "top_bottom_R.png") == "done", page.message()
    info = page.result_info()
    assert info["dpAxis"]["vertical"] and (info["height"], info["width"]) == (384, 288)
    assert np.abs(page.output() - expected.swapaxes(0, 1)).max() <= TOLERANCE


def test_the_split_gain_setting_runs_the_amplified_views_like_python(page, exported):
    from keras_mccnet.export.runtime import ExportedModel

    left, right = read_image(SAMPLE / "sample_L.png"), read_image(SAMPLE / "sample_R.png")
    expected = ExportedModel(exported).deblur(left, right, split_gain=2.0)
    plain = ExportedModel(exported).deblur(left, right)
    page.driver.execute_script("document.getElementById('pair-file').value = ''; "
                               "document.getElementById('split-gain').value = '2'")
    try:
        page.upload("left-file", SAMPLE / "sample_L.png")
        assert run_upload(page, "right-file", SAMPLE / "sample_R.png") == "done", page.message()
        assert page.result_info()["splitGain"] == 2
        got = page.output()
        assert np.abs(got - expected).max() <= TOLERANCE
        assert np.abs(got - plain).max() > 5 * TOLERANCE  # the setting was not ignored
    finally:
        page.driver.execute_script("document.getElementById('split-gain').value = '1'")


def test_odd_width_side_by_side_is_refused_with_a_message(page, tmp_path):
    odd = tmp_path / "odd.png"
    cv2.imwrite(str(odd), np.zeros((16, 33, 3), np.uint8))
    assert run_upload(page, "pair-file", odd) == "error"
    assert "even width, got 33" in page.message()


@pytest.fixture(scope="module")
def toy_model(tmp_path_factory):
    """A hand-made TFLite with known outputs, one of them a `defocus` map:
    deblurred = (L + R) / 2, defocus = mean over colours of |L - R|, 128-px tiles."""
    import tensorflow as tf

    from keras_mccnet.export.tflite import write_tflite

    spec = [tf.TensorSpec([1, 128, 128, 3], tf.float32, name=n) for n in ("left", "right")]

    class Toy(tf.Module):
        @tf.function(input_signature=spec)
        def serve(self, left, right):
            return {"deblurred": (left + right) * 0.5,
                    "defocus": tf.reduce_mean(tf.abs(left - right), axis=-1, keepdims=True)}

    toy = Toy()
    converter = tf.lite.TFLiteConverter.from_concrete_functions(
        [toy.serve.get_concrete_function()], toy)
    path = tmp_path_factory.mktemp("toy") / "toy_fp32.tflite"
    meta = write_tflite(converter.convert(), path, "toy", "fp32", tile=128, overlap=16)
    assert [o["name"] for o in meta["outputs"]] == ["deblurred", "defocus"]
    return path


def test_defocus_output_is_blended_and_shown(browser, toy_model):
    """Every output goes through the tiler: with per-pixel toy outputs, the blend over 12
    overlapping tiles must give back exactly what the model computes on the whole image."""
    left, right = read_image(SAMPLE / "sample_L.png"), read_image(SAMPLE / "sample_R.png")
    for url in serve(toy_model):
        browser.open("accelerator=wasm&run=sample", url)
        assert browser.wait() == "done", browser.message()
        info = browser.result_info()
        assert info["tiles"] == 12 and info["hasDefocus"]
        np.testing.assert_allclose(browser.output(), (left + right) / 2, atol=1e-6)
        np.testing.assert_allclose(browser.output("defocus"), np.abs(left - right).mean(-1),
                                   atol=1e-6)
        shown = browser.driver.execute_script(
            "const box = document.getElementById('defocus-box'), c = document.getElementById("
            "'defocus'); return [box.hidden, c.width, c.height, "
            "document.getElementById('defocus-legend').textContent];")
        assert shown[:3] == [False, 384, 288] and "yellow" in shown[3]
