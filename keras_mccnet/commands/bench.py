"""`mccnet bench`: latency of exported models through LiteRT; see export/benchmark.py."""

from __future__ import annotations


def add_arguments(parser):
    from keras_mccnet.export.benchmark import add_arguments as add

    add(parser)


def run(args) -> int:
    from keras_mccnet.export.benchmark import run as run_bench

    return run_bench(args)
