"""`mccnet eval`: see training/evaluate.py."""

from keras_mccnet.training.evaluate import add_arguments, run  # noqa: F401
