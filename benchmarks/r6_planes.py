"""A real camera the models never saw, with a reference: the Canon R6 planes at f/4 against f/20.

    .venv/bin/python benchmarks/r6_planes.py --history --threads 1 --name r6_planes

`../shared/realdp/sdirt_canon_r6/flat/001` holds one textured plane shot at 600 mm and at
1500 mm (in front of and behind the 1 m focus), each at f/4 (defocused: 9.4 / 4.7 px thin-lens
blur at 768 px) and at f/20 (stopped down, the same framing). Its DP split is weak
(disparity / blur 0.08-0.09 against DPDD's 0.22, results/sim_to_real.json), as a phone's is: the
nearest thing to the held-back phone scenes we hold. The f/20 shot is the reference, made
comparable to the f/4 one by a per-channel gain and offset fitted on heavily low-passed copies
(blur changes detail, not the local mean) and checked to be registered (phase correlation).
It is not perfectly sharp: at f/20 the blur is a fifth of f/4's (1.9 / 0.9 px), so a model
that restores more than that loses a little against it.

Every model is scored on both planes (central crop, 40-px margin) and, in the same run, on the
four DPDD development scenes, so the question "does progress on the DPDD scenes carry over to
another camera?" is answered from one run. Then on synthetic twins of each plane, to say what
holds the gain back: the reference blurred again by the renderer's DP PSFs at the plane's
thin-lens blur, with the R6's split and with DPDD's (their C is checked against the real C),
and the same views with L and R swapped (the same blur on the other side of focus), beside the
real views swapped. `--history` adds every weights file that was ever
the shipped default (from this repository's git history of the registry's file), oldest first.
Writes benchmarks/results/NAME.{json,md,png} and the README section `NAME`; selection never
reads these scores (tune on synthetic validation and the DPDD scenes only).
"""

from __future__ import annotations

import argparse
import pathlib
import subprocess
import sys
import tempfile

import numpy as np

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import cpu_training  # noqa: E402
from rerender_region import RATIO as DPDD_RATIO  # noqa: E402
from rerender_region import blurred_views  # noqa: E402
from scene_crops import command_line, parse_models  # noqa: E402
from sim_to_real import FLAT, R6  # noqa: E402

PLANES = ("0600", "1500")
MARGIN = 40  # px left out at every border: tiling and padding effects, the plane's edge
LOW_PASS_SIGMA = 8.0  # px: the exposure fit sees local means only, not the blur
# The synthetic twins: each plane's reference blurred again by the renderer's DP PSFs at the
# plane's thin-lens blur, with the R6's measured split (results/sim_to_real.json: 0.083 / 0.086)
# and with DPDD's, so the split's share of the gap is measured on the same content.
TWIN_RATIOS = {"R6 split 0.085": 0.085, f"DPDD split {DPDD_RATIO}": DPDD_RATIO}
CROP = (180, 240, 120)  # y, x, size of the pictured crop: pavement bricks and an edge
ZOOM = 2  # nearest-neighbour enlargement


def combined(left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """C = (L + R) / 2 in linear light, as the renderer and a DP sensor form it."""
    from keras_mccnet.data.color import linear_to_srgb, srgb_to_linear

    return linear_to_srgb(0.5 * (srgb_to_linear(left) + srgb_to_linear(right))).astype(np.float32)


def low_pass(image: np.ndarray) -> np.ndarray:
    import cv2

    return cv2.GaussianBlur(image, (0, 0), LOW_PASS_SIGMA)


def registration_shift(moving: np.ndarray, fixed: np.ndarray) -> tuple[float, float]:
    """(dx, dy) in px of `moving` against `fixed` (phase correlation of mildly smoothed grey)."""
    import cv2

    grey = lambda im: cv2.GaussianBlur(im.mean(axis=2), (0, 0), 2.0).astype(np.float64)  # noqa: E731
    (dx, dy), _ = cv2.phaseCorrelate(grey(moving), grey(fixed))
    return float(dx), float(dy)


def exposure_matched(reference: np.ndarray, blurred: np.ndarray) -> tuple[np.ndarray, list]:
    """`reference` with a per-channel gain and offset that make its low-passed copy match the
    low-passed `blurred` shot (least squares inside the scored crop)."""
    inner = np.s_[MARGIN:-MARGIN, MARGIN:-MARGIN]
    ref_lp, blur_lp = low_pass(reference)[inner], low_pass(blurred)[inner]
    out, fits = reference.copy(), []
    for ch in range(3):
        design = np.stack([ref_lp[..., ch].ravel(), np.ones(ref_lp[..., ch].size)], axis=1)
        gain, offset = np.linalg.lstsq(design, blur_lp[..., ch].ravel(), rcond=None)[0]
        out[..., ch] = reference[..., ch] * gain + offset
        fits.append([round(float(gain), 4), round(float(offset), 4)])
    return out, fits


def load_planes(folder: pathlib.Path) -> list[dict]:
    """Per plane: the f/4 views, their C, the f/20 reference matched to it, and the checks."""
    from keras_mccnet.data import read_image
    from keras_mccnet.data.psf import signed_blur_diameter

    planes = []
    for plane in PLANES:
        left, right = (read_image(folder / plane / "f4" / f"{v}.png") for v in "lr")
        sharp_l, sharp_r = (read_image(folder / plane / "f20" / f"{v}.png") for v in "lr")
        center, sharp = combined(left, right), combined(sharp_l, sharp_r)
        reference, fits = exposure_matched(sharp, center)
        blur = float(signed_blur_diameter(float(plane), R6["focus_mm"], R6["focal_mm"],
                                          R6["f_number"], R6["pitch_mm"]))
        twins = {name: blurred_views(reference, blur, ratio)
                 for name, ratio in TWIN_RATIOS.items()}
        # The same views with L and R swapped: the renderer's PSF across the focal plane is the
        # other view's (psf.dp_kernels), so this is the same blur on the other side of focus.
        split = next(iter(TWIN_RATIOS))
        twins[f"{split}, sign reversed"] = (twins[split][1], twins[split][0], twins[split][2])
        twins["real views, sign reversed"] = (right, left, center)
        planes.append({"name": f"{int(plane)} mm", "left": left, "right": right,
                       "center": center, "reference": reference, "twins": twins,
                       "checks": {"thin_lens_blur_px": round(blur, 2),
                                  "twin_c_vs_real_c_psnr": {
                                      name: round(crop_scores(c, center)["psnr"], 2)
                                      for name, (_, _, c) in twins.items()
                                      if name in TWIN_RATIOS},
                                  "f20_shift_px": [round(v, 3) for v in
                                                   registration_shift(sharp, center)],
                                  "exposure_gain_offset_rgb": fits}})
    return planes


def crop_scores(output: np.ndarray, reference: np.ndarray) -> dict:
    inner = np.s_[MARGIN:-MARGIN, MARGIN:-MARGIN]
    return cpu_training.scores(output[inner], reference[inner])


def mean_psnr(planes, output_of) -> float:
    """Mean PSNR over `planes` of `output_of(left, right, center)`, clamped to [0, 1] and
    cropped as this script scores them (`lambda l, r, c: c` scores the input C)."""
    outputs = (np.clip(output_of(p["left"], p["right"], p["center"]), 0, 1) for p in planes)
    return float(np.mean([crop_scores(out, p["reference"])["psnr"]
                          for p, out in zip(planes, outputs)]))


def default_history() -> tuple[dict, dict]:
    """({label: model spec}, {label: provenance}) of every weights file that was ever the
    shipped default, oldest first, extracted from git into a temporary folder."""
    from keras_mccnet.model_spec import DEFAULT_MODEL
    from keras_mccnet.pretrained import resolve

    preset, name = DEFAULT_MODEL.split(":")
    weights = str(resolve(preset, name).relative_to(ROOT))
    log = subprocess.run(["git", "log", "--reverse", "--format=%h", "--", weights],
                         cwd=ROOT, check=True, capture_output=True, text=True).stdout.split()
    folder = pathlib.Path(tempfile.mkdtemp(prefix="r6_history_"))
    models, provenance = {}, {}
    for number, commit in enumerate(log, start=1):
        path = folder / f"default{number}_{commit}.weights.h5"
        blob = subprocess.run(["git", "show", f"{commit}:{weights}"], cwd=ROOT,
                              check=True, capture_output=True).stdout
        path.write_bytes(blob)
        label = f"default #{number} ({commit})"
        models[label] = f"{preset}:{path}"
        provenance[label] = f"{preset}:git {commit}:{weights}"
    return models, provenance


def one_model_study(doc: str, name: str, argv):
    """The command line the one-model R6 studies share (`--model`, `--name`, `--threads`):
    returns (args, the model's spec, the model, the planes)."""
    parser = argparse.ArgumentParser(description=doc.split("\n")[0])
    parser.add_argument("--model", default=None, help="model SPEC (default: the shipped one)")
    parser.add_argument("--name", default=name, help="results/NAME.*")
    parser.add_argument("--threads", type=int, default=None)
    args = parser.parse_args(argv)
    cpu_training.limit_threads(args.threads)
    from keras_mccnet.model_spec import DEFAULT_MODEL, load_model

    if not FLAT.is_dir():
        raise SystemExit(f"{FLAT} not found: the R6 planes are needed")
    spec = args.model or DEFAULT_MODEL
    return args, spec, load_model(spec)[0], load_planes(FLAT)


def predict_pair(model, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """The model's raw output on one view pair (a whole plane in one pass, no tiling)."""
    return model.predict({"left": left[None], "right": right[None]}, verbose=0)[0]


def plane_outputs(model, planes) -> list:
    """The model's clamped outputs on the real f/4 planes, in the planes' order."""
    return [np.clip(predict_pair(model, p["left"], p["right"]), 0, 1) for p in planes]


def score_model(model, planes, real, input_dpdd) -> tuple[dict, list]:
    """The model's scores, and its clamped outputs on the real planes (for the picture)."""
    predict = lambda l, r: predict_pair(model, l, r)  # noqa: E731
    outputs = plane_outputs(model, planes)
    row = {"planes": {p["name"]: crop_scores(out, p["reference"])
                      for p, out in zip(planes, outputs)},
           "twins": {f"{p['name']}, {name}": crop_scores(np.clip(predict(l, r), 0, 1),
                                                          p["reference"])
                     for p in planes for name, (l, r, _) in p["twins"].items()}}
    if real:
        dpdd = cpu_training.evaluate_outputs([], real, lambda l, r, c: predict(l, r))
        row["dpdd_psnr"] = dpdd["real_psnr"]
        row["dpdd_gain_db"] = dpdd["real_psnr"] - input_dpdd["real_psnr"]
    return row, outputs


def add_gains(row: dict, input_row: dict) -> None:
    for group in ("planes", "twins"):
        for name, scores in row[group].items():
            scores["gain_db"] = scores["psnr"] - input_row[group][name]["psnr"]
            scores["ssim_gain"] = scores["ssim"] - input_row[group][name]["ssim"]
    row["r6_gain_db"] = float(np.mean([s["gain_db"] for s in row["planes"].values()]))


def table(result: dict) -> str:
    names = [p for p in result["planes"]]
    head = ("| model | " + " | ".join(f"{n}: PSNR (gain) | {n}: SSIM (change)" for n in names)
            + " | R6 mean gain | 4 DPDD scenes gain |")
    lines = [head, "|---|" + "---:|---:|" * len(names) + "---:|---:|"]
    for label, row in result["models"].items():
        cells = []
        for n in names:
            s = row["planes"][n]
            cells += [f"{s['psnr']:.2f} ({s.get('gain_db', 0.0):+.2f})",
                      f"{s['ssim']:.3f} ({s.get('ssim_gain', 0.0):+.3f})"]
        dpdd = f"{row['dpdd_gain_db']:+.2f}" if "dpdd_gain_db" in row else "-"
        lines.append(f"| `{label}` | " + " | ".join(cells)
                     + f" | {row.get('r6_gain_db', 0.0):+.2f} | {dpdd} |")
    checks = "; ".join(
        f"{n}: thin-lens blur {c['thin_lens_blur_px']:+.1f} px, f/20 shift "
        f"({c['f20_shift_px'][0]:+.2f}, {c['f20_shift_px'][1]:+.2f}) px"
        for n, c in result["planes"].items())
    twins = list(next(iter(result["models"].values()))["twins"])
    twin_lines = ["| model | " + " | ".join(twins) + " |", "|---|" + "---:|" * len(twins)]
    for label, row in result["models"].items():
        twin_lines.append(f"| `{label}` | " + " | ".join(
            f"{row['twins'][t]['psnr']:.2f} ({row['twins'][t]['gain_db']:+.2f})" for t in twins)
            + " |")
    fidelity = "; ".join(f"{n}, {t}: {v:.2f} dB" for n, c in result["planes"].items()
                         for t, v in c["twin_c_vs_real_c_psnr"].items())
    return ("Canon R6 planes, f/4 views deblurred, scored against the exposure-matched f/20 "
            f"shot (central crop, {MARGIN}-px margin); dB over the input C. " + checks + ".\n\n"
            + "\n".join(lines)
            + "\n\nSynthetic twins: each plane's f/20 reference blurred again by the renderer's DP "
            "PSFs at the plane's thin-lens blur (signed: 600 mm is in front of focus), with the "
            "R6's measured split and with DPDD's (linear light, no noise); \"sign reversed\": the "
            "same views with L and R swapped, i.e. the same blur on the other side of focus. "
            "PSNR (gain) against the same reference. Twin C against the real C: "
            + fidelity + ".\n\n"
            + "\n".join(twin_lines))


def plane_psnr(result: dict, short_label: str, plane: dict) -> str:
    """The pictured plane's PSNR of a panel, found by its short label ("" for the reference)."""
    for label, row in result["models"].items():
        if label.split(" (")[0] == short_label.split(" (")[0] or (
                short_label.startswith("input") and label == "input C"):
            return f"{row['planes'][plane['name']]['psnr']:.2f} dB"
    return ""


def plot(result: dict, planes, outputs: dict, path: pathlib.Path) -> None:
    """Left: R6 gain against DPDD gain per model. Right: a crop of the 600 mm plane."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rows = {k: v for k, v in result["models"].items() if "dpdd_gain_db" in v}
    fig, (ax, strip) = plt.subplots(1, 2, figsize=(14, 5), width_ratios=[1, 1.3])
    line = [k for k in rows if k == "input C" or k.startswith("default #")]
    ax.plot([rows[k]["dpdd_gain_db"] for k in line], [rows[k]["r6_gain_db"] for k in line],
            "o-", color="tab:blue", alpha=0.7, label="shipped defaults, oldest first")
    others = [k for k in rows if k not in line]
    ax.plot([rows[k]["dpdd_gain_db"] for k in others], [rows[k]["r6_gain_db"] for k in others],
            "s", color="tab:orange", label="other weights")
    for label, row in rows.items():
        ax.annotate(label.split(" (")[0].replace("default ", ""),
                    (row["dpdd_gain_db"], row["r6_gain_db"]), fontsize=7, xytext=(3, -9),
                    textcoords="offset points")
    ax.set_xlabel("gain on the 4 DPDD scenes (dB)")
    ax.set_ylabel("gain on the Canon R6 planes (dB)")
    ax.set_title("does DPDD progress carry to another camera?")
    ax.legend(fontsize=8, loc="lower right")
    ax.grid(alpha=0.3)
    plane = planes[0]
    y0, x0, size = CROP
    box = np.s_[y0:y0 + size, x0:x0 + size]
    panels = [("input C (f/4)", plane["center"])] + [
        (label.split(" (")[0], out[0]) for label, out in outputs.items()] + [
        ("f/20 reference", plane["reference"])]
    zoomed = [np.repeat(np.repeat(np.clip(p[1][box], 0, 1), ZOOM, 0), ZOOM, 1) for p in panels]
    strip.imshow(np.concatenate(zoomed, axis=1))
    strip.set_xticks([size * ZOOM * (i + 0.5) for i in range(len(panels))])
    strip.set_xticklabels([f"{name}\n{plane_psnr(result, name, plane)}" for name, _ in panels],
                          fontsize=8)
    strip.set_yticks([])
    strip.set_title(f"{plane['name']} plane, crop enlarged {ZOOM}x")
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--models", nargs="*", default=[], metavar="LABEL=MODEL_SPEC")
    parser.add_argument("--history", action="store_true",
                        help="also every weights file that was ever the shipped default (git)")
    parser.add_argument("--pictured", nargs="*", default=None, metavar="LABEL",
                        help="models shown in the crop (default: the first and the last)")
    parser.add_argument("--name", default="r6_planes", help="results/NAME.*")
    parser.add_argument("--threads", type=int, default=None)
    args = parser.parse_args(argv)
    if not FLAT.is_dir():
        raise SystemExit(f"{FLAT} not found: nothing to score")
    history, provenance = default_history() if args.history else ({}, {})
    models = {**history, **parse_models(args.models)}
    if not models:
        raise SystemExit("no models: give --models LABEL=MODEL_SPEC and/or --history")
    cpu_training.limit_threads(args.threads)
    from keras_mccnet.model_spec import load_model
    from tqdm import tqdm

    planes, real = load_planes(FLAT), cpu_training.real_test_set()
    input_dpdd = cpu_training.input_baseline([], real) if real else None
    input_row = {"planes": {p["name"]: crop_scores(p["center"], p["reference"]) for p in planes},
                 "twins": {f"{p['name']}, {name}": crop_scores(c, p["reference"])
                           for p in planes for name, (_, _, c) in p["twins"].items()}}
    if real:
        input_row.update(dpdd_psnr=input_dpdd["real_psnr"], dpdd_gain_db=0.0)
    pictured = args.pictured or [list(models)[0], list(models)[-1]]
    result = {"command": command_line("r6_planes.py", argv),
              "planes": {p["name"]: p["checks"] for p in planes},
              "models": {"input C": input_row}}
    add_gains(input_row, input_row)
    outputs = {}
    for label, spec in tqdm(models.items(), desc="models", unit="model"):
        model = load_model(spec)[0]
        row, plane_outputs = score_model(model, planes, real, input_dpdd)
        add_gains(row, input_row)
        row["spec"] = provenance.get(label, spec)
        result["models"][label] = row
        if label in pictured:
            outputs[label] = plane_outputs
    plot(result, planes, outputs, cpu_training.RESULTS / f"{args.name}.png")
    cpu_training.publish(args.name, result, table(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
