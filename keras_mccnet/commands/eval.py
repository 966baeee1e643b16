"""`mccnet eval`: see training/evaluate.py."""

from training.evaluate import add_arguments, check_arguments, run  # noqa: F401
