"""Inference on whole photos: load a model, run it tiled, clamp the output.

The tiling rule is `keras_mccnet.tiling` (shared with the Android app). A model never sees more
than one `tile` x `tile` window at a time, so peak memory is bounded by one tile of activations
plus a few full-size float32 buffers, whatever the photo size. Away from the tile seams the tiled
output equals the untiled model's output up to float rounding (tested).
"""

from __future__ import annotations

import functools

import numpy as np

from keras_mccnet import io_spec
from keras_mccnet.model_spec import DEFAULT_MODEL
from keras_mccnet.tiling import plan_tiles, run_tiled


def deblur(left, right, model=None, tile: int | None = io_spec.DEFAULT_TILE,
           overlap: int = io_spec.DEFAULT_OVERLAP, progress: bool = False,
           ensemble: bool = False, dp_axis: str = "auto",
           split_gain: float = 1.0) -> np.ndarray:
    """Deblur a dual-pixel pair: the library's one entry point for inference.

    Args:
        left, right: the two DP views, HxWx3 or NxHxWx3, uint8 / uint16 / float in [0, 1]
            (`keras_mccnet.input_views`; e.g. from `keras_mccnet.data.read_image`).
        model: a Keras model, or a model SPEC string (`keras_mccnet.model_spec`: a `.keras`
            file, a training run folder, `PRESET[:WEIGHTS]`); None = the shipped model
            (`mccnet_tiny:synthetic`).
        tile, overlap: tiled inference (`keras_mccnet.tiling`); tile 0 / None = one pass.
        progress: a progress bar over the tiles.
        ensemble: the mean over four DP-consistent flips of every tile
            (`keras_mccnet.self_ensemble`): 4x the compute.
        dp_axis: the sensor's split axis (`keras_mccnet.dp_axis`): "auto" measures it per
            pair and transposes top / bottom pairs for the model; "horizontal" runs as is;
            "vertical" always transposes.
        split_gain: the camera's DP split gain (`keras_mccnet.dp_split`): 1.0 runs the views
            as recorded (DPDD-like cameras); about 2 for the weak-split Canon R6 (phones:
            calibrate).

    Returns:
        float32 in [0, 1] (clamped), the same rank as the inputs (HxWx3 or NxHxWx3).

    Raises:
        ValueError for inputs it cannot take (shape, channels, dtype, float range, mismatch).

    Example:
        >>> from keras_mccnet.data import read_image
        >>> sharp = keras_mccnet.deblur(read_image("photo_L.png"), read_image("photo_R.png"))
    """
    from keras_mccnet.dp_axis import check_dp_axis
    from keras_mccnet.dp_split import check_split_gain
    from keras_mccnet.input_views import normalize_views

    check_dp_axis(dp_axis)
    check_split_gain(split_gain)
    left, right, batched = normalize_views(left, right)
    if model is None or isinstance(model, str):
        model = _cached_model(model or DEFAULT_MODEL)
    out = np.stack([predict_views(model, l, r, tile, overlap, progress=progress, ensemble=ensemble,
                                  dp_axis=dp_axis, split_gain=split_gain)
                    for l, r in zip(left, right)])
    return out if batched else out[0]


@functools.lru_cache(maxsize=2)
def _cached_model(spec: str):
    from keras_mccnet.model_spec import load_model

    return load_model(spec)[0]


def predict_views(model, left: np.ndarray, right: np.ndarray, tile: int | None = io_spec.DEFAULT_TILE,
                  overlap: int = io_spec.DEFAULT_OVERLAP, progress: bool = False,
                  clamp: bool = True, defocus: bool = False, ensemble: bool = False,
                  dp_axis: str = "horizontal", split_gain: float = 1.0):
    """Deblur one DP pair (HxWx3; uint8, uint16 or float in [0, 1], as `keras_mccnet.deblur`)
    and return HxWx3 float32.

    Args:
        model: a Keras model taking {"left", "right"} batches.
        tile, overlap: tiling of `keras_mccnet.tiling`; tile None or 0 = one forward pass over
            the whole image.
        progress: show a tqdm bar over the tiles.
        clamp: clip the output to [0, 1] (inference); off to inspect raw outputs.
        defocus: also return the `defocus` output (HxW float32, signed disparity in input px,
            never clamped), tiled and blended exactly as the image: returns (image, defocus).
        ensemble: every tile is the mean over four DP-consistent flips
            (`keras_mccnet.self_ensemble`): 4x the compute.
        dp_axis: "horizontal" (default: the model's own axis), "vertical" (a top / bottom
            split: the views are transposed in, the outputs back) or "auto" (measured,
            `keras_mccnet.dp_axis`).
        split_gain: the camera's DP split gain (`keras_mccnet.dp_split`), applied to the whole
            views before tiling; the defocus output stays in the recorded views' px.
    """
    from keras_mccnet.dp_axis import check_dp_axis, run_oriented
    from keras_mccnet.dp_split import amplify_split, check_split_gain
    from keras_mccnet.input_views import normalize_views

    if np.ndim(left) != 3 or np.ndim(right) != 3:
        raise ValueError(f"left and right must be HxWx{io_spec.CHANNELS} images (for batches: "
                         f"keras_mccnet.deblur), got shapes {np.shape(left)} and "
                         f"{np.shape(right)}")
    left, right, _ = normalize_views(left, right)
    left, right = left[0], right[0]
    gain = check_split_gain(split_gain)
    if check_dp_axis(dp_axis) != "horizontal":
        return run_oriented(lambda l, r: predict_views(model, l, r, tile, overlap, progress, clamp,
                                                       defocus, ensemble, split_gain=gain),
                            left, right, dp_axis)
    # after normalize_views: the amplified views may leave [0, 1], which it would refuse
    left, right = amplify_split(left, right, gain)

    from keras_mccnet.defocus import has_defocus

    if defocus and not has_defocus(model):
        raise ValueError(f"model {getattr(model, 'name', '?')!r} has no defocus output (build it "
                         "with defocus_head=True)")
    import keras

    eager = keras.backend.backend() == "tensorflow"

    def forward(l, r):
        batch = {"left": l[None], "right": r[None]}
        # TensorFlow: an eager call. predict_on_batch would retrace with relaxed (None) shapes
        # once a second tile size appears, which bilinear UpSampling2D cannot trace. JAX and
        # torch: predict_on_batch compiles once per exact shape.
        out = model(batch, training=False) if eager else model.predict_on_batch(batch)
        if isinstance(out, dict):
            # the defocus channel rides along with the image, so tiles blend it identically
            out = keras.ops.concatenate([out[io_spec.OUTPUT_NAME], out[io_spec.DEFOCUS_OUTPUT_NAME]]
                                        if defocus else [out[io_spec.OUTPUT_NAME]], axis=-1)
        return keras.ops.convert_to_numpy(out).astype(np.float32)[0]

    if ensemble:
        from keras_mccnet.self_ensemble import self_ensemble

        forward = self_ensemble(forward)
    if not tile:
        out = forward(left, right)
    else:
        bar = None
        if progress:
            from tqdm import tqdm

            n = len(plan_tiles(left.shape[0], left.shape[1], tile, overlap).tiles)
            bar = tqdm(total=n, desc="deblur", unit="tile")
        try:
            out = run_tiled(forward, left, right, tile, overlap,
                            progress=bar.update if bar is not None else None)
        finally:
            if bar is not None:
                bar.close()
    image = out[..., :io_spec.CHANNELS]
    image = np.clip(image, 0.0, 1.0) if clamp else image
    # the model read a disparity `gain` times the recorded one
    return (image, out[..., io_spec.CHANNELS] / gain) if defocus else image
