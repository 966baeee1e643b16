"""Self-ensemble: flips that respect the dual-pixel geometry, each undone before the mean."""

import numpy as np

from keras_mccnet.self_ensemble import FLIPS, flip_pair, self_ensemble, unflip


def _pair(h=6, w=9):
    rng = np.random.default_rng(0)
    return rng.random((h, w, 3), dtype=np.float32), rng.random((h, w, 3), dtype=np.float32)


def test_mirror_swaps_the_views():
    left, right = _pair()
    mirrored_left, mirrored_right = flip_pair(left, right, flip_rows=False, mirror=True)
    np.testing.assert_array_equal(mirrored_left, right[:, ::-1])
    np.testing.assert_array_equal(mirrored_right, left[:, ::-1])
    upside_left, upside_right = flip_pair(left, right, flip_rows=True, mirror=False)
    np.testing.assert_array_equal(upside_left, left[::-1])
    np.testing.assert_array_equal(upside_right, right[::-1])


def test_flip_then_unflip_is_the_identity_for_every_flip():
    left, _ = _pair()
    for flip_rows, mirror in FLIPS:
        flipped, _ = flip_pair(left, left, flip_rows, mirror)
        np.testing.assert_array_equal(unflip(flipped, flip_rows, mirror), left)


def test_a_model_that_returns_the_left_view_averages_both_views():
    # Mirrored passes hand the model the (mirrored) RIGHT view as "left": after unflipping, half
    # of the four outputs are the right view. Without the swap or without the unflip this fails.
    left, right = _pair()
    out = self_ensemble(lambda l, r: l)(left, right)
    np.testing.assert_allclose(out, (left + right) / 2, atol=1e-6)


def test_a_flip_equivariant_model_is_unchanged():
    left, right = _pair()
    forward = lambda l, r: np.concatenate([(l + r) / 2, (l - r).sum(-1, keepdims=True) ** 2], -1)  # noqa: E731
    np.testing.assert_allclose(self_ensemble(forward)(left, right), forward(left, right),
                               atol=1e-6)


def test_position_dependent_outputs_are_flipped_back():
    left, right = _pair(4, 5)
    columns = np.broadcast_to(np.arange(5, dtype=np.float32)[None, :, None], (4, 5, 1))
    # a model that paints its own column index: the mirrored halves come back as 4 - x
    out = self_ensemble(lambda l, r: columns.copy())(left, right)
    np.testing.assert_allclose(out, np.full((4, 5, 1), 2.0), atol=1e-6)
