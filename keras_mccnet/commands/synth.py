"""`mccnet synth`: write a synthetic dual-pixel dataset in the DPDD (DPDNet) layout.

    mccnet synth --out data/synth --scenes 200 --size 512 512 --seed 0
    mccnet synth --out data/synth --scenes 20 --overwrite        # replaces the folder's contents
    mccnet synth --out data/synth --splits 400 50 50 --size 512 512     # train, val, test
    mccnet synth --preview docs/images/synthetic_example.png --size 256 256

Read the result back with `find_scenes(out, split)`; see keras_mccnet/data/synthetic.py.
The renderer itself is NumPy + OpenCV only (the package's __init__ still imports Keras).
"""

from __future__ import annotations

import argparse


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", help="output folder (DPDNet layout: {split}_c/source, ...); new "
                                      "or empty")
    parser.add_argument("--overwrite", action="store_true",
                        help="replace the contents of an earlier `mccnet synth --out` folder")
    parser.add_argument("--scenes", type=int, default=100, help="number of scenes (one split)")
    parser.add_argument("--split", default="train", choices=("train", "val", "test"),
                        help="split name for --scenes")
    parser.add_argument("--splits", type=int, nargs=3, metavar=("TRAIN", "VAL", "TEST"),
                        help="write three splits with these scene counts instead of --scenes")
    parser.add_argument("--size", type=int, nargs=2, default=(512, 512), metavar=("H", "W"))
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--sharp-dir", default="default",
                        help="folder of sharp photos; 'default' = ../shared/sharp when present; "
                             "'none' = procedural content only")
    parser.add_argument("--max-blur", type=float, default=None,
                        help="largest blur diameter in px (default 44, DPDD 1680-px scale)")
    parser.add_argument("--preview", metavar="PNG",
                        help="write a montage (L, R, C, target, signed blur) of a few scenes")
    parser.add_argument("--preview-rows", type=int, default=3)


def run(args) -> int:
    from keras_mccnet.data.synthetic import DEFAULT_BLUR_RANGE, write_dataset
    from keras_mccnet.output_dir import OutputDirError, check_output_dir, prepare_output_dir

    if args.out:  # refuse a folder of another run before rendering anything
        try:
            check_output_dir(args.out, args.overwrite)
        except OutputDirError as e:
            raise SystemExit(f"mccnet synth: {e}") from None

    sharp = None if str(args.sharp_dir).lower() == "none" else args.sharp_dir
    kwargs = {}
    if args.max_blur is not None:
        kwargs["blur_range"] = (min(DEFAULT_BLUR_RANGE[0], args.max_blur), args.max_blur)
    if args.preview:
        from keras_mccnet.data.preview import write_preview

        write_preview(args.preview, rows=args.preview_rows, size=tuple(args.size),
                      seed=args.seed, sharp_dir=sharp, **kwargs)
        print(f"wrote {args.preview}")
        if not args.out:
            return 0
    if not args.out:
        raise SystemExit("mccnet synth: --out is required (or --preview PNG)")
    counts = ({"train": args.splits[0], "val": args.splits[1], "test": args.splits[2]}
              if args.splits else args.scenes)
    prepare_output_dir(args.out, args.overwrite, "mccnet synth")
    written = write_dataset(args.out, counts, size=tuple(args.size), seed=args.seed,
                            sharp_dir=sharp, split=args.split, **kwargs)
    print(f"wrote {written} scenes of {args.size[0]}x{args.size[1]} to {args.out}")
    return 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="mccnet synth", description=__doc__.splitlines()[0])
    add_arguments(parser)
    return run(parser.parse_args(argv))
