"""Trained checkpoints opened up (benchmarks/decoder_health.py)."""

import pathlib
import sys

import numpy as np
import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "tests"))

import decoder_health  # noqa: E402
from model_checks import MICRO, campaign_snapshot, random_bank  # noqa: E402


@pytest.mark.slow
def test_a_killed_full_resolution_merge_reads_dead_and_the_model_as_its_input(tmp_path):
    import keras

    from keras_mccnet import MCCNet

    keras.utils.set_random_seed(0)
    model = MCCNet(output_init_scale=0.5, **MICRO)
    healthy = tmp_path / "healthy.keras"
    model.save(healthy)
    merge = model.get_layer("dec_s0_merge")
    kernel, bias = merge.get_weights()
    merge.set_weights([np.zeros_like(kernel), np.full_like(bias, -1.0)])  # never positive
    dead = tmp_path / "dead.keras"
    model.save(dead)

    views, target = decoder_health.probe_of(random_bank(np.random.default_rng(1), 40))
    assert views["left"].shape[0] == decoder_health.PROBE_PATCHES
    results = {"healthy": decoder_health.health(str(healthy), views, target),
               "dead": decoder_health.health(str(dead), views, target)}
    channels = MICRO["widths"][0]
    assert results["dead"]["layers"]["dec_s0_merge"][:2] == [channels, channels]
    assert results["healthy"]["layers"]["dec_s0_merge"][0] < channels
    assert abs(results["dead"]["gain_db"]) < 1e-4  # the head sees zeros: output = C + bias
    assert abs(results["healthy"]["gain_db"]) > 1e-3
    assert list(results["dead"]["layers"])[-1] == "dec_s0_merge"  # the model's order
    table = decoder_health.table(results)
    assert "| dead | " in table and f"{channels}/{channels}, 0 |" in table


def test_a_missing_checkpoint_is_named(tmp_path):
    missing = tmp_path / "nowhere.keras"
    with pytest.raises(SystemExit, match="nowhere.keras"):
        decoder_health.health(str(missing), {}, None)


def test_a_campaign_snapshot_is_read_as_its_campaign_built_it(tmp_path):
    import cpu_campaign
    import cpu_training

    setup = {"preset": "mccnet_tiny", "init": "scratch", "contrast": False, "stem_stride": 1,
             "override": ["max_displacements=[4,2,1,1]"]}
    trained = cpu_training.seeded_model("mccnet_tiny", 5, cpu_campaign.model_overrides(setup))
    snapshot = campaign_snapshot(tmp_path, setup, trained)
    whole = tmp_path / "whole.keras"
    trained.save(whole)

    views, target = decoder_health.probe_of(random_bank(np.random.default_rng(2), 40))
    from_snapshot = decoder_health.health(str(snapshot), views, target)
    assert from_snapshot == decoder_health.health(str(whole), views, target)
