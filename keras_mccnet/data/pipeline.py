"""tf.data input pipeline for DP scenes on disk (DPDD or any layout `find_scenes` reads).

Elements: `({"left": L, "right": R}, target)`, float32 NHWC in [0, 1], batched.

Stages, in order: read + decode the three PNGs as uint16 (exact for 8- and 16-bit files, see
`image_io`), check their sizes, cache (the decoded uint16 scenes: half the memory of float32),
shuffle scenes and repeat (training), `patches_per_image` random crops per scene visit, DP-consistent
flips (training), optional rejection of textureless patches, shuffle patches, batch,
`ensure_shape`, prefetch. All randomness is stateless and seeded by (seed, element index), so a
given seed gives the same stream whatever the parallelism.
"""

from __future__ import annotations

from keras_mccnet.data.augment import tf_dp_flip, tf_texture_score
from keras_mccnet.data.image_io import tf_decode_png_uint16


def _check_png(scenes):
    for scene in scenes:
        for path in (scene.left, scene.right, scene.target):
            if not str(path).lower().endswith(".png"):
                raise ValueError(
                    f"{path}: the tf.data path reads PNG only; use DPPatchDataset (NumPy) for "
                    "other formats"
                )


def _load_scene(left_path, right_path, target_path):
    import tensorflow as tf

    views = [tf_decode_png_uint16(tf.io.read_file(p)) for p in (left_path, right_path, target_path)]
    shapes = [tf.shape(v)[:2] for v in views]
    checks = [
        tf.debugging.Assert(
            tf.reduce_all(tf.equal(shapes[0], s)),
            ["left/right/target size mismatch:", left_path, shapes[0], path, s],
        )
        for s, path in zip(shapes[1:], (right_path, target_path))
    ]
    with tf.control_dependencies(checks):
        return tf.concat(views, axis=-1)  # HxWx9 uint16: [L | R | target]


def _split(stacked):
    import tensorflow as tf

    image = tf.cast(stacked, tf.float32) / 65535.0
    return {"left": image[..., 0:3], "right": image[..., 3:6]}, image[..., 6:9]


def make_dataset(
    scenes,
    patch_size: int | None = 256,
    batch_size: int = 8,
    training: bool = True,
    seed: int = 0,
    patches_per_image: int = 8,
    min_texture: float | None = None,
    hflip: bool = True,
    vflip: bool = True,
    cache=True,
    shuffle_buffer: int = 256,
    num_parallel_calls=None,
    repeat: bool | None = None,
):
    """Build the tf.data pipeline over `Scene` records.

    Args:
        scenes: list of `Scene` (from `find_scenes`).
        patch_size: side of the square random crops; None = whole images (then batch_size 1
            unless all images have the same size).
        batch_size: patches per batch.
        training: random crops + flips + shuffling + repeat; otherwise deterministic crops
            (the same every epoch), no flips, no shuffling, one pass.
        seed: seeds every random choice.
        patches_per_image: crops taken per scene visit (amortises the PNG decode).
        min_texture: reject target patches whose `texture_score` is below this (training only).
        hflip, vflip: DP-consistent flips (training only); hflip swaps L and R.
        cache: True caches decoded scenes in memory, a str caches to that file prefix, False off.
            Memory: 34 MB per 1680x1120 DPDD scene (uint16 L, R, target), ~12 GB for the 350
            training scenes; use a file prefix or False on smaller hosts.
        shuffle_buffer: patch shuffle buffer (training).
        num_parallel_calls: map parallelism (default AUTOTUNE).
        repeat: repeat forever (default: `training`).

    Returns:
        A `tf.data.Dataset` of `({"left": L, "right": R}, target)` batches.
    """
    import tensorflow as tf

    if not scenes:
        raise ValueError("make_dataset: no scenes given")
    _check_png(scenes)
    autotune = tf.data.AUTOTUNE if num_parallel_calls is None else num_parallel_calls
    repeat = training if repeat is None else repeat
    paths = tuple(tf.constant([str(getattr(s, k)) for s in scenes]) for k in ("left", "right",
                                                                              "target"))
    ds = tf.data.Dataset.from_tensor_slices(paths)
    ds = ds.map(_load_scene, num_parallel_calls=autotune)
    if cache:
        ds = ds.cache(cache if isinstance(cache, str) else "")
    if training:
        ds = ds.shuffle(len(scenes), seed=seed, reshuffle_each_iteration=True)
    if repeat:
        ds = ds.repeat()
    if patch_size is not None:
        copies = patches_per_image
        ds = ds.flat_map(lambda x: tf.data.Dataset.from_tensors(x).repeat(copies))
        ds = ds.enumerate()

        def crop(index, stacked):
            crop_seed = tf.stack([tf.constant(seed, tf.int64), index])
            patch = tf.image.stateless_random_crop(
                stacked, [patch_size, patch_size, 9], seed=crop_seed
            )
            if training:
                patch = tf_dp_flip(crop_seed + [0, 1 << 40], patch, hflip=hflip, vflip=vflip)
            return patch

        ds = ds.map(crop, num_parallel_calls=autotune)
        if training and min_texture:
            ds = ds.filter(lambda p: tf_texture_score(tf.cast(p[..., 6:9], tf.float32) / 65535.0)
                           >= min_texture)
        if training:
            ds = ds.shuffle(shuffle_buffer, seed=seed + 1)
    ds = ds.batch(batch_size, drop_remainder=training)
    ds = ds.map(_split, num_parallel_calls=autotune)
    side = patch_size
    batch = batch_size if training else None
    ds = ds.map(
        lambda x, y: (
            {k: tf.ensure_shape(v, [batch, side, side, 3]) for k, v in x.items()},
            tf.ensure_shape(y, [batch, side, side, 3]),
        )
    )
    return ds.prefetch(autotune)
