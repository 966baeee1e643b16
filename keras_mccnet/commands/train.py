"""`mccnet train`: see training/train.py."""

from keras_mccnet.training.train import add_arguments, run  # noqa: F401
