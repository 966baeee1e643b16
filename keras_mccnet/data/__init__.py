"""Data for keras-mccnet: DPDD on disk and a physically based synthetic dual-pixel source.

Every source yields the same element format: `({"left": L, "right": R}, target)`, float32 NHWC
in [0, 1] (io_spec.py).

Public API (imported lazily: the synthetic renderer and the NumPy paths need no TensorFlow;
only `make_dataset` and `synthetic_dataset` import it):

Scenes on disk
    find_scenes(root, split=None, validate=True) -> list[Scene]
        DPDNet layout `{train,val,test}_{c,l,r}/source` + `_c/target` (split required when
        several exist), Restormer `inputL/ inputR/ target/` (in root, root/split or
        root/split/DPDD), or plain `L/ R/ GT/`. `Scene(name, left, right, target, center)`.
        Targets are paired with sources by sorted order when names differ (as DPDD's do).
        A flat folder (no splits) is read with split=None; asking it for a split is an error.
        Raises DatasetLayoutError / ImageReadError naming the file.
    dataset_splits(root) -> list[str]: the splits of root; [] for one flat folder of scenes.
    read_image(path, with_bit_depth=False), write_image(path, image, bits=16)
        Bit-depth-detecting reader (float32 RGB [0, 1]) and atomic 8/16-bit PNG writer.

Training input
    make_dataset(scenes, patch_size=256, batch_size=8, training=True, seed=0,
                 patches_per_image=8, min_texture=None, ...) -> tf.data.Dataset  (TensorFlow)
    DPPatchDataset(scenes, patch_size, batch_size, training, seed, ...) -> keras PyDataset
        (any backend, e.g. JAX). Same format and augmentation: random crop, horizontal flip
        WITH an L/R swap, vertical flip, optional textureless-patch rejection; no rotations.

Synthetic DP data
    render_scene(rng, size=(256, 256), sharp_source="default", ...) -> dict
        left, right, center, target (sRGB [0, 1]), depth (m), blur (signed px), params.
    write_dataset(out_dir, n, size, seed, sharp_dir="default", split="train")
        DPDNet layout, 16-bit PNGs, plus depth/blur maps; `n` may be {"train": .., "val": ..,
        "test": ..}. Read it back with find_scenes(out_dir, split).
    synthetic_dataset(patch_size, batch_size, seed, sharp_source, ...) -> tf.data.Dataset
    SyntheticPyDataset(patch_size, batch_size, steps_per_epoch, seed, sharp_source, ...)
        On-the-fly streams; patch i is a pure function of (seed, i) in both.
    PatchBank.render(count, patch_size, seed, workers, ...) / PatchBank.cached(path, ...)
    BankPyDataset(bank, batch_size, steps_per_epoch, seed)
        Patches rendered once in worker processes (uint16), replayed with fresh DP flips every
        epoch: the renderer off the training step's critical path on small CPUs.
    sharp_source / sharp_dir: "default" = ../shared/sharp beside the repo when present,
        else procedural; a folder path; or None to force procedural content.

Analysis
    block_disparity(left, right, ...) -> BlockDisparity  (signed L->R disparity, > 0 = further
        right in R, as behind-focus content in DPDD).
"""

from __future__ import annotations

import importlib

_EXPORTS = {
    "Scene": "keras_mccnet.data.dpdd",
    "find_scenes": "keras_mccnet.data.dpdd",
    "dataset_splits": "keras_mccnet.data.dpdd",
    "DatasetLayoutError": "keras_mccnet.data.dpdd",
    "read_image": "keras_mccnet.data.image_io",
    "write_image": "keras_mccnet.data.image_io",
    "ImageReadError": "keras_mccnet.data.image_io",
    "make_dataset": "keras_mccnet.data.pipeline",
    "DPPatchDataset": "keras_mccnet.data.numpy_dataset",
    "render_scene": "keras_mccnet.data.synthetic",
    "write_dataset": "keras_mccnet.data.synthetic",
    "scene_rng": "keras_mccnet.data.synthetic",
    "synthetic_dataset": "keras_mccnet.data.synthetic_stream",
    "SyntheticPyDataset": "keras_mccnet.data.synthetic_stream",
    "render_patch": "keras_mccnet.data.synthetic_stream",
    "block_disparity": "keras_mccnet.data.disparity",
    "PatchBank": "keras_mccnet.data.patch_bank",
    "BankPyDataset": "keras_mccnet.data.patch_bank",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name):
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'keras_mccnet.data' has no attribute {name!r}")
