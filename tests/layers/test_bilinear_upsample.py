import numpy as np
import pytest
import keras

from keras_mccnet.layers import BilinearUpsample
from model_checks import assert_config_round_trip


def reference_bilinear_2x(x):
    """Half-pixel bilinear 2x with edge clamping, one axis at a time, in NumPy."""
    def along(a, axis):
        n = a.shape[axis]
        src = (np.arange(2 * n) + 0.5) / 2 - 0.5
        lo = np.clip(np.floor(src).astype(int), 0, n - 1)
        hi = np.clip(lo + 1, 0, n - 1)
        frac = np.clip(src - np.floor(src), 0, 1)
        frac = np.where(src < 0, 0.0, frac)
        shape = [1] * a.ndim
        shape[axis] = -1
        return (np.take(a, lo, axis) * (1 - frac.reshape(shape))
                + np.take(a, hi, axis) * frac.reshape(shape))
    return along(along(x.astype(np.float64), 1), 2)


@pytest.mark.parametrize("shape", [(1, 5, 7, 3), (2, 4, 4, 1)])
def test_static_size_matches_reference(shape):
    x = np.random.default_rng(0).random(shape, dtype=np.float32)
    np.testing.assert_allclose(np.asarray(BilinearUpsample(2)(x)), reference_bilinear_2x(x),
                               atol=1e-5)


def test_unknown_size_path_gives_the_same_values():
    if keras.backend.backend() != "tensorflow":
        pytest.skip("unknown spatial sizes inside a graph are a TensorFlow-backend situation")
    import tensorflow as tf

    layer = BilinearUpsample(4)
    fn = tf.function(layer, input_signature=[tf.TensorSpec((None, None, None, 3))])
    x = np.random.default_rng(1).random((1, 6, 9, 3), dtype=np.float32)
    np.testing.assert_allclose(fn(x).numpy(), np.asarray(layer(x)), atol=1e-5)
    assert fn(x).shape == (1, 24, 36, 3)


def test_config_and_bad_factor():
    assert assert_config_round_trip(BilinearUpsample(4)).factor == 4
    with pytest.raises(ValueError, match="power of two"):
        BilinearUpsample(3)
