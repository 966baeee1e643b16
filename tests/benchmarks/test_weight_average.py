"""Weight averages of one basin's checkpoints (benchmarks/weight_average.py)."""

import pathlib
import sys

import numpy as np
import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))

import weight_average  # noqa: E402


def test_uniform_average_is_the_elementwise_mean_in_the_members_dtype():
    a = [np.zeros((2, 2), "float32"), np.full(3, 2.0, "float32")]
    b = [np.ones((2, 2), "float32"), np.full(3, 4.0, "float32")]
    mean = weight_average.uniform_average([a, b])
    np.testing.assert_allclose(mean[0], 0.5)
    np.testing.assert_allclose(mean[1], 3.0)
    assert mean[0].dtype == np.float32


def test_members_of_different_architectures_are_refused():
    with pytest.raises(SystemExit, match="different architectures"):
        weight_average.uniform_average([[np.zeros(2)], [np.zeros(3)]])


def test_soups_name_members_by_index_and_always_include_all():
    soups = weight_average.parse_soups(["ends=1,3"], count=4)
    assert soups == {"ends": [1, 3], "all": [0, 1, 2, 3]}
    with pytest.raises(SystemExit, match="0 <= i < 4"):
        weight_average.parse_soups(["bad=1,4"], count=4)


def test_the_table_shows_the_weak_split_and_phone_aware_columns_when_scored():
    row = {"candidate": "ends", "synthetic_psnr": 28.9, "synthetic_gain_db": 2.5,
           "real_psnr": 26.9, "real_gain_db": 2.2, "selection_db": 2.35}
    plain = weight_average.table([row], {"ends": [0, 1]}, ["a", "b"])
    assert "phone-aware" not in plain
    phone = weight_average.table([{**row, "weak_split_gain_db": 2.1,
                                   "phone_aware_selection_db": 2.25}], {"ends": [0, 1]},
                                 ["a", "b"])
    assert "| ends | 28.90 (+2.50) | 26.90 (+2.20) | +2.350 | +2.100 | +2.250 |" in phone
