"""Test-time self-ensemble for dual-pixel pairs: the mean over four DP-consistent flips.

The four inputs are the pair itself, flipped upside down, mirrored, and both. A vertical flip is
free; a mirror must also SWAP the two views, because mirroring the image mirrors the
half-aperture blur, so the mirrored left view looks like a right view (the training
augmentation's rule, `keras_mccnet.data.augment.mirror_views`). Each flipped pair is therefore
an input the model was trained on, and each output is flipped back before the mean.

The signed disparity of a `defocus` channel keeps its sign under mirror + swap (mirroring
negates every shift, swapping the views negates it again), so it is averaged like the image.
Costs four forward passes: an opt-in for quality, never the default.
"""

from __future__ import annotations

from typing import Callable

import numpy as np

# (flip rows, mirror columns and swap the views)
FLIPS = ((False, False), (True, False), (False, True), (True, True))


def flip_pair(left: np.ndarray, right: np.ndarray, flip_rows: bool, mirror: bool):
    """The DP pair (HxWxC each) seen upside down and / or in a mirror."""
    if flip_rows:
        left, right = left[::-1], right[::-1]
    if mirror:
        from keras_mccnet.data.augment import mirror_views

        left, right = mirror_views(left, right)
    return np.ascontiguousarray(left), np.ascontiguousarray(right)


def unflip(output: np.ndarray, flip_rows: bool, mirror: bool) -> np.ndarray:
    """Undoes `flip_pair`'s geometry on one HxWxK output (no swap: there is one output)."""
    if flip_rows:
        output = output[::-1]
    if mirror:
        output = output[:, ::-1]
    return output


def self_ensemble(forward: Callable[[np.ndarray, np.ndarray], np.ndarray]):
    """`forward(left, right) -> HxWxK` averaged over the four DP-consistent flips."""

    def ensembled(left, right):
        total = None
        for flip_rows, mirror in FLIPS:
            out = unflip(forward(*flip_pair(left, right, flip_rows, mirror)), flip_rows, mirror)
            total = out.astype(np.float32) if total is None else total + out
        return total / len(FLIPS)

    return ensembled
