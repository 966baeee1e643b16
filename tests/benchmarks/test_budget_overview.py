"""The budget curve across budgets (benchmarks/budget_overview.py): one line per config and
learning rate."""

import json
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))

import budget_overview  # noqa: E402


def plan(budget, steps, last_step, synthetic):
    evals = [{"step": last_step, "synthetic_gain_db": synthetic, "real_gain_db": synthetic / 2}]
    return {"budget_cpu_min": budget, "steps": steps, "evals": evals}


def test_a_curve_at_another_learning_rate_is_its_own_row(tmp_path, monkeypatch):
    monkeypatch.setattr(budget_overview.cpu_training, "RESULTS", tmp_path)
    # written before the rate was recorded: the script's default rate
    (tmp_path / "old.json").write_text(json.dumps(
        {"configs": {"tiny": plan(40, 900, 900, 1.2), "base": plan(40, 300, 200, 0.5)}}))
    (tmp_path / "new.json").write_text(json.dumps(
        {"lr": 1e-3, "configs": {"tiny": plan(45, 1000, 1000, 1.4)}}))
    points = budget_overview.end_points(["old", "new"])
    assert set(points) == {"tiny", "tiny, lr 0.001"}  # base is unfinished: left out
    assert points["tiny"][0]["synthetic_gain_db"] == 1.2
    assert points["tiny, lr 0.001"][0]["budget_cpu_min"] == 45
    table = budget_overview.table(points)
    assert "| tiny, lr 0.001 | - | +1.40 / +0.70 (1000 steps) |" in table
