"""`mccnet demo`: see training/demo.py."""

from training.demo import add_arguments, run  # noqa: F401
