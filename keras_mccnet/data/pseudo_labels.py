"""Pseudo-labelled patches from real, unlabelled DP pairs: a teacher's output as the target.

Real DP pairs without an all-in-focus target (a third camera's casual scenes) cannot be
scored, but they can be trained on: a teacher (for example the shipped model with its
four-flip self-ensemble, `keras_mccnet.self_ensemble`) deblurs each whole pair once, and random
crops of the views with the same crops of the teacher's output form a `PatchBank` that
`PatchBank.concatenate` mixes into a synthetic one. The student learns the real camera's blur
and processing from its own better (ensembled) outputs: self-distillation on the target domain.
"""

from __future__ import annotations

from typing import Callable, Iterable

import numpy as np

from keras_mccnet.data.patch_bank import VIEWS, PatchBank, to_bank_grid

Teacher = Callable[[np.ndarray, np.ndarray], np.ndarray]


def crop_corners(shape, patch_size: int, count: int, rng: np.random.Generator) -> np.ndarray:
    """`count` random (y, x) top-left corners of `patch_size` crops inside an image of `shape`."""
    height, width = shape[:2]
    return np.stack([rng.integers(0, height - patch_size + 1, count),
                     rng.integers(0, width - patch_size + 1, count)], axis=1)


def pseudo_label_bank(pairs: Iterable[tuple[str, np.ndarray, np.ndarray]], teacher: Teacher,
                      patch_size: int, per_pair: int, seed: int = 0,
                      teacher_name: str = "teacher") -> PatchBank:
    """A bank of `per_pair` crops of each pair, the teacher's output of the whole pair as target.

    Args:
        pairs: (name, left, right), the views float32 HxWx3 in [0, 1].
        teacher: `teacher(left, right) -> HxWx3` in [0, 1] (clipped here).
        patch_size, per_pair: crop size and crops per pair.
        seed: seeds the crop positions (pair i's corners depend only on seed and i).
        teacher_name: recorded in the bank's meta.

    Raises:
        ValueError naming the pair whose views differ in shape, are smaller than a patch, or
        whose teacher output has another shape.
    """
    views = {name: [] for name in VIEWS}
    names = []
    for index, (name, left, right) in enumerate(pairs):
        if left.shape != right.shape:
            raise ValueError(f"{name}: left {left.shape} and right {right.shape} differ")
        if min(left.shape[:2]) < patch_size:
            raise ValueError(f"{name}: {left.shape[:2]} is smaller than a {patch_size}-px patch")
        target = np.asarray(teacher(left, right), np.float32)
        if target.shape != left.shape:
            raise ValueError(f"{name}: the teacher returned {target.shape}, not {left.shape}")
        stored = [to_bank_grid(np.clip(image, 0.0, 1.0)) for image in (left, right, target)]
        rng = np.random.default_rng([seed, index])
        for y, x in crop_corners(left.shape, patch_size, per_pair, rng):
            for view, image in zip(VIEWS, stored):
                views[view].append(image[y:y + patch_size, x:x + patch_size])
        names.append(name)
    if not names:
        raise ValueError("no pairs to pseudo-label")
    meta = {"pseudo_labels": names, "teacher": teacher_name, "patch_size": patch_size,
            "per_pair": per_pair, "seed": seed}
    return PatchBank(**{view: np.stack(views[view]) for view in VIEWS}, meta=meta)
