"""Shared checks for layers and models: config round trip, save/load equality, a train step."""

from __future__ import annotations

import pathlib

import numpy as np
import keras

MICRO = dict(widths=(8, 12, 16), evidence_channels=4, fusion_channels=8)
"""A very small MCCNet configuration for fast tests."""


def predict(model, inputs):
    """One jit-compiled forward pass (eager op-by-op calls are very slow under JAX)."""
    return np.asarray(model.predict(inputs, verbose=0, batch_size=len(inputs["left"])))


def random_views(rng, n=1, h=32, w=32):
    left = rng.random((n, h, w, 3), dtype=np.float32)
    right = rng.random((n, h, w, 3), dtype=np.float32)
    return {"left": left, "right": right}


def random_bank(rng, count, size=32):
    """A PatchBank of `count` random left, right and target patches: for training-loop tests."""
    from keras_mccnet.data import PatchBank
    from keras_mccnet.data.patch_bank import to_bank_grid

    return PatchBank(*[to_bank_grid(rng.random((count, size, size, 3))) for _ in range(3)],
                     meta={})


def campaign_snapshot(out, setup, model, step=1600):
    """Writes `model`'s weights as campaign OUT's snapshot at `step` beside an evals.json that
    records `setup` (what benchmarks/cpu_campaign.py leaves), and returns the snapshot's path."""
    import json

    (out / "evals.json").write_text(json.dumps({"setup": setup, "evals": []}))
    (out / "snapshots").mkdir()
    path = out / "snapshots" / f"step{step}.weights.h5"
    model.save_weights(path)
    return path


def input_gradients(fn, inputs, weights):
    """d sum(weights * fn(*inputs)) / d input, for each input, by the backend's own autodiff
    (TensorFlow, JAX or torch): what training back-propagates through `fn`."""
    backend = keras.backend.backend()
    if backend == "tensorflow":
        import tensorflow as tf

        tensors = [tf.constant(x) for x in inputs]
        with tf.GradientTape() as tape:
            tape.watch(tensors)
            total = tf.reduce_sum(weights * fn(*tensors))
        return [np.asarray(g) for g in tape.gradient(total, tensors)]
    if backend == "jax":
        import jax

        grads = jax.grad(lambda *xs: (weights * fn(*xs)).sum(), argnums=tuple(range(len(inputs))))
        return [np.asarray(g) for g in grads(*inputs)]
    import torch

    tensors = [torch.tensor(x, requires_grad=True) for x in inputs]
    (torch.tensor(weights) * fn(*tensors)).sum().backward()
    return [t.grad.numpy() for t in tensors]


SHIPPED_REFERENCE = pathlib.Path(__file__).parent / "references" / "mccnet_tiny_synthetic_output.npy"
"""The shipped mccnet_tiny 'synthetic' weights' output on `shipped_model_output`'s views."""


def shipped_model_output():
    """The shipped mccnet_tiny 'synthetic' weights on fixed random 36x52 views.

    Recorded in SHIPPED_REFERENCE by tests/references/record_shipped_output.py whenever new
    weights are shipped; a refactor must reproduce it (every layer name kept, the same math).
    """
    from keras_mccnet import MCCNet
    model = MCCNet.from_preset("mccnet_tiny", weights="synthetic")
    return predict(model, random_views(np.random.default_rng(0), h=36, w=52))


def assert_config_round_trip(obj):
    clone = type(obj).from_config(obj.get_config())
    assert clone.get_config() == obj.get_config()
    return clone


def assert_save_load_equal(model, inputs, tmp_path):
    path = tmp_path / "model.keras"
    model.save(path)
    loaded = keras.saving.load_model(path)  # no custom_objects: registration must suffice
    np.testing.assert_array_equal(predict(model, inputs), predict(loaded, inputs))
    return loaded


def assert_train_step_finite(model, inputs, target, loss):
    model.compile(optimizer=keras.optimizers.Adam(1e-3), loss=loss)
    before = [np.array(w) for w in model.trainable_weights]
    history = model.fit(inputs, target, epochs=1, batch_size=len(target), verbose=0)
    value = history.history["loss"][0]
    assert np.isfinite(value), value
    after = [np.array(w) for w in model.trainable_weights]
    assert all(np.all(np.isfinite(w)) for w in after)
    # every trainable weight received a finite gradient and moved
    assert all(not np.array_equal(a, b) for a, b in zip(before, after))
