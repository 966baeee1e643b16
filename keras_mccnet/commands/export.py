"""`mccnet export`: TFLite (fp32, fp16, dynamic, int8) and ONNX with metadata; see export/cli.py."""

from __future__ import annotations


def add_arguments(parser):
    from keras_mccnet.export.cli import add_arguments as add

    add(parser)


def run(args) -> int:
    from keras_mccnet.export.cli import run as run_export

    return run_export(args)


def check_arguments(args):
    from keras_mccnet.export.cli import check_arguments as check

    check(args)
