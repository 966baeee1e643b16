"""keras-mccnet: MCCNet dual-pixel defocus deblurring in Keras 3.

The model classes import Keras (and so its backend) on first use, so stages that need no model,
such as `mccnet synth`, start without loading TensorFlow.
"""

import importlib

__version__ = "0.1.0"

_EXPORTS = {
    "CrossCorrelation": "keras_mccnet.layers",
    "MCCNet": "keras_mccnet.mccnet",
    "PRESETS": "keras_mccnet.presets",
}

__all__ = ["CrossCorrelation", "MCCNet", "PRESETS", "__version__"]


def __getattr__(name):
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'keras_mccnet' has no attribute {name!r}")
