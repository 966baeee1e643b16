"""The first steps of a from-scratch run, traced (benchmarks/plateau_trace.py)."""

import pathlib
import sys

import numpy as np
import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))

import cpu_training  # noqa: E402
import plateau_trace  # noqa: E402


def test_dead_channels_are_those_never_positive_on_the_probe():
    activation = np.zeros((2, 4, 4, 3), np.float32)
    activation[1, 2, 3, 0] = 0.5  # channel 0 fires once; channels 1 and 2 never
    dead, channels, mean = plateau_trace._unit_stats(activation)
    assert (dead, channels) == (2, 3)
    assert np.isclose(mean, 0.5 / activation.size)


@pytest.mark.slow
def test_a_zero_output_init_starts_at_the_input_and_the_default_does_not():
    from keras_mccnet.data import PatchBank
    from keras_mccnet.data.patch_bank import to_bank_grid

    rng = np.random.default_rng(0)
    views = [to_bank_grid(rng.random((2 * plateau_trace.PROBE_EVERY, 32, 32, 3)))
             for _ in range(3)]
    bank = PatchBank(*views, meta={})
    schedule = cpu_training.Schedule(steps=1600, batch=2, lr=2e-3, warmup=30)
    gains = {}
    for name in ("mccnet_tiny + cost contrast", "mccnet_tiny + cost contrast + zero output init"):
        (start,) = plateau_trace.trace(name, seed=1, steps=0, schedule=schedule, bank=bank)
        assert start["step"] == 0 and start["loss"] is None
        assert set(start["layers"]) == set(plateau_trace.LAYERS)
        assert all(0 <= dead <= channels for dead, channels, _ in start["layers"].values())
        gains[name] = start["gain_db"]
    assert abs(gains["mccnet_tiny + cost contrast + zero output init"]) < 1e-4
    assert abs(gains["mccnet_tiny + cost contrast"]) > 1e-3  # the 1e-2 start's random residual
    table = plateau_trace.table({"m": [start]}, seed=1, schedule=schedule, probe_size=2)
    assert "| m | 0 | - |" in table
    assert "(lr 0.002, 30 warm-up steps, 1600-step cosine)" in table
