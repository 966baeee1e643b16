"""The metadata JSON written beside every exported model, read by the Android app and the tiler.

Schema "keras-mccnet-model/1" (extra keys are allowed and ignored by readers):

    {"format": "keras-mccnet-model/1", "model_file": "mccnet_tiny_fp16.tflite",
     "model_name": "mccnet_tiny", "model_version": "0.1.0", "exporter_version": "0.1.0",
     "quant_mode": "fp32" | "fp16" | "dynamic" | "int8",
     "inputs": [{"name": "left", "shape": [1, 512, 512, 3], "dtype": "float32",
                 "quantization": null}, {"name": "right", ...}],
     "outputs": [{"name": "deblurred", "shape": [1, 512, 512, 3], "dtype": "float32",
                  "quantization": null}],
     "value_range": [0.0, 1.0], "layout": "NHWC", "tile": {"size": 512, "overlap": 64}}

`quantization` is null, or {"scale": float, "zero_point": int} when that tensor is integer.
ONNX models use the same schema with quant_mode "fp32" and "runtime": "onnx".
Tensor entries are read from the converted model itself, never assumed.
"""

from __future__ import annotations

import json
import os

from keras_mccnet import __version__ as EXPORTER_VERSION
from keras_mccnet import io_spec
from keras_mccnet.atomic_write import atomic_write

FORMAT = "keras-mccnet-model/1"
QUANT_MODES = ("fp32", "fp16", "dynamic", "int8")
# Calibration tiles of a full-int8 export (`mccnet export --calibration`), recorded in the metadata.
DEFAULT_CALIBRATION_TILES = 32
REQUIRED_KEYS = ("format", "model_file", "model_name", "model_version", "exporter_version",
                 "quant_mode", "inputs", "outputs", "value_range", "layout", "tile")


class MetadataError(ValueError):
    """A metadata JSON is missing, unreadable or does not follow the schema."""


def metadata_path(model_path) -> str:
    """The metadata JSON of a model file: same folder and stem, `.json` suffix."""
    root, _ = os.path.splitext(os.fspath(model_path))
    return root + ".json"


def tensor_entry(name: str, shape, dtype: str, scale=None, zero_point=None) -> dict:
    """One `inputs`/`outputs` entry; quantization only for integer tensors with a real scale."""
    quant = None
    if dtype.startswith(("int", "uint")) and scale:
        quant = {"scale": float(scale), "zero_point": int(zero_point)}
    return {"name": name, "shape": [int(s) for s in shape], "dtype": dtype, "quantization": quant}


def build_metadata(model_file: str, model_name: str, model_version: str, quant_mode: str,
                   inputs: list, outputs: list, tile: int, overlap: int, **extra) -> dict:
    """A complete metadata dict; `extra` keys (weights source, runtime, ...) are appended."""
    if quant_mode not in QUANT_MODES:
        raise ValueError(f"quant_mode must be one of {QUANT_MODES}, got {quant_mode!r}")
    meta = {
        "format": FORMAT,
        "model_file": os.path.basename(model_file),
        "model_name": model_name,
        "model_version": model_version,
        "exporter_version": EXPORTER_VERSION,
        "quant_mode": quant_mode,
        "inputs": inputs,
        "outputs": outputs,
        "value_range": [float(v) for v in io_spec.VALUE_RANGE],
        "layout": io_spec.LAYOUT,
        "tile": {"size": int(tile), "overlap": int(overlap)},
    }
    meta.update(extra)
    return meta


def write_metadata(path, meta: dict) -> None:
    """Writes the metadata JSON atomically (complete or absent)."""
    atomic_write(path, json.dumps(meta, indent=1) + "\n")


def validate_metadata(meta, where: str = "metadata") -> dict:
    """Checks the schema; raises MetadataError naming `where` and the problem."""
    if not isinstance(meta, dict):
        raise MetadataError(f"{where}: expected a JSON object, got {type(meta).__name__}")
    missing = [k for k in REQUIRED_KEYS if k not in meta]
    if missing:
        raise MetadataError(f"{where}: missing keys {missing}")
    if meta["format"] != FORMAT:
        raise MetadataError(f"{where}: format {meta['format']!r} is not {FORMAT!r}")
    if meta["quant_mode"] not in QUANT_MODES:
        raise MetadataError(f"{where}: quant_mode {meta['quant_mode']!r} not in {QUANT_MODES}")
    names = [t.get("name") for t in meta["inputs"]]
    if sorted(names) != sorted(io_spec.INPUT_NAMES):
        raise MetadataError(f"{where}: inputs must be {list(io_spec.INPUT_NAMES)}, got {names}")
    for t in meta["inputs"] + meta["outputs"]:
        if len(t.get("shape", [])) != 4:
            raise MetadataError(f"{where}: tensor {t.get('name')!r} must be rank 4 NHWC")
    tile = meta["tile"]
    if not 0 <= int(tile["overlap"]) < int(tile["size"]):
        raise MetadataError(f"{where}: tile overlap must be in [0, size), got {tile}")
    return meta


def read_metadata(path) -> dict:
    """Reads and validates a metadata JSON (give the .json or the model file beside it)."""
    path = os.fspath(path)
    if not path.endswith(".json"):
        path = metadata_path(path)
    if not os.path.isfile(path):
        raise MetadataError(f"{path}: metadata JSON not found (it is written beside every "
                            "exported model by `mccnet export`)")
    try:
        with open(path) as f:
            meta = json.load(f)
    except (OSError, json.JSONDecodeError) as e:
        raise MetadataError(f"{path}: unreadable metadata JSON ({e})") from e
    return validate_metadata(meta, path)
