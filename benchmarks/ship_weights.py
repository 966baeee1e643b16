"""Ships trained weights in the package: copies them, records their SHA-256 and provenance.

    .venv/bin/python benchmarks/ship_weights.py WEIGHTS.weights.h5 --preset mccnet_tiny \\
        --name synthetic --description "..."

Writes keras_mccnet/weights/<preset>_<name>.weights.h5 and its entry in
keras_mccnet/weights/registry.json; `MCCNet.from_preset(preset, weights=name)` then loads it after
checking the digest.
"""

from __future__ import annotations

import argparse
import os
import sys

from keras_mccnet import MCCNet
from keras_mccnet.atomic_write import atomic_path
from keras_mccnet.pretrained import WEIGHTS_DIR, register, sha256_of


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("weights", help="a .weights.h5 file saved by model.save_weights")
    parser.add_argument("--preset", required=True)
    parser.add_argument("--name", default="synthetic")
    parser.add_argument("--description", required=True)
    args = parser.parse_args(argv)
    model = MCCNet.from_preset(args.preset)
    model.load_weights(args.weights)  # refuses a file of another architecture
    WEIGHTS_DIR.mkdir(exist_ok=True)
    filename = f"{args.preset}_{args.name}.weights.h5"
    # Re-saved from an uncompiled model: the model weights alone, without the optimizer's
    # moment estimates that a training checkpoint carries (a third of the size).
    with atomic_path(WEIGHTS_DIR / filename) as tmp:
        model.save_weights(tmp)
    register({"preset": args.preset, "name": args.name, "filename": filename,
              "sha256": sha256_of(WEIGHTS_DIR / filename), "description": args.description})
    print(f"shipped {WEIGHTS_DIR / filename} ({os.path.getsize(WEIGHTS_DIR / filename)} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
