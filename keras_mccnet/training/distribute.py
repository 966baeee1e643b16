"""Scale-out on existing engines: tf.distribute.MirroredStrategy (TensorFlow backend) and
`keras.distribution.DataParallel` (JAX backend). Both split every batch across the devices."""

from __future__ import annotations

import contextlib

MODES = ("none", "mirrored", "data_parallel")
BACKEND_OF_MODE = {"mirrored": "tensorflow", "data_parallel": "jax"}


def check_mode(mode: str) -> None:
    """ValueError when `mode` is unknown or needs another Keras backend than the configured one.
    Reads the backend without importing Keras: `mccnet train` calls it with the other argument
    checks, before the run folder or its config.json is written."""
    from keras_mccnet.startup import configured_backend

    if mode not in MODES:
        raise ValueError(f"unknown distribute mode {mode!r}; one of {MODES}")
    needed = BACKEND_OF_MODE.get(mode)
    backend = configured_backend()
    if needed and backend != needed:
        other = next(m for m, b in BACKEND_OF_MODE.items() if b == backend) \
            if backend in BACKEND_OF_MODE.values() else None
        raise ValueError(f"--distribute {mode} needs KERAS_BACKEND={needed} (this process uses "
                         f"{backend})" + (f"; use --distribute {other} under {backend}"
                                          if other else ""))


def distribution_scope(mode: str, batch_size: int):
    """A context manager under which to build and compile the model, for `mode` in
    {"none", "mirrored", "data_parallel"}; raises ValueError on a backend mismatch."""
    import keras

    check_mode(mode)
    if mode == "none":
        return contextlib.nullcontext()
    if mode == "mirrored":
        import tensorflow as tf

        strategy = tf.distribute.MirroredStrategy()
        _check_divisible(batch_size, strategy.num_replicas_in_sync)
        print(f"MirroredStrategy over {strategy.num_replicas_in_sync} devices", flush=True)
        return strategy.scope()
    if mode == "data_parallel":
        devices = keras.distribution.list_devices()
        _check_divisible(batch_size, len(devices))
        keras.distribution.set_distribution(keras.distribution.DataParallel(devices=devices))
        print(f"keras.distribution.DataParallel over {len(devices)} devices", flush=True)
        return contextlib.nullcontext()
    raise ValueError(f"unknown distribute mode {mode!r}")


def _check_divisible(batch_size, replicas):
    if batch_size % replicas:
        raise ValueError(f"batch_size {batch_size} must be a multiple of the {replicas} devices")
