"""Profile of the cost volume through LiteRT (XNNPACK), fp32 and int8: before / after, per stage.

Why this exists: mccnet_base gained little from int8 because its cost volume got SLOWER in int8.
The previous layer (`sliced_volume` below) normalised with a channel SUM + RSQRT, which the
converter fuses into L2_NORMALIZATION: XNNPACK has no kernel for it, and in int8 the reference
kernel was ~4x slower than in fp32. The current `CrossCorrelation` takes the channel sum of
the normalisation as a constant 1x1 convolution (then RSQRT and a broadcast MUL, all XNNPACK
ops) and keeps the windows + products + channel MEANs, which measured fastest. Two
"fewer, larger ops" candidates are kept here as measured and rejected: all products
concatenated and reduced by ONE constant 1x1 convolution, and constant depthwise convolutions
that shift b and repeat a (4 ops in all). Each case is one small model at mccnet_base's level-0
shape of a 256 tile; a 3x3 convolution of the same size is the yardstick. Writes
benchmarks/results/export_op_profile.json.

    PYTHONPATH=. .venv/bin/python benchmarks/export_op_profile.py [--threads 1 2] [--runs 7]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))

H = W = 256
C = 24  # mccnet_base level 0
D = 4


def sliced_volume(a, b, dmax=D, eps=1e-6):
    """The previous CrossCorrelation.call (horizontal, normalised): the "before" case."""
    from keras import ops

    def normalized(x):
        return x * ops.rsqrt(ops.sum(ops.square(x), axis=-1, keepdims=True) + eps)

    return _sliced_unnormalized(normalized(a), normalized(b), dmax)


def _conv_normalized(x, eps=1e-6):
    from keras_mccnet.layers import CrossCorrelation

    return CrossCorrelation(D, epsilon=eps)._normalized(x)  # noqa: SLF001


def concat_conv_volume(a, b, dmax=D):
    """Rejected candidate: every product concatenated, ONE constant 1x1 conv reduces them."""
    from keras import ops

    a, b = _conv_normalized(a), _conv_normalized(b)
    taps, channels = 2 * dmax + 1, a.shape[-1]
    reduce = np.zeros((1, 1, taps * channels, taps), np.float32)
    for k in range(taps):
        reduce[0, 0, k * channels:(k + 1) * channels, k] = 1.0 / channels
    padded = ops.pad(b, [[0, 0], [0, 0], [dmax, dmax], [0, 0]])
    width = ops.shape(b)[2]
    products = [a * padded[:, :, dmax + dx:dmax + dx + width, :] for dx in range(-dmax, dmax + 1)]
    return ops.conv(ops.concatenate(products, -1), ops.convert_to_tensor(reduce))


def depthwise_volume(a, b, dmax=D):
    """Rejected candidate: constant depthwise convs shift b into channel c * K + k (zero
    outside, "same" padding) and repeat a; one product; one constant 1x1 conv reduces."""
    from keras import ops

    a, b = _conv_normalized(a), _conv_normalized(b)
    taps, channels = 2 * dmax + 1, a.shape[-1]
    shift = np.zeros((1, taps, channels, taps), np.float32)
    for k in range(taps):
        shift[0, k, :, k] = 1.0
    reduce = np.zeros((1, 1, channels * taps, taps), np.float32)
    for c in range(channels):
        reduce[0, 0, c * taps + np.arange(taps), np.arange(taps)] = 1.0 / channels
    shifted = ops.depthwise_conv(b, ops.convert_to_tensor(shift), padding="same")
    repeated = ops.depthwise_conv(a, ops.ones((1, 1, channels, taps)))
    return ops.conv(repeated * shifted, ops.convert_to_tensor(reduce))


def cases():
    """{name: fn(left, right) -> tensor}: whole volumes and their stages."""
    import keras
    from keras import ops

    from keras_mccnet.layers import CrossCorrelation

    layer = CrossCorrelation(D)
    return {
        "volume_before": sliced_volume,
        "volume_after": lambda l, r: layer([l, r]),
        "volume_rejected_concat_conv": concat_conv_volume,
        "volume_rejected_depthwise": depthwise_volume,
        "normalize_before_l2norm": lambda l, r: l * ops.rsqrt(
            ops.sum(ops.square(l), axis=-1, keepdims=True) + 1e-6),
        "normalize_after_conv_rsqrt": lambda l, r: _conv_normalized(l),
        "correlate_slices_means": _sliced_unnormalized,
        "conv3x3_yardstick": lambda l, r: keras.layers.Conv2D(C, 3, padding="same")(
            keras.layers.Add()([l, r])),
    }


def _sliced_unnormalized(a, b, dmax=D):
    from keras import ops

    padded = ops.pad(b, [[0, 0], [0, 0], [dmax, dmax], [0, 0]])
    width = ops.shape(b)[2]
    return ops.concatenate(
        [ops.mean(a * padded[:, :, dmax + dx:dmax + dx + width, :], axis=-1, keepdims=True)
         for dx in range(-dmax, dmax + 1)], axis=-1)


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


def _runner(flatbuffer, threads):
    from keras_mccnet.export.tflite import interpreter_for

    return interpreter_for(flatbuffer, threads).get_signature_runner()


def main(argv=None) -> int:
    import keras

    from keras_mccnet.export.tflite import op_names
    from keras_mccnet.atomic_write import atomic_write

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--threads", nargs="*", type=int, default=[1, 2])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--out", default=os.path.join(HERE, "results", "export_op_profile.json"))
    args = parser.parse_args(argv)
    load_before = os.getloadavg()

    rng = np.random.default_rng(0)
    # Feature-like inputs: ReLU outputs (non-negative, sparse), as the encoder produces.
    samples = [(np.maximum(rng.standard_normal((H, W, C)), 0).astype(np.float32),
                np.maximum(rng.standard_normal((H, W, C)), 0).astype(np.float32))
               for _ in range(4)]
    models = {}
    for name, fn in cases().items():
        left = keras.Input((H, W, C), batch_size=1, name="left")
        right = keras.Input((H, W, C), batch_size=1, name="right")
        model = keras.Model({"left": left, "right": right}, fn(left, right))
        for mode in ("fp32", "int8"):
            flatbuffer = _convert(model, mode, samples)
            models[(name, mode)] = flatbuffer
            print(f"converted {name} {mode}: {sorted(set(op_names(flatbuffer)))}", flush=True)

    x, y = samples[0][0][None], samples[0][1][None]
    rows = []
    for threads in args.threads:
        runners = {key: _runner(fb, threads) for key, fb in models.items()}
        for run in runners.values():
            run(left=x, right=y)  # warm-up
        times = {key: [] for key in runners}
        for _ in range(args.runs):  # round-robin: load drifts hit every case alike
            for key, run in runners.items():
                start = time.perf_counter()
                run(left=x, right=y)
                times[key].append(time.perf_counter() - start)
        for (name, mode), t in times.items():
            ms = float(np.median(t) * 1e3)
            rows.append({"case": name, "mode": mode, "threads": threads, "median_ms": ms,
                         "ops": sorted(set(op_names(models[(name, mode)])))})
            print(f"{name:<32} {mode:<5} {threads} thr {ms:8.2f} ms", flush=True)
    result = {"shape": [1, H, W, C], "max_displacement": D, "runs": args.runs,
              "load_average_before": list(load_before), "load_average_after":
              list(os.getloadavg()), "note": "shared 2-core host, other jobs running", "rows": rows}
    atomic_write(args.out, json.dumps(result, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
