"""DP-consistent patch sampling and augmentation, in NumPy and in TensorFlow, same semantics.

Per patch: a uniformly random crop of the same window from L, R and target; with probability 1/2
a horizontal flip of all three that also SWAPS L and R; with probability 1/2 a vertical flip.
Why the swap: mirroring the image mirrors the half-aperture PSFs, so the flipped left view looks
like a right view (behind-focus content must stay further right in R). No 90-degree rotations:
they would turn the disparity vertical, outside a horizontal correlation search.

Optional DPDNet-style rejection of textureless patches: `texture_score` is the mean absolute
horizontal+vertical difference of the grey target patch (in [0, 1] units); patches below
`min_texture` (e.g. 0.01: flat sky, walls) teach nothing about deblurring and are skipped.
"""

from __future__ import annotations

import numpy as np


def texture_score(target: np.ndarray) -> float:
    """Mean absolute neighbour difference of the grey patch (HxWx3, [0, 1])."""
    gray = target.mean(axis=-1)
    return float(0.5 * (np.abs(np.diff(gray, axis=0)).mean() + np.abs(np.diff(gray, axis=1)).mean()))


def random_crop(rng: np.random.Generator, images, size: int):
    """The same random `size` x `size` window of every HxWxC image in `images`."""
    h, w = images[0].shape[:2]
    if h < size or w < size:
        raise ValueError(f"image {h}x{w} is smaller than the patch size {size}")
    y, x = int(rng.integers(0, h - size + 1)), int(rng.integers(0, w - size + 1))
    return [im[y : y + size, x : x + size] for im in images]


def mirror_views(left, right):
    """The DP pair seen in a mirror: both views flipped left-right AND swapped (the mirrored
    left view looks like a right view). The one home of that rule in NumPy."""
    return right[:, ::-1], left[:, ::-1]


def dp_flip(rng: np.random.Generator, left, right, target, hflip=True, vflip=True):
    """Random DP-consistent flips: horizontal flip swaps L and R; vertical flip is free."""
    if hflip and rng.random() < 0.5:
        (left, right), target = mirror_views(left, right), target[:, ::-1]
    if vflip and rng.random() < 0.5:
        left, right, target = left[::-1], right[::-1], target[::-1]
    return left, right, target


def tf_texture_score(target):
    """TensorFlow version of `texture_score` for a HxWx3 float tensor."""
    import tensorflow as tf

    gray = tf.reduce_mean(target, axis=-1)
    dy = tf.reduce_mean(tf.abs(gray[1:] - gray[:-1]))
    dx = tf.reduce_mean(tf.abs(gray[:, 1:] - gray[:, :-1]))
    return 0.5 * (dx + dy)


def tf_dp_flip(seed, stacked, hflip=True, vflip=True):
    """Flips of a HxWx9 [L | R | target] tensor with a stateless seed (shape [2] int)."""
    import tensorflow as tf

    draws = tf.random.stateless_uniform([2], seed=seed)
    if hflip:
        swapped = tf.concat([stacked[..., 3:6], stacked[..., 0:3], stacked[..., 6:9]], axis=-1)
        stacked = tf.cond(draws[0] < 0.5, lambda: tf.reverse(swapped, axis=[1]), lambda: stacked)
    if vflip:
        stacked = tf.cond(draws[1] < 0.5, lambda: tf.reverse(stacked, axis=[0]), lambda: stacked)
    return stacked
