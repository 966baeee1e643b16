"""benchmarks/cpu_campaign.py: the model a campaign starts from, and what resumes it."""

import json
import pathlib
import sys

import numpy as np
import pytest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2] / "benchmarks"))
import cpu_campaign  # noqa: E402
import cpu_training  # noqa: E402
from model_checks import campaign_snapshot, predict, random_views  # noqa: E402

ZERO_HEAD = {"output_init_scale": 0.0}


def weights_of(model):
    return [np.asarray(w) for w in model.get_weights()]


def test_a_scratch_start_is_the_seeded_model_training_draws_and_outputs_the_mean_view():
    start = cpu_campaign.starting_model("mccnet_tiny", None, 7, ZERO_HEAD, False)
    drawn = cpu_training.seeded_model("mccnet_tiny", 7, ZERO_HEAD)
    other_seed = cpu_campaign.starting_model("mccnet_tiny", None, 8, ZERO_HEAD, False)
    for a, b in zip(weights_of(start), weights_of(drawn)):
        np.testing.assert_array_equal(a, b)
    assert any(not np.array_equal(a, b)
               for a, b in zip(weights_of(start), weights_of(other_seed)))
    views = random_views(np.random.default_rng(0))
    np.testing.assert_allclose(predict(start, views), (views["left"] + views["right"]) / 2,
                               atol=1e-6)


def test_a_start_with_init_carries_the_init_weights_not_the_seeds(tmp_path):
    source = cpu_training.seeded_model("mccnet_tiny", 3)
    path = tmp_path / "init.weights.h5"
    source.save_weights(path)
    start = cpu_campaign.starting_model("mccnet_tiny", str(path), 9, {}, False)
    for a, b in zip(weights_of(start), weights_of(source)):
        np.testing.assert_array_equal(a, b)


def test_a_run_is_not_resumed_by_a_command_with_other_training_settings(tmp_path):
    recorded = {"preset": "mccnet_tiny", "lr": 0.001, "seed": 73, "workers": 1}
    (tmp_path / "evals.json").write_text(json.dumps({"setup": recorded, "evals": []}))
    with pytest.raises(SystemExit, match=r"lr: 0\.001 -> 0\.002"):
        cpu_campaign.refuse_another_setup(tmp_path, {**recorded, "lr": 0.002})
    cpu_campaign.refuse_another_setup(tmp_path, recorded)  # its own command resumes it
    cpu_campaign.refuse_another_setup(tmp_path, {**recorded, "workers": 2, "new_option": 1})
    cpu_campaign.refuse_another_setup(tmp_path / "fresh", {**recorded, "lr": 0.002})


def test_a_probe_stopped_early_may_be_continued_further(tmp_path):
    recorded = {"preset": "concat_tiny", "steps": 19200, "seed": 113, "stop_after": 3200}
    (tmp_path / "evals.json").write_text(json.dumps({"setup": recorded, "evals": []}))
    cpu_campaign.refuse_another_setup(tmp_path, {**recorded, "stop_after": 4800})
    cpu_campaign.refuse_another_setup(tmp_path, {**recorded, "stop_after": None})
    with pytest.raises(SystemExit, match="steps: 19200 -> 9600"):  # not on another schedule
        cpu_campaign.refuse_another_setup(tmp_path, {**recorded, "steps": 9600})


def test_a_snapshot_is_rebuilt_with_its_campaigns_overrides_and_weights(tmp_path):
    setup = {"preset": "mccnet_tiny", "init": "scratch", "contrast": False, "stem_stride": 1,
             "override": ["max_displacements=[4,2,1,1]"]}
    trained = cpu_training.seeded_model(
        "mccnet_tiny", 5, cpu_campaign.model_overrides(setup))
    path = campaign_snapshot(tmp_path, setup, trained)
    rebuilt = cpu_campaign.snapshot_model(path)
    assert rebuilt.max_displacements == (4, 2, 1, 1)
    for a, b in zip(weights_of(rebuilt), weights_of(trained)):
        np.testing.assert_array_equal(a, b)


def test_a_weights_file_outside_a_campaign_is_refused_by_name(tmp_path):
    path = tmp_path / "step1600.weights.h5"
    cpu_training.seeded_model("mccnet_tiny", 5).save_weights(path)
    with pytest.raises(SystemExit, match="step1600.weights.h5: not a campaign snapshot"):
        cpu_campaign.snapshot_model(path)


def test_a_spec_that_is_no_snapshot_goes_to_the_model_resolver(tmp_path):
    path = tmp_path / "plain.weights.h5"
    source = cpu_training.seeded_model("mccnet_tiny", 6)
    source.save_weights(path)
    loaded = cpu_campaign.snapshot_or_spec_model(f"mccnet_tiny:{path}")
    for a, b in zip(weights_of(loaded), weights_of(source)):
        np.testing.assert_array_equal(a, b)


def test_an_init_seed_without_a_scratch_start_is_refused_before_anything_is_written(tmp_path):
    out = tmp_path / "campaign"
    with pytest.raises(SystemExit, match="--init-seed .* needs --init scratch"):
        cpu_campaign.main(["--out", str(out), "--init-seed", "5"])
    assert not out.exists()
