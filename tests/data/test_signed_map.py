import numpy as np
import pytest

from keras_mccnet.data import signed_map
from keras_mccnet.data.image_io import ImageReadError, write_image


def test_png_round_trip_is_exact_to_a_256th_of_a_pixel(tmp_path):
    values = np.array([[-3.5, 0.0, 1.0 / 256], [12.25, -0.7, 100.0]], np.float32)
    write_image(tmp_path / "m.png", signed_map.encode(values), bits=16)
    back = signed_map.read(tmp_path / "m.png")
    np.testing.assert_allclose(back, values, atol=0.5 / 256)
    raw = __import__("cv2").imread(str(tmp_path / "m.png"), -1)
    assert raw.dtype == np.uint16 and raw[0, 1] == 32768 and raw[0, 0] == 32768 - 3.5 * 256


def test_eight_bit_png_is_refused(tmp_path):
    write_image(tmp_path / "m8.png", np.zeros((2, 2), np.float32), bits=8)
    with pytest.raises(ImageReadError, match="16-bit"):
        signed_map.read(tmp_path / "m8.png")
