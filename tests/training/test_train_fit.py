"""`train._fit`: how a resumed run splits into the rest of the interrupted epoch and whole epochs,
for both input paths (a model stand-in records what each `fit` call draws)."""

import types

import keras
import pytest

from keras_mccnet.training.config import TrainConfig
from keras_mccnet.training.train import _fit


class RecordingModel:
    """Draws `steps_per_epoch` batches per epoch from the data, as `model.fit` does."""

    def __init__(self):
        self.calls = []

    def fit(self, data, initial_epoch, epochs, steps_per_epoch=None, **_):
        if isinstance(data, keras.utils.PyDataset):
            drawn = [data[i] for e in range(initial_epoch, epochs) for i in range(len(data))]
        else:
            iterator = iter(data)
            drawn = [int(next(iterator)) for _ in range((epochs - initial_epoch) * steps_per_epoch)]
        self.calls.append((initial_epoch, epochs, drawn))


class EpochStream(keras.utils.PyDataset):
    """Batch i of epoch e is (e, i), like the project's streams."""

    def __init__(self, steps):
        super().__init__()
        self.steps_per_epoch, self.epoch = steps, 0

    def __len__(self):
        return self.steps_per_epoch

    def __getitem__(self, i):
        return (self.epoch, i)


NO_STOP = types.SimpleNamespace(bad_step=None)


def test_resumed_tf_data_stream_continues_without_replaying():
    tf = pytest.importorskip("tensorflow")
    model = RecordingModel()
    config = TrainConfig(epochs=3, steps_per_epoch=4)
    _fit(model, tf.data.Dataset.range(1000), None, config, start_step=5, callbacks=[],
         verbose=0, checkpoint=NO_STOP)
    (e0, e1, partial), (e2, e3, rest) = model.calls
    assert (e0, e1, partial) == (1, 2, [0, 1, 2])  # the 3 steps left of epoch 2 (index 1)
    assert (e2, e3) == (2, 3) and rest == [3, 4, 5, 6]  # then epoch 3, continuing the stream


def test_resumed_pydataset_finishes_its_epoch_then_draws_the_next_epochs():
    model = RecordingModel()
    config = TrainConfig(epochs=3, steps_per_epoch=4)
    _fit(model, EpochStream(4), None, config, start_step=5, callbacks=[], verbose=0,
         checkpoint=NO_STOP)
    (e0, e1, partial), (e2, e3, rest) = model.calls
    assert (e0, e1) == (1, 2) and len(partial) == 3 and {e for e, _ in partial} == {1}
    assert (e2, e3) == (2, 3) and rest == [(2, 0), (2, 1), (2, 2), (2, 3)]
