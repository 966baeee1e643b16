"""Models for export: `--model SPEC` is resolved by `keras_mccnet.model_spec` (the one resolver
of every command: `.keras` file, run folder, `PRESET[:WEIGHTS]`); here only the fixed-tile copy."""

from __future__ import annotations

from keras_mccnet.model_spec import ModelSourceError, load_model  # noqa: F401  (export's API)


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
