"""keras-mccnet: MCCNet dual-pixel defocus deblurring in Keras 3."""

__version__ = "0.1.0"

from keras_mccnet.layers import CrossCorrelation  # noqa: E402
from keras_mccnet.mccnet import MCCNet  # noqa: E402
from keras_mccnet.presets import PRESETS  # noqa: E402

__all__ = ["CrossCorrelation", "MCCNet", "PRESETS", "__version__"]
