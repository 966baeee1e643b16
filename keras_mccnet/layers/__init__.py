"""Public layers of keras-mccnet."""

from keras_mccnet.layers.bilinear_upsample import BilinearUpsample
from keras_mccnet.layers.channel_centering import ChannelCentering
from keras_mccnet.layers.cross_correlation import CrossCorrelation
from keras_mccnet.layers.highpass_ncc import HighpassNCC
from keras_mccnet.layers.padding import CropToReference, PadToMultiple
from keras_mccnet.layers.residual_block import ResidualBlock
from keras_mccnet.layers.soft_argmax import SoftArgmax

__all__ = ["BilinearUpsample", "ChannelCentering", "CrossCorrelation", "CropToReference",
           "HighpassNCC", "PadToMultiple", "ResidualBlock", "SoftArgmax"]
