"""Model cost: parameters and GMACs of the presets at 256x256 and 1680x1120, in one run.

    .venv/bin/python benchmarks/model_cost.py

Writes benchmarks/results/model_cost.json and .md and the README table `model_cost`, and checks
the foundation bars: mccnet_base has at most 5 M parameters and no more GMACs than the
DPDNet-sized concat baseline at the same input.
"""

from __future__ import annotations

import json
import pathlib
import platform
import sys
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))

import cpu_training  # noqa: E402

from keras_mccnet import __version__  # noqa: E402
from keras_mccnet.cost import model_cost  # noqa: E402
from keras_mccnet.presets import preset_config  # noqa: E402

PRESETS = ["mccnet_base", "mccnet_base_stem2", "mccnet_tiny", "dpdnet_concat", "concat_base",
           "siamese_no_corr_base", "single_view_base", "concat_tiny", "siamese_no_corr_tiny",
           "single_view_tiny"]
SIZES = {"256x256": (256, 256), "1680x1120": (1120, 1680)}  # (H, W); DPDD images are landscape
# trained variants that are not presets: label -> (preset, cpu_campaign.py --override values)
VARIANTS = {"mccnet_tiny, widths x1.5 (campaign 91)": (
    "mccnet_tiny", {"widths": [24, 36, 48, 72], "evidence_channels": 12, "fusion_channels": 24})}
MAX_PARAMS = 5_000_000


def configs() -> dict:
    """Label -> (preset, model config): every preset, then every variant."""
    named = {name: (name, preset_config(name)) for name in PRESETS}
    for label, (preset, overrides) in VARIANTS.items():
        named[label] = (preset, {**preset_config(preset), **overrides})
    return named


def main() -> int:
    start = time.time()
    rows = []
    for name, (preset, config) in configs().items():
        row = {"model": name, "preset": preset, "architecture": config["architecture"],
               "widths": list(config["widths"])}
        for label, (h, w) in SIZES.items():
            cost = model_cost(config, h, w)
            row["params"] = cost["params"]
            row[f"gmacs_{label}"] = round(cost["gmacs"], 3)
            row[f"activation_mib_{label}"] = round(cost["activation_bytes"] / 2**20, 1)
        rows.append(row)
    by_name = {r["model"]: r for r in rows}
    base, dpdnet = by_name["mccnet_base"], by_name["dpdnet_concat"]
    bars = {
        "mccnet_base_params_at_most_5M": base["params"] <= MAX_PARAMS,
        **{f"mccnet_base_gmacs_at_most_dpdnet_concat_{label}":
           base[f"gmacs_{label}"] <= dpdnet[f"gmacs_{label}"] for label in SIZES},
    }
    result = {"version": __version__, "python": platform.python_version(),
              "seconds": round(time.time() - start, 1), "rows": rows, "bars": bars,
              "notes": "GMACs = convolutions + cost volume + dense layers, batch 1; activations "
                       "= sum of all layer outputs (float32), what training stores."}
    lines = ["| model | architecture | params | GMACs 256x256 | GMACs 1680x1120 |",
             "|---|---|---:|---:|---:|"]
    for r in rows:
        model = f"`{r['model']}`" if r["model"] == r["preset"] else r["model"]
        lines.append(f"| {model} | {r['architecture']} | {r['params'] / 1e6:.2f} M | "
                     f"{r['gmacs_256x256']:.1f} | {r['gmacs_1680x1120']:.0f} |")
    cpu_training.RESULTS.mkdir(exist_ok=True)
    cpu_training.publish("model_cost", result, "\n".join(lines))
    print(json.dumps(bars, indent=1))
    return 0 if all(bars.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
