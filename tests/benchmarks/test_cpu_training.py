"""The campaign's training recipe (benchmarks/cpu_training.py): the loss a Schedule compiles, and
how `train` starts, stops early and resumes."""

import pathlib
import sys

import numpy as np
import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))

import cpu_training  # noqa: E402
from model_checks import random_bank  # noqa: E402


@pytest.mark.parametrize("weight, expected", [(None, "default"), (0.0, 0.0), (0.5, 0.5)])
def test_schedule_sets_the_ms_ssim_weight_of_the_compiled_loss(weight, expected):
    from keras_mccnet import MCCNet
    from keras_mccnet.losses import DEFAULT_MS_SSIM_WEIGHT, CharbonnierMSSSIMLoss

    model = MCCNet.from_preset("mccnet_tiny", weights="synthetic")  # quiet: no untrained warning
    cpu_training._compile(model, cpu_training.Schedule(steps=10, ms_ssim_weight=weight))  # noqa: SLF001
    assert isinstance(model.loss, CharbonnierMSSSIMLoss)
    assert model.loss.ms_ssim_weight == (DEFAULT_MS_SSIM_WEIGHT if expected == "default"
                                         else expected)


def test_schedule_sets_the_fft_weight_of_the_compiled_loss():
    from keras_mccnet import MCCNet

    model = MCCNet.from_preset("mccnet_tiny", weights="synthetic")
    cpu_training._compile(model, cpu_training.Schedule(steps=10))  # noqa: SLF001
    assert model.loss.fft_weight == 0.0  # the paper's objective unless asked
    cpu_training._compile(model, cpu_training.Schedule(steps=10, fft_weight=0.25))  # noqa: SLF001
    assert model.loss.fft_weight == 0.25


class _LeftView:
    """A stand-in model that returns its left view: its scores are the left view's scores."""

    def predict(self, inputs, verbose=0):
        return inputs["left"]


def test_phone_aware_adds_the_weak_split_gain_over_its_input_and_the_mean_selection():
    import numpy as np

    rng = np.random.default_rng(0)
    target = rng.uniform(0.2, 0.8, (32, 32, 3)).astype("float32")
    left = np.clip(target + 0.01, 0, 1).astype("float32")
    weak = [(left, left, target + 0.05, target)]
    row = {"synthetic_gain_db": 2.0, "real_gain_db": 1.0}
    cpu_training.add_phone_aware(row, _LeftView(), weak, input_weak_split_psnr=30.0)
    assert row["weak_split_gain_db"] == pytest.approx(
        cpu_training.scores(left, target)["psnr"] - 30.0)
    assert row["phone_aware_selection_db"] == pytest.approx(
        0.5 * (0.5 * (2.0 + row["weak_split_gain_db"]) + 1.0))


def test_phone_aware_selection_without_the_dpdd_scenes_is_the_synthetic_mean():
    row = {"synthetic_gain_db": 2.0, "weak_split_gain_db": 1.0}
    assert cpu_training.phone_aware_selection(row) == pytest.approx(1.5)
    assert cpu_training.phone_aware_selection({**row, "real_gain_db": 2.5}) == pytest.approx(2.0)


def test_gain_panels_draw_each_line_in_its_given_style(tmp_path, monkeypatch):
    import matplotlib.axes

    calls = []
    original = matplotlib.axes.Axes.plot
    monkeypatch.setattr(matplotlib.axes.Axes, "plot",
                        lambda self, *a, **kw: calls.append(kw) or original(self, *a, **kw))
    series = {"x": {"synthetic_gain_db": [(0, 1.0), (1, 2.0)], "real_gain_db": [(0, 0.5)]}}
    cpu_training.plot_gain_panels(series, tmp_path / "p.png", "step",
                                  styles={"x": {"linestyle": "--"}})
    assert [kw.get("linestyle") for kw in calls] == ["--", "--"]
    assert (tmp_path / "p.png").stat().st_size > 1000


def test_many_lines_get_one_legend_below_the_panels_naming_each_once(tmp_path, monkeypatch):
    import matplotlib.figure

    legends = []
    original = matplotlib.figure.Figure.legend
    monkeypatch.setattr(matplotlib.figure.Figure, "legend",
                        lambda self, *a, **kw: legends.append((a, kw)) or original(self, *a, **kw))
    series = {f"run {i}": {"synthetic_gain_db": [(0, 0.0), (1, i)],
                           "real_gain_db": [(0, 0.0), (1, i / 2)] if i else []}
              for i in range(cpu_training.INSET_LEGEND_LINES + 1)}
    cpu_training.plot_gain_panels(series, tmp_path / "p.png", "step")
    (handles, labels), kw = legends[0]
    assert labels == list(series) and len(handles) == len(series)
    assert kw["loc"] == "upper center"


FOUR_STEPS = cpu_training.Schedule(steps=4, batch=2, lr=1e-3, warmup=1, checkpoint_every=2)


@pytest.mark.slow
def test_a_run_stopped_early_is_the_start_of_the_long_run_and_resumes_into_it(tmp_path):
    bank = random_bank(np.random.default_rng(0), 8)
    _, whole = cpu_training.train("mccnet_tiny", bank, FOUR_STEPS, tmp_path / "whole", seed=3)
    run = tmp_path / "probe"
    _, probe = cpu_training.train("mccnet_tiny", bank, FOUR_STEPS, run, seed=3, stop_after=3)
    assert probe["step"] == 3
    assert not (run / "final.weights.h5").exists()  # a probe's weights are not a run's final ones
    # the learning rate follows the 4-step schedule, so the losses are the long run's first three
    np.testing.assert_allclose(probe["loss"], whole["loss"][:3], rtol=1e-4)
    with pytest.raises(SystemExit, match="at step 3 already, past the stop at step 2"):
        cpu_training.train("mccnet_tiny", bank, FOUR_STEPS, run, seed=3, stop_after=2)
    _, resumed = cpu_training.train("mccnet_tiny", bank, FOUR_STEPS, run, seed=3)
    np.testing.assert_allclose(resumed["loss"], whole["loss"], rtol=1e-4)
    assert (run / "final.weights.h5").exists()


@pytest.mark.slow
def test_an_init_seed_draws_the_weights_and_leaves_the_data_order_to_the_seed(tmp_path):
    bank, one_step = random_bank(np.random.default_rng(0), 8), dict(seed=3, stop_after=1)
    weights = tmp_path / "seed5.weights.h5"
    cpu_training.seeded_model("mccnet_tiny", 5).save_weights(weights)

    def first_loss(name, **kwargs):
        return cpu_training.train("mccnet_tiny", bank, FOUR_STEPS, tmp_path / name,
                                  **one_step, **kwargs)[1]["loss"][0]

    drawn = first_loss("init seed 5", init_seed=5)
    # the same weights given as a file, the same data order: the same loss on the same batch
    np.testing.assert_allclose(drawn, first_loss("seed 5 weights", init=str(weights)), rtol=1e-5)
    assert abs(drawn - first_loss("seed 3")) > 1e-4
