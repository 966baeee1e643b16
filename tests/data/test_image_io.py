import os

import cv2
import numpy as np
import pytest

from keras_mccnet.data.image_io import ImageReadError, png_bit_depth, read_image, write_image


def test_16bit_png_is_read_exactly(tmp_path):
    raw = np.array([[[0, 1, 65534], [65535, 32768, 257]]], np.uint16)  # RGB
    path = str(tmp_path / "x.png")
    cv2.imwrite(path, raw[:, :, ::-1])
    image, bits = read_image(path, with_bit_depth=True)
    assert bits == 16
    np.testing.assert_array_equal(image, raw.astype(np.float32) / 65535.0)


def test_8bit_png_uses_255_scale_and_gray_expands(tmp_path):
    raw = np.array([[0, 1, 128, 255]], np.uint8)
    path = str(tmp_path / "g.png")
    cv2.imwrite(path, raw)
    image, bits = read_image(path, with_bit_depth=True)
    assert bits == 8 and image.shape == (1, 4, 3)
    np.testing.assert_allclose(image[0, :, 1], raw[0] / 255.0, rtol=0, atol=1e-7)


def test_tf_reader_matches_numpy_for_8_and_16_bit(tmp_path):
    tf = pytest.importorskip("tensorflow")
    from keras_mccnet.data.image_io import tf_read_png

    rng = np.random.default_rng(0)
    image = rng.uniform(0, 1, (5, 7, 3)).astype(np.float32)
    for bits in (8, 16):
        path = str(tmp_path / f"i{bits}.png")
        write_image(path, image, bits)
        ref = read_image(path)
        got, depth = tf_read_png(tf.constant(path))
        assert int(depth) == bits == png_bit_depth(path)
        np.testing.assert_allclose(got.numpy(), ref, rtol=0, atol=1e-7)


def test_write_is_atomic_and_round_trips(tmp_path):
    image = np.random.default_rng(1).uniform(0, 1, (4, 6, 3)).astype(np.float32)
    path = tmp_path / "sub" / "o.png"
    write_image(path, image, 16)
    assert os.listdir(tmp_path / "sub") == ["o.png"]  # no temporary left behind
    back = read_image(path)
    assert np.abs(back - image).max() <= 0.5 / 65535 + 1e-7


def test_truncated_and_garbage_png_name_the_file(tmp_path):
    path = tmp_path / "t.png"
    write_image(path, np.full((32, 32, 3), 0.5, np.float32))
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(ImageReadError, match="t.png.*truncated"):
        read_image(path)
    junk = tmp_path / "junk.png"
    junk.write_bytes(b"not an image at all, definitely")
    with pytest.raises(ImageReadError, match="junk.png"):
        read_image(junk)
    with pytest.raises(ImageReadError, match="missing.png"):
        read_image(tmp_path / "missing.png")
