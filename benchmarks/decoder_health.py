"""Open up trained checkpoints: which decoder convolutions are dead, and how large the living ones
fire, on a fixed probe of training patches.

    .venv/bin/python benchmarks/decoder_health.py \\
        --bank runs/budget_curve_80z/bank_4000_128_seed31.npz \\
        --models "tiny+zero p128=runs/budget_curve_80z/tinyzero_p128/checkpoint.keras" \\
        --name decoder_health_zero

plateau_trace.py follows the first steps of a run; this reads where a long run ended. For every
fusion and decoder convolution (ReLU outputs, in the model's order) it counts the output
channels that are never positive on the probe (dead: no gradient passes them) and their mean
activation, and gives the checkpoint's gain over the input C on the same probe. A run on the
+0.07 dB plateau shows a dead full-resolution merge (`dec_s0_merge`): the residual head then sees
zeros and the network is stuck at its input. Writes results/NAME.{json,md}.
"""

from __future__ import annotations

import argparse
import pathlib
import re
import sys

import numpy as np

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import cpu_campaign  # noqa: E402
import cpu_training  # noqa: E402
from plateau_trace import _unit_stats  # noqa: E402
from scene_crops import command_line, parse_models  # noqa: E402

RELU_CONVS = re.compile(r"^(fuse_s\d+_conv|dec_s\d+_(upconv|merge))$")
PROBE_PATCHES = 32


def probe_of(bank):
    """(views, target): PROBE_PATCHES patches spread evenly over the bank."""
    from keras_mccnet.data.patch_bank import from_bank_grid

    index = np.linspace(0, len(bank) - 1, PROBE_PATCHES).astype(int)
    views = {v: from_bank_grid(getattr(bank, v)[index]) for v in ("left", "right")}
    return views, from_bank_grid(bank.target[index])


def health(spec, views, target):
    """{gain_db, layers: {name: [dead, channels, mean activation]}} of one model: a .keras
    file, a run folder, PRESET:WEIGHTS (keras_mccnet.model_spec) or a campaign's snapshot
    (OUT/snapshots/stepN.weights.h5, built with that campaign's overrides)."""
    import keras

    from keras_mccnet.metrics import psnr
    from keras_mccnet.model_spec import ModelSourceError

    try:
        model = cpu_campaign.snapshot_or_spec_model(spec)
    except ModelSourceError as error:
        raise SystemExit(f"decoder_health.py: {error}") from None
    layers = [layer for layer in model.layers if RELU_CONVS.match(layer.name)]
    probe = keras.Model(model.inputs, [layer.output for layer in layers] + [model.output])
    *acts, out = probe.predict(views, verbose=0, batch_size=8)
    center = (views["left"] + views["right"]) / 2
    gain = float(np.mean(psnr(target, out)) - np.mean(psnr(target, center)))
    return {"gain_db": gain,
            "layers": {layer.name: _unit_stats(np.asarray(a)) for layer, a in zip(layers, acts)}}


def table(results) -> str:
    layers = next(iter(results.values()))["layers"]  # main() checks that every model has these
    lines = [f"Gain: dB over the input C on {PROBE_PATCHES} training patches. Cells: dead channels "
             "/ channels (never positive on the probe), mean activation.", "",
             "| checkpoint | probe gain (dB) | " + " | ".join(layers) + " |",
             "|---|---:|" + "---:|" * len(layers)]
    for label, r in results.items():
        cells = [f"{d}/{c}, {m:.3g}" for d, c, m in r["layers"].values()]
        lines.append(f"| {label} | {r['gain_db']:+.3f} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--bank", required=True, help="a patch bank (.npz) the probe comes from")
    parser.add_argument("--models", nargs="+", required=True, metavar="LABEL=MODEL_SPEC",
                        help="each a .keras file, run folder, PRESET:WEIGHTS or a campaign's "
                        "OUT/snapshots/stepN.weights.h5")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--name", default="decoder_health")
    args = parser.parse_args(argv)
    cpu_training.limit_threads(args.threads)
    from keras_mccnet.data import PatchBank

    checkpoints = parse_models(args.models)
    views, target = probe_of(PatchBank.load(args.bank))
    results = {label: health(path, views, target) for label, path in checkpoints.items()}
    if len({tuple(r["layers"]) for r in results.values()}) > 1:
        raise SystemExit("decoder_health.py: the checkpoints' decoders differ in layers; "
                         "compare one architecture family per table")
    cpu_training.publish(args.name, {"command": command_line("decoder_health.py", argv),
                                     "bank": args.bank,
                                     "checkpoints": checkpoints, "results": results},
                         table(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
