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
    (["noise_profile=gif"], "noise_profile must be one of default, dpdd"),
    (["small_blur_share=1.5"], "small_blur_share must be in"),
    (["palette_colors=1"], "palette_colors must be 0"),
    (["fft_weight=-1"], "fft_weight must be >= 0"),
    (["ms_ssim_weight=-0.1"], "ms_ssim_weight must be >= 0"),
    (["output_init_scale=-1"], "output_init_scale must be >= 0"),
    (["preset=concat_tiny", "correlation_contrast=true"], "needs an mccnet preset"),
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


def _first_batch(**fields):
    from keras_mccnet.training.train import build_data

    config = TrainConfig(sharp_dir="none", patch_size=32, batch_size=2, val_scenes=1,
                         val_size=32, realdp="none", **fields)
    train, val = build_data(config)
    return train[0], val


def test_generator_fields_reach_the_training_views_only():
    """palette_colors and noise_profile change the synthetic training views (same scenes, same
    targets) and leave the validation scenes as they were."""
    import numpy as np

    (plain, target), val = _first_batch()
    (gif, gif_target), gif_val = _first_batch(palette_colors=8)
    np.testing.assert_array_equal(target, gif_target)
    for view in gif["left"]:  # every view through its own 8-colour palette
        assert len(np.unique(view.reshape(-1, 3), axis=0)) <= 8
    assert len(np.unique(plain["left"][0].reshape(-1, 3), axis=0)) > 8
    np.testing.assert_array_equal(val[0]["left"], gif_val[0]["left"])

    (grainy, grainy_target), _ = _first_batch(noise_profile="dpdd")
    np.testing.assert_array_equal(target, grainy_target)

    def grain(views):  # the high-pass energy: the blur is the same, only the noise differs
        return float(np.mean(np.abs(np.diff(views, axis=2))))

    assert grain(grainy["left"]) > grain(plain["left"])


def test_loss_weights_reach_the_compiled_loss():
    from keras_mccnet.training.train import build_model

    config = apply_overrides(named_config("synthetic_smoke"), ["ms_ssim_weight=0.3",
                                                               "fft_weight=0.5"])
    loss = build_model(config).loss
    assert (loss.ms_ssim_weight, loss.fft_weight) == (0.3, 0.5)
    assert build_model(named_config("synthetic_smoke")).loss.fft_weight == 0.0


def test_training_from_scratch_starts_at_the_identity_unless_told_otherwise():
    import numpy as np

    from keras_mccnet.training.train import build_model

    def out_kernel(overrides):
        config = apply_overrides(named_config("synthetic_smoke"), overrides)
        return np.asarray(build_model(config).get_layer("out_conv").kernel)

    assert not np.any(out_kernel([]))  # zero residual head: the untrained net returns C
    assert np.any(out_kernel(["output_init_scale=0.01"]))  # the preset's old random start


def test_cost_contrast_reaches_the_model():
    from keras_mccnet.training.train import build_model

    config = apply_overrides(named_config("synthetic_smoke"), ["correlation_contrast=true"])
    assert build_model(config).correlation_contrast
    assert not build_model(named_config("synthetic_smoke")).correlation_contrast


def test_base_width_presets_are_warned_off_the_small_presets_rate(tmp_path, capsys):
    from keras_mccnet.training.train import check_arguments, main

    assert TrainConfig().learning_rate_caution is None  # mccnet_tiny at 1e-3
    assert apply_overrides(TrainConfig(), ["preset=mccnet_base", "learning_rate=5e-4"]
                           ).learning_rate_caution is None
    assert named_config("synthetic_base").learning_rate_caution is None  # 2e-4
    caution = apply_overrides(TrainConfig(), ["preset=mccnet_base"]).learning_rate_caution
    assert "learning_rate 0.001 for mccnet_base" in caution and "learning_rate=0.0005" in caution
    # the command says it in its argument checks, before Keras and before anything is written
    assert check_arguments(parsed(["--run-dir", str(tmp_path / "run"),
                                   "--set", "preset=mccnet_base"])) == 0
    assert "mccnet train: warning: learning_rate 0.002 for mccnet_base" in capsys.readouterr().err
    assert not (tmp_path / "run").exists()
    # a bad argument still stops it first, also through main
    assert main(["--run-dir", str(tmp_path / "run"), "--set", "preset=mccnet_base",
                 "--set", "epochs=0"]) == 2
    err = capsys.readouterr().err
    assert "epochs must be >= 1" in err and "warning" not in err


def parsed(argv):
    import argparse

    from keras_mccnet.training.train import add_arguments

    parser = argparse.ArgumentParser()
    add_arguments(parser)
    return parser.parse_args(argv)
