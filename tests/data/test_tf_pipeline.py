import numpy as np
import pytest
from dpdd_trees import write_dpdnet_tree

from keras_mccnet.data.augment import dp_flip, texture_score
from keras_mccnet.data.dpdd import find_scenes
from keras_mccnet.data.numpy_dataset import DPPatchDataset

tf = pytest.importorskip("tensorflow")
from keras_mccnet.data.pipeline import make_dataset  # noqa: E402

PATCH = 24


@pytest.fixture
def scenes(tmp_path):
    # R is L shifted 2 px to the right: disparity +2 everywhere (behind-focus convention).
    write_dpdnet_tree(tmp_path, "train", n=3, size=(40, 48))
    return find_scenes(tmp_path, "train")


def assert_disparity_plus_two(left, right):
    # R(x + 2) == L(x) inside the patch: a horizontal flip without an L/R swap gives -2.
    np.testing.assert_allclose(right[..., 2:, :], left[..., :-2, :], atol=1e-6)


def test_element_format_and_range(scenes):
    ds = make_dataset(scenes, PATCH, batch_size=4, training=True, seed=0)
    spec = ds.element_spec
    assert set(spec[0]) == {"left", "right"}
    assert spec[0]["left"].shape == (4, PATCH, PATCH, 3) and spec[1].dtype == tf.float32
    x, y = next(iter(ds))
    assert 0.0 <= float(tf.reduce_min(y)) and float(tf.reduce_max(y)) <= 1.0


def test_flips_keep_the_disparity_sign(scenes):
    ds = make_dataset(scenes, PATCH, batch_size=8, training=True, seed=3, patches_per_image=4)
    flipped = 0
    for x, y in ds.take(4):
        assert_disparity_plus_two(x["left"].numpy(), x["right"].numpy())
        flipped += 1
    assert flipped == 4
    rng = np.random.default_rng(0)
    for _ in range(8):
        left = rng.uniform(size=(8, 10, 3))
        right = np.roll(left, 2, axis=1)
        a, b, _ = dp_flip(rng, left, right, left)
        assert_disparity_plus_two(a, b)


def test_hflip_happens_and_swaps(scenes):
    # With the swap, flipped patches show the mirrored *target*; count them to prove flips occur.
    ds = make_dataset(scenes, None, batch_size=1, training=False, seed=0, cache=False)
    originals = [y.numpy()[0] for _, y in ds]
    ds = make_dataset(scenes, 40, batch_size=1, training=True, seed=1, patches_per_image=1,
                      vflip=False)
    # 48 draws, not 12: under some global seeds (set by an earlier test) 12 held no
    # detectable mirrored crop, and the test must not depend on the order tests run in.
    mirrored = 0
    for _, y in ds.take(48):
        patch = y.numpy()[0]
        mirrored += any(np.allclose(patch, o[:, ::-1][:, : patch.shape[1]]) or
                        np.allclose(patch, o[:, ::-1][:, -patch.shape[1]:]) for o in originals)
    assert 0 < mirrored < 48


def test_seeded_and_deterministic(scenes):
    a = next(iter(make_dataset(scenes, PATCH, 4, True, seed=7)))[1].numpy()
    b = next(iter(make_dataset(scenes, PATCH, 4, True, seed=7)))[1].numpy()
    c = next(iter(make_dataset(scenes, PATCH, 4, True, seed=8)))[1].numpy()
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)


def test_eval_is_one_fixed_pass(scenes):
    ds = make_dataset(scenes, PATCH, 4, training=False, seed=0, patches_per_image=2)
    first = [y.numpy() for _, y in ds]
    second = [y.numpy() for _, y in ds]
    assert sum(len(b) for b in first) == 6
    for p, q in zip(first, second):
        np.testing.assert_array_equal(p, q)


def test_textureless_patches_are_rejected(tmp_path):
    from keras_mccnet.data.image_io import write_image

    rng = np.random.default_rng(0)
    image = np.full((64, 64, 3), 0.5, np.float32)
    image[:, 32:] = rng.uniform(0, 1, (64, 32, 3))  # right half textured, left half flat
    for sub in ("L", "R", "GT"):
        write_image(tmp_path / sub / "a.png", image)
    scenes = find_scenes(tmp_path)
    ds = make_dataset(scenes, 16, 8, True, seed=0, min_texture=0.05)
    _, y = next(iter(ds))
    assert all(texture_score(p) >= 0.05 for p in y.numpy())
    flat_before = [texture_score(p) < 0.05 for p in
                   next(iter(make_dataset(scenes, 16, 8, True, seed=0)))[1].numpy()]
    assert any(flat_before)


def test_numpy_path_has_the_same_format_and_semantics(scenes):
    tf_spec = make_dataset(scenes, PATCH, 4, True).element_spec
    ds = DPPatchDataset(scenes, PATCH, 4, training=True, seed=0)
    x, y = ds[0]
    assert set(x) == set(tf_spec[0])
    for key in x:
        assert x[key].shape == tuple(tf_spec[0][key].shape) and x[key].dtype == np.float32
    assert y.shape == tuple(tf_spec[1].shape)
    for i in range(len(ds)):
        x, _ = ds[i]
        assert_disparity_plus_two(x["left"], x["right"])
    np.testing.assert_array_equal(ds[1][1], DPPatchDataset(scenes, PATCH, 4, seed=0)[1][1])


def test_numpy_path_names_the_file_on_size_mismatch(tmp_path):
    from keras_mccnet.data.image_io import write_image

    write_dpdnet_tree(tmp_path, "train", n=1)
    bad = next((tmp_path / "train_c" / "target").iterdir())
    write_image(bad, np.zeros((30, 30, 3), np.float32))
    scenes = find_scenes(tmp_path, "train", validate=False)
    with pytest.raises(ValueError, match=bad.name):
        DPPatchDataset(scenes, PATCH, 1)[0]
