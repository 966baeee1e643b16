import cv2
import numpy as np
import pytest

from keras_mccnet.data.disparity import block_disparity
from keras_mccnet.layers import HighpassNCC
from model_checks import assert_config_round_trip


def textured_pair(shift, h=64, w=100, seed=0):
    """R(x + shift) = L(x): content `shift` px further right in R (behind focus for shift > 0)."""
    base = cv2.GaussianBlur(np.random.default_rng(seed).random((h, w + 20, 3)).astype(np.float32),
                            (0, 0), 1.5)
    base = np.clip(base * 2 - 0.5, 0, 1)
    return base[:, 10:10 + w], base[:, 10 - shift:10 - shift + w]


@pytest.mark.parametrize("shift", [-3, 0, 2])
def test_peak_is_at_the_shift_with_the_dp_sign(shift):
    left, right = textured_pair(shift)
    volume = np.asarray(HighpassNCC(4)([left[None], right[None]]))[0]
    assert volume.shape == (64, 100, 9)
    inner = volume[16:-16, 16:-16]
    assert np.all(np.argmax(inner, axis=-1) - 4 == shift)
    assert inner.max() <= 1.0 + 1e-4 and np.median(inner.max(axis=-1)) > 0.95


def test_opposite_shading_and_gain_do_not_move_the_peak():
    left, right = textured_pair(2)
    x = np.linspace(-1, 1, 100, dtype=np.float32)[None, :, None]
    shaded = (left * (1 + 0.3 * x), right * (1 - 0.3 * x) * 0.7)
    plain = np.asarray(HighpassNCC(4)([left[None], right[None]]))[0]
    moved = np.asarray(HighpassNCC(4)([shaded[0][None], shaded[1][None]]))[0]
    inner = (slice(16, -16), slice(16, -16))
    assert np.array_equal(np.argmax(plain, -1)[inner], np.argmax(moved, -1)[inner])
    # the project's block matcher agrees on the same pair
    blocks = block_disparity(left, right, block=24, max_shift=6)
    assert np.median(blocks.disparity[blocks.valid]) == pytest.approx(2.0, abs=0.25)


def test_bad_arguments_and_config_round_trip():
    with pytest.raises(ValueError, match="max_displacement"):
        HighpassNCC(0)
    with pytest.raises(ValueError, match="window"):
        HighpassNCC(2, window=0)
    clone = assert_config_round_trip(HighpassNCC(3, window=11, highpass=7))
    assert (clone.max_displacement, clone.window, clone.highpass) == (3, 11, 7)
