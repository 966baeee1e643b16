"""The diagnosis' results when only some models are re-measured
(benchmarks/correlation_diagnosis.py --keep-others)."""

import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))

import correlation_diagnosis  # noqa: E402


def _row(gain, **extra):
    return {"with_lr": {"synthetic_gain_db": gain}, **extra}


def test_a_re_measured_row_carries_its_own_command_and_old_rows_keep_the_first():
    previous = {"command": "second", "rows_kept_from": {"command": "first", "models": ["a", "b"]},
                "dual_pixel_cue": {"a": _row(1.0), "b": _row(2.0)}}
    kept = correlation_diagnosis.keep_other_rows(previous, {"b": _row(3.0, command="third")})
    assert list(kept["dual_pixel_cue"]) == ["a", "b"]
    assert kept["dual_pixel_cue"]["b"]["command"] == "third"
    assert kept["dual_pixel_cue"]["b"]["with_lr"]["synthetic_gain_db"] == 3.0
    assert kept["rows_kept_from"] == {"command": "first", "models": ["a"]}


def test_without_an_earlier_merge_the_rows_come_from_the_results_command():
    previous = {"command": "first", "dual_pixel_cue": {"a": _row(1.0)}}
    kept = correlation_diagnosis.keep_other_rows(previous, {"c": _row(4.0, command="second")})
    assert list(kept["dual_pixel_cue"]) == ["a", "c"]
    assert kept["rows_kept_from"] == {"command": "first", "models": ["a"]}


def test_rows_that_all_carry_a_command_need_no_kept_from_record():
    previous = {"command": "first", "dual_pixel_cue": {"a": _row(1.0, command="first")}}
    kept = correlation_diagnosis.keep_other_rows(previous, {"c": _row(4.0, command="second")})
    assert "rows_kept_from" not in kept
    assert [row["command"] for row in kept["dual_pixel_cue"].values()] == ["first", "second"]
