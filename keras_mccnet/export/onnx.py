"""ONNX export through tf2onnx (opset 17+), checked with onnxruntime.

The same fixed-shape signature as the TFLite models: inputs `left`/`right` (1, tile, tile, 3),
output `deblurred` (and `defocus`, (1, tile, tile, 1), for a model with the defocus head), NHWC
float32, and the same metadata JSON schema with "runtime": "onnx".
"""

from __future__ import annotations

import os

import numpy as np

from keras_mccnet import io_spec
from keras_mccnet.atomic_write import atomic_write

from keras_mccnet.export.loading import fixed_tile_model
from keras_mccnet.export.metadata import build_metadata, metadata_path, tensor_entry, write_metadata

MIN_OPSET = 17
# Sizes an any-size model is checked at: not multiples of the stride, not square.
ODD_SIZES = ((37, 53), (64, 41), (101, 77))


class OnnxExportError(RuntimeError):
    """tf2onnx failed, or onnxruntime cannot load / run the result."""


def convert(model, tile: int | None, opset: int = MIN_OPSET):
    """The ONNX ModelProto of `model` at a fixed tile (None: any height and width)."""
    import tensorflow as tf
    import tf2onnx

    from keras_mccnet.export.tflite import _serve, input_signature

    if opset < MIN_OPSET:
        raise ValueError(f"opset must be >= {MIN_OPSET}, got {opset}")
    fixed = fixed_tile_model(model, tile)
    try:
        proto, _ = tf2onnx.convert.from_function(
            tf.function(_serve(fixed)), input_signature=input_signature(tile), opset=opset)
    except Exception as e:
        raise OnnxExportError(f"tf2onnx conversion failed: {type(e).__name__}: {e}") from e
    return proto


def session(path_or_bytes):
    """An onnxruntime CPU session for a model file or serialized bytes."""
    import onnxruntime as ort

    source = path_or_bytes if isinstance(path_or_bytes, (bytes, bytearray)) else \
        os.fspath(path_or_bytes)
    try:
        return ort.InferenceSession(source, providers=["CPUExecutionProvider"])
    except Exception as e:
        raise OnnxExportError(f"onnxruntime cannot load the model: {e}") from e


def check_with_onnxruntime(serialized: bytes, model, tile: int, atol: float = 1e-4,
                           sizes=None) -> float:
    """Runs the ONNX model and Keras on random view pairs; returns the largest max abs diff.

    `sizes`: the (height, width) pairs to check (default one tile x tile pair).

    Raises OnnxExportError if the names differ from the contract or the outputs disagree."""
    sess = session(serialized)
    names = [i.name for i in sess.get_inputs()]
    outputs = [o.name for o in sess.get_outputs()]
    expected = output_names(model)
    if sorted(names) != sorted(io_spec.INPUT_NAMES) or sorted(outputs) != expected:
        raise OnnxExportError(f"ONNX model I/O names {names} -> {outputs} do not match "
                              f"{list(io_spec.INPUT_NAMES)} -> {expected}")
    rng = np.random.default_rng(0)
    diff = 0.0
    for h, w in sizes or [(tile, tile)]:
        views = {n: rng.random((1, h, w, 3), dtype=np.float32) for n in io_spec.INPUT_NAMES}
        want = model(views)
        want = want if isinstance(want, dict) else {io_spec.OUTPUT_NAME: want}
        for n in expected:
            got, ref = sess.run([n], views)[0], np.asarray(want[n])
            if got.shape != ref.shape:
                raise OnnxExportError(f"ONNX output {n} shape {got.shape} at {h}x{w} is not "
                                      f"{ref.shape}")
            diff = max(diff, float(np.max(np.abs(got - ref))))
    if not diff <= atol:
        raise OnnxExportError(f"onnxruntime output differs from Keras by {diff:.3g} > {atol}")
    return diff


def output_names(model) -> list[str]:
    """The exported output names of `model`, sorted: `deblurred`, and `defocus` with the head."""
    from keras_mccnet.defocus import has_defocus

    return sorted([io_spec.OUTPUT_NAME] + ([io_spec.DEFOCUS_OUTPUT_NAME] if has_defocus(model)
                                           else []))


def export_onnx(model, out_dir, model_name: str, tile: int = io_spec.DEFAULT_TILE,
                overlap: int = io_spec.DEFAULT_OVERLAP, opset: int = MIN_OPSET, dynamic=False,
                **extra):
    """Writes `out_dir/<model_name>.onnx` and its metadata JSON; returns (path, metadata).

    `dynamic=True` writes the any-size model `<model_name>_anysize.onnx` (checked against Keras
    at odd sizes); `tile` then only sets the tiling the metadata recommends."""
    from keras_mccnet.export.tflite import MODEL_VERSION

    proto = convert(model, None if dynamic else tile, opset)
    serialized = proto.SerializeToString()
    diff = check_with_onnxruntime(serialized, model, tile,
                                  sizes=ODD_SIZES if dynamic else None)
    os.makedirs(out_dir, exist_ok=True)
    path = os.path.join(os.fspath(out_dir), f"{model_name}{'_anysize' if dynamic else ''}.onnx")
    atomic_write(path, serialized)
    side = -1 if dynamic else tile
    shape = [1, side, side, io_spec.CHANNELS]
    channels = {io_spec.OUTPUT_NAME: io_spec.CHANNELS, io_spec.DEFOCUS_OUTPUT_NAME: 1}
    meta = build_metadata(
        path, model_name, MODEL_VERSION, "fp32",
        [tensor_entry(n, shape, "float32") for n in io_spec.INPUT_NAMES],
        [tensor_entry(n, [1, side, side, channels[n]], "float32") for n in output_names(model)],
        tile, overlap,
        runtime="onnx", opset=int(opset), onnxruntime_max_abs_diff=diff, **extra)
    write_metadata(metadata_path(path), meta)
    return path, meta
