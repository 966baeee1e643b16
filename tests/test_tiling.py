import numpy as np
import pytest

from keras_mccnet.tiling import blend_weights_1d, plan_tiles, run_tiled, tile_starts


@pytest.mark.parametrize("n,tile,overlap,starts", [
    (100, 128, 16, [0]),            # smaller than a tile
    (128, 128, 16, [0]),            # exactly one tile
    (300, 128, 32, [0, 96, 172]),   # last start clamped to n - tile
    (256, 128, 0, [0, 128]),        # no overlap
])
def test_tile_starts(n, tile, overlap, starts):
    assert tile_starts(n, tile, overlap) == starts


def test_tiles_cover_every_pixel_and_stay_inside():
    plan = plan_tiles(301, 517, 128, 24)
    covered = np.zeros((301, 517), int)
    for t in plan.tiles:
        assert t.y + t.h <= 301 and t.x + t.w <= 517
        covered[t.y:t.y + t.h, t.x:t.x + t.w] += 1
    assert covered.min() >= 1


def test_weights_are_positive_ramps():
    w = blend_weights_1d(64, 16)
    assert w.min() > 0 and w.max() == 1.0
    assert w[0] == pytest.approx(0.5 / 16) and np.all(np.diff(w[:16]) > 0)
    np.testing.assert_array_equal(w, w[::-1])


def test_blending_an_identity_function_returns_the_image():
    rng = np.random.default_rng(0)
    left = rng.random((150, 210, 3), dtype=np.float32)
    right = rng.random((150, 210, 3), dtype=np.float32)
    calls = []
    out = run_tiled(lambda l, r: (l + r) / 2, left, right, tile=64, overlap=16,
                    progress=calls.append)
    np.testing.assert_allclose(out, (left + right) / 2, atol=1e-6)
    assert len(calls) == len(plan_tiles(150, 210, 64, 16).tiles)


@pytest.mark.parametrize("kwargs,match", [
    (dict(n=0, tile=8, overlap=0), "positive"),
    (dict(n=10, tile=8, overlap=8), "overlap"),
])
def test_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        tile_starts(**kwargs)
