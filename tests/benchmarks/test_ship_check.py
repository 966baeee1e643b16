"""The ship rule (benchmarks/ship_check.py): a candidate must lift the phone-aware selection by
the margin and may lose at most the margin of the selection."""

import pathlib
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))

import ship_check  # noqa: E402

DEFAULT = {"phone_aware_selection_db": 2.219, "selection_db": 2.339}


def scores(phone_aware, selection):
    return {"phone_aware_selection_db": phone_aware, "selection_db": selection}


@pytest.mark.parametrize("phone_aware, selection, passes", [
    (2.280, 2.339, True),   # lifted by more than the margin, selection kept
    (2.280, 2.300, True),   # selection 0.039 below: within the margin
    (2.280, 2.280, False),  # selection 0.059 below: too much given up
    (2.262, 2.400, False),  # the README's nearest miss: 0.007 dB short of the lift
    (2.219, 2.339, False),  # the default itself does not pass against itself
])
def test_the_rule_needs_both_conditions(phone_aware, selection, passes):
    verdict = ship_check.ship_verdict(scores(phone_aware, selection), DEFAULT)
    assert verdict["passes"] is passes
    assert verdict["phone_aware_lift_over_bar_db"] == pytest.approx(phone_aware - 2.269)
    assert verdict["selection_kept_over_bar_db"] == pytest.approx(selection - 2.289)


def test_the_table_says_by_how_much_a_candidate_misses():
    rows = {"default": {"synthetic_gain_db": 2.5, "weak_split_gain_db": 2.0, "real_gain_db": 2.2,
                        **DEFAULT}}
    candidate = {"synthetic_gain_db": 2.4, "weak_split_gain_db": 1.9, "real_gain_db": 2.0,
                 **scores(2.1, 2.2)}
    rows["c"] = {**candidate, "verdict": ship_check.ship_verdict(candidate, DEFAULT)}
    text = ship_check.table(rows, 0.05)
    assert "| default | +2.500 | +2.000 | +2.200 | +2.339 | +2.219 | the default |" in text
    assert "fails (phone-aware -0.169, selection -0.089 from the bars)" in text


def test_a_model_spec_is_loaded_and_scored_on_every_set():
    import cpu_training

    sets = ship_check.scoring_sets(cpu_training.synthetic_test_set(count=1, size=64), [],
                                   cpu_training.weak_split_test_set(count=1, size=64))
    row = ship_check.score("mccnet_tiny:synthetic", sets)
    assert row["synthetic_gain_db"] > 0.5  # the shipped weights deblur this scene
    assert row["weak_split_gain_db"] != row["synthetic_gain_db"]  # another set, scored apart
    # without real scenes both selections are synthetic only
    assert row["selection_db"] == row["synthetic_gain_db"]
    assert row["phone_aware_selection_db"] == pytest.approx(
        0.5 * (row["synthetic_gain_db"] + row["weak_split_gain_db"]))
    assert len(row["weights_sha256"]) == 64
