import dataclasses

import pytest

from keras_mccnet.training.config import (CONFIG_NAMES, TrainConfig, apply_overrides, load_config,
                             named_config, save_config)


def test_overrides_parse_field_types():
    config = apply_overrides(TrainConfig(), ["epochs=7", "learning_rate=3e-4", "preset=mccnet_base",
                                             "mixed_precision=bfloat16"])
    assert config.epochs == 7 and isinstance(config.epochs, int)
    assert config.learning_rate == pytest.approx(3e-4) and isinstance(config.learning_rate, float)
    assert config.preset == "mccnet_base"
    assert config.mixed_precision == "bfloat16"


@pytest.mark.parametrize("bad, message", [
    (["epoch=3"], "unknown config key 'epoch'"),
    (["epochs=three"], "expected int"),
    (["epochs"], "key=value"),
    (["mixed_precision=fp8"], "mixed_precision"),
    (["batch_size=0"], "batch_size must be >= 1"),
])
def test_bad_overrides_are_named(bad, message):
    with pytest.raises(ValueError, match=message):
        apply_overrides(TrainConfig(), bad)


def test_named_configs_load_and_differ():
    configs = {name: named_config(name) for name in CONFIG_NAMES}
    assert configs["synthetic_smoke"].preset == "mccnet_tiny"
    assert configs["synthetic_base"].preset == "mccnet_base"
    assert configs["dpdd"].data != "synthetic"
    assert configs["synthetic_base"].total_steps > 100 * configs["synthetic_smoke"].total_steps
    with pytest.raises(ValueError, match="unknown config"):
        named_config("nope")


def test_config_json_round_trip(tmp_path):
    config = apply_overrides(named_config("synthetic_smoke"), ["seed=5"])
    save_config(config, tmp_path / "config.json")
    assert load_config(tmp_path / "config.json") == config
    assert dataclasses.asdict(config)["seed"] == 5


def test_realdp_auto_resolves_only_when_present(tmp_path, monkeypatch):
    assert TrainConfig(realdp="none").resolved_realdp() is None
    assert TrainConfig(realdp=str(tmp_path)).resolved_realdp() == str(tmp_path)
    monkeypatch.setenv("MCCNET_SHARED_DIR", str(tmp_path / "shared"))
    assert TrainConfig(realdp="auto").resolved_realdp() is None  # absent
    scenes = tmp_path / "shared" / "realdp" / "dpdd_gif4"
    scenes.mkdir(parents=True)
    assert TrainConfig(realdp="auto").resolved_realdp() == str(scenes)
