"""`mccnet eval`: see training/evaluate.py."""

from training.evaluate import add_arguments, run  # noqa: F401
