"""Growing a trained model: more blocks or a new branch, starting from the same output.

Keras restores `.weights.h5` files by layer order, not by name, so a model with one more
residual block cannot load a smaller model's weights directly (every later layer would be
shifted). `grow` copies them by name instead and makes every new layer a no-op: a new
`ResidualBlock` gets a zero second convolution (`x + 0 = x`), and the other new layers must
already start at zero (e.g. MCCNet's `global_context` branch). The grown model therefore
computes exactly what the source did, and training goes on from there with more capacity.

Example:
    >>> small = MCCNet.from_preset("mccnet_tiny", weights="synthetic")
    >>> big = MCCNet.from_preset("mccnet_tiny", decoder_blocks=(1, 1, 2, 2))
    >>> new_layers = grow(big, small)
"""

from __future__ import annotations

import keras
import numpy as np

from keras_mccnet import io_spec
from keras_mccnet.layers import ResidualBlock


def grow(model: keras.Model, source: keras.Model) -> list[str]:
    """Copies `source`'s weights into the same-named layers of `model` (nested models
    included) and silences the layers `source` lacks. Returns the new layers' paths.

    Raises ValueError when a shared layer changed shape, or when the grown model's output
    differs from the source's (a new layer that neither is a `ResidualBlock` nor starts at
    zero, or feeds only one that does).
    """
    source_layers = dict(_named_layers(source))
    new = []
    for path, layer in _named_layers(model):
        if path in source_layers:
            _copy_weights(layer, source_layers[path], path)
        elif layer.weights:
            _silence(layer)
            new.append(path)
    _check_same_output(model, source)
    return new


def train_only(model: keras.Model, paths) -> None:
    """Freezes every weighted layer of `model` but those at `paths` (as `grow` returns them).

    Training only the new layers at a high learning rate asks what they add to the trained
    model without moving it; at the default's low rate, zero-started layers barely move.
    """
    paths = set(paths)
    unknown = paths - {path for path, _ in _named_layers(model)}
    if unknown:
        raise ValueError(f"no such layers in {model.name}: {sorted(unknown)}")
    for path, layer in _named_layers(model):
        layer.trainable = path in paths


def _named_layers(model, prefix=""):
    """(path, layer) of every layer, descending into nested functional models (the Siamese
    encoder) but not into layers' own sublayers (a block is copied and frozen whole)."""
    for layer in model.layers:
        path = f"{prefix}{layer.name}"
        if isinstance(layer, keras.Model):
            yield from _named_layers(layer, f"{path}/")
        else:
            yield path, layer


def _copy_weights(layer, source_layer, path):
    values = source_layer.get_weights()
    shapes = [tuple(w.shape) for w in layer.weights]
    if [v.shape for v in values] != shapes:
        raise ValueError(f"layer {path!r} changed shape: source {[v.shape for v in values]}, "
                         f"grown model {shapes}; grow() adds layers, it does not widen them")
    layer.set_weights(values)


def _silence(layer):
    if isinstance(layer, ResidualBlock):
        # The block's output is x + conv2(...): a zero conv2 passes x through unchanged, and
        # its gradient is not zero, so the block starts learning at the first step.
        layer.conv2.set_weights([np.zeros(tuple(w.shape), "float32")
                                 for w in layer.conv2.weights])


def _check_same_output(model, source, size=64, tolerance=1e-5):
    """Growing must not change what the model computes: compare both on a random probe."""
    rng = np.random.default_rng(0)
    shape = (1, size, size, io_spec.CHANNELS)
    probe = {name: rng.random(shape, dtype="float32") for name in io_spec.INPUT_NAMES}
    grown, original = (keras.ops.convert_to_numpy(_first(m(probe))) for m in (model, source))
    difference = float(np.max(np.abs(grown - original)))
    if difference > tolerance:
        raise ValueError(f"the grown model's output differs from the source's by {difference:.3g}"
                         " (max abs): a new layer that is not a ResidualBlock must start at "
                         "zero or feed only such a layer")


def _first(outputs):
    return outputs[io_spec.OUTPUT_NAME] if isinstance(outputs, dict) else outputs
