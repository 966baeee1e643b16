"""Weight averaging: does the mean of several checkpoints generalise better than the best one?

    .venv/bin/python benchmarks/weight_average.py --members W0 W1 ... \\
        [--soup LABEL=0,2,3 ...] [--contrast] [--phone-aware] [--save LABEL=PATH] \\
        [--name weight_average]

The real gain of one checkpoint swings by +-0.15 dB between evaluations of one campaign
(results/campaign.json), so picking the best evaluation also picks noise. Members are `.keras`
checkpoints or `.weights.h5` files of ONE architecture (`--preset`, `--contrast`), fine-tuned from
one starting point: their weights lie in one basin, where a uniform average ("model soup",
Wortsman et al. 2022; stochastic weight averaging, Izmailov et al. 2018) tends to be flatter and to
transfer better to shifted data. Every member alone and every `--soup` (indices into --members;
"all" is always added) is scored as the campaign scores (`cpu_training.evaluate`: synthetic
validation and the four real DPDD scenes, dB over input C, selection = the mean of the two;
`--phone-aware` adds the weak-split scenes and the phone-aware selection, as `cpu_campaign.py
--phone-aware` does).
Writes results/NAME.{json,md} and the README section NAME; `--save LABEL=PATH` writes that
candidate's weights (for benchmarks/ship_weights.py).
"""

from __future__ import annotations

import argparse
import os
import pathlib
import sys

import numpy as np

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import cpu_training  # noqa: E402


def member_weights(path: str, preset: str, overrides: dict) -> list:
    """The weight arrays of a `.keras` checkpoint, or of a `.weights.h5` file of `preset` built
    with `overrides`, read by the one model resolver (`keras_mccnet.model_spec.load_model`)."""
    from keras_mccnet.model_spec import ModelSourceError, load_model

    try:
        if path.endswith(".keras"):
            return load_model(path)[0].get_weights()
        return load_model(f"{preset}:{path}", **overrides)[0].get_weights()
    except ModelSourceError as e:
        raise SystemExit(f"weight_average: member {e}") from None


def uniform_average(weight_lists: list) -> list:
    """Element-wise mean of several models' weight lists (same architecture)."""
    shapes = [[w.shape for w in ws] for ws in weight_lists]
    if any(s != shapes[0] for s in shapes):
        raise SystemExit("weight_average: members have different architectures")
    return [np.mean(np.stack(group), axis=0).astype(group[0].dtype)
            for group in zip(*weight_lists)]


def parse_soups(specs, count: int) -> dict:
    soups = {}
    for spec in specs:
        label, _, indices = spec.partition("=")
        picked = [int(i) for i in indices.split(",") if i]
        if not label or len(picked) < 2 or not all(0 <= i < count for i in picked):
            raise SystemExit(f"weight_average: --soup {spec!r}: want LABEL=i,j[,...] with "
                             f"0 <= i < {count}")
        soups[label] = picked
    soups.setdefault("all", list(range(count)))
    return soups


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--members", nargs="+", required=True, metavar="PATH")
    parser.add_argument("--labels", nargs="+", default=None,
                        help="one name per member (default: the file names)")
    parser.add_argument("--soup", action="append", default=[], metavar="LABEL=i,j,...")
    parser.add_argument("--preset", default="mccnet_tiny")
    parser.add_argument("--contrast", action="store_true",
                        help="the members are MCCNet(correlation_contrast=True)")
    parser.add_argument("--phone-aware", action="store_true",
                        help="also score the weak-split scenes and the phone-aware selection")
    parser.add_argument("--save", action="append", default=[], metavar="LABEL=PATH")
    parser.add_argument("--name", default="weight_average")
    parser.add_argument("--threads", type=int, default=None)
    args = parser.parse_args(argv)
    labels = args.labels or [os.path.basename(p) for p in args.members]
    if len(labels) != len(args.members):
        raise SystemExit("weight_average: --labels needs one name per member")
    soups = parse_soups(args.soup, len(args.members))
    if set(soups) & set(labels):
        raise SystemExit(f"weight_average: soup labels {sorted(set(soups) & set(labels))} are "
                         "also member labels")
    saves = dict(s.split("=", 1) for s in args.save)
    unknown = set(saves) - set(labels) - set(soups)
    if unknown:
        raise SystemExit(f"weight_average: --save names no candidate: {sorted(unknown)}")
    cpu_training.limit_threads(args.threads)

    from keras_mccnet import MCCNet
    from keras_mccnet.atomic_write import atomic_path
    from keras_mccnet.presets import preset_config

    overrides = {"correlation_contrast": True} if args.contrast else {}
    build = lambda: MCCNet(**{**preset_config(args.preset), **overrides})  # noqa: E731
    members = [member_weights(p, args.preset, overrides) for p in args.members]
    candidates = {**dict(zip(labels, members)),
                  **{label: uniform_average([members[i] for i in picked])
                     for label, picked in soups.items()}}
    synthetic, real = cpu_training.synthetic_test_set(), cpu_training.real_test_set()
    baseline = cpu_training.input_baseline(synthetic, real)
    weak = cpu_training.weak_split_test_set() if args.phone_aware else None
    if weak is not None:
        baseline["weak_split_psnr"] = cpu_training.input_baseline(weak, [])["synthetic_psnr"]
    model, rows = build(), []
    for label, weights in candidates.items():
        model.set_weights(weights)
        row = cpu_training.evaluate(model, synthetic, real)
        row.update(candidate=label, **cpu_training.gains(row, baseline))
        if weak is not None:
            cpu_training.add_phone_aware(row, model, weak, baseline["weak_split_psnr"])
        rows.append(row)
        print(f"{label}: synthetic {row['synthetic_gain_db']:+.3f}, real "
              f"{row.get('real_gain_db', float('nan')):+.3f}, selection "
              f"{row['selection_db']:+.3f} dB"
              + (f", weak split {row['weak_split_gain_db']:+.3f}, phone-aware "
                 f"{row['phone_aware_selection_db']:+.3f}" if weak is not None else ""),
              flush=True)
        if label in saves:
            with atomic_path(saves[label]) as tmp:
                model.save_weights(tmp)
    result = {"command": "benchmarks/weight_average.py " + " ".join(sys.argv[1:] if argv is None
                                                                    else argv),
              "preset": args.preset, "overrides": overrides,
              "members": dict(zip(labels, args.members)), "soups": soups,
              "input_C": baseline, "rows": rows}
    cpu_training.publish(args.name, result, table(rows, soups, labels))
    return 0


def table(rows, soups, labels) -> str:
    members = ", ".join(f"{i} = {label}" for i, label in enumerate(labels))
    averages = "; ".join(f"{k} = uniform mean of members {', '.join(map(str, v))}"
                         for k, v in soups.items())
    phone = any("phone_aware_selection_db" in r for r in rows)
    lines = [f"Members: {members}. Averages: {averages}.", "",
             "| candidate | synthetic PSNR (gain) | real PSNR, rows >= 56 (gain) | "
             "selection (mean gain) |" + (" weak split gain | phone-aware |" if phone else ""),
             "|---|---:|---:|---:|" + ("---:|---:|" if phone else "")]
    for r in rows:
        real = (f"{r['real_psnr']:.2f} ({r['real_gain_db']:+.2f})" if "real_psnr" in r else "-")
        lines.append(f"| {r['candidate']} | {r['synthetic_psnr']:.2f} "
                     f"({r['synthetic_gain_db']:+.2f}) | {real} | {r['selection_db']:+.3f} |"
                     + (f" {r['weak_split_gain_db']:+.3f} | {r['phone_aware_selection_db']:+.3f} |"
                        if phone else ""))
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
