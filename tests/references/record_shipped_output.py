"""Re-records the shipped weights' reference output (tests/test_mccnet.py checks it).

    .venv/bin/python tests/references/record_shipped_output.py

Run it once after `benchmarks/ship_weights.py ... --name synthetic` replaced the default weights
(benchmarks/ship_default.sh does), never to make a failing refactor pass.
"""

from __future__ import annotations

import pathlib
import sys

import numpy as np

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))

from keras_mccnet.atomic_write import atomic_path  # noqa: E402
from model_checks import SHIPPED_REFERENCE, shipped_model_output  # noqa: E402


def main() -> int:
    output = shipped_model_output()
    with atomic_path(SHIPPED_REFERENCE) as tmp:
        np.save(tmp, output)
    print(f"recorded {SHIPPED_REFERENCE} {output.shape}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
