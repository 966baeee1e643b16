"""Micro-profile: the cost volume alone vs one 3x3 convolution, fp32 and int8, through LiteRT.

Why mccnet_base gains nothing from int8 on the host CPU: the level-0 cost volume of mccnet_base
(256x256x32 features, +-4 px, 9 displacements: L2 normalisation, shifted products and a channel
MEAN per displacement) gets SLOWER in int8, while a plain 3x3 convolution of the same size gets
faster. Writes benchmarks/results/export_op_profile.json.

    .venv/bin/python benchmarks/export_op_profile.py
"""

from __future__ import annotations

import os
import sys
import tempfile
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
from keras_mccnet.atomic_write import atomic_write_json  # noqa: E402

H = W = 256
C = 32
D = 4


def _convert(model, mode, samples) -> bytes:
    import keras
    import tensorflow as tf

    with tempfile.TemporaryDirectory() as d:
        archive = keras.export.ExportArchive()
        archive.track(model)
        spec = [tf.TensorSpec((1, H, W, C), tf.float32, name=n) for n in ("left", "right")]
        archive.add_endpoint("serving_default",
                             lambda left, right: {"out": model({"left": left, "right": right})},
                             spec)
        archive.write_out(d, verbose=False)
        conv = tf.lite.TFLiteConverter.from_saved_model(d, ["serving_default"])
        conv.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS]
        if mode == "int8":
            conv.optimizations = [tf.lite.Optimize.DEFAULT]
            conv.representative_dataset = lambda: ({"left": a[None], "right": b[None]}
                                                   for a, b in samples)
        return conv.convert()


def _time(flatbuffer, runs=7) -> float:
    from keras_mccnet.export.tflite import interpreter_for

    run = interpreter_for(flatbuffer, 1).get_signature_runner()
    x = np.random.default_rng(0).random((1, H, W, C), dtype=np.float32)
    run(left=x, right=x)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        run(left=x, right=x)
        times.append(time.perf_counter() - start)
    return float(np.median(times) * 1e3)


def main() -> int:
    import keras

    from keras_mccnet.layers import CrossCorrelation

    def model(fn):
        left = keras.Input((H, W, C), batch_size=1, name="left")
        right = keras.Input((H, W, C), batch_size=1, name="right")
        return keras.Model({"left": left, "right": right}, fn(left, right))

    rng = np.random.default_rng(0)
    samples = [(rng.random((H, W, C), dtype=np.float32), rng.random((H, W, C), dtype=np.float32))
               for _ in range(4)]
    cases = {
        "cost_volume_level0": model(lambda l, r: CrossCorrelation(D)([l, r])),
        "conv3x3_32to32": model(lambda l, r: keras.layers.Conv2D(C, 3, padding="same")(
            keras.layers.Add()([l, r]))),
    }
    rows = []
    for name, m in cases.items():
        for mode in ("fp32", "int8"):
            ms = _time(_convert(m, mode, samples))
            rows.append({"case": name, "mode": mode, "median_ms_1_thread": ms})
            print(f"{name:<20} {mode:<5} {ms:8.1f} ms", flush=True)
    out = os.path.join(HERE, "results", "export_op_profile.json")
    atomic_write_json(out, {"shape": [1, H, W, C], "max_displacement": D, "threads": 1,
                            "load_average": os.getloadavg()[0], "rows": rows})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
