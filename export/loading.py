"""Resolve `--model M` into a Keras model: a preset name, a `.keras` file or a training run folder."""

from __future__ import annotations

import os
import zipfile

from keras_mccnet.presets import PRESETS

RUN_DIR_FILES = ("best.keras", "model.keras")  # looked up in this order inside a run folder


class ModelSourceError(ValueError):
    """`--model` names no preset, or a missing / corrupt model file."""


def resolve_model_file(spec: str) -> str:
    """The `.keras` file that `spec` (a file or a run folder) stands for; errors name the path."""
    if os.path.isdir(spec):
        for name in RUN_DIR_FILES:
            candidate = os.path.join(spec, name)
            if os.path.isfile(candidate):
                return candidate
        raise ModelSourceError(f"{spec}: run folder has none of {list(RUN_DIR_FILES)}")
    if not os.path.exists(spec):
        raise ModelSourceError(f"{spec}: no such model file or folder, and not a preset name "
                               f"(presets: {', '.join(sorted(PRESETS))})")
    if not spec.endswith(".keras"):
        raise ModelSourceError(f"{spec}: expected a .keras model file or a training run folder")
    return spec


def load_model(spec: str):
    """Returns (model, source) for `spec`.

    `source` describes where the weights came from (it goes into every metadata JSON):
    {"kind": "preset", "preset": name, "random_init": True} for a preset (untrained!), or
    {"kind": "file", "path": ..., "random_init": False} for a saved model.
    """
    from keras_mccnet import MCCNet

    spec = os.fspath(spec)
    if spec in PRESETS and not os.path.exists(spec):
        model = MCCNet.from_preset(spec)
        return model, {"kind": "preset", "preset": spec, "random_init": True}
    path = resolve_model_file(spec)
    if not zipfile.is_zipfile(path):
        raise ModelSourceError(f"{path}: corrupt model file (a .keras file is a zip archive)")
    import keras

    try:
        # compile=False: export needs the graph and weights only, not the training loss or
        # optimizer (whose custom classes would otherwise have to be importable).
        model = keras.saving.load_model(path, compile=False)
    except Exception as e:  # Keras raises many types for damaged archives
        raise ModelSourceError(f"{path}: could not load the model ({type(e).__name__}: {e})") from e
    if not isinstance(model, MCCNet):
        raise ModelSourceError(f"{path}: holds a {type(model).__name__}, not an MCCNet model")
    return model, {"kind": "file", "path": os.path.abspath(path), "random_init": False}


def fixed_tile_model(model, tile: int | None):
    """A copy of `model` with static input shape tile x tile (weights shared by value), so the
    exported graph has fully static shapes for the GPU delegate and NNAPI; `tile=None` gives
    the any-size copy (height and width unknown, channels static) of an any-size export."""
    from keras_mccnet import MCCNet

    size = None if tile is None else (int(tile), int(tile))
    config = {**model.get_config(), "image_size": size}
    fixed = MCCNet(**config)
    fixed.set_weights(model.get_weights())
    return fixed
