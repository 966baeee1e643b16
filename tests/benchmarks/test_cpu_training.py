"""The campaign's training recipe (benchmarks/cpu_training.py): the loss a Schedule compiles."""

import pathlib
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))

import cpu_training  # noqa: E402


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
