import numpy as np

from keras_mccnet.export.samples import synthetic_tiles
from keras_mccnet.data.synthetic import SPLIT_STREAMS, Stream
from keras_mccnet.data.synthetic_stream import render_patch


def test_calibration_tiles_are_never_training_patches():
    tiles = list(synthetic_tiles(3, 32, seed=0, sharp_source=None))
    patches = [render_patch(0, k, 32, sharp_source=None) for k in range(3)]
    for (left, _, _), (train_left, _, _) in zip(tiles, patches):
        assert not np.array_equal(left, train_left)


def test_stream_ids_are_distinct_and_the_splits_have_their_own():
    assert len({int(s) for s in Stream}) == len(Stream)
    assert len(set(SPLIT_STREAMS.values())) == 3
    assert Stream.TRAINING_PATCHES not in SPLIT_STREAMS.values()
