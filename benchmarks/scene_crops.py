"""A close look at one region of a real DPDD scene: the input, several weights' outputs,
DPDNet's published output and the target, side by side, enlarged, with each panel's PSNR on
that region.

    .venv/bin/python benchmarks/scene_crops.py --scene 1P0A1434 --box 100 300 200 200 \\
        --models "default=mccnet_tiny:synthetic" "campaign 14 end=mccnet_tiny:runs/.../x.weights.h5" \\
        --name scene_crops_1434

The scores say how much a model gains; a crop shows what it does (sharpens, rings, shifts the
tone). The whole scene is run through each model (as `mccnet eval` runs it, one pass), then the
box is cut. Writes benchmarks/results/NAME.{json,png}.
"""

from __future__ import annotations

import argparse
import json
import pathlib
import sys

import numpy as np

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import cpu_training  # noqa: E402

ZOOM = 2  # nearest-neighbour enlargement, so single-pixel ringing stays visible


def parse_models(specs: list[str]) -> dict:
    models = {}
    for spec in specs:
        label, sep, source = spec.partition("=")
        if not sep or not label or not source:
            raise SystemExit(f"--models {spec!r}: want LABEL=MODEL_SPEC")
        models[label] = source
    return models


def add_region_arguments(parser: argparse.ArgumentParser) -> None:
    """The arguments of a look at one region of a real scene (here and rerender_region.py)."""
    parser.add_argument("--scene", required=True, help="a scene of ../shared/realdp/dpdd_gif4")
    parser.add_argument("--box", nargs=4, type=int, required=True, metavar=("Y", "X", "H", "W"))
    parser.add_argument("--models", nargs="+", required=True, metavar="LABEL=MODEL_SPEC")
    parser.add_argument("--name", required=True, help="results/NAME.*")
    parser.add_argument("--threads", type=int, default=None)


def command_line(script: str, argv) -> str:
    """The command as run, arguments with spaces quoted, for the results JSON."""
    words = sys.argv[1:] if argv is None else argv
    return f"benchmarks/{script} " + " ".join(f'"{a}"' if " " in a else a for a in words)


def find_scene(name: str):
    for scene in cpu_training.real_test_set():
        if scene[0] == name:
            return scene
    raise SystemExit(f"scene_crops: no real scene {name!r} (is ../shared/realdp beside the "
                     "project?)")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    add_region_arguments(parser)
    args = parser.parse_args(argv)
    models = parse_models(args.models)
    cpu_training.limit_threads(args.threads)
    name, kind, left, right, center, target, rows_from = find_scene(args.scene)
    y, x, h, w = args.box
    if y < rows_from or y + h > target.shape[0] or x + w > target.shape[1] or min(x, h, w) <= 0:
        raise SystemExit(f"scene_crops: --box {y} {x} {h} {w} is not inside the scored part of "
                         f"{name} (rows {rows_from}..{target.shape[0]}, 0..{target.shape[1]} "
                         "columns)")

    from keras_mccnet.data import read_image
    from keras_mccnet.model_spec import load_model
    from keras_mccnet.training.comparison_sheet import ERROR_GAIN, comparison_sheet, error_map
    from keras_mccnet.training.protocol import psnr

    def crop(image):
        return np.clip(image[y:y + h, x:x + w], 0.0, 1.0)

    panels = {"input C": crop(center)}
    for label, spec in models.items():
        model = load_model(spec)[0]
        panels[label] = crop(model.predict({"left": left[None], "right": right[None]},
                                           verbose=0)[0])
    dpdnet = pathlib.Path(cpu_training.shared_data.realdp_dir()) / "DPDNet" / f"{name}.png"
    if dpdnet.exists():
        panels["DPDNet (published)"] = crop(read_image(str(dpdnet)))
    truth = crop(target)
    scores = {label: psnr(truth, image) for label, image in panels.items()}
    row = [(f"{label} {scores[label]:.2f} dB", image) for label, image in panels.items()]
    row.append(("target", truth))
    errors = [(f"|error| x{ERROR_GAIN:g}", error_map(image, truth)) for image in panels.values()]
    errors.append(("", np.ones_like(truth)))  # under the target: nothing to compare
    sheet = np.concatenate([comparison_sheet(row, max_panel_width=w),
                            comparison_sheet(errors, max_panel_width=w)], axis=0)
    sheet = np.repeat(np.repeat(sheet, ZOOM, 0), ZOOM, 1)

    from keras_mccnet.atomic_write import atomic_write
    from keras_mccnet.data import write_image

    out = cpu_training.RESULTS / f"{args.name}.png"
    write_image(str(out), sheet)
    result = {"command": command_line("scene_crops.py", argv), "scene": name, "kind": kind,
              "box_yxhw": args.box, "models": models, "crop_psnr_db": scores}
    atomic_write(cpu_training.RESULTS / f"{args.name}.json", json.dumps(result, indent=1) + "\n")
    print(json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
