"""PadToMultiple: exact mirror padding at static and unknown sizes, channels kept static."""

import numpy as np
import pytest
import keras

from keras_mccnet.layers import PadToMultiple


@pytest.mark.parametrize("mode, np_mode", [("symmetric", "symmetric"), ("constant", "constant")])
@pytest.mark.parametrize("h, w", [(37, 53), (8, 7), (16, 16)])
def test_pads_like_numpy(mode, np_mode, h, w):
    x = np.random.default_rng(h * w).random((1, h, w, 3), dtype=np.float32)
    want = np.pad(x, [(0, 0), (0, (-h) % 8), (0, (-w) % 8), (0, 0)], mode=np_mode)
    np.testing.assert_array_equal(np.asarray(PadToMultiple(8, mode)(x)), want)


def test_unknown_size_keeps_the_channel_dimension_static():
    if keras.backend.backend() != "tensorflow":
        pytest.skip("symbolic unknown sizes at trace time are a TensorFlow graph matter")
    import tensorflow as tf

    layer = PadToMultiple(8)
    fn = tf.function(layer, input_signature=[tf.TensorSpec((1, None, None, 3))])
    graph = fn.get_concrete_function()
    # A pad by a runtime amount loses the channel count, and the next conv becomes a Flex op.
    assert graph.structured_outputs.shape.as_list() == [1, None, None, 3]
    x = np.random.default_rng(0).random((1, 37, 53, 3), dtype=np.float32)
    want = np.pad(x, [(0, 0), (0, 3), (0, 3), (0, 0)], mode="symmetric")
    np.testing.assert_array_equal(fn(x).numpy(), want)
