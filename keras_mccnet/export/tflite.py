"""TFLite export: float32, float16, dynamic-range int8 and full int8, builtin ops only.

Every model is converted from a fixed-shape copy (batch 1, tile x tile x 3 per view) through a
`tf.function` whose signature names the inputs `left`/`right` and the output `deblurred` (plus
`defocus` for a model with the defocus head), so the Android app and the Python runtime address
tensors by name. The converter is restricted to
TFLITE_BUILTINS: a graph that needs Flex (Select TF) ops fails the export instead of producing a
model the phone cannot run.

Full int8 keeps float32 model inputs and outputs (a QUANTIZE op at the inputs, DEQUANTIZE at the
output): the app then feeds the same float tiles to every variant, and the metadata's
`quantization` is null for I/O. By default int8 keeps the cost volume's L2 normalisation, the
final ADD and its operands, and the decoder's last block in float (`int8_float.DEFAULT_GROUPS`,
chosen by `benchmarks/int8_quality.py` and `benchmarks/int8_stage_float.py`); more ops can be
kept in float (`float_ops` / `float_nodes`), `float_groups=()` is full int8.
"""

from __future__ import annotations

import os
import tempfile

import numpy as np
import tensorflow as tf

from keras_mccnet import io_spec
from keras_mccnet.atomic_write import atomic_write

from keras_mccnet.export.int8_float import DEFAULT_GROUPS
from keras_mccnet.export.loading import fixed_tile_model
from keras_mccnet.export.metadata import QUANT_MODES, build_metadata, metadata_path, tensor_entry, \
    write_metadata

MODEL_VERSION = "0.1.0"
# Height and width an any-size model is first allocated at (any multiple of the stride works).
ANY_SIZE_ALLOCATION = 64


class ExportError(RuntimeError):
    """Conversion failed, or produced ops that are not TFLite builtins."""


def input_signature(tile: int | None):
    """TensorSpecs of the two views, named as in io_spec: tile x tile, or any size for None."""
    return [tf.TensorSpec((1, tile, tile, io_spec.CHANNELS), tf.float32, name=n)
            for n in io_spec.INPUT_NAMES]


def _serve(model):
    def serve(left, right):
        out = model({"left": left, "right": right}, training=False)
        # a model with the defocus head returns {"deblurred", "defocus"}: both become outputs
        return dict(out) if isinstance(out, dict) else {io_spec.OUTPUT_NAME: out}

    return serve


def save_serving_model(model, tile: int | None, workdir: str) -> str:
    """Writes a SavedModel with one signature "serving_default": (left, right) -> {deblurred}
    (and `defocus` when the model has the defocus head).

    Keras' ExportArchive tracks the Keras 3 variables so the converter freezes them into
    constants (a plain tf.Module leaves VAR_HANDLE/READ_VARIABLE ops), and the signature keeps
    our tensor names (from_keras_model would name the output "output_0")."""
    import keras

    archive = keras.export.ExportArchive()
    archive.track(model)
    archive.add_endpoint("serving_default", _serve(model), input_signature(tile))
    archive.write_out(workdir, verbose=False)
    return workdir


def _converter(model, tile: int, workdir: str):
    save_serving_model(model, tile, workdir)
    converter = tf.lite.TFLiteConverter.from_saved_model(workdir, ["serving_default"])
    converter.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS]
    return converter


def _representative(samples):
    """The converter's representative dataset from a re-iterable of (left, right[, ...])."""

    def generate():
        for left, right, *_ in samples:
            yield {"left": np.asarray(left, np.float32)[None],
                   "right": np.asarray(right, np.float32)[None]}

    return generate


def configure(converter, mode: str, samples=None):
    """Sets the converter options of one quantisation mode."""
    if mode not in QUANT_MODES:
        raise ValueError(f"quantization mode must be one of {QUANT_MODES}, got {mode!r}")
    if mode == "fp32":
        return converter
    converter.optimizations = [tf.lite.Optimize.DEFAULT]
    if mode == "fp16":
        converter.target_spec.supported_types = [tf.float16]
    elif mode == "int8":
        if samples is None:
            raise ValueError("full int8 needs representative samples (calibration tiles)")
        converter.representative_dataset = _representative(samples)
    return converter


def _run(convert, what: str) -> bytes:
    try:
        return convert()
    except Exception as e:  # ConverterError and friends: name the cause, keep the message
        message = str(e)
        hint = ""
        lowered = message.lower()
        if any(k in lowered for k in ("flex", "select tf", "custom op", "not supported")):
            hint = (" The graph needs ops outside TFLITE_BUILTINS (Flex/Select TF or custom ops), "
                    "which the phone runtime does not ship; replace the op in the model.")
        raise ExportError(f"TFLite conversion ({what}) failed.{hint}\n{message}") from e


def convert(model, tile: int | None, mode: str = "fp32", samples=None, float_ops=(),
            float_nodes=(), float_groups=DEFAULT_GROUPS) -> bytes:
    """Converts `model` at a fixed tile to a TFLite flatbuffer in quantisation `mode`.

    Args:
        model: an MCCNet (any input size; a fixed-shape copy is made).
        tile: tile side in pixels; None converts the any-size model (height and width set at
            run time with `resize_tensor_input`; the signature runner does it by itself).
        mode: "fp32", "fp16", "dynamic" or "int8".
        samples: re-iterable of (left, right, ...) tiles, required for "int8".
        float_ops: int8 only: TFLite op names (e.g. "MEAN") left in float.
        float_nodes: int8 only: output tensor names of ops left in float.
        float_groups: int8 only: op groups of `int8_float.GROUPS` left in float, found in the
            calibrated graph (default: the cost volume's normalisation and the output ADD);
            () with no float_ops/float_nodes is full int8.

    Raises:
        ExportError: conversion failed or the result holds non-builtin ops.
    """
    from keras_mccnet import MCCNet

    # Any other Keras model taking {"left", "right"} is converted as given (tests, baselines).
    fixed = fixed_tile_model(model, tile) if isinstance(model, MCCNet) else model
    with tempfile.TemporaryDirectory(prefix="mccnet-export-") as workdir:
        converter = configure(_converter(fixed, tile, workdir), mode, samples)
        if mode == "int8" and (float_ops or float_nodes or float_groups):
            flatbuffer = _selective_int8(converter, list(float_ops), list(float_nodes),
                                         tuple(float_groups))
        else:
            flatbuffer = _run(converter.convert, mode)
    bad = non_builtin_ops(flatbuffer)
    if bad:
        raise ExportError(f"TFLite model ({mode}) holds non-builtin ops {bad}; the phone "
                          "runtime has builtin kernels only")
    return flatbuffer


def calibrate(converter) -> bytes:
    """The calibrated float model (range statistics attached) of an int8-configured converter:
    the input of `quantize_calibrated`, as in tf.lite.experimental.QuantizationDebugger."""
    converter.experimental_mlir_quantizer = True
    converter._experimental_calibrate_only = True  # noqa: SLF001 (documented debugger path)
    return _run(converter.convert, "int8 calibration")


def quantize_calibrated(calibrated: bytes, float_ops=(), float_nodes=(), float_groups=(),
                        per_channel: bool = True) -> bytes:
    """Int8 model (float I/O) from a calibrated one, the listed ops/nodes/groups kept in float:
    the path of QuantizationDebugger.get_nondebug_quantized_model()."""
    from tensorflow.lite.python import convert as tflite_convert

    from keras_mccnet.export.int8_float import float_nodes as group_nodes

    float_nodes = list(float_nodes) + (group_nodes(calibrated, float_groups)
                                       if float_groups else [])
    return _run(lambda: tflite_convert.mlir_quantize(
        calibrated, disable_per_channel=not per_channel, fully_quantize=False,
        denylisted_ops=list(float_ops) or None, denylisted_nodes=float_nodes or None),
        "int8 quantisation")


def _selective_int8(converter, float_ops, float_nodes, float_groups) -> bytes:
    # Calibrate once, then quantise with the listed ops/nodes/groups kept in float.
    return quantize_calibrated(calibrate(converter), float_ops, float_nodes, float_groups)


def interpreter_for(flatbuffer_or_path, num_threads=None, delegates=True):
    """A LiteRT interpreter (allocated) for model bytes or a .tflite path.

    `delegates=False` skips the default XNNPACK delegate, so `_get_ops_details` lists the model's
    own ops instead of one DELEGATE node."""
    from ai_edge_litert.interpreter import Interpreter, OpResolverType

    kwargs = {"num_threads": num_threads} if num_threads else {}
    if not delegates:
        kwargs["experimental_op_resolver_type"] = OpResolverType.BUILTIN_WITHOUT_DEFAULT_DELEGATES
    if isinstance(flatbuffer_or_path, (bytes, bytearray)):
        interpreter = Interpreter(model_content=bytes(flatbuffer_or_path), **kwargs)
    else:
        interpreter = Interpreter(model_path=os.fspath(flatbuffer_or_path), **kwargs)
    for detail in interpreter.get_input_details():
        # An any-size model starts at 1x1, which its mirror padding cannot handle: allocate it
        # at a valid size instead (the signature runner resizes to each input anyway).
        if -1 in detail["shape_signature"][1:3]:
            shape = [s if s > 0 else ANY_SIZE_ALLOCATION for s in detail["shape_signature"]]
            interpreter.resize_tensor_input(detail["index"], shape)
    interpreter.allocate_tensors()
    return interpreter


def op_names(flatbuffer) -> list[str]:
    """The op of every node, in execution order."""
    interpreter = interpreter_for(flatbuffer, delegates=False)
    return [d["op_name"] for d in interpreter._get_ops_details()]  # noqa: SLF001


def non_builtin_ops(flatbuffer) -> list[str]:
    """Sorted names of ops that are Flex/custom, i.e. not TFLite builtins (empty = all good)."""
    return sorted({o for o in op_names(flatbuffer)
                   if o.startswith("Flex") or o in ("CUSTOM", "DELEGATE")})


def signature_tensors(interpreter) -> tuple[list, list]:
    """Metadata `inputs`, `outputs` entries read from the model's signature."""
    runner = interpreter.get_signature_runner()

    def entries(details, order):
        out = []
        for name in order:
            d = details[name]
            scale, zero = d["quantization_parameters"]["scales"], \
                d["quantization_parameters"]["zero_points"]
            # shape_signature keeps -1 for the sides of an any-size model ("shape" says 1).
            shape = d.get("shape_signature", d["shape"])
            out.append(tensor_entry(name, shape, np.dtype(d["dtype"]).name,
                                    scale[0] if len(scale) else None,
                                    zero[0] if len(zero) else None))
        return out

    inputs = runner.get_input_details()
    outputs = runner.get_output_details()
    return entries(inputs, io_spec.INPUT_NAMES), entries(outputs, sorted(outputs))


def write_tflite(flatbuffer: bytes, path, model_name: str, mode: str, tile: int, overlap: int,
                 **extra) -> dict:
    """Writes the model and its metadata JSON beside it; returns the metadata."""
    path = os.fspath(path)
    atomic_write(path, flatbuffer)
    inputs, outputs = signature_tensors(interpreter_for(flatbuffer))
    meta = build_metadata(path, model_name, MODEL_VERSION, mode, inputs, outputs, tile, overlap,
                          runtime="tflite", **extra)
    write_metadata(metadata_path(path), meta)
    return meta


def export_tflite(model, out_dir, model_name: str, modes=QUANT_MODES,
                  tile: int = io_spec.DEFAULT_TILE, overlap: int = io_spec.DEFAULT_OVERLAP,
                  samples=None, float_ops=(), float_nodes=(), float_groups=DEFAULT_GROUPS,
                  progress=None, dynamic=False, **extra) -> list:
    """Exports `model` in every requested mode to `out_dir/<model_name>_<mode>.tflite` (+ .json).

    Returns a list of (path, metadata). `extra` is written into every metadata JSON (e.g. the
    weights source). `dynamic=True` writes any-size models `<model_name>_<mode>_anysize.tflite`
    instead (inputs (1, -1, -1, 3)); `tile` then only sets the tiling the metadata recommends.
    `float_ops`, `float_nodes`, `float_groups`: what int8 keeps in float (see `convert`).
    """
    os.makedirs(out_dir, exist_ok=True)
    results = []
    for mode in modes:
        kept = {}
        if mode == "int8" and (float_ops or float_nodes or float_groups):
            kept = {"float_groups": list(float_groups), "float_ops": list(float_ops),
                    "float_nodes": list(float_nodes)}
        flatbuffer = convert(model, None if dynamic else tile, mode, samples, **kept)
        suffix = "_anysize" if dynamic else ""
        path = os.path.join(os.fspath(out_dir), f"{model_name}_{mode}{suffix}.tflite")
        meta = write_tflite(flatbuffer, path, model_name, mode, tile, overlap,
                            **({"int8_kept_in_float": kept} if kept else {}), **extra)
        results.append((path, meta))
        if progress is not None:
            progress(mode, path)
    return results
