"""`mccnet deblur LEFT RIGHT -o OUT`: deblur one dual-pixel photo at any size.

8- or 16-bit PNG or TIFF in, the same bit depth out (float TIFF in: 16-bit out); tiled inference
with overlap blending (keras_mccnet.tiling), a progress bar over the tiles, and an atomic write:
OUT appears complete or not at all. Before inference the L/R disparity sign is measured: in a DP
photo, content behind the focal plane sits further RIGHT in R than in L; when the measured blocks
mostly say the opposite, the views are probably swapped (or the sensor's split is mirrored) and a
warning suggests `--order rl`. Before that, the split axis is measured (`--dp-axis auto`,
keras_mccnet.dp_axis): a top / bottom pair (a phone photo in portrait orientation, a sensor that
splits vertically) is transposed for the model and the result transposed back.

`--defocus-map MAP.png` also writes the signed defocus-disparity map of the model's defocus head
(keras_mccnet.defocus), tiled and blended like the image: a 16-bit PNG, d = (v - 32768) / 256
input px (> 0 behind the focal plane), plus MAP_preview.png, a colour map with a legend.

Example:
    mccnet deblur photo_L.png photo_R.png -o photo_sharp.png --model runs/dpdd
    mccnet deblur photo_L.png photo_R.png -o photo_sharp.png --defocus-map photo_defocus.png
"""

from __future__ import annotations

import argparse
import os
import sys

from keras_mccnet import io_spec
from keras_mccnet.atomic_write import atomic_path

OUTPUT_EXTENSIONS = (".png", ".tif", ".tiff")
SIGN_CHECK_WIDTH = 840  # the width at which design.md's disparity measurements were made


def add_arguments(parser):
    parser.add_argument("left", help="left DP view (PNG/TIFF, 8 or 16 bit)")
    parser.add_argument("right", help="right DP view, same size")
    parser.add_argument("-o", "--output", required=True, help="output .png or .tif(f)")
    parser.add_argument("--overwrite", action="store_true", help="replace an existing output")
    parser.add_argument("--model", default=None, metavar="SPEC",
                        help="training run folder (its model.keras), .keras file, or "
                             "PRESET[:WEIGHTS]; default: the shipped model "
                             "(keras_mccnet.model_spec.DEFAULT_MODEL)")
    parser.add_argument("--tile", type=int, default=io_spec.DEFAULT_TILE,
                        help="tile side (0 = whole image in one pass)")
    parser.add_argument("--overlap", type=int, default=io_spec.DEFAULT_OVERLAP)
    parser.add_argument("--order", choices=("lr", "rl"), default="lr",
                        help="'rl' if the first file is the right view")
    parser.add_argument("--dp-axis", choices=("auto", "horizontal", "vertical"), default="auto",
                        help="the sensor's split: 'auto' measures it (a vertical split is "
                             "transposed for the model), or force one")
    parser.add_argument("--no-sign-check", action="store_true",
                        help="skip the L/R disparity-sign check")
    parser.add_argument("--defocus-map", metavar="MAP.png",
                        help="also write the signed defocus map (16-bit PNG, d = (v - 32768) / "
                             "256 px, > 0 behind focus) and MAP_preview.png")
    parser.add_argument("--ensemble", action="store_true",
                        help="mean over four DP-consistent flips of every tile: 4x the time, "
                             "+0.1-0.2 dB (benchmarks/results/self_ensemble.md)")
    parser.add_argument("--split-gain", type=float, default=1.0, metavar="K",
                        help="the camera's DP split gain (keras_mccnet.dp_split): 1 for "
                             "DPDD-like cameras, about 2 for the weak-split Canon R6 (phones: "
                             "calibrate); "
                             "benchmarks/results/split_gain.md")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")


def disparity_sign_check(left, right) -> tuple[int, int, bool]:
    """(blocks with positive disparity, negative ones, looks_swapped) on a <=840-px-wide copy."""
    import cv2

    from keras_mccnet.data.disparity import block_disparity, dominant_sign

    scale = min(1.0, SIGN_CHECK_WIDTH / left.shape[1])
    if scale < 1.0:
        size = (round(left.shape[1] * scale), round(left.shape[0] * scale))
        left = cv2.resize(left, size, interpolation=cv2.INTER_AREA)
        right = cv2.resize(right, size, interpolation=cv2.INTER_AREA)
    try:
        result = block_disparity(left, right, block=48, max_shift=16)
    except ValueError:  # too small to measure
        return 0, 0, False
    positive, negative = dominant_sign(result)
    return positive, negative, negative >= 3 and negative > 2 * positive


def write_output(path, image, bits: int) -> None:
    """Atomic 8/16-bit PNG or TIFF write (temporary file in the same folder, then rename)."""
    import cv2

    from keras_mccnet.data.image_io import to_uint, write_image

    if path.lower().endswith(".png"):
        write_image(path, image, bits)
        return
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with atomic_path(path) as tmp:
        if not cv2.imwrite(tmp, to_uint(image, bits)[:, :, ::-1]):
            raise OSError(f"{path}: OpenCV failed to write the TIFF")


def deblur_files(model, left_path, right_path, output_path, tile=io_spec.DEFAULT_TILE,
                 overlap=io_spec.DEFAULT_OVERLAP, order="lr", sign_check=True,
                 progress=True, defocus_map=None, ensemble=False, dp_axis="auto",
                 split_gain=1.0) -> dict:
    """Deblur LEFT/RIGHT into OUTPUT; returns {"bits", "size", "sign": (pos, neg, swapped),
    "dp_axis": keras_mccnet.dp_axis.DpAxis}, and "defocus_preview" when `defocus_map` (a .png
    path) is written too.

    Raises ValueError (bad extension, size mismatch) or ImageReadError naming the file.
    """
    from keras_mccnet.data.image_io import read_image
    from keras_mccnet.dp_axis import resolve_dp_axis, transpose_views
    from keras_mccnet.predict import predict_views

    if not output_path.lower().endswith(OUTPUT_EXTENSIONS):
        raise ValueError(f"{output_path}: output must end in {', '.join(OUTPUT_EXTENSIONS)}")
    if defocus_map is not None and not defocus_map.lower().endswith(".png"):
        raise ValueError(f"{defocus_map}: --defocus-map must be a .png (16-bit)")
    left, bits_l = read_image(left_path, with_bit_depth=True)
    right, bits_r = read_image(right_path, with_bit_depth=True)
    if left.shape != right.shape:
        raise ValueError(f"{left_path} is {left.shape[1]}x{left.shape[0]} but {right_path} is "
                         f"{right.shape[1]}x{right.shape[0]}: the two DP views must be the same "
                         f"size")
    if order == "rl":
        left, right = right, left
    axis = resolve_dp_axis(dp_axis, left, right)
    if axis.measured or axis.axis == "vertical":
        print(f"mccnet deblur: {axis.describe()}", file=sys.stderr, flush=True)
    sign = (0, 0, False)
    if sign_check:  # on the views as the model will see them
        turned = axis.axis == "vertical"
        sign = disparity_sign_check(*(map(transpose_views, (left, right)) if turned
                                      else (left, right)))
        if sign[2]:
            print(f"WARNING: the L/R disparity sign looks swapped ({sign[1]} blocks shift left "
                  f"vs {sign[0]} right from L to R; in DP photos behind-focus content sits "
                  f"further right in R). If the result looks worse than the input, rerun with "
                  f"--order {'lr' if order == 'rl' else 'rl'}.", file=sys.stderr, flush=True)
    output = predict_views(model, left, right, tile, overlap, progress=progress,
                           defocus=defocus_map is not None, ensemble=ensemble, dp_axis=axis.axis,
                           split_gain=split_gain)
    info = {"size": left.shape[:2], "sign": sign, "dp_axis": axis}
    if defocus_map is not None:
        from keras_mccnet.defocus_map import write_defocus_map

        output, disparity = output
        info["defocus_preview"] = write_defocus_map(defocus_map, disparity)
    bits = max(bits_l, bits_r)
    bits = 16 if bits > 8 else 8
    write_output(output_path, output, bits)
    return {"bits": bits, **info}


def check_arguments(args) -> int:
    """The argument checks (no Keras, nothing written): 0, or 2 with a message."""
    from keras_mccnet.dp_split import check_split_gain
    from keras_mccnet.output_dir import check_output_file

    try:
        for path in (args.left, args.right):
            if not os.path.isfile(path):
                raise ValueError(f"{path}: file not found")
        if not args.output.lower().endswith(OUTPUT_EXTENSIONS):
            raise ValueError(f"{args.output}: output must end in {', '.join(OUTPUT_EXTENSIONS)}")
        check_output_file(args.output, args.overwrite)
        check_split_gain(args.split_gain)
        if args.defocus_map:
            if not args.defocus_map.lower().endswith(".png"):
                raise ValueError(f"{args.defocus_map}: --defocus-map must be a .png (16-bit)")
            check_output_file(args.defocus_map, args.overwrite)
    except ValueError as e:
        print(f"mccnet deblur: {e}", file=sys.stderr)
        return 2
    return 0


def run(args) -> int:
    from keras_mccnet.data.image_io import ImageReadError
    from keras_mccnet.model_spec import DEFAULT_MODEL, load_model

    code = check_arguments(args)
    if code:
        return code
    try:
        model, source = load_model(args.model or DEFAULT_MODEL, defocus=bool(args.defocus_map))
        print(f"mccnet deblur: model: {source['description']}", file=sys.stderr)
        info = deblur_files(model, args.left, args.right, args.output, args.tile, args.overlap,
                            args.order, not args.no_sign_check, progress=not args.quiet,
                            defocus_map=args.defocus_map, ensemble=args.ensemble,
                            dp_axis=args.dp_axis, split_gain=args.split_gain)
    except (ValueError, FileNotFoundError, ImageReadError) as e:
        print(f"mccnet deblur: {e}", file=sys.stderr)
        return 2
    h, w = info["size"]
    print(f"wrote {args.output} ({w}x{h}, {info['bits']}-bit)")
    if args.defocus_map:
        print(f"wrote {args.defocus_map} (16-bit signed defocus, d = (v - 32768) / 256 px) and "
              f"{info['defocus_preview']}")
    return 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="mccnet deblur", description=__doc__.splitlines()[0])
    add_arguments(parser)
    return run(parser.parse_args(argv))

