"""On-the-fly synthetic DP patches for training, under TensorFlow (tf.data) and JAX (PyDataset).

Patch `i` is rendered by `render_scene(scene_rng(seed, i, Stream.TRAINING_PATCHES), ...)`: a pure function of the
seed and the index, so both paths and any number of workers produce the same patches.
Elements: `({"left": L, "right": R}, target)`, float32 NHWC in [0, 1].
"""

from __future__ import annotations

import keras
import numpy as np

from keras_mccnet.data.synthetic import (DEFAULT_BLUR_RANGE, SHOT_NOISE_RANGE, Stream,
                                         render_scene, resolve_source, scene_rng)



def render_patch(seed, index, patch_size=256, sharp_source="default", **render_kwargs):
    """(left, right, target) float32 HxWx3 arrays of synthetic patch `index`."""
    scene = render_scene(scene_rng(seed, index, Stream.TRAINING_PATCHES),
                         (patch_size, patch_size),
                         resolve_source(sharp_source), **render_kwargs)
    return scene["left"], scene["right"], scene["target"]


class SyntheticPyDataset(keras.utils.PyDataset):
    """Synthetic DP patches as a `keras.utils.PyDataset` (any Keras backend).

    Args:
        patch_size: patch side in pixels.
        batch_size: patches per batch.
        steps_per_epoch: batches per epoch; epoch e draws patch indices
            [e * steps * batch, (e + 1) * steps * batch), so every epoch sees new scenes.
        seed: stream seed.
        sharp_source: "default" (../shared/sharp when present), a folder, or None (procedural).
        fixed: the same patches every epoch (validation).
        blur_range, max_objects, noise, small_blur_share, shot_noise_range, palette_colors:
            passed to `render_scene`.
        **kwargs: `workers`, `use_multiprocessing`, `max_queue_size` of `PyDataset`.
    """

    def __init__(self, patch_size=256, batch_size=8, steps_per_epoch=100, seed=0,
                 sharp_source="default", fixed=False, blur_range=DEFAULT_BLUR_RANGE,
                 max_objects=3, noise=True, small_blur_share=0.0,
                 shot_noise_range=SHOT_NOISE_RANGE, palette_colors=0, **kwargs):
        super().__init__(**kwargs)
        self.patch_size = patch_size
        self.batch_size = batch_size
        self.steps_per_epoch = steps_per_epoch
        self.seed = seed
        self.sharp_source = sharp_source
        self.fixed = fixed
        self.render_kwargs = dict(blur_range=blur_range, max_objects=max_objects, noise=noise,
                                  small_blur_share=small_blur_share,
                                  shot_noise_range=shot_noise_range, palette_colors=palette_colors)
        self.epoch = 0

    def __len__(self):
        return int(self.steps_per_epoch)

    def on_epoch_end(self):
        if not self.fixed:
            self.epoch += 1

    def __getitem__(self, index):
        if index >= len(self):
            raise IndexError(index)
        first = (self.epoch * self.steps_per_epoch + index) * self.batch_size
        patches = [render_patch(self.seed, first + j, self.patch_size, self.sharp_source,
                                **self.render_kwargs) for j in range(self.batch_size)]
        left, right, target = (np.stack([p[i] for p in patches]) for i in range(3))
        return {"left": left, "right": right}, target


def synthetic_dataset(patch_size=256, batch_size=8, seed=0, sharp_source="default",
                      num_parallel_calls=None, start=0, count=None, prefetch=True,
                      **render_kwargs):
    """Synthetic DP patches as a `tf.data.Dataset` of batches (TensorFlow backend).

    Args:
        patch_size, batch_size, seed, sharp_source: as `SyntheticPyDataset`.
        num_parallel_calls: renders in flight (threads; OpenCV releases the GIL in its filters).
        start: index of the first patch; count: number of patches (None = endless stream).
        **render_kwargs: passed to `render_scene`.
    """
    import tensorflow as tf

    autotune = tf.data.AUTOTUNE if num_parallel_calls is None else num_parallel_calls
    source = resolve_source(sharp_source)

    def render(index):
        return render_patch(seed, int(index), patch_size, source, **render_kwargs)

    def render_tf(index):
        left, right, target = tf.numpy_function(render, [index], [tf.float32] * 3,
                                                stateful=False)
        shape = [patch_size, patch_size, 3]
        return tf.ensure_shape(left, shape), tf.ensure_shape(right, shape), tf.ensure_shape(
            target, shape)

    stop = None if count is None else start + count
    indices = tf.data.Dataset.range(start, stop) if stop is not None else (
        tf.data.Dataset.range(start, np.iinfo(np.int64).max))
    ds = indices.map(render_tf, num_parallel_calls=autotune, deterministic=True)
    ds = ds.batch(batch_size, drop_remainder=count is None)
    batch = batch_size if count is None else None
    ds = ds.map(lambda l, r, t: (
        {"left": tf.ensure_shape(l, [batch, patch_size, patch_size, 3]),
         "right": tf.ensure_shape(r, [batch, patch_size, patch_size, 3])},
        tf.ensure_shape(t, [batch, patch_size, patch_size, 3])))
    return ds.prefetch(autotune) if prefetch else ds
