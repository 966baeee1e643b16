"""The defocus head: a signed defocus-disparity map read from MCCNet's cost volumes.

MCCNet correlates the left and right features at every encoder level; the displacement with the
best match is the defocus disparity (zero on the focal plane, > 0 behind it: content sits further
RIGHT in R, DPDD's convention). The head reads it out:

1. per level k, `SoftArgmax` over the cost volume (displacements -D_k..+D_k, in units of 2^k input
   pixels) gives a disparity estimate and its peak probability;
2. beside the learned volumes, a classic one without weights (`HighpassNCC`: windowed NCC of the
   high-passed grey views at full resolution, the block matcher's estimator computed densely),
   which the opposite shading of the two half-aperture views and gain mismatches do not move
   (phone DP sensors show both; the learned features, trained for deblurring, are sensitive);
3. the readouts, the raw cost volumes and the backbone's fused multi-scale evidence are brought to
   the fusion level and refined by a few (dilated) 3x3 convolutions, which also spread the
   disparity from textured regions into flat ones (where no view difference is measurable);
4. the result is upsampled bilinearly to the input size: `defocus`, HxWx1 float32, input px.

The head reads the backbone and never writes into it: with `defocus_head=True` the deblurred
output is bit-identical to the same weights without it. It is trained on the frozen backbone
(benchmarks/train_defocus_head.py) against the synthetic scenes' known disparity,
blur x disparity-to-blur ratio (keras_mccnet.data.psf). All layer names start with "defocus", so
the head's weights travel apart from the backbone's (`head_layers`, `save_head`, `load_head`).
"""

from __future__ import annotations

import keras

from keras_mccnet import io_spec
from keras_mccnet.layers import (BilinearUpsample, CropToReference, HighpassNCC, PadToMultiple,
                                 SoftArgmax)

PREFIX = "defocus"
DILATIONS = (1, 2, 4, 1)  # receptive field ~ 76 input px at the fusion level (1/4 resolution)


NCC_DISPLACEMENT = 4  # +-4 input px at full resolution: real DP disparities are a few px


def apply_defocus_head(costs, evidence, head_level: int, max_displacements, views, multiple: int,
                       pad_mode: str, resize, channels: int = 24, activation="relu"):
    """Builds the head on the backbone's tensors and returns the `defocus` output tensor.

    Args:
        costs: per-level horizontal cost volumes, finest first (cosine, 2 D_k + 1 channels).
        evidence: the fused multi-scale evidence at `head_level`, or None.
        head_level: pyramid level where the head runs (MCCNet's fusion level).
        max_displacements: D_k per level.
        views: the model inputs (left, right); the output is cropped to their size.
        multiple, pad_mode: how the backbone pads its inputs (the head pads the views alike).
        resize: `resize(x, from_level, to_level, name)`, MCCNet's move between pyramid levels.
        channels: width of the refinement convolutions.
    """
    parts = []
    for k, (cost, d) in enumerate(zip(costs, max_displacements)):
        readout = SoftArgmax(d, scale=2.0**k, name=f"{PREFIX}_s{k}_softargmax")(cost)
        parts.append(resize(readout, k, head_level, f"{PREFIX}_s{k}_readout_to_head"))
        parts.append(resize(cost, k, head_level, f"{PREFIX}_s{k}_cost_to_head"))
    padded = [PadToMultiple(multiple, pad_mode, name=f"{PREFIX}_pad_{n}")(v)
              for n, v in zip(io_spec.INPUT_NAMES, views)]
    ncc = HighpassNCC(NCC_DISPLACEMENT, name=f"{PREFIX}_ncc")(padded)
    readout = SoftArgmax(NCC_DISPLACEMENT, name=f"{PREFIX}_ncc_softargmax")(ncc)
    parts.append(resize(readout, 0, head_level, f"{PREFIX}_ncc_readout_to_head"))
    parts.append(resize(ncc, 0, head_level, f"{PREFIX}_ncc_to_head"))
    if evidence is not None:
        parts.append(evidence)
    x = keras.layers.Concatenate(name=f"{PREFIX}_concat")(parts)
    for i, rate in enumerate(DILATIONS):
        x = keras.layers.Conv2D(channels, 3, padding="same", dilation_rate=rate,
                                activation=activation, name=f"{PREFIX}_conv{i}")(x)
    x = keras.layers.Conv2D(1, 3, padding="same", name=f"{PREFIX}_out_conv")(x)
    if head_level:
        x = BilinearUpsample(2**head_level, name=f"{PREFIX}_upsample")(x)
    x = CropToReference(name=f"{PREFIX}_crop")([x, views[0]])
    return keras.layers.Identity(name=io_spec.DEFOCUS_OUTPUT_NAME, dtype="float32")(x)


def head_layers(model) -> list:
    """The defocus head's layers of `model` (those whose name starts with "defocus")."""
    return [layer for layer in model.layers if layer.name.startswith(PREFIX)]


def has_defocus(model) -> bool:
    """Whether `model` has the `defocus` output."""
    return bool(getattr(model, "defocus_head", False))


def load_backbone(model, path) -> None:
    """Loads whole-model weights saved WITHOUT the head (`.weights.h5`) into `model` with it.

    Keras refuses a file that lacks some of the model's layers, so the file is loaded into the
    same configuration without the head and copied over layer by layer (by name).
    """
    backbone = type(model)(**{**model.get_config(), "defocus_head": False})
    backbone.load_weights(path)
    for layer in backbone.layers:
        if layer.weights:
            model.get_layer(layer.name).set_weights(layer.get_weights())


def save_head(model, path, dtype="float16") -> None:
    """Writes the head's weights (only those) to an HDF5 file, one group per layer, atomically.

    float16 storage halves the file; the weights are cast back to the model's dtype on load.
    """
    import h5py
    import numpy as np

    from keras_mccnet.atomic_write import atomic_path

    with atomic_path(path) as tmp, h5py.File(tmp, "w") as f:
        f.attrs["format"] = "keras-mccnet-head/1"
        for layer in head_layers(model):
            if layer.weights:
                group = f.create_group(layer.name)
                for i, value in enumerate(layer.get_weights()):
                    group.create_dataset(str(i), data=np.asarray(value).astype(dtype))


def load_head(model, path) -> None:
    """Loads a file of `save_head` into the head of `model`; errors name the file and layer."""
    import h5py
    import numpy as np

    with h5py.File(path, "r") as f:
        expected = [layer for layer in head_layers(model) if layer.weights]
        missing = [layer.name for layer in expected if layer.name not in f]
        if missing:
            raise ValueError(f"{path}: not a defocus head of this model (missing {missing})")
        for layer in expected:
            group = f[layer.name]
            values = [np.asarray(group[str(i)]) for i in range(len(group))]
            shapes = [tuple(w.shape) for w in layer.weights]
            if [v.shape for v in values] != shapes:
                raise ValueError(f"{path}: layer {layer.name} holds shapes "
                                 f"{[v.shape for v in values]}, the model needs {shapes}")
            layer.set_weights([v.astype(w.dtype) for v, w in zip(values, layer.weights)])


def load_pretrained(model, preset: str, weights: str, path) -> None:
    """`MCCNet.from_preset(preset, weights=..., defocus_head=True)`: the backbone weights at
    `path` and the defocus head shipped for them, both SHA-256 checked."""
    from keras_mccnet.pretrained import head_for, resolve

    entry = head_for(preset, weights, PREFIX)
    if entry is None:
        raise ValueError(f"no defocus head is shipped for the {preset!r} weights {weights!r}; "
                         "train one with benchmarks/train_defocus_head.py")
    load_backbone(model, path)
    load_head(model, resolve(preset, entry.name))


def output_description() -> dict:
    """What the `defocus` output means, for the exported models' metadata JSON."""
    return {"output": io_spec.DEFOCUS_OUTPUT_NAME, "unit": "input pixels",
            "meaning": "signed defocus disparity: > 0 behind the focal plane (content further "
                       "RIGHT in R than in L), < 0 in front, 0 in focus",
            "channels": 1, "clamp": False,
            "tiling": "blend with the same tile weights as the image",
            "png_encoding": "16-bit grey, d = (v - 32768) / 256 px"}
