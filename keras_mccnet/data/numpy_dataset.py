"""The NumPy input path: a `keras.utils.PyDataset` with the tf.data path's element format and
augmentation semantics, for backends without TensorFlow (the GPU host runs JAX).

Batches: `({"left": L, "right": R}, target)`, float32 NHWC in [0, 1]. Batch `i` of epoch `e` is a
pure function of (seed, e, i), so any number of workers gives the same data.
"""

from __future__ import annotations

import collections
import math

import keras
import numpy as np

from keras_mccnet.data.augment import dp_flip, random_crop, texture_score
from keras_mccnet.data.image_io import read_image

MAX_TEXTURE_RETRIES = 10


class DPPatchDataset(keras.utils.PyDataset):
    """Random (training) or fixed (evaluation) DP patches from scenes on disk.

    Args:
        scenes: list of `Scene` records (from `find_scenes`).
        patch_size: crop side; None = whole images (batch_size must then be 1 unless all images
            share one size).
        batch_size: patches per batch.
        training: a random scene per `patches_per_image` consecutive patches, a random crop and
            DP-consistent flips per patch; otherwise scene k gives patches
            k * patches_per_image ... at fixed crops, the same every epoch.
        seed: seeds every random choice.
        patches_per_image: patches per scene and epoch (sets the epoch length).
        min_texture: reject textureless target patches (training), see `augment.texture_score`.
        hflip, vflip: flips (training); a horizontal flip swaps L and R.
        steps_per_epoch: override the epoch length.
        max_cached_scenes: decoded scenes kept in memory (LRU).
        **kwargs: `workers`, `use_multiprocessing`, `max_queue_size` of `PyDataset`.

    Example:
        >>> ds = DPPatchDataset(find_scenes("dd_dp_dataset_png", "train"), 256, 8)
        >>> model.fit(ds, epochs=10)
    """

    def __init__(self, scenes, patch_size=256, batch_size=8, training=True, seed=0,
                 patches_per_image=8, min_texture=None, hflip=True, vflip=True,
                 steps_per_epoch=None, max_cached_scenes=16, **kwargs):
        super().__init__(**kwargs)
        if not scenes:
            raise ValueError("DPPatchDataset: no scenes given")
        self.scenes = list(scenes)
        self.patch_size = patch_size
        self.batch_size = batch_size
        self.training = training
        self.seed = seed
        self.patches_per_image = patches_per_image if patch_size else 1
        self.min_texture = min_texture
        self.hflip, self.vflip = hflip, vflip
        self.steps_per_epoch = steps_per_epoch
        self.max_cached_scenes = max_cached_scenes
        self.epoch = 0
        self._cache = collections.OrderedDict()

    def __len__(self):
        if self.steps_per_epoch:
            return int(self.steps_per_epoch)
        patches = len(self.scenes) * self.patches_per_image
        return patches // self.batch_size if self.training else math.ceil(patches / self.batch_size)

    def on_epoch_end(self):
        self.epoch += 1

    def load(self, index):
        """(left, right, target) float32 images of scene `index`, sizes checked, LRU-cached."""
        if index in self._cache:
            self._cache.move_to_end(index)
            return self._cache[index]
        scene = self.scenes[index]
        views = tuple(read_image(p) for p in (scene.left, scene.right, scene.target))
        if len({v.shape for v in views}) != 1:
            raise ValueError(
                f"scene '{scene.name}': left/right/target size mismatch: "
                + ", ".join(f"{p} is {v.shape[0]}x{v.shape[1]}"
                            for p, v in zip((scene.left, scene.right, scene.target), views))
            )
        self._cache[index] = views
        while len(self._cache) > self.max_cached_scenes:
            self._cache.popitem(last=False)
        return views

    def _patch(self, rng, scene_index):
        views = self.load(scene_index)
        if self.patch_size is None:
            return views
        for _ in range(MAX_TEXTURE_RETRIES):
            left, right, target = random_crop(rng, views, self.patch_size)
            if not self.training:
                return left, right, target
            if not self.min_texture or texture_score(target) >= self.min_texture:
                break
        return dp_flip(rng, left, right, target, self.hflip, self.vflip)

    def __getitem__(self, index):
        if index >= len(self):
            raise IndexError(index)
        patches = []
        for j in range(self.batch_size):
            k = index * self.batch_size + j
            if self.training:
                # `patches_per_image` consecutive patches share a scene visit, so one decode
                # serves several patches (as in the tf.data path) even when the LRU thrashes.
                visit = k // self.patches_per_image
                visit_rng = np.random.default_rng([self.seed, self.epoch, visit, 1])
                scene = int(visit_rng.integers(len(self.scenes)))
                rng = np.random.default_rng([self.seed, self.epoch, k])
            else:
                scene = k // self.patches_per_image
                if scene >= len(self.scenes):
                    break
                rng = np.random.default_rng([self.seed, k])
            patches.append(self._patch(rng, scene))
        left, right, target = (np.stack([p[i] for p in patches]).astype(np.float32)
                               for i in range(3))
        return {"left": left, "right": right}, target
