"""`mccnet info`: parameters, MACs and activation memory of a preset at one or more sizes."""

from __future__ import annotations

import json

from keras_mccnet.presets import PRESETS, preset_config

DEFAULT_SIZES = ((256, 256), (1120, 1680))


def add_arguments(parser):
    parser.add_argument("--preset", action="append", choices=sorted(PRESETS), metavar="P",
                        help=f"preset(s) to describe (repeatable; default mccnet_base). "
                             f"One of: {', '.join(sorted(PRESETS))}")
    parser.add_argument("--size", nargs=2, type=int, action="append", metavar=("H", "W"),
                        help="input height and width (repeatable; default 256 256 and 1120 1680)")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")


def run(args) -> int:
    from keras_mccnet.cost import model_cost

    presets = args.preset or ["mccnet_base"]
    sizes = [tuple(s) for s in args.size] if args.size else list(DEFAULT_SIZES)
    for h, w in sizes:
        if h < 1 or w < 1:
            raise SystemExit(f"mccnet info: --size must be positive, got {h} {w}")
    rows = []
    for name in presets:
        for h, w in sizes:
            rows.append({"preset": name, "height": h, "width": w,
                         **model_cost(preset_config(name), h, w)})
    if args.json:
        print(json.dumps(rows, indent=1))
        return 0
    print(f"{'preset':<22} {'size (HxW)':>11} {'params':>11} {'GMACs':>9} "
          f"{'activations':>12} {'largest':>9}")
    for r in rows:
        print(f"{r['preset']:<22} {r['height']:>5}x{r['width']:<5} {r['params']:>11,} "
              f"{r['gmacs']:>9.2f} {r['activation_bytes'] / 2**20:>9.1f} MiB "
              f"{r['largest_activation_bytes'] / 2**20:>5.1f} MiB")
    print("MACs: convolutions + cost volume + dense (element-wise ops excluded). Activations: "
          "sum of all layer outputs, float32, batch 1.")
    return 0
