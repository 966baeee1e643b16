"""mccnet deblur: bit depth in = out, PNG and TIFF, refusals write nothing, L/R sign warning."""

import os

import cv2
import numpy as np
import pytest
from training_helpers import sideways_pair, textured

from keras_mccnet.data.image_io import read_image, write_image
from keras_mccnet.training.deblur import disparity_sign_check, main


def shifted_pair(shift, h=160, w=200, seed=0):
    """R = L moved `shift` px to the right (a positive, behind-focus DP disparity)."""
    base = textured(np.random.default_rng(seed), h, w + 2 * abs(shift))
    a = abs(shift)
    left = base[:, a:a + w]
    right = base[:, a - shift:a - shift + w]
    return left, right


@pytest.mark.parametrize("bits, ext", [(16, ".png"), (8, ".tif")])
def test_output_keeps_the_input_bit_depth(tmp_path, micro_model_path, bits, ext):
    left, right = shifted_pair(2, h=40, w=70)
    for name, image in (("L", left), ("R", right)):
        data = (np.clip(image, 0, 1) * (2**bits - 1) + 0.5).astype(np.uint8 if bits == 8
                                                                    else np.uint16)
        assert cv2.imwrite(str(tmp_path / f"{name}{ext}"), data[:, :, ::-1])
    out = tmp_path / f"out{ext}"
    assert main([str(tmp_path / f"L{ext}"), str(tmp_path / f"R{ext}"), "-o", str(out),
                 "--model", micro_model_path, "--tile", "32", "--overlap", "8",
                 "--quiet"]) == 0
    raw = cv2.imread(str(out), cv2.IMREAD_UNCHANGED)
    assert raw.dtype == (np.uint8 if bits == 8 else np.uint16)
    assert raw.shape == (40, 70, 3)
    image, depth = read_image(out, with_bit_depth=True)
    assert depth == bits and 0.0 <= image.min() and image.max() <= 1.0
    umask = os.umask(0)
    os.umask(umask)
    assert os.stat(out).st_mode & 0o777 == 0o666 & ~umask  # a normal file, not mkstemp's 0600


def test_mismatched_sizes_are_refused_and_nothing_is_written(tmp_path, micro_model_path, capsys):
    write_image(tmp_path / "L.png", np.zeros((32, 40, 3), np.float32))
    write_image(tmp_path / "R.png", np.zeros((32, 48, 3), np.float32))
    code = main([str(tmp_path / "L.png"), str(tmp_path / "R.png"), "-o",
                 str(tmp_path / "out.png"), "--model", micro_model_path, "--quiet"])
    assert code == 2
    assert "same size" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["L.png", "R.png"]


def test_unreadable_input_is_named_and_nothing_is_written(tmp_path, micro_model_path, capsys):
    write_image(tmp_path / "L.png", np.zeros((32, 40, 3), np.float32))
    (tmp_path / "R.png").write_bytes(b"not a png at all")
    code = main([str(tmp_path / "L.png"), str(tmp_path / "R.png"), "-o",
                 str(tmp_path / "out.png"), "--model", micro_model_path, "--quiet"])
    assert code == 2
    assert "R.png" in capsys.readouterr().err
    assert not (tmp_path / "out.png").exists()
    assert not any(p.name.startswith(".tmp") for p in tmp_path.iterdir())
    assert main([str(tmp_path / "L.png"), str(tmp_path / "nope.png"), "-o",
                 str(tmp_path / "out.png"), "--model", micro_model_path]) == 2
    assert main([str(tmp_path / "L.png"), str(tmp_path / "L.png"), "-o",
                 str(tmp_path / "out.jpg"), "--model", micro_model_path]) == 2


def test_sign_check_flags_swapped_views():
    left, right = shifted_pair(3)
    positive, negative, swapped = disparity_sign_check(left, right)
    assert positive > negative and not swapped
    positive, negative, swapped = disparity_sign_check(right, left)
    assert negative > positive and swapped


def test_swapped_order_warns_and_order_rl_fixes_it(tmp_path, micro_model_path, capsys):
    left, right = shifted_pair(3)
    write_image(tmp_path / "L.png", left)
    write_image(tmp_path / "R.png", right)
    args = ["-o", str(tmp_path / "out.png"), "--model", micro_model_path, "--quiet"]
    assert main([str(tmp_path / "R.png"), str(tmp_path / "L.png"), *args]) == 0
    assert "looks swapped" in capsys.readouterr().err
    assert main([str(tmp_path / "R.png"), str(tmp_path / "L.png"), "--order", "rl", *args]) == 2
    assert "out.png already exists; pass --overwrite" in capsys.readouterr().err
    assert main([str(tmp_path / "R.png"), str(tmp_path / "L.png"), "--order", "rl", *args,
                 "--overwrite"]) == 0
    assert "looks swapped" not in capsys.readouterr().err


def test_defocus_map_is_a_16_bit_signed_png_with_a_preview(tmp_path, micro_defocus_model_path):
    from keras_mccnet.data import signed_map
    from keras_mccnet.model_spec import load_model
    from keras_mccnet.predict import predict_views

    left, right = shifted_pair(2, h=40, w=70)
    write_image(tmp_path / "L.png", left)
    write_image(tmp_path / "R.png", right)
    args = [str(tmp_path / "L.png"), str(tmp_path / "R.png"), "-o", str(tmp_path / "out.png"),
            "--model", micro_defocus_model_path, "--tile", "32", "--overlap", "8", "--quiet"]
    assert main(args + ["--defocus-map", str(tmp_path / "map.png")]) == 0
    raw = cv2.imread(str(tmp_path / "map.png"), cv2.IMREAD_UNCHANGED)
    assert raw.dtype == np.uint16 and raw.shape == (40, 70)
    model, _ = load_model(micro_defocus_model_path, defocus=True)
    _, expected = predict_views(model, read_image(tmp_path / "L.png"),
                                read_image(tmp_path / "R.png"), 32, 8, defocus=True)
    # half a 1/256-px step, plus float32 rounding
    np.testing.assert_allclose(signed_map.read(tmp_path / "map.png"), expected, atol=0.6 / 256)
    preview = read_image(tmp_path / "map_preview.png")
    assert preview.shape[1] == 70 and preview.shape[0] > 40  # the map plus its legend


def test_defocus_map_refusals_write_nothing(tmp_path, micro_model_path, capsys):
    write_image(tmp_path / "L.png", np.zeros((32, 40, 3), np.float32))
    write_image(tmp_path / "R.png", np.zeros((32, 40, 3), np.float32))
    base = [str(tmp_path / "L.png"), str(tmp_path / "R.png"), "-o", str(tmp_path / "out.png"),
            "--quiet"]
    assert main(base + ["--model", micro_model_path, "--defocus-map",
                        str(tmp_path / "map.png")]) == 2
    assert "no defocus output" in capsys.readouterr().err
    assert main(base + ["--model", micro_model_path, "--defocus-map",
                        str(tmp_path / "map.tif")]) == 2
    assert "must be a .png" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["L.png", "R.png"]


def test_ensemble_flag_writes_the_ensembled_prediction(tmp_path, micro_model_path):
    from keras_mccnet.model_spec import load_model
    from keras_mccnet.predict import predict_views

    left, right = shifted_pair(2, h=40, w=70)
    write_image(tmp_path / "L.png", left, 16)
    write_image(tmp_path / "R.png", right, 16)
    args = [str(tmp_path / "L.png"), str(tmp_path / "R.png"), "--model", micro_model_path,
            "--tile", "32", "--overlap", "8", "--quiet"]
    assert main(args + ["-o", str(tmp_path / "ens.png"), "--ensemble"]) == 0
    model, _ = load_model(micro_model_path)
    views = read_image(tmp_path / "L.png"), read_image(tmp_path / "R.png")
    expected = predict_views(model, *views, 32, 8, ensemble=True)
    plain = predict_views(model, *views, 32, 8)
    written = read_image(tmp_path / "ens.png")
    np.testing.assert_allclose(written, expected, atol=1 / 65535)
    assert np.abs(written - plain).max() > 10 / 65535


def test_a_top_bottom_pair_is_measured_and_deblurred_transposed(tmp_path, micro_model_path,
                                                                capsys):
    from keras_mccnet.dp_axis import transpose_views
    from keras_mccnet.model_spec import load_model
    from keras_mccnet.predict import predict_views

    left, right = (transpose_views(v) for v in sideways_pair(2, h=120, w=160))
    write_image(tmp_path / "T.png", left, 16)
    write_image(tmp_path / "B.png", right, 16)
    args = [str(tmp_path / "T.png"), str(tmp_path / "B.png"), "--model", micro_model_path,
            "--tile", "64", "--overlap", "16", "--quiet"]
    assert main(args + ["-o", str(tmp_path / "auto.png")]) == 0
    assert "DP axis: vertical (measured" in capsys.readouterr().err
    model, _ = load_model(micro_model_path)
    views = read_image(tmp_path / "T.png"), read_image(tmp_path / "B.png")
    expected = predict_views(model, *views, 64, 16, dp_axis="vertical")
    written = read_image(tmp_path / "auto.png")
    assert written.shape == left.shape
    np.testing.assert_allclose(written, expected, atol=1 / 65535)
    assert main(args + ["-o", str(tmp_path / "as_is.png"), "--dp-axis", "horizontal"]) == 0
    assert "DP axis" not in capsys.readouterr().err
    as_is = read_image(tmp_path / "as_is.png")
    np.testing.assert_allclose(as_is, predict_views(model, *views, 64, 16), atol=1 / 65535)
    assert np.abs(as_is - written).max() > 10 / 65535


def test_split_gain_flag_writes_the_amplified_prediction(tmp_path, micro_model_path, capsys):
    from keras_mccnet.model_spec import load_model
    from keras_mccnet.predict import predict_views

    left, right = shifted_pair(2, h=40, w=70)
    write_image(tmp_path / "L.png", left, 16)
    write_image(tmp_path / "R.png", right, 16)
    args = [str(tmp_path / "L.png"), str(tmp_path / "R.png"), "--model", micro_model_path,
            "--tile", "32", "--overlap", "8", "--quiet"]
    assert main(args + ["-o", str(tmp_path / "k2.png"), "--split-gain", "2"]) == 0
    model, _ = load_model(micro_model_path)
    views = read_image(tmp_path / "L.png"), read_image(tmp_path / "R.png")
    written = read_image(tmp_path / "k2.png")
    np.testing.assert_allclose(written, predict_views(model, *views, 32, 8, split_gain=2.0),
                               atol=1 / 65535)
    assert np.abs(written - predict_views(model, *views, 32, 8)).max() > 10 / 65535
    # a bad gain is an argument error that writes nothing
    assert main(args + ["-o", str(tmp_path / "bad.png"), "--split-gain", "0"]) == 2
    assert "split_gain" in capsys.readouterr().err
    assert not (tmp_path / "bad.png").exists()
