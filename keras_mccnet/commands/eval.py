"""`mccnet eval`: see training/evaluate.py."""

from keras_mccnet.training.evaluate import add_arguments, check_arguments, run  # noqa: F401
