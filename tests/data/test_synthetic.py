import os

import numpy as np
import pytest

from keras_mccnet.data.color import linear_to_srgb, srgb_to_linear
from keras_mccnet.data.disparity import block_disparity, dominant_sign
from keras_mccnet.data.dpdd import find_scenes
from keras_mccnet.data.image_io import png_bit_depth, read_image
from keras_mccnet.data.synthetic import render_scene, scene_rng, write_dataset


def test_render_scene_outputs():
    s = render_scene(scene_rng(0, 0), (48, 64), sharp_source=None)
    for key in ("left", "right", "center", "target"):
        assert s[key].shape == (48, 64, 3) and s[key].dtype == np.float32
        assert 0 <= s[key].min() and s[key].max() <= 1
        np.testing.assert_allclose(s[key] * 65535, np.round(s[key] * 65535), atol=2e-3)
    assert s["depth"].shape == (48, 64) and (s["depth"] > 0).all()
    assert s["blur"].shape == (48, 64)
    # C = (L + R) / 2 in linear light (up to the 16-bit rounding of the three encodings).
    mean = linear_to_srgb((srgb_to_linear(s["left"]) + srgb_to_linear(s["right"])) / 2)
    assert np.abs(mean - s["center"]).max() < 2e-3
    again = render_scene(scene_rng(0, 0), (48, 64), sharp_source=None)
    np.testing.assert_array_equal(again["left"], s["left"])


def test_views_differ_only_where_defocused():
    s = render_scene(scene_rng(1, 2), (96, 96), sharp_source=None, noise=False)
    sharp = np.abs(s["blur"]) < 0.5
    blurred = np.abs(s["blur"]) > 8
    diff = np.abs(s["left"] - s["right"]).mean(axis=2)
    if sharp.sum() > 200 and blurred.sum() > 200:
        assert diff[blurred].mean() > diff[sharp].mean()
    assert np.abs(s["left"] - s["target"]).mean() > 0  # the views are not the target


def test_rendered_disparity_sign_matches_dpdd():
    """Behind focus (blur > 0) content lies further RIGHT in R; in front, further left."""
    agree = total = 0
    for k in range(4):
        s = render_scene(scene_rng(11, k), (256, 256), sharp_source=None, blur_range=(12, 30))
        r = block_disparity(s["left"], s["right"], block=48, max_shift=12, stride=24)
        c = s["blur"][r.y, r.x]
        decisive = r.valid & (np.abs(c) > 4) & (np.abs(r.disparity) >= 0.75)
        agree += int((np.sign(r.disparity[decisive]) == np.sign(c[decisive])).sum())
        total += int(decisive.sum())
    assert total >= 40
    assert agree / total > 0.9


def test_real_scenes_disparity_sign(realdp_dir):
    """Same estimator on real DPDD scenes: defocused blocks shift right in R (behind focus)."""
    for scene in find_scenes(realdp_dir):
        r = block_disparity(read_image(scene.left), read_image(scene.right))
        r.valid &= r.y >= 80  # skip the burnt-in label rows
        positive, negative = dominant_sign(r)
        assert positive >= 20 and positive > 5 * negative, (scene.name, positive, negative)


def test_write_dataset_dpdd_layout_16bit(tmp_path):
    counts = write_dataset(tmp_path, {"train": 2, "val": 1}, size=(40, 56), seed=3,
                           sharp_dir=None, progress=False)
    assert counts == {"train": 2, "val": 1}
    train = find_scenes(tmp_path, "train")
    assert [s.name for s in train] == ["SYN_00000", "SYN_00001"]
    assert len(find_scenes(tmp_path, "val")) == 1
    assert png_bit_depth(train[0].left) == 16 and png_bit_depth(train[0].target) == 16
    ref = render_scene(scene_rng(3, 1, 0), (40, 56), None)
    np.testing.assert_allclose(read_image(train[1].right), ref["right"], atol=1e-6)
    assert os.path.isfile(tmp_path / "train_c" / "blur" / "SYN_00001.png")
    assert os.path.isfile(tmp_path / "train_params.json")


def test_photo_source_folder(tmp_path):
    from keras_mccnet.data.content import PhotoSource
    from keras_mccnet.data.image_io import write_image

    write_image(tmp_path / "p.png", np.random.default_rng(0).uniform(size=(50, 70, 3)), 8)
    source = PhotoSource(tmp_path)
    crop = source.sample(np.random.default_rng(1), 32, 40)
    assert crop.shape == (32, 40, 3) and 0 <= crop.min() and crop.max() <= 1
    s = render_scene(scene_rng(0, 0), (32, 32), sharp_source=source)
    assert s["left"].shape == (32, 32, 3)
    with pytest.raises(ValueError, match="no photos"):
        PhotoSource(tmp_path / "empty" if (tmp_path / "empty").mkdir() is None else None)


def test_mccnet_synth_command(tmp_path):
    from keras_mccnet.cli import main

    out = tmp_path / "syn"
    assert main(["synth", "--out", str(out), "--scenes", "2", "--size", "32", "48",
                 "--sharp-dir", "none", "--split", "val"]) == 0
    scenes = find_scenes(out, "val")
    assert len(scenes) == 2 and read_image(scenes[0].center).shape == (32, 48, 3)
    preview = tmp_path / "p.png"
    assert main(["synth", "--preview", str(preview), "--size", "32", "32",
                 "--sharp-dir", "none", "--preview-rows", "2"]) == 0
    assert read_image(preview).shape == (2 * 32 + 4, 5 * 32 + 4 * 4, 3)


def test_shared_sharp_photos_are_downsampled(shared_dir):
    from keras_mccnet.data.content import PhotoSource

    folder = shared_dir / "sharp"
    if not folder.is_dir():
        pytest.skip("../shared/sharp is absent")
    source = PhotoSource(folder)
    jpegs = [p for p in source.paths if p.lower().endswith(".jpg")]
    assert jpegs and any(p.endswith(".png") for p in source.paths)
    image = source._load(jpegs[0])
    assert max(image.shape[:2]) <= 6000 // 3 and image.dtype == np.uint8
    crop = source.sample(np.random.default_rng(0), 64, 64)
    assert crop.shape == (64, 64, 3)


def test_lr_gain_is_a_mirrored_linear_ramp_in_linear_light():
    """lr_gain multiplies L by 1 + g(x) and R by 1 - g(x), g linear across the width; the
    scene is otherwise the same (noise off, so no other draw moves)."""
    plain = render_scene(scene_rng(3, 1), (40, 64), sharp_source=None, noise=False)
    gained = render_scene(scene_rng(3, 1), (40, 64), sharp_source=None, noise=False,
                          lr_gain=0.08)
    g0, g1 = gained["params"]["lr_gain"]
    assert abs(g0) <= 0.02 and abs(g1) <= 0.04 and (g0, g1) != (0.0, 0.0)
    expected = g0 + g1 * (np.arange(64) / 64 - 0.5)
    lin = {k: (srgb_to_linear(gained[k]), srgb_to_linear(plain[k])) for k in ("left", "right")}
    ok = (lin["left"][1] > 0.05) & (lin["left"][1] < 0.9) & (lin["right"][1] > 0.05) & (
        lin["right"][1] < 0.9)
    cols = np.broadcast_to(np.arange(64)[None, :, None], ok.shape)
    left_gain = lin["left"][0][ok] / lin["left"][1][ok] - 1
    right_gain = 1 - lin["right"][0][ok] / lin["right"][1][ok]
    np.testing.assert_allclose(left_gain, expected[cols[ok]], atol=2e-3)
    np.testing.assert_allclose(right_gain, expected[cols[ok]], atol=2e-3)
    np.testing.assert_array_equal(gained["target"], plain["target"])


def test_view_bits_8_quantises_the_views_not_the_target():
    s = render_scene(scene_rng(4, 0), (32, 32), sharp_source=None, view_bits=8)
    for key in ("left", "right", "center"):
        np.testing.assert_allclose(s[key] * 255, np.round(s[key] * 255), atol=1e-4)
    assert np.abs(s["target"] * 255 - np.round(s["target"] * 255)).max() > 0.01
    default = render_scene(scene_rng(4, 0), (32, 32), sharp_source=None)
    assert np.abs(default["left"] * 255 - np.round(default["left"] * 255)).max() > 0.01


def test_small_blur_share_draws_phone_like_scenes_and_is_off_by_default():
    default = render_scene(scene_rng(5, 0), (32, 32), sharp_source=None)
    off = render_scene(scene_rng(5, 0), (32, 32), sharp_source=None, small_blur_share=0.0)
    np.testing.assert_array_equal(off["left"], default["left"])  # the same random stream
    for index in range(4):
        large = render_scene(scene_rng(5, index), (32, 32), sharp_source=None,
                             blur_range=(12.0, 44.0))
        small = render_scene(scene_rng(5, index), (32, 32), sharp_source=None,
                             blur_range=(12.0, 44.0), small_blur_share=1.0,
                             small_blur_range=(0.5, 2.0))
        assert np.abs(small["blur"]).max() <= 2.0 < np.abs(large["blur"]).max()
    with pytest.raises(ValueError, match="small_blur_share"):
        render_scene(scene_rng(5, 0), (32, 32), sharp_source=None, small_blur_share=1.5)


def test_palette_colors_quantises_each_view_to_its_own_palette_not_the_target():
    plain = render_scene(scene_rng(6, 0), (48, 48), sharp_source=None)
    gif = render_scene(scene_rng(6, 0), (48, 48), sharp_source=None, palette_colors=8)
    for key in ("left", "right", "center"):
        assert len(np.unique(gif[key].reshape(-1, 3), axis=0)) <= 8
        assert np.abs(gif[key] - plain[key]).mean() < 0.08  # the same scene, dithered
    np.testing.assert_array_equal(gif["target"], plain["target"])
    assert gif["params"]["palette_colors"] == 8


def test_dpdd_shot_noise_range_makes_grainier_views_from_the_same_stream():
    from keras_mccnet.data.synthetic import DPDD_SHOT_NOISE_RANGE, SHOT_NOISE_RANGE

    plain = render_scene(scene_rng(7, 0), (48, 48), sharp_source=None)
    same = render_scene(scene_rng(7, 0), (48, 48), sharp_source=None,
                        shot_noise_range=SHOT_NOISE_RANGE)
    np.testing.assert_array_equal(same["left"], plain["left"])
    grainy = render_scene(scene_rng(7, 0), (48, 48), sharp_source=None,
                          shot_noise_range=DPDD_SHOT_NOISE_RANGE)
    assert grainy["params"]["shot_noise"] > plain["params"]["shot_noise"]
    clean = render_scene(scene_rng(7, 0), (48, 48), sharp_source=None, noise=False)
    noise = lambda s: np.abs(s["left"] - clean["left"]).mean()  # noqa: E731 (noise is drawn last)
    assert noise(grainy) > 2 * noise(plain)
    np.testing.assert_array_equal(grainy["target"], plain["target"])


def test_psf_aspect_range_changes_only_the_blur_shape_of_the_same_scene():
    plain = render_scene(scene_rng(8, 0), (48, 48), sharp_source=None, blur_range=(10.0, 16.0))
    assert plain["params"]["psf_aspect"] == 1.0
    tall = render_scene(scene_rng(8, 0), (48, 48), sharp_source=None, blur_range=(10.0, 16.0),
                        psf_aspect_range=(1.4, 1.4))
    assert tall["params"]["psf_aspect"] == pytest.approx(1.4)
    # the aspect has a stream of its own: same content, depth, camera and noise draws
    np.testing.assert_array_equal(tall["target"], plain["target"])
    np.testing.assert_array_equal(tall["blur"], plain["blur"])
    assert tall["params"]["shot_noise"] == plain["params"]["shot_noise"]
    # a taller blur smooths more along y than along x, relative to the round one
    grad = lambda im, axis: np.abs(np.diff(im, axis=axis)).mean()  # noqa: E731
    assert grad(tall["center"], 0) / grad(plain["center"], 0) < \
        grad(tall["center"], 1) / grad(plain["center"], 1)
    with pytest.raises(ValueError, match="psf_aspect_range"):
        render_scene(scene_rng(8, 0), (32, 32), sharp_source=None, psf_aspect_range=(1.2, 0.9))


def test_front_focus_share_moves_the_defocus_in_front_of_the_same_scene():
    kwargs = dict(size=(48, 48), sharp_source=None, blur_range=(10.0, 16.0))
    plain = [render_scene(scene_rng(9, i), **kwargs) for i in range(6)]
    front = [render_scene(scene_rng(9, i), front_focus_share=1.0, **kwargs) for i in range(6)]
    for p, f in zip(plain, front):
        assert p["params"]["focus_far"] is None and f["params"]["focus_far"] <= 0.2
        # a stream of its own: the same content and noise draws, only the focus moved
        np.testing.assert_array_equal(f["target"], p["target"])
        assert f["params"]["shot_noise"] == p["params"]["shot_noise"]
        # focused on the farthest surface: (almost) nothing is behind focus
        assert (f["blur"] > 1.0).mean() < 0.02
    behind = lambda scenes: np.mean([(s["blur"] > 1.0).mean() for s in scenes])  # noqa: E731
    assert behind(plain) > 0.3
    # the same largest blur either way (the aperture is solved for it)
    for p, f in zip(plain, front):
        assert np.abs(f["blur"]).max() <= 16.0 + 1e-3
    # a share of 0 keeps the scene bit for bit
    np.testing.assert_array_equal(
        render_scene(scene_rng(9, 0), front_focus_share=0.0, **kwargs)["left"], plain[0]["left"])
    with pytest.raises(ValueError, match="front_focus_share"):
        render_scene(scene_rng(9, 0), front_focus_share=1.5, **kwargs)
