"""`mccnet demo`: see training/demo.py."""

from keras_mccnet.training.demo import add_arguments, run  # noqa: F401
