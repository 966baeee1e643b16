"""keras-mccnet: MCCNet dual-pixel defocus deblurring in Keras 3."""

__version__ = "0.1.0"

# Importing the package registers every serializable class (model, layers, losses, metrics),
# so `keras.saving.load_model` works on saved MCCNet models and training runs without
# custom_objects.
from keras_mccnet import losses, metrics  # noqa: E402,F401
from keras_mccnet.layers import CrossCorrelation  # noqa: E402
from keras_mccnet.mccnet import MCCNet  # noqa: E402
from keras_mccnet.presets import PRESETS  # noqa: E402

__all__ = ["CrossCorrelation", "MCCNet", "PRESETS", "__version__"]
