import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

from keras_mccnet.data.synthetic_stream import SyntheticPyDataset


def test_tf_stream_equals_pydataset_and_matches_dpdd_spec(tmp_path):
    tf = pytest.importorskip("tensorflow")
    from dpdd_trees import write_dpdnet_tree

    from keras_mccnet.data.dpdd import find_scenes
    from keras_mccnet.data.pipeline import make_dataset
    from keras_mccnet.data.synthetic_stream import synthetic_dataset

    ds = synthetic_dataset(32, 2, seed=5, sharp_source=None, num_parallel_calls=2)
    write_dpdnet_tree(tmp_path, "train", n=1)
    assert ds.element_spec == make_dataset(find_scenes(tmp_path, "train"), 32, 2).element_spec
    x, y = next(iter(ds))
    py = SyntheticPyDataset(32, 2, steps_per_epoch=3, seed=5, sharp_source=None)
    px, pyy = py[0]
    np.testing.assert_array_equal(y.numpy(), pyy)
    np.testing.assert_array_equal(x["right"].numpy(), px["right"])
    assert y.dtype == tf.float32


def test_pydataset_epochs_differ_unless_fixed():
    ds = SyntheticPyDataset(16, 1, steps_per_epoch=1, seed=0, sharp_source=None)
    a = ds[0][1]
    ds.on_epoch_end()
    assert not np.array_equal(a, ds[0][1])
    fixed = SyntheticPyDataset(16, 1, steps_per_epoch=1, seed=0, sharp_source=None, fixed=True)
    fixed.on_epoch_end()
    np.testing.assert_array_equal(a, fixed[0][1])


def test_numpy_paths_work_under_jax(tmp_path):
    pytest.importorskip("jax")
    code = textwrap.dedent(f"""
        import sys
        sys.path.insert(0, {os.path.dirname(__file__)!r})
        import keras
        assert keras.backend.backend() == "jax"
        from dpdd_trees import write_dpdnet_tree
        from keras_mccnet.data import DPPatchDataset, SyntheticPyDataset, find_scenes
        write_dpdnet_tree({str(tmp_path)!r}, "train", n=2)
        x, y = DPPatchDataset(find_scenes({str(tmp_path)!r}, "train"), 16, 2)[0]
        assert x["left"].shape == (2, 16, 16, 3) and y.dtype == "float32"
        x, y = SyntheticPyDataset(16, 2, 1, sharp_source=None)[0]
        assert x["right"].shape == (2, 16, 16, 3)
        print("ok")
    """)
    env = dict(os.environ, KERAS_BACKEND="jax")
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == 0 and "ok" in out.stdout, out.stderr[-2000:]
