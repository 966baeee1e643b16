"""Every preset converts with `tf.lite.TFLiteConverter.from_keras_model` and builtin ops only,
as users convert the any-size Keras model themselves, and the result matches Keras at odd sizes.

Writes benchmarks/results/anysize_conversion.json (per preset: converted or the error, the op
set, max |TFLite - Keras| at each size, conversion seconds).

    PYTHONPATH=. .venv/bin/python benchmarks/anysize_conversion.py [--presets mccnet_tiny ...]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))

SIZES = ((37, 53), (120, 97), (256, 200))  # none a multiple of 16 in both sides


def convert_preset(name: str) -> dict:
    import tensorflow as tf
    from ai_edge_litert.interpreter import Interpreter

    from keras_mccnet import MCCNet

    model = MCCNet.from_preset(name)
    start = time.perf_counter()
    converter = tf.lite.TFLiteConverter.from_keras_model(model)
    converter.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS]
    try:
        flatbuffer = converter.convert()
    except Exception as e:  # the failure itself is the result
        return {"preset": name, "converted": False, "error": str(e).splitlines()[-1][:300]}
    row = {"preset": name, "converted": True, "seconds": time.perf_counter() - start,
           "size_mb": len(flatbuffer) / 2**20, "max_abs_diff": {}}
    interpreter = Interpreter(model_content=flatbuffer)
    row["ops"] = sorted({d["op_name"] for d in interpreter._get_ops_details()})  # noqa: SLF001
    runner = interpreter.get_signature_runner()
    for h, w in SIZES:
        rng = np.random.default_rng(h)
        views = {v: rng.random((1, h, w, 3), dtype=np.float32) for v in ("left", "right")}
        got = list(runner(**views).values())[0]
        row["max_abs_diff"][f"{h}x{w}"] = float(np.max(np.abs(got - np.asarray(model(views)))))
    return row


def main(argv=None) -> int:
    from keras_mccnet.atomic_write import atomic_write
    from keras_mccnet.presets import PRESETS

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--presets", nargs="*", default=list(PRESETS))
    parser.add_argument("--out", default=os.path.join(HERE, "results", "anysize_conversion.json"))
    args = parser.parse_args(argv)
    rows = []
    for name in args.presets:
        rows.append(convert_preset(name))
        print(json.dumps(rows[-1]), flush=True)
    ok = all(r["converted"] for r in rows)
    if os.path.isfile(args.out):  # rerun of some presets: keep the others' rows
        with open(args.out) as f:
            kept = [r for r in json.load(f)["rows"] if r["preset"] not in args.presets]
        rows = sorted(kept + rows, key=lambda r: list(PRESETS).index(r["preset"]))
    atomic_write(args.out, json.dumps({"sizes": SIZES, "rows": rows}, indent=1) + "\n")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
