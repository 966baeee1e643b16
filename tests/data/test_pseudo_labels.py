"""Pseudo-labelled real patches (keras_mccnet.data.pseudo_labels)."""

import numpy as np
import pytest

from keras_mccnet.data.pseudo_labels import crop_corners, pseudo_label_bank


def pair(name, seed, shape=(40, 56, 3)):
    rng = np.random.default_rng(seed)
    return name, rng.random(shape, np.float32), rng.random(shape, np.float32)


def brighter_mean(left, right):
    """A stand-in teacher whose output differs from both views (and leaves [0, 1])."""
    return (left + right) / 2 + 0.25


def test_each_patch_is_the_same_crop_of_the_views_and_the_teachers_output():
    pairs = [pair("a", 1), pair("b", 2)]
    bank = pseudo_label_bank(pairs, brighter_mean, patch_size=16, per_pair=5, seed=3,
                             teacher_name="mean")
    assert bank.left.shape == (10, 16, 16, 3) and bank.target.dtype == np.uint16
    assert bank.meta["pseudo_labels"] == ["a", "b"] and bank.meta["teacher"] == "mean"
    for index, (name, left, right) in enumerate(pairs):
        corners = crop_corners(left.shape, 16, 5, np.random.default_rng([3, index]))
        for k, (y, x) in enumerate(corners):
            row = index * 5 + k
            crop = (slice(y, y + 16), slice(x, x + 16))
            np.testing.assert_allclose(bank.left[row] / 65535, left[crop], atol=1e-5)
            np.testing.assert_allclose(bank.right[row] / 65535, right[crop], atol=1e-5)
            expected = np.clip(brighter_mean(left, right)[crop], 0, 1)
            np.testing.assert_allclose(bank.target[row] / 65535, expected, atol=1e-5)


def test_crops_stay_inside_and_reach_both_edges():
    corners = crop_corners((40, 56), 16, 2000, np.random.default_rng(0))
    assert corners[:, 0].min() == 0 and corners[:, 0].max() == 40 - 16
    assert corners[:, 1].min() == 0 and corners[:, 1].max() == 56 - 16


@pytest.mark.parametrize("pairs, teacher, message", [
    ([pair("small", 1, (12, 56, 3))], brighter_mean, "small: .* smaller than a 16-px patch"),
    ([("odd", np.zeros((40, 56, 3)), np.zeros((40, 50, 3)))], brighter_mean, "odd: left"),
    ([pair("gray", 1)], lambda left, right: left[..., 0], "gray: the teacher returned"),
    ([], brighter_mean, "no pairs"),
])
def test_bad_pairs_are_refused_by_name(pairs, teacher, message):
    with pytest.raises(ValueError, match=message):
        pseudo_label_bank(pairs, teacher, patch_size=16, per_pair=2)
