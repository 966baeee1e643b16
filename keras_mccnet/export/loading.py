"""Models for export: `--model SPEC` is resolved by `keras_mccnet.model_spec` (the one resolver
of every command: `.keras` file, run folder, `PRESET[:WEIGHTS]`); here only the fixed-tile copy."""

from __future__ import annotations

from keras_mccnet.model_spec import ModelSourceError, load_model  # noqa: F401  (export's API)


def fixed_tile_model(model, tile: int):
    """A copy of `model` with static input shape tile x tile (weights shared by value), so the
    exported graph has fully static shapes for the GPU delegate and NNAPI."""
    from keras_mccnet import MCCNet

    config = {**model.get_config(), "image_size": (int(tile), int(tile))}
    fixed = MCCNet(**config)
    fixed.set_weights(model.get_weights())
    return fixed
