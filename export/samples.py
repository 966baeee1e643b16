"""Realistic dual-pixel tiles for int8 calibration and for parity checks of exported models.

Quantisation error and PSNR drops must be measured on images that look like the deployment data,
not on uniform noise (noise has no smooth regions and exaggerates int8 error on the residual).
Two sources, both yielding `(left, right, target)` float32 HxWx3 in [0, 1]:

* synthetic DP scenes from `keras_mccnet.data.synthetic.render_scene` (the training source);
  if that module is unavailable, a small procedural fallback (smooth gradients, edges and a
  horizontally shifted blur, so the two views differ the way DP views do);
* real DPDD scenes: a folder with `L/`, `R/`, `GT/` (e.g. ../shared/realdp/dpdd_gif4) or any
  DPDD layout that `keras_mccnet.data.dpdd.find_scenes` reads; tiles are cut below the burnt-in
  label rows of the GIF-decoded set.
"""

from __future__ import annotations

import os

import cv2
import numpy as np

REALDP_LABEL_ROWS = 56  # rows 0-55 of dpdd_gif4's C/GT/DPDNet frames carry a text label


def _fallback_scene(rng: np.random.Generator, size: int):
    """A procedural DP-like scene: smooth colour ramps, hard-edged shapes, views blurred with a
    horizontal disparity. Used only when the real synthetic generator cannot be imported."""
    yy, xx = np.mgrid[0:size, 0:size].astype(np.float32) / size
    sharp = np.stack([a * xx + b * yy + c for a, b, c in rng.uniform(-0.5, 0.5, (3, 3))], -1)
    sharp = sharp - sharp.min() + rng.uniform(0.05, 0.3)
    for _ in range(rng.integers(3, 8)):
        cy, cx, r = rng.uniform(0, 1), rng.uniform(0, 1), rng.uniform(0.05, 0.25)
        mask = ((yy - cy) ** 2 + (xx - cx) ** 2) < r * r
        sharp[mask] = rng.uniform(0.0, 1.0, 3)
    sharp = np.clip(sharp, 0.0, 1.0).astype(np.float32)
    sigma = float(rng.uniform(1.0, 4.0))
    blurred = cv2.GaussianBlur(sharp, (0, 0), sigma)
    shift = int(rng.integers(1, 5))
    left = np.roll(blurred, -shift, axis=1)
    right = np.roll(blurred, shift, axis=1)
    return left, right, sharp


def synthetic_tiles(n: int, tile: int, seed: int = 0, sharp_source="default"):
    """`n` synthetic DP tiles of `tile` x `tile`, deterministic in `seed`.

    Yields (left, right, target). Uses the project's DP renderer when it imports, else the
    procedural fallback above.
    """
    try:
        from keras_mccnet.data.synthetic import render_scene, scene_rng
    except ImportError:  # the renderer is optional for export; keep calibration working
        render_scene = None
    for k in range(int(n)):
        if render_scene is not None:
            # stream 3: disjoint from the train/val/test streams (0, 1, 2) of write_dataset
            scene = render_scene(scene_rng(seed, k, stream=3), (tile, tile), sharp_source)
            yield (scene["left"].astype(np.float32), scene["right"].astype(np.float32),
                   scene["target"].astype(np.float32))
        else:
            yield _fallback_scene(np.random.default_rng([seed, k]), tile)


def _read_rgb(path) -> np.ndarray:
    raw = cv2.imread(os.fspath(path), cv2.IMREAD_UNCHANGED)
    if raw is None:
        raise FileNotFoundError(f"{path}: missing or unreadable image")
    scale = 65535.0 if raw.dtype == np.uint16 else 255.0
    return np.ascontiguousarray(raw[:, :, 2::-1].astype(np.float32) / scale)


CALIBRATION_SPLITS = ("train", "val")
"""Int8 calibration reads these splits only (the first present): never the test scenes."""


def scene_split(root, splits=("test",)):
    """The split of `root` to read: the first of `splits` that `root` has, or None for a flat
    folder (no splits), which only verification (splits containing "test") may read whole.

    Raises ValueError when no allowed split exists, e.g. int8 calibration (`CALIBRATION_SPLITS`)
    asked of a flat folder or of a DPDD tree with only a test split."""
    from keras_mccnet.data.dpdd import dataset_splits

    root = os.fspath(root)
    present = dataset_splits(root)
    if not present:
        if "test" in splits:
            return None
        raise ValueError(f"{root}: one flat folder of scenes with no {'/'.join(splits)} split; "
                         f"int8 calibration must not see the scenes the model is tested on: give "
                         f"a DPDD-layout folder with a train or val split, or omit --data "
                         f"(synthetic calibration scenes)")
    for split in splits:
        if split in present:
            return split
    raise ValueError(f"{root}: has splits {present} but none of {list(splits)}")


def real_scenes(root, splits=("test",)):
    """(name, left, right, target) full images of a real DP folder: any layout that
    `keras_mccnet.data.dpdd.find_scenes` reads, its split chosen by `scene_split(root, splits)`
    (verification: the test split, or a flat folder such as ../shared/realdp; int8 calibration:
    train or val only)."""
    from keras_mccnet.data.dpdd import find_scenes

    for scene in find_scenes(root, scene_split(root, splits)):
        views = [_read_rgb(getattr(scene, a)) for a in ("left", "right", "target")]
        yield (scene.name, *views)


def real_tiles(root, tile: int, per_image: int = 2, seed: int = 0, max_images=None,
               splits=("test",)):
    """Random `tile` x `tile` crops (below the label rows) of the scenes of
    `real_scenes(root, splits)`.

    Yields (left, right, target)."""
    rng = np.random.default_rng(seed)
    for i, (_, left, right, target) in enumerate(real_scenes(root, splits)):
        if max_images is not None and i >= max_images:
            break
        h, w = target.shape[:2]
        if h - REALDP_LABEL_ROWS < tile or w < tile:
            raise ValueError(f"{root}: images of {h}x{w} are smaller than the {tile} px tile")
        for _ in range(per_image):
            y = int(rng.integers(REALDP_LABEL_ROWS, h - tile + 1))
            x = int(rng.integers(0, w - tile + 1))
            window = (slice(y, y + tile), slice(x, x + tile))
            yield left[window], right[window], target[window]


def default_realdp_dir():
    """../shared/realdp/dpdd_gif4 beside the repository, or None when absent."""
    here = os.path.dirname(os.path.abspath(__file__))
    path = os.path.normpath(os.path.join(here, "..", "..", "shared", "realdp", "dpdd_gif4"))
    return path if os.path.isdir(path) else None
