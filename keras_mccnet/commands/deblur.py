"""`mccnet deblur`: see training/deblur.py."""

from keras_mccnet.training.deblur import add_arguments, check_arguments, run  # noqa: F401
