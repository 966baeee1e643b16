"""`mccnet train`: see training/train.py."""

from training.train import add_arguments, check_arguments, run  # noqa: F401
