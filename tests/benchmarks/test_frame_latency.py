"""The whole-frame latency benchmark (benchmarks/frame_latency.py) exports int8 with the float
groups it is told, so that two export defaults can be timed side by side on the same host."""

import pathlib
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))

import frame_latency  # noqa: E402


def test_int8_float_groups_default_to_the_export_default_and_none_is_full_int8():
    from keras_mccnet.export.int8_float import DEFAULT_GROUPS

    assert frame_latency.parse_args([]).int8_float == DEFAULT_GROUPS
    chosen = frame_latency.parse_args(["--int8-float", "normalization,output,output_operands"])
    assert chosen.int8_float == ("normalization", "output", "output_operands")
    assert frame_latency.parse_args(["--int8-float", "none"]).int8_float == ()
    with pytest.raises(SystemExit, match="--int8-float must list groups"):
        frame_latency.parse_args(["--int8-float", "decoder"])
