"""One change's controlled pairs pooled over seeds (benchmarks/campaign_seeds.py)."""

import json
import pathlib
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))

import campaign_seeds  # noqa: E402


def pair(diffs: dict, ahead: int = 12) -> dict:
    """A campaign_pair.py result reduced to what pooling reads: metrics and their summaries."""
    return {"labels": ["change", "control"],
            "metrics": [[f"{name}_db", name] for name in diffs],
            "summary": {name: {"mean_diff": d, "a_ahead": ahead, "steps": 12}
                        for name, d in diffs.items()}}


def test_pooling_reports_each_seed_and_their_mean_and_spread():
    pooled = campaign_seeds.pool([pair({"real": 0.01, "synthetic": 0.02}, ahead=10),
                                  pair({"real": 0.03, "synthetic": 0.02}, ahead=12)])
    assert pooled["real"]["per_seed"] == pytest.approx([0.01, 0.03])
    assert pooled["real"]["mean"] == pytest.approx(0.02)
    assert pooled["real"]["std"] == pytest.approx(0.0141421, rel=1e-4)
    assert (pooled["real"]["ahead"], pooled["real"]["steps"]) == (22, 24)
    assert pooled["synthetic"]["std"] == pytest.approx(0.0)
    table = campaign_seeds.markdown(pooled, ["52", "53"], ["change", "control"])
    assert "| real | +0.010 | +0.030 | +0.020 | 0.014 | 22 / 24 |" in table


def with_bests(result: dict, change: dict, control: dict) -> dict:
    """Adds the two campaigns' selected evaluations, as campaign_pair.py records them."""
    return {**result, "campaigns": [{"best": change}, {"best": control}]}


def test_bests_are_pooled_best_against_best_per_seed():
    seed_a = with_bests(pair({"real": -0.2}), {"step": 17600, "real_db": 2.40},
                        {"step": 9600, "real_db": 2.18})
    seed_b = with_bests(pair({"real": -0.3}), {"step": 19200, "real_db": 2.32},
                        {"step": 9600, "real_db": 2.25})
    pooled = campaign_seeds.pool_bests([seed_a, seed_b])
    assert pooled["real"]["per_seed"] == pytest.approx([0.22, 0.07])
    assert pooled["real"]["mean"] == pytest.approx(0.145)
    assert pooled["real"]["steps"] == [[17600, 9600], [19200, 9600]]
    table = campaign_seeds.bests_markdown(pooled, ["73", "83"], ["long", "short"])
    assert "| real | +0.220 (17600 / 9600) | +0.070 (19200 / 9600) | +0.145 | 0.106 |" in table


def test_bests_are_left_out_when_a_pair_lacks_them():
    seed_a = with_bests(pair({"real": -0.2}), {"step": 1, "real_db": 2.4},
                        {"step": 1, "real_db": 2.2})
    assert campaign_seeds.pool_bests([seed_a, pair({"real": -0.3})]) == {}


def test_only_metrics_every_pair_scored_are_pooled():
    pooled = campaign_seeds.pool([pair({"real": 0.01, "weak split": 0.04}), pair({"real": 0.02})])
    assert list(pooled) == ["real"]


def test_a_file_that_is_not_a_pair_result_is_named(tmp_path, capsys):
    good, bad = tmp_path / "good.json", tmp_path / "bad.json"
    good.write_text(json.dumps(pair({"real": 0.01})))
    bad.write_text(json.dumps({"evals": []}))
    with pytest.raises(SystemExit):
        campaign_seeds.main([str(good), str(bad), "--seeds", "1", "2", "--name", "x"])
    assert f"{bad} is not a campaign_pair.py result" in capsys.readouterr().err


def test_one_seed_label_per_pair_is_required(tmp_path, capsys):
    good = tmp_path / "good.json"
    good.write_text(json.dumps(pair({"real": 0.01})))
    with pytest.raises(SystemExit):
        campaign_seeds.main([str(good), "--seeds", "1", "2", "--name", "x"])
    assert "1 pairs but 2 --seeds" in capsys.readouterr().err
