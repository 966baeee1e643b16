"""What `--model SPEC` names, and loading it: the one resolver of every command and of
`keras_mccnet.deblur`.

SPEC is one of, checked in this order:

* a path that exists: a `.keras` file, or a `mccnet train` run folder (read by `RunDir`:
  its `model.keras`, else its latest checkpoint);
* `PRESET:WEIGHTS`: a preset (`keras_mccnet.presets`) with its shipped weights named WEIGHTS
  (`keras_mccnet.pretrained`, e.g. `mccnet_tiny:synthetic`) or a `.weights.h5` file;
* `PRESET`: the preset with its default shipped weights when it has some; otherwise randomly
  initialised, and `MCCNet.from_preset` warns that the model is untrained.

With `defocus` (the signed defocus map, `keras_mccnet.defocus`), shipped weights come with
their shipped defocus head, and a saved model must have the head.
"""

from __future__ import annotations

import hashlib
import os
import zipfile

DEFAULT_MODEL = "mccnet_tiny:synthetic"
"""The model of `keras_mccnet.deblur` and `mccnet deblur` when none is given: the shipped one."""


class ModelSourceError(ValueError):
    """SPEC names no file, run folder or preset, or a corrupt model file."""


def weights_digest(model) -> str:
    """SHA-256 of the model's weight values: tells two models' weights apart whatever their
    origin (written into export metadata and checked by `export.verify`)."""
    import numpy as np

    digest = hashlib.sha256()
    for w in model.get_weights():
        digest.update(np.ascontiguousarray(w, dtype=np.float32).tobytes())
    return digest.hexdigest()


def load_keras_file(path):
    """Load an MCCNet `.keras` file; errors name the path."""
    import keras_mccnet

    if not path.endswith(".keras"):
        raise ModelSourceError(f"{path}: expected a .keras model file or a training run folder")
    if not zipfile.is_zipfile(path):
        raise ModelSourceError(f"{path}: corrupt model file (a .keras file is a zip archive)")
    keras_mccnet.register_serializables()
    import keras

    from keras_mccnet.mccnet import MCCNet

    try:
        # compile=False: inference and export need the graph and weights only.
        model = keras.saving.load_model(path, compile=False)
    except Exception as e:  # Keras raises many types for damaged archives
        raise ModelSourceError(f"{path}: could not load the model ({type(e).__name__}: {e})") from e
    if not isinstance(model, MCCNet):
        raise ModelSourceError(f"{path}: holds a {type(model).__name__}, not an MCCNet model")
    return model


def split_preset(spec: str):
    """(preset, weights or None) when `spec` names a preset, else None."""
    from keras_mccnet.presets import PRESETS

    preset, _, weights = spec.partition(":")
    if preset not in PRESETS:
        return None
    return preset, (weights or None)


def load_model(spec, defocus: bool = False, **overrides):
    """Returns (model, source) for SPEC (see the module docstring); with `defocus`, a model
    with the `defocus` output (or ModelSourceError saying why there is none).

    `source` records where the weights came from (export metadata keeps it): `kind` ("file",
    "run", "preset"), `path` / `preset` / `weights`, `random_init` and `weights_sha256`;
    `description` says it in words. `overrides` go to the preset constructor (e.g. image_size).

    Raises:
        ModelSourceError naming what is missing or damaged.
    """
    spec = os.fspath(spec)
    if os.path.exists(spec):
        if os.path.isdir(spec):
            from keras_mccnet.run_dir import RunDir

            run = RunDir(spec)
            try:
                model = run.load()
            except FileNotFoundError as e:
                raise ModelSourceError(str(e)) from None
            source = {"kind": "run", "path": os.path.abspath(spec), "finished": run.finished()}
            what = f"training run {spec}" + ("" if run.finished() else " (unfinished)")
        else:
            model = load_keras_file(spec)
            source = {"kind": "file", "path": os.path.abspath(spec)}
            what = f"model file {spec}"
        source.update(random_init=False)
    else:
        parsed = split_preset(spec)
        if parsed is None:
            from keras_mccnet.presets import PRESETS
            from keras_mccnet.pretrained import available

            shipped = [f"{w.preset}:{w.name}" for w in available()]
            raise ModelSourceError(
                f"{spec}: no such model file or folder, and not a preset name (presets: "
                f"{', '.join(sorted(PRESETS))}; with shipped weights: {', '.join(shipped) or 'none'})")
        if defocus:
            overrides["defocus_head"] = True
        model, source, what = _load_preset(*parsed, **overrides)
    if defocus and not getattr(model, "defocus_head", False):
        raise ModelSourceError(f"{spec}: a defocus map was asked for, but this model has no "
                               "defocus output (build it with defocus_head=True, or use shipped "
                               "weights that have one, e.g. mccnet_tiny:synthetic)")
    source["defocus_head"] = bool(getattr(model, "defocus_head", False))
    source["weights_sha256"] = weights_digest(model)
    source["description"] = what
    return model, source


def _load_preset(preset, weights, **overrides):
    import keras_mccnet
    from keras_mccnet.mccnet import MCCNet
    from keras_mccnet.pretrained import default_weights

    keras_mccnet.register_serializables()
    if weights is None:
        weights = default_weights(preset)
    if weights is None and overrides.get("defocus_head"):
        raise ModelSourceError(f"{preset}: no shipped weights, so no shipped defocus head")
    if weights is None:  # no shipped weights: from_preset warns that it is untrained
        model = MCCNet.from_preset(preset, **overrides)
        return (model, {"kind": "preset", "preset": preset, "weights": None, "random_init": True},
                f"preset {preset} with RANDOM weights (untrained: no shipped weights for it)")
    if weights.endswith(".h5") or os.path.sep in weights:
        if overrides.get("defocus_head"):
            raise ModelSourceError(f"{weights}: a defocus head is shipped only with shipped "
                                   f"weights (e.g. {preset}:{default_weights(preset)})")
        if not os.path.isfile(weights):
            raise ModelSourceError(f"{weights}: weights file not found")
        from keras_mccnet.presets import preset_config

        model = MCCNet(**{**preset_config(preset), **overrides})
        try:
            model.load_weights(weights)
        except Exception as e:
            raise ModelSourceError(f"{weights}: not weights of preset {preset} "
                                   f"({type(e).__name__}: {e})") from e
        return (model, {"kind": "preset", "preset": preset, "weights": os.path.abspath(weights),
                        "random_init": False}, f"preset {preset} with weights {weights}")
    try:
        model = MCCNet.from_preset(preset, weights=weights, **overrides)  # SHA-256 checked
    except (ValueError, FileNotFoundError) as e:
        raise ModelSourceError(str(e)) from None
    return (model, {"kind": "preset", "preset": preset, "weights": weights, "random_init": False},
            f"shipped weights {preset}:{weights}")
