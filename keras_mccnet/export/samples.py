"""Realistic dual-pixel tiles for int8 calibration and for parity checks of exported models.

Quantisation error and PSNR drops must be measured on images that look like the deployment data,
not on uniform noise (noise has no smooth regions and exaggerates int8 error on the residual).
Two sources, both yielding `(left, right, target)` float32 HxWx3 in [0, 1]:

* synthetic DP scenes from `keras_mccnet.data.synthetic.render_scene` (the training source),
  drawn from their own random stream (`Stream.EXPORT_SAMPLES`), so never a training scene;
* real DPDD scenes: a folder with `L/`, `R/`, `GT/` (e.g. ../shared/realdp/dpdd_gif4) or any
  DPDD layout that `keras_mccnet.data.dpdd.find_scenes` reads; tiles are cut below the burnt-in
  label rows of the GIF-decoded set.
"""

from __future__ import annotations

import os

import numpy as np

from keras_mccnet.data.image_io import read_image
from keras_mccnet.data.synthetic import Stream, render_scene, scene_rng

REALDP_LABEL_ROWS = 56  # rows 0-55 of dpdd_gif4's C/GT/DPDNet frames carry a text label


def synthetic_tiles(n: int, tile: int, seed: int = 0, sharp_source="default"):
    """`n` synthetic DP tiles of `tile` x `tile`, deterministic in `seed`.

    Yields (left, right, target).
    """
    for k in range(int(n)):
        scene = render_scene(scene_rng(seed, k, Stream.EXPORT_SAMPLES), (tile, tile), sharp_source)
        yield (scene["left"].astype(np.float32), scene["right"].astype(np.float32),
               scene["target"].astype(np.float32))


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
        views = [read_image(getattr(scene, a)) for a in ("left", "right", "target")]
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

