"""Render the small dual-pixel sample pair that ships in the app's assets.

The pair comes from the project's own synthetic DP generator (keras_mccnet.data.synthetic) with
procedural content only, so the bundled images carry no third-party licence. It is written as
8-bit PNGs (the app's photo picker path), with sensor noise as in training; the sharp target is
left out to keep the assets under 400 KB (--with-target adds it):

    app/src/main/assets/sample/sample_L.png   left DP view
    app/src/main/assets/sample/sample_R.png   right DP view
    app/src/main/assets/sample/sample.json    seed, size and camera parameters

Usage: python android_demo/tools/make_sample_pair.py [--out DIR] [--seed N] [--size H W]
"""

from __future__ import annotations

import argparse
import json
import pathlib

import cv2
import numpy as np

from keras_mccnet.atomic_write import atomic_write
from keras_mccnet.data import synthetic

DEFAULT_OUT = pathlib.Path(__file__).resolve().parents[1] / "app/src/main/assets/sample"


def to_png8(image: np.ndarray) -> np.ndarray:
    """float RGB in [0, 1] -> 8-bit BGR for OpenCV: clamp, round half to even (as the app)."""
    levels = np.round(np.clip(image, 0.0, 1.0) * 255.0).astype(np.uint8)
    return levels[:, :, ::-1]


def render(out: pathlib.Path, seed: int, size: tuple[int, int],
           with_target: bool = False) -> list[pathlib.Path]:
    scene = synthetic.render_scene(synthetic.scene_rng(seed, 0), size=size, sharp_source=None)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    names = [("sample_L.png", "left"), ("sample_R.png", "right")]
    if with_target:
        names.append(("sample_target.png", "target"))
    for name, key in names:
        ok, png = cv2.imencode(".png", to_png8(scene[key]), [cv2.IMWRITE_PNG_COMPRESSION, 9])
        if not ok:
            raise RuntimeError(f"PNG encoding failed for {name}")
        atomic_write(out / name, png.tobytes())
        written.append(out / name)
    info = {"generator": "keras_mccnet.data.synthetic.render_scene", "content": "procedural",
            "seed": seed, "height": size[0], "width": size[1], "bits": 8,
            "params": scene["params"]}
    atomic_write(out / "sample.json", (json.dumps(info, indent=1, sort_keys=True) + "\n").encode())
    written.append(out / "sample.json")
    return written


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=pathlib.Path, default=DEFAULT_OUT,
                        help=f"output folder (default: {DEFAULT_OUT})")
    parser.add_argument("--seed", type=int, default=9, help="scene seed (default: 9)")
    parser.add_argument("--size", type=int, nargs=2, default=(288, 384), metavar=("H", "W"),
                        help="height and width in pixels (default: 288 384)")
    parser.add_argument("--with-target", action="store_true",
                        help="also write the sharp target (sample_target.png)")
    args = parser.parse_args(argv)
    if min(args.size) < 16:
        parser.error(f"--size must be at least 16x16, got {args.size}")
    for path in render(args.out, args.seed, tuple(args.size), args.with_target):
        print(f"wrote {path} ({path.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
