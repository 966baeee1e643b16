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
