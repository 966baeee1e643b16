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


def load_deblur_model(model=None, preset=None, weights=None):
    """Load a model for inference.

    Args:
        model: a `.keras` file, or a training run directory (its `model.keras`, else its latest
            checkpoint built from the run's `config.json`).
        preset: build `MCCNet.from_preset(preset)` instead, with `weights`.
        weights: for `preset`: a `.weights.h5` file, or the name of shipped weights; None = the
            preset's default shipped weights (keras_mccnet.pretrained).

    Raises:
        FileNotFoundError / ValueError naming what is missing.
    """
    import keras

    import keras_mccnet.losses  # noqa: F401  (registers the training objects saved with a run)
    import keras_mccnet.metrics  # noqa: F401  (idem)
    from keras_mccnet.mccnet import MCCNet

    if model is not None:
        path = os.fspath(model)
        if os.path.isdir(path):
            final = os.path.join(path, "model.keras")
            if os.path.isfile(final):
                return keras.saving.load_model(final, compile=False)
            return _load_run_checkpoint(path)
        if not os.path.isfile(path):
            raise FileNotFoundError(f"{path}: model file not found")
        if not path.endswith(".keras"):
            raise ValueError(f"{path}: expected a .keras model file or a run directory")
        return keras.saving.load_model(path, compile=False)
    if preset is None:
        raise ValueError("give a model (.keras file or run directory) or a preset")
    if weights and (os.path.sep in weights or weights.endswith(".h5")):
        if not os.path.isfile(weights):
            raise FileNotFoundError(f"{weights}: weights file not found")
        net = MCCNet.from_preset(preset)
        net.load_weights(weights)
        return net
    name = weights or shipped_weights(preset)
    if name is None:
        raise ValueError(f"no weights for preset {preset!r}: pass --weights FILE.weights.h5 "
                         f"(no shipped weights for it yet), or --model RUN_DIR|FILE.keras")
    return MCCNet.from_preset(preset, weights=name)  # shipped weights, SHA-256 checked


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
                  clamp: bool = True) -> np.ndarray:
    """Deblur one DP pair (HxWx3 float32 in [0, 1]) and return HxWx3 float32.

    Args:
        model: a Keras model taking {"left", "right"} batches.
        tile, overlap: tiling of `keras_mccnet.tiling`; tile None or 0 = one forward pass over
            the whole image.
        progress: show a tqdm bar over the tiles.
        clamp: clip the output to [0, 1] (inference); off to inspect raw outputs.
    """
    left = np.asarray(left, np.float32)
    right = np.asarray(right, np.float32)
    if left.shape != right.shape or left.ndim != 3 or left.shape[-1] != io_spec.CHANNELS:
        raise ValueError(f"left and right must be HxWx{io_spec.CHANNELS} of the same shape, "
                         f"got {left.shape} and {right.shape}")

    import keras

    eager = keras.backend.backend() == "tensorflow"

    def forward(l, r):
        batch = {"left": l[None], "right": r[None]}
        # TensorFlow: an eager call. predict_on_batch would retrace with relaxed (None) shapes
        # once a second tile size appears, which bilinear UpSampling2D cannot trace. JAX and
        # torch: predict_on_batch compiles once per exact shape.
        out = model(batch, training=False) if eager else model.predict_on_batch(batch)
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
    return np.clip(out, 0.0, 1.0) if clamp else out
