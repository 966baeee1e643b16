"""The rescored campaigns paired against a control (benchmarks/campaign_rescore.py)."""

import pathlib
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))

import campaign_rescore  # noqa: E402

KEYS = [key for key, _ in campaign_rescore.PAIRED_METRICS]


def rows(offsets: dict) -> list:
    """Three evaluations (steps 0, 200, 400); each metric = step / 1000 + its offset after 0."""
    return [{"step": step, "selection_db": 0.0,
             **{key: step / 1000 + (offsets.get(key, 0.0) if step else 0.0) for key in KEYS}}
            for step in (0, 200, 400)]


def test_pairing_reports_each_campaigns_step_differences_from_the_control():
    campaigns = {"control": {"rows": rows({})},
                 "change": {"rows": rows({"r6_gain_db": 0.05, "real_gain_db": -0.02})}}
    paired = campaign_rescore.paired_against(campaigns, "control")
    assert list(paired) == ["change"]
    r6 = paired["change"]["Canon R6 planes"]
    assert r6["mean_diff"] == pytest.approx(0.05) and r6["a_ahead"] == 2 and r6["steps"] == 2
    assert paired["change"]["4 DPDD scenes"]["mean_diff"] == pytest.approx(-0.02)
    assert paired["change"]["4 DPDD scenes"]["a_ahead"] == 0
    table = campaign_rescore.paired_table(paired, "control")
    assert "| change |" in table and "+0.050 (0.000; 2/2)" in table


def test_an_unknown_control_is_named():
    with pytest.raises(SystemExit, match="'nope' is not one of the labels: control"):
        campaign_rescore.paired_against({"control": {"rows": rows({})}}, "nope")
