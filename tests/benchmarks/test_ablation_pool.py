"""The seeded ablation pooled over sessions (benchmarks/ablation_pool.py)."""

import json
import pathlib
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))

import ablation_pool  # noqa: E402

SETUP = {"steps": 1600, "batch": 8, "patch": 96, "bank": 2400, "lr": 0.002, "warmup": 30}


def row(seed, synthetic, real):
    return {"seed": seed, "synthetic_gain_db": synthetic, "real_gain_db": real}


def result(runs, **setup):
    return {"setup": {**SETUP, **setup, "seeds": [0]}, "runs": runs}


def test_seeds_from_several_sessions_are_pooled_and_paired():
    first = result({"corr": [row(0, 1.0, 0.8), row(1, 0.07, 0.09)],
                    "siamese": [row(0, 0.9, 0.7), row(1, 0.5, 0.4)]})
    second = result({"corr": [row(6, 1.2, 0.9)], "siamese": [row(6, 0.8, 0.5)]})
    setup, runs = ablation_pool.pool({"a.json": first, "b.json": second})
    assert setup == SETUP
    assert [r["seed"] for r in runs["corr"]] == [0, 1, 6]
    paired = ablation_pool.cpu_ablation.paired_differences(runs, "corr")
    assert paired["siamese"]["real_gain_db"]["mean"] == pytest.approx((0.1 - 0.31 + 0.4) / 3)
    assert paired["siamese"]["real_gain_db"]["ahead"] == 2
    summary = {m: ablation_pool.cpu_ablation.summarise(rows) for m, rows in runs.items()}
    table = ablation_pool.summary_table(runs, summary, setup)
    assert "| corr | 3 | 0, 1, 6 |" in "\n".join(table)
    assert "| 2 of 3 |" in table[-2]  # seed 1 of corr stayed on the plateau


def test_a_different_setup_or_a_repeated_seed_is_refused_by_file():
    base = result({"corr": [row(0, 1.0, 0.8)]})
    with pytest.raises(SystemExit, match="b.json: setup"):
        ablation_pool.pool({"a.json": base, "b.json": result({"corr": [row(1, 1, 1)]}, steps=800)})
    with pytest.raises(SystemExit, match="corr seed 0 is in both a.json and b.json"):
        ablation_pool.pool({"a.json": base, "b.json": base})


def test_a_file_that_is_not_an_ablation_result_is_named(tmp_path):
    path = tmp_path / "pair.json"
    path.write_text(json.dumps({"labels": ["a", "b"]}))
    with pytest.raises(SystemExit, match="pair.json: not a cpu_ablation.py result"):
        ablation_pool.read_result(str(path))


def test_the_seed_plot_is_drawn(tmp_path):
    runs = {"corr": [row(0, 1.0, 0.8), row(1, 0.07, 0.09)], "siamese": [row(0, 0.9, 0.7)]}
    path = tmp_path / "seeds.png"
    ablation_pool.plot_seeds(runs, path)
    assert path.stat().st_size > 5000
