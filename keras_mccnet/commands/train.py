"""`mccnet train`: see training/train.py."""

from keras_mccnet.training.train import add_arguments, check_arguments, run  # noqa: F401
