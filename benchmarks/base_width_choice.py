"""Why mccnet_base has widths 24..192: LiteRT latency of candidate configs vs dpdnet_concat.

    .venv/bin/python benchmarks/base_width_choice.py

Converts each candidate to float32 TFLite (builtins only) at a 256x256 tile and times it through
the LiteRT interpreter with 1 and 2 threads (median of 5 after a warm-up), all in one run, next
to the DPDNet-sized concat baseline. Writes benchmarks/results/base_width_choice.json.
"""

from __future__ import annotations

import os
import pathlib
import time

import numpy as np

from keras_mccnet.atomic_write import atomic_write_json
from keras_mccnet.cost import model_cost
from keras_mccnet.presets import preset_config

RESULTS = pathlib.Path(__file__).resolve().parent / "results"
TILE = 256
OLD_BASE = dict(architecture="mccnet", widths=(32, 64, 128, 256), encoder_blocks=(1, 1, 2, 2),
                decoder_blocks=(1, 1, 1, 0), evidence_channels=16, fusion_channels=32)
CANDIDATES = {
    "widths 32..256 (first mccnet_base)": OLD_BASE,
    "widths 32..256, no full-res blocks": {**OLD_BASE, "encoder_blocks": (0, 1, 2, 2),
                                           "decoder_blocks": (0, 1, 1, 0)},
    "widths 24..192 (mccnet_base now)": preset_config("mccnet_base"),
    "dpdnet_concat": preset_config("dpdnet_concat"),
}


def latency_ms(flatbuffer, threads, runs=5):
    from ai_edge_litert.interpreter import Interpreter

    interpreter = Interpreter(model_content=flatbuffer, num_threads=threads)
    interpreter.allocate_tensors()
    rng = np.random.default_rng(0)
    for detail in interpreter.get_input_details():
        interpreter.set_tensor(detail["index"], rng.random(detail["shape"], dtype=np.float32))
    interpreter.invoke()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        interpreter.invoke()
        times.append((time.perf_counter() - start) * 1e3)
    return float(np.median(times))


def main():
    import tensorflow as tf

    from keras_mccnet import MCCNet

    rows = []
    for name, config in CANDIDATES.items():
        cost = model_cost(config, TILE, TILE)
        model = MCCNet(**{**config, "image_size": (TILE, TILE)})
        converter = tf.lite.TFLiteConverter.from_keras_model(model)
        converter.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS]
        flatbuffer = converter.convert()
        rows.append({"config": name, "params": cost["params"], "gmacs": round(cost["gmacs"], 2),
                     "ms_1_thread": latency_ms(flatbuffer, 1),
                     "ms_2_threads": latency_ms(flatbuffer, 2)})
        print(rows[-1], flush=True)
    ref = rows[-1]
    for row in rows:
        row["speedup_vs_dpdnet_1_thread"] = round(ref["ms_1_thread"] / row["ms_1_thread"], 2)
        row["speedup_vs_dpdnet_2_threads"] = round(ref["ms_2_threads"] / row["ms_2_threads"], 2)
    RESULTS.mkdir(exist_ok=True)
    atomic_write_json(RESULTS / "base_width_choice.json",
                      {"tile": TILE, "load_average_at_start": os.getloadavg()[0], "rows": rows})


if __name__ == "__main__":
    main()
