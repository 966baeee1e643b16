import numpy as np
import pytest

from keras_mccnet.layers import CrossCorrelation, SoftArgmax
from model_checks import assert_config_round_trip


def test_peaked_cost_reads_out_its_displacement_times_scale():
    cost = np.full((1, 2, 3, 9), -1.0, np.float32)  # D = 4: channels are -4..+4
    cost[0, 0, 0, 4 + 3] = 1.0   # peak at +3
    cost[0, 1, 2, 4 - 2] = 1.0   # peak at -2
    cost[0, 0, 1, 4] = 1.0       # peak at 0
    out = np.asarray(SoftArgmax(4, scale=2.0, temperature=50.0)(cost))
    assert out.shape == (1, 2, 3, 2)
    np.testing.assert_allclose(out[0, 0, 0, 0], 6.0, atol=1e-3)
    np.testing.assert_allclose(out[0, 1, 2, 0], -4.0, atol=1e-3)
    np.testing.assert_allclose(out[0, 0, 1, 0], 0.0, atol=1e-3)
    np.testing.assert_allclose(out[0, 0, 0, 1], 1.0, atol=1e-3)  # confidence of a sharp peak
    flat = out[0, 1, 1]  # all costs equal: expectation 0, confidence 1/9
    np.testing.assert_allclose(flat, [0.0, 1.0 / 9.0], atol=1e-6)


def test_sign_follows_the_dp_convention_through_the_correlation():
    # R = L shifted 2 px to the RIGHT (behind focus): the readout must be about +2.
    rng = np.random.default_rng(0)
    base = rng.standard_normal((1, 8, 40, 6)).astype(np.float32)
    left, right = base[:, :, 4:36], base[:, :, 2:34]
    cost = np.asarray(CrossCorrelation(4)([left, right])) * 6.0
    d = np.asarray(SoftArgmax(4, temperature=40.0)(cost))[0, :, 6:-6, 0]
    assert np.median(d) == pytest.approx(2.0, abs=0.1)


def test_bad_arguments_and_channel_count_are_refused():
    with pytest.raises(ValueError, match="max_displacement"):
        SoftArgmax(0)
    with pytest.raises(ValueError, match="temperature"):
        SoftArgmax(2, temperature=0)
    with pytest.raises(ValueError, match="5 channels"):
        SoftArgmax(2)(np.zeros((1, 4, 4, 7), np.float32))


def test_config_round_trip():
    clone = assert_config_round_trip(SoftArgmax(3, scale=4.0, temperature=7.0))
    assert (clone.max_displacement, clone.scale, clone.temperature) == (3, 4.0, 7.0)
