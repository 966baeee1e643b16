"""`mccnet train`: see training/train.py."""

from training.train import add_arguments, run  # noqa: F401
