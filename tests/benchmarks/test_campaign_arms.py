"""Whole-campaign ablation arms side by side (benchmarks/campaign_arms.py)."""

import json
import pathlib
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))

import campaign_arms  # noqa: E402
from campaign_pair import metrics_of  # noqa: E402

SETUP = {"preset": "mccnet_tiny", "override": [], "seed": 73, "steps": 19200, "batch": 8,
         "checkpoint_every": 100, "workers": 1}


def campaign(path: str, gains: list[float], best_at: int, **setup) -> dict:
    """A cpu_campaign.py result reduced to what the arms read: setup, evaluations, best."""
    evals = [{"step": 1600 * i, "synthetic_gain_db": g + 1.0, "real_gain_db": g - 1.0,
              "selection_db": g, "weak_split_gain_db": g, "phone_aware_selection_db": g}
             for i, g in enumerate(gains)]
    return {"setup": {**SETUP, **setup}, "evals": evals, "best": evals[best_at], "path": path}


def test_each_arm_reports_its_seeds_bests_and_their_spread():
    runs = [campaign("a73", [0.1, 2.0, 1.8], 1), campaign("a83", [0.1, 2.4, 2.6], 2, seed=83)]
    metrics = metrics_of(*runs)
    assert metrics[-1][1] == "phone-aware selection"
    arm = campaign_arms.summarise_arm(runs, metrics)
    assert arm["best"]["phone-aware selection"]["mean"] == pytest.approx(2.3)
    assert arm["best"]["phone-aware selection"]["std"] == pytest.approx(0.424264, rel=1e-5)
    assert arm["best"]["real"]["mean"] == pytest.approx(1.3)
    assert arm["last"]["phone-aware selection"]["mean"] == pytest.approx(2.2)
    table = campaign_arms.markdown({"metrics": metrics, "arms": {"corr": arm}},
                                   "phone-aware selection")
    assert ("| corr | 73, 83 | +2.300 ± 0.424 | +3.300 ± 0.424 | +1.300 ± 0.424 | +2.200 ± "
            "0.566 | +2.000 (1600), +2.600 (3200) |") in table


def test_a_single_seed_has_no_spread():
    runs = [campaign("c73", [0.1, 1.5], 1, preset="concat_tiny")]
    arm = campaign_arms.summarise_arm(runs, metrics_of(*runs))
    assert arm["best"]["synthetic"]["mean"] == pytest.approx(2.5)
    assert arm["best"]["synthetic"]["std"] is None
    assert campaign_arms.cell(arm["best"]["synthetic"]) == "+2.500"


def test_phone_aware_metrics_only_where_every_campaign_scored_them():
    older = campaign("old", [0.1, 1.0], 1)
    for e in older["evals"]:
        del e["weak_split_gain_db"], e["phone_aware_selection_db"]
    names = [name for _, name in metrics_of(older, campaign("new", [0.1], 0))]
    assert names == ["synthetic", "real", "selection"]


def test_arms_trained_differently_are_refused_naming_file_and_setting():
    arms = {"corr": [campaign("a.json", [0.1], 0)],
            "concat": [campaign("b.json", [0.1], 0, preset="concat_tiny", batch=4)]}
    with pytest.raises(SystemExit, match="b.json trained with batch=4, a.json with 8"):
        campaign_arms.check_comparable(arms)


def test_the_network_seed_and_bookkeeping_may_differ():
    campaign_arms.check_comparable({
        "corr": [campaign("a", [0.1], 0), campaign("b", [0.1], 0, seed=83, workers=2)],
        "fix": [campaign("c", [0.1], 0, override=["max_displacements=[4,2,1,1]"])]})


def test_an_arm_mixing_networks_or_repeating_a_seed_is_refused():
    mixed = {"corr": [campaign("a", [0.1], 0), campaign("b", [0.1], 0, preset="concat_tiny",
                                                       seed=83)]}
    with pytest.raises(SystemExit, match="mixes networks"):
        campaign_arms.check_comparable(mixed)
    with pytest.raises(SystemExit, match=r"repeats a seed: \[73, 73\]"):
        campaign_arms.check_comparable({"corr": [campaign("a", [0.1], 0),
                                                 campaign("b", [0.1], 0)]})


def test_a_file_that_is_not_a_campaign_result_is_named(tmp_path):
    bad = tmp_path / "pair.json"
    bad.write_text(json.dumps({"summary": {}}))
    with pytest.raises(SystemExit, match=f"{bad} is not a cpu_campaign.py result"):
        campaign_arms.read_campaign(bad)
    with pytest.raises(SystemExit, match="no such campaign result"):
        campaign_arms.read_campaign(tmp_path / "missing.json")


def test_an_arm_without_campaigns_is_an_argument_error(capsys):
    with pytest.raises(SystemExit):
        campaign_arms.main(["--arm", "corr", "--name", "x"])
    assert "--arm 'corr' names no campaign result" in capsys.readouterr().err


def test_the_plot_draws_one_line_per_campaign_coloured_by_arm_styled_by_seed(monkeypatch):
    drawn = {}
    monkeypatch.setattr(campaign_arms.cpu_training, "plot_gain_panels",
                        lambda series, path, xlabel, styles: drawn.update(series=series,
                                                                         styles=styles))
    arms = {"corr": [campaign("a", [0.1, 2.0], 1), campaign("b", [0.1, 2.2], 1, seed=83)],
            "concat": [campaign("c", [0.1, 1.5], 1, preset="concat_tiny")]}
    campaign_arms.plot(arms, "unused.png")
    styles = drawn["styles"]
    assert list(drawn["series"]) == ["corr, seed 73", "corr, seed 83", "concat, seed 73"]
    assert drawn["series"]["corr, seed 83"]["real_gain_db"] == [(0, pytest.approx(-0.9)),
                                                                 (1600, pytest.approx(1.2))]
    assert styles["corr, seed 73"]["color"] == styles["corr, seed 83"]["color"]
    assert styles["concat, seed 73"]["color"] != styles["corr, seed 73"]["color"]
    assert styles["concat, seed 73"]["linestyle"] == styles["corr, seed 73"]["linestyle"]
    assert styles["corr, seed 83"]["linestyle"] != styles["corr, seed 73"]["linestyle"]


def test_a_parked_campaign_is_refused_naming_its_file_and_step(tmp_path):
    parked = campaign("p", [0.1, 1.0], 1)
    del parked["path"]
    path = tmp_path / "campaign102.json"
    path.write_text(json.dumps({**parked, "steps_done": 12900}))
    with pytest.raises(SystemExit, match=r"campaign102.json is unfinished \(step 12900 of 19200\)"):
        campaign_arms.read_campaign(path)
    path.write_text(json.dumps({**parked, "steps_done": 19200}))
    assert campaign_arms.read_campaign(path)["path"] == str(path)
