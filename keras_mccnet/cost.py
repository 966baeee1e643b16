"""Model cost at a given input size: parameters, multiply-accumulates and activation memory.

Counted analytically from the layer graph of a model built with a static `image_size`, so it
needs no profiler and gives the same numbers under every backend. MACs count the convolutions,
the cost volume (one multiply-accumulate per channel and displacement) and dense layers; the
element-wise ops (adds, activations, resizes) are left out, as is usual in the papers' GMAC
figures.
"""

from __future__ import annotations

import math

import keras

from keras_mccnet.layers import CrossCorrelation, ResidualBlock
from keras_mccnet.mccnet import MCCNet

FLOAT32_BYTES = 4


def _numel(shape) -> int:
    return math.prod(int(d) for d in shape[1:])  # per image (batch 1)


def _layer_macs(layer, node) -> int:
    out = node.outputs[0].shape
    inp = node.input_tensors[0].shape if node.input_tensors else None
    if isinstance(layer, ResidualBlock):
        return 2 * _numel(out) * layer.filters * layer.kernel_size**2
    if isinstance(layer, CrossCorrelation):
        return _numel(inp) * len(layer.displacements)
    if isinstance(layer, keras.layers.Conv2DTranspose):
        kh, kw = layer.kernel_size
        return _numel(inp) * kh * kw * layer.filters
    if isinstance(layer, keras.layers.Conv2D):
        kh, kw = layer.kernel_size
        return _numel(out) * kh * kw * inp[-1] // layer.groups
    if isinstance(layer, keras.layers.Dense):
        return _numel(out) * inp[-1]
    return 0


def _walk(model, calls: int, totals: dict):
    for layer in model.layers:
        nodes = [n for n in layer._inbound_nodes if not n.is_input]
        if isinstance(layer, keras.Model):
            _walk(layer, calls * len(nodes), totals)
            continue
        for node in nodes:
            totals["macs"] += calls * _layer_macs(layer, node)
            for t in node.outputs:
                size = _numel(t.shape) * FLOAT32_BYTES
                totals["activation_bytes"] += calls * size
                totals["largest_activation_bytes"] = max(totals["largest_activation_bytes"], size)


def model_cost(config: dict, height: int, width: int) -> dict:
    """Cost of one forward pass of batch 1 at `height` x `width` for an MCCNet config.

    Returns params, macs, gmacs, activation_bytes (sum of all layer outputs: what training
    keeps for the backward pass) and largest_activation_bytes (the biggest single tensor).
    """
    model = MCCNet(**{**config, "image_size": (height, width)})
    totals = {"macs": 0, "activation_bytes": 0, "largest_activation_bytes": 0}
    _walk(model, 1, totals)
    return {
        "params": int(model.count_params()),
        "macs": int(totals["macs"]),
        "gmacs": totals["macs"] / 1e9,
        "activation_bytes": int(totals["activation_bytes"]),
        "largest_activation_bytes": int(totals["largest_activation_bytes"]),
    }
