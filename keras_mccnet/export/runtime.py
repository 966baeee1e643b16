"""Run an exported model (.tflite through LiteRT, or .onnx through onnxruntime) on tiles and images.

`ExportedModel(path)` reads the metadata JSON beside the model file and exposes
`__call__(left_tile, right_tile) -> out_tile` (HxWx3 float arrays, H, W <= the model's tile), the
signature `keras_mccnet.tiling.run_tiled` expects: smaller tiles (image borders, small images)
are padded to the fixed tile, the output is cropped back and clamped to the value range.
`deblur(left, right)` runs whole images with the tile size and overlap of the metadata, taking
the same inputs as `keras_mccnet.deblur` (uint8 / uint16 / float, with or without batch).
"""

from __future__ import annotations

import os

import numpy as np

from keras_mccnet import io_spec
from keras_mccnet.input_views import normalize_views
from keras_mccnet.tiling import run_tiled

from keras_mccnet.export.metadata import read_metadata


class ExportedModel:
    """A fixed-tile (or any-size) exported model with its metadata.

    Args:
        path: the .tflite or .onnx file (its .json must lie beside it).
        num_threads: CPU threads of the interpreter / session (None: runtime default).
    """

    def __init__(self, path, num_threads=None):
        path = os.fspath(path)
        if not os.path.isfile(path):
            raise FileNotFoundError(f"{path}: exported model not found")
        self.path = path
        self.metadata = read_metadata(path)
        self.tile = int(self.metadata["tile"]["size"])
        self.overlap = int(self.metadata["tile"]["overlap"])
        self.value_range = tuple(self.metadata["value_range"])
        self._inputs = {t["name"]: t for t in self.metadata["inputs"]}
        # by name: a model with the defocus head lists a second output, `defocus`
        self._output = next((t for t in self.metadata["outputs"]
                             if t["name"] == io_spec.OUTPUT_NAME), self.metadata["outputs"][0])
        # An any-size export (`mccnet export --dynamic`) has -1 sides: tiles run at their size.
        self.dynamic = min(self._inputs["left"]["shape"][1:3]) < 0
        if path.endswith(".onnx"):
            self._run = self._onnx_runner(num_threads)
        else:
            self._run = self._tflite_runner(num_threads)

    def _tflite_runner(self, num_threads):
        from keras_mccnet.export.tflite import interpreter_for

        try:
            interpreter = interpreter_for(self.path, num_threads)
        except Exception as e:
            raise ValueError(f"{self.path}: not a loadable TFLite model ({e})") from e
        runner = interpreter.get_signature_runner()
        return lambda feeds: runner(**feeds)[self._output["name"]]

    def _onnx_runner(self, num_threads):
        import onnxruntime as ort

        options = ort.SessionOptions()
        if num_threads:
            options.intra_op_num_threads = int(num_threads)
        try:
            sess = ort.InferenceSession(self.path, options, providers=["CPUExecutionProvider"])
        except Exception as e:
            raise ValueError(f"{self.path}: not a loadable ONNX model ({e})") from e
        return lambda feeds: sess.run([self._output["name"]], feeds)[0]

    @staticmethod
    def _quantize(x, entry):
        q = entry.get("quantization")
        if not q:
            return x.astype(entry["dtype"])
        info = np.iinfo(entry["dtype"])
        return np.clip(np.round(x / q["scale"] + q["zero_point"]), info.min,
                       info.max).astype(entry["dtype"])

    @staticmethod
    def _dequantize(y, entry):
        q = entry.get("quantization")
        if not q:
            return y.astype(np.float32)
        return ((y.astype(np.float32) - q["zero_point"]) * q["scale"]).astype(np.float32)

    def run_batch(self, left, right) -> np.ndarray:
        """Raw model output for full-size (1, tile, tile, 3) inputs, not clamped."""
        feeds = {"left": self._quantize(np.asarray(left, np.float32), self._inputs["left"]),
                 "right": self._quantize(np.asarray(right, np.float32), self._inputs["right"])}
        return self._dequantize(np.asarray(self._run(feeds)), self._output)

    def __call__(self, left_tile, right_tile) -> np.ndarray:
        left_tile, right_tile = np.asarray(left_tile), np.asarray(right_tile)
        h, w = left_tile.shape[:2]
        if self.dynamic:
            out = self.run_batch(left_tile[None], right_tile[None])[0]
            return np.clip(out, *self.value_range)
        if h > self.tile or w > self.tile:
            raise ValueError(f"tile of {h}x{w} exceeds the model's fixed {self.tile} px tile")
        pad = ((0, self.tile - h), (0, self.tile - w), (0, 0))
        # Mirror padding, as the model's own PadToMultiple: no artificial edge at the border.
        mode = "symmetric" if self.tile - h <= h and self.tile - w <= w else "edge"
        batch = [np.pad(v.astype(np.float32), pad, mode=mode)[None] for v in (left_tile,
                                                                               right_tile)]
        out = self.run_batch(*batch)[0, :h, :w]
        return np.clip(out, *self.value_range)

    def deblur(self, left, right, progress=None, dp_axis="auto",
               split_gain=1.0) -> np.ndarray:
        """Whole images through overlap-blended tiling, by the input rule of
        `keras_mccnet.deblur` (`keras_mccnet.input_views`): HxWx3 or NxHxWx3, uint8 / uint16 /
        float in [0, 1]; returns float32 in the value range, of the inputs' rank. `dp_axis`
        and `split_gain` as `keras_mccnet.deblur`: "auto" transposes pairs measured to split
        top / bottom; the split gain (`keras_mccnet.dp_split`) scales the views' difference."""
        from keras_mccnet.dp_axis import check_dp_axis, run_oriented
        from keras_mccnet.dp_split import amplify_split, check_split_gain

        check_dp_axis(dp_axis)
        check_split_gain(split_gain)
        left, right, batched = normalize_views(left, right)

        def run(l, r):
            l, r = amplify_split(l, r, split_gain)
            return np.clip(run_tiled(self, l, r, self.tile, self.overlap, progress=progress),
                           *self.value_range)

        out = np.stack([run_oriented(run, l, r, dp_axis) for l, r in zip(left, right)])
        return out if batched else out[0]

