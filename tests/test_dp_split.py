"""The DP split gain: the views' difference scaled about their mean, C untouched."""

import numpy as np
import pytest

from keras_mccnet.dp_split import MAX_SPLIT_GAIN, amplify_split, check_split_gain


def _pair():
    rng = np.random.default_rng(0)
    return rng.random((5, 7, 3), dtype=np.float32), rng.random((5, 7, 3), dtype=np.float32)


def test_gain_one_returns_the_views_as_recorded():
    left, right = _pair()
    out_left, out_right = amplify_split(left, right, 1.0)
    np.testing.assert_array_equal(out_left, left)
    np.testing.assert_array_equal(out_right, right)


@pytest.mark.parametrize("gain", [0.5, 2.0, 3.5])
def test_the_difference_is_scaled_and_the_mean_kept(gain):
    left, right = _pair()
    out_left, out_right = amplify_split(left, right, gain)
    np.testing.assert_allclose(out_left - out_right, gain * (left - right), atol=1e-6)
    np.testing.assert_allclose((out_left + out_right) / 2, (left + right) / 2, atol=1e-6)
    assert out_left.dtype == np.float32


def test_a_shifted_edge_moves_further_apart():
    # a blurred step shifted by +-0.5 px between the views: amplifying by 2 makes the views'
    # difference that of a pair twice as far apart (to first order)
    x = np.arange(64, dtype=np.float32)
    edge = lambda shift: 1 / (1 + np.exp(-(x - 32 - shift) / 3))  # noqa: E731
    views = [np.broadcast_to(edge(s)[None, :, None], (2, 64, 3)) for s in (-0.5, 0.5)]
    wide = [np.broadcast_to(edge(s)[None, :, None], (2, 64, 3)) for s in (-1.0, 1.0)]
    out_left, out_right = amplify_split(*views, 2.0)
    np.testing.assert_allclose(out_left - out_right, wide[0] - wide[1], atol=2e-3)


@pytest.mark.parametrize("bad", [0, -1.0, MAX_SPLIT_GAIN + 0.1, float("nan"), float("inf"),
                                 "two", None])
def test_bad_gains_are_refused_naming_the_argument(bad):
    with pytest.raises(ValueError, match="split_gain"):
        check_split_gain(bad)


def test_numeric_strings_are_taken():
    assert check_split_gain("2") == 2.0
