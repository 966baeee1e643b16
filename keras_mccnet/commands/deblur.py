"""`mccnet deblur`: see training/deblur.py."""

from training.deblur import add_arguments, check_arguments, run  # noqa: F401
