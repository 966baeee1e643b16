"""A pseudo-labelled bank of real DP patches: the Canon R6's unlabelled scenes, a teacher's targets.

    .venv/bin/python benchmarks/pseudo_bank.py --out runs/pseudo_r6.npz [--teacher SPEC]
        [--ensemble] [--split-gain K] [--per-pair 60] [--patch 128] [--seed 0] [--threads 1]

The scenes are every box / casual folder of ../shared/realdp/sdirt_canon_r6 that has views
(l.png, r.png; 17 pairs, 768x512): never the flat planes (`r6_planes.py`, scored as a check)
nor the four DPDD scenes (the selection set). The teacher (default: the shipped model, with the
four-flip self-ensemble when --ensemble, at the camera's split gain K) deblurs each whole pair;
`keras_mccnet.data.pseudo_labels` crops the views and its output into a `PatchBank` that
`cpu_campaign.py --pseudo-bank` mixes into the synthetic bank. Also writes OUT's name with
`.png`: a few crops, input C beside the teacher's target, to look at what the student is taught.
"""

from __future__ import annotations

import argparse
import pathlib
import sys

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import cpu_training  # noqa: E402
from keras_mccnet import shared_data  # noqa: E402

SDIRT = shared_data.shared_dir() / "realdp" / "sdirt_canon_r6"


def unlabelled_pairs(root: pathlib.Path) -> list[pathlib.Path]:
    """The scene folders under `root` with both views, the flat planes left out."""
    return sorted(p.parent for p in root.glob("**/l.png")
                  if "flat" not in p.relative_to(root).parts and (p.parent / "r.png").exists())


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", required=True, type=pathlib.Path, help="the bank (.npz)")
    parser.add_argument("--teacher", default="mccnet_tiny:synthetic", metavar="SPEC")
    parser.add_argument("--ensemble", action="store_true", help="the four-flip self-ensemble")
    parser.add_argument("--split-gain", type=float, default=1.0)
    parser.add_argument("--per-pair", type=int, default=60)
    parser.add_argument("--patch", type=int, default=128)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--root", type=pathlib.Path, default=SDIRT)
    parser.add_argument("--preview", type=pathlib.Path, default=None,
                        help="the preview PNG (default: OUT with .png)")
    parser.add_argument("--threads", type=int, default=None)
    args = parser.parse_args(argv)
    folders = unlabelled_pairs(args.root)
    if not folders:
        raise SystemExit(f"{args.root}: no l.png / r.png pairs outside flat/")
    cpu_training.limit_threads(args.threads)
    from tqdm import tqdm

    from keras_mccnet.data import read_image
    from keras_mccnet.data.pseudo_labels import pseudo_label_bank
    from keras_mccnet.model_spec import load_model
    from keras_mccnet.predict import predict_views

    model = load_model(args.teacher)[0]

    def teacher(left, right):
        return predict_views(model, left, right, tile=None, ensemble=args.ensemble,
                             split_gain=args.split_gain)

    pairs = ((str(f.relative_to(args.root)), read_image(f / "l.png"), read_image(f / "r.png"))
             for f in tqdm(folders, desc="pseudo-labelling", unit="pair"))
    name = (f"{args.teacher}{' x4 flips' if args.ensemble else ''}, split gain "
            f"{args.split_gain:g}")
    bank = pseudo_label_bank(pairs, teacher, args.patch, args.per_pair, args.seed, name)
    bank.save(args.out)
    preview(bank, args.preview or args.out.with_suffix(".png"))
    print(f"{args.out}: {len(bank)} patches of {len(folders)} pairs, teacher {name}")
    return 0


def preview(bank, path: pathlib.Path, count: int = 6) -> None:
    """`count` crops spread over the bank: input C (mean of the views) | the teacher's target."""
    import numpy as np

    from keras_mccnet.data import write_image
    from keras_mccnet.data.patch_bank import from_bank_grid

    rows = np.linspace(0, len(bank) - 1, count).astype(int)
    strips = [np.concatenate([(from_bank_grid(bank.left[i]) + from_bank_grid(bank.right[i])) / 2,
                              from_bank_grid(bank.target[i])], axis=1) for i in rows]
    write_image(path, np.concatenate(strips, axis=0), bits=8)


if __name__ == "__main__":
    raise SystemExit(main())
