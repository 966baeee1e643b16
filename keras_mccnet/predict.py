"""Inference on whole photos: load a model, run it tiled, clamp the output.

The tiling rule is `keras_mccnet.tiling` (shared with the Android app). A model never sees more
than one `tile` x `tile` window at a time, so peak memory is bounded by one tile of activations
plus a few full-size float32 buffers, whatever the photo size. Away from the tile seams the tiled
output equals the untiled model's output up to float rounding (tested).
"""

from __future__ import annotations

import os

import numpy as np

from keras_mccnet import io_spec
from keras_mccnet.tiling import plan_tiles, run_tiled


def shipped_weights(preset: str) -> str | None:
    """Name of the weights shipped with the package for `preset` (keras_mccnet.pretrained), or
    None when none are shipped."""
    from keras_mccnet.pretrained import default_weights

    return default_weights(preset)


def load_deblur_model(model=None, preset=None, weights=None, defocus=False):
    """Load a model for inference.

    Args:
        model: a `.keras` file, or a training run directory (its `model.keras`, else its latest
            checkpoint built from the run's `config.json`).
        preset: build `MCCNet.from_preset(preset)` instead, with `weights`.
        weights: for `preset`: a `.weights.h5` file, or the name of shipped weights; None = the
            preset's default shipped weights (keras_mccnet.pretrained).
        defocus: the model must have the `defocus` output; for `preset` with shipped weights,
            build it with the defocus head shipped for those weights.

    Raises:
        FileNotFoundError / ValueError naming what is missing.
    """
    import keras

    import keras_mccnet.losses  # noqa: F401  (registers the training objects saved with a run)
    import keras_mccnet.metrics  # noqa: F401  (idem)
    from keras_mccnet.defocus import has_defocus
    from keras_mccnet.mccnet import MCCNet

    if model is not None:
        path = os.fspath(model)
        if os.path.isdir(path):
            final = os.path.join(path, "model.keras")
            if os.path.isfile(final):
                net = keras.saving.load_model(final, compile=False)
            else:
                net = _load_run_checkpoint(path)
        elif not os.path.isfile(path):
            raise FileNotFoundError(f"{path}: model file not found")
        elif not path.endswith(".keras"):
            raise ValueError(f"{path}: expected a .keras model file or a run directory")
        else:
            net = keras.saving.load_model(path, compile=False)
        if defocus and not has_defocus(net):
            raise ValueError(f"{path}: this model has no defocus output (build it with "
                             f"defocus_head=True, or use a preset with shipped weights)")
        return net
    if preset is None:
        raise ValueError("give a model (.keras file or run directory) or a preset")
    if weights and (os.path.sep in weights or weights.endswith(".h5")):
        if not os.path.isfile(weights):
            raise FileNotFoundError(f"{weights}: weights file not found")
        if defocus:
            raise ValueError(f"{weights}: a weights file has no shipped defocus head; pass "
                             "--model with a model that has one, or shipped weights")
        net = MCCNet.from_preset(preset)
        net.load_weights(weights)
        return net
    name = weights or shipped_weights(preset)
    if name is None:
        raise ValueError(f"no weights for preset {preset!r}: pass --weights FILE.weights.h5 "
                         f"(no shipped weights for it yet), or --model RUN_DIR|FILE.keras")
    # shipped weights (and with `defocus`, their shipped head), SHA-256 checked
    return MCCNet.from_preset(preset, weights=name, **({"defocus_head": True} if defocus else {}))


def _load_run_checkpoint(run_dir):
    import json

    from keras_mccnet.mccnet import MCCNet

    config_path = os.path.join(run_dir, "config.json")
    state_path = os.path.join(run_dir, "checkpoints", "state.json")
    if not (os.path.isfile(config_path) and os.path.isfile(state_path)):
        raise FileNotFoundError(f"{run_dir}: not a training run directory (no model.keras, "
                                f"no config.json + checkpoints/state.json)")
    with open(config_path) as f:
        preset = json.load(f)["preset"]
    with open(state_path) as f:
        weights = os.path.join(run_dir, "checkpoints", json.load(f)["weights"])
    net = MCCNet.from_preset(preset)
    # The checkpoint also holds optimizer variables; only the model's are needed here.
    net.load_weights(weights, skip_mismatch=True)
    return net


def predict_views(model, left: np.ndarray, right: np.ndarray, tile: int | None = io_spec.DEFAULT_TILE,
                  overlap: int = io_spec.DEFAULT_OVERLAP, progress: bool = False,
                  clamp: bool = True, defocus: bool = False):
    """Deblur one DP pair (HxWx3 float32 in [0, 1]) and return HxWx3 float32.

    Args:
        model: a Keras model taking {"left", "right"} batches.
        tile, overlap: tiling of `keras_mccnet.tiling`; tile None or 0 = one forward pass over
            the whole image.
        progress: show a tqdm bar over the tiles.
        clamp: clip the output to [0, 1] (inference); off to inspect raw outputs.
        defocus: also return the `defocus` output (HxW float32, signed disparity in input px,
            never clamped), tiled and blended exactly as the image: returns (image, defocus).
    """
    left = np.asarray(left, np.float32)
    right = np.asarray(right, np.float32)
    if left.shape != right.shape or left.ndim != 3 or left.shape[-1] != io_spec.CHANNELS:
        raise ValueError(f"left and right must be HxWx{io_spec.CHANNELS} of the same shape, "
                         f"got {left.shape} and {right.shape}")

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
    return (image, out[..., io_spec.CHANNELS]) if defocus else image
