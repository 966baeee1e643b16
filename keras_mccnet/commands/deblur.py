"""`mccnet deblur`: see training/deblur.py."""

from training.deblur import add_arguments, run  # noqa: F401
