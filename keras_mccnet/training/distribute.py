"""Scale-out on existing engines: tf.distribute.MirroredStrategy (TensorFlow backend) and
`keras.distribution.DataParallel` (JAX backend). Both split every batch across the devices."""

from __future__ import annotations

import contextlib

import keras


def distribution_scope(mode: str, batch_size: int):
    """A context manager under which to build and compile the model, for `mode` in
    {"none", "mirrored", "data_parallel"}; raises ValueError on a backend mismatch."""
    backend = keras.backend.backend()
    if mode == "none":
        return contextlib.nullcontext()
    if mode == "mirrored":
        if backend != "tensorflow":
            raise ValueError(f"--distribute mirrored needs KERAS_BACKEND=tensorflow (got {backend}); "
                             f"use data_parallel under JAX")
        import tensorflow as tf

        strategy = tf.distribute.MirroredStrategy()
        _check_divisible(batch_size, strategy.num_replicas_in_sync)
        print(f"MirroredStrategy over {strategy.num_replicas_in_sync} devices", flush=True)
        return strategy.scope()
    if mode == "data_parallel":
        if backend != "jax":
            raise ValueError(f"--distribute data_parallel needs KERAS_BACKEND=jax (got {backend}); "
                             f"use mirrored under TensorFlow")
        devices = keras.distribution.list_devices()
        _check_divisible(batch_size, len(devices))
        keras.distribution.set_distribution(keras.distribution.DataParallel(devices=devices))
        print(f"keras.distribution.DataParallel over {len(devices)} devices", flush=True)
        return contextlib.nullcontext()
    raise ValueError(f"unknown distribute mode {mode!r}")


def _check_divisible(batch_size, replicas):
    if batch_size % replicas:
        raise ValueError(f"batch_size {batch_size} must be a multiple of the {replicas} devices")
