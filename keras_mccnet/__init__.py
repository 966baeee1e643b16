"""keras-mccnet: MCCNet dual-pixel defocus deblurring in Keras 3.

The public names below are imported on first use (PEP 562), so `import keras_mccnet` and the
`mccnet` command's `--help` do not pay for importing Keras/TensorFlow (seconds). Importing the
model (`keras_mccnet.MCCNet`, `keras_mccnet.deblur`, `keras_mccnet.RunDir`, ...) registers every
serializable class (model, layers, losses, metrics), so `keras.saving.load_model` works on saved
MCCNet models and training runs without custom_objects; when Keras is already imported,
`import keras_mccnet` registers them at once.
"""

import importlib
import importlib.util
import sys

__version__ = "0.1.0"

# public name -> module that defines it
_LAZY = {
    "MCCNet": "keras_mccnet.mccnet",
    "CrossCorrelation": "keras_mccnet.layers",
    "PRESETS": "keras_mccnet.presets",
    "deblur": "keras_mccnet.predict",
    "RunDir": "keras_mccnet.run_dir",
    "load_model": "keras_mccnet.model_spec",
}

__all__ = sorted(_LAZY) + ["__version__"]


def register_serializables() -> None:
    """Import the modules whose classes `keras.saving.load_model` must find (imports Keras)."""
    for module in ("keras_mccnet.losses", "keras_mccnet.metrics", "keras_mccnet.mccnet"):
        importlib.import_module(module)


def __getattr__(name):
    if name in _LAZY:
        register_serializables()
        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    if importlib.util.find_spec(f"{__name__}.{name}") is not None:  # keras_mccnet.losses, ...
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module 'keras_mccnet' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(_LAZY))


if "keras" in sys.modules:  # Keras is loaded anyway: keep `import keras_mccnet` registering
    register_serializables()
