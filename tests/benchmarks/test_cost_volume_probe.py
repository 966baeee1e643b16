"""benchmarks/cost_volume_probe.py: the probe's parts (cells, slices, fit) and the cost volumes
it reads, in level order."""

import pathlib
import sys

import numpy as np

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2] / "benchmarks"))
import cost_volume_probe  # noqa: E402
import cpu_training  # noqa: E402


def test_a_cell_holds_the_log_of_its_mean_absolute_blur():
    blur = np.zeros((4, 4), np.float32)
    blur[:2, :2] = [[2.0, -2.0], [4.0, 0.0]]
    cells = cost_volume_probe.cell_blur(blur, (2, 2))
    np.testing.assert_allclose(cells, [[np.log1p(2.0), 0.0], [0.0, 0.0]], rtol=1e-6)


def test_the_central_three_slices_are_displacements_minus_one_to_plus_one():
    channels = np.arange(9)
    assert list(channels[cost_volume_probe.central_three(9)]) == [3, 4, 5]
    assert list(np.arange(3)[cost_volume_probe.central_three(3)]) == [0, 1, 2]


def test_the_probe_scores_a_held_out_linear_target_near_one_and_noise_near_zero():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(2000, 3))
    y = x @ np.array([1.0, -2.0, 0.5]) + 3.0
    assert cost_volume_probe.ridge_r2(x[:1500], y[:1500], x[1500:], y[1500:]) > 0.99
    noise = rng.normal(size=2000)
    assert abs(cost_volume_probe.ridge_r2(x[:1500], noise[:1500], x[1500:], noise[1500:])) < 0.05


def test_the_cost_volumes_come_in_level_order_with_each_levels_slices():
    model = cpu_training.seeded_model("mccnet_tiny", 0, {"max_displacements": (4, 2, 1, 1)})
    views = np.random.default_rng(1).uniform(size=(64, 64, 3)).astype(np.float32)
    volumes = cost_volume_probe.cost_volumes(cost_volume_probe.cost_volume_model(model), views,
                                             views)
    assert [v.shape for v in volumes] == [(64, 64, 9), (32, 32, 5), (16, 16, 3), (8, 8, 3)]
    # identical views: each feature matches itself best at zero displacement
    for volume in volumes:
        assert np.all(volume.argmax(axis=-1)[2:-2, 2:-2] == volume.shape[-1] // 2)
