"""Validates the defocus head on real and synthetic DP data, against the block matcher.

    .venv/bin/python benchmarks/defocus_realdp.py

1. ../shared/realdp/sdirt_canon_r6 (Canon EOS R6 II, 50 mm f/4, focus 1 m, depth maps): the
   Spearman rank correlation of the predicted defocus map with depth per scene (signed defocus
   is monotonic in depth, c ~ (d - d_f) / d, so this is also the rank correlation with the true
   signed defocus), and the sign on each side of the 1 m focal plane (the map must flip there).
   In the same run the project's block matcher (keras_mccnet.data.disparity, the anchor) is
   scored on its valid blocks, and the model at the same block centres.
2. The sign of the two flat planes of sdirt (600 mm: in front of focus; 1500 mm: behind).
3. The four real DPDD scenes of ../shared/realdp/dpdd_gif4 (behind-focus content): the share of
   pixels (rows >= 56) and of the block matcher's valid blocks with a positive disparity.
4. Synthetic validation scenes with known disparity (blur x ratio): MAE in px.
Writes benchmarks/results/defocus_realdp.{json,md} and docs/images/defocus_example.png.

Stress test: `--shading R` multiplies L by (1 + R x) and R by (1 - R x), x = -1..1 across the
width (the opposite vignetting of the two half-apertures that phone DP sensors show), and writes
defocus_realdp_shading.{json,md} instead; `--head FILE` scores another head file
(keras_mccnet.defocus.save_head) in place of the shipped one.
"""

from __future__ import annotations

import argparse
import json
import pathlib
import sys
import time

import cv2
import numpy as np

from keras_mccnet.atomic_write import atomic_write, atomic_write_json
from keras_mccnet.shared_data import shared_dir

HERE = pathlib.Path(__file__).resolve().parent
REPO = HERE.parent
RESULTS = HERE / "results"
REALDP = shared_dir() / "realdp"  # keras_mccnet.shared_data: the one locator of ../shared
FOCUS_M = 1.0
DEPTH_MAX_M = 10.0  # d.png: metres = value / 255 * 10, 0 = unknown
BLOCK = dict(block=48, max_shift=16)  # the block matcher as in the calibration (840-px scale)


def spearman(a, b) -> float:
    from scipy.stats import spearmanr

    return float(spearmanr(np.ravel(a), np.ravel(b)).statistic)


def sdirt_scenes(root: pathlib.Path) -> list[pathlib.Path]:
    return sorted(p.parent for p in root.glob("**/d.png"))


def read_depth(path: pathlib.Path, shape) -> np.ndarray:
    raw = cv2.imread(str(path), cv2.IMREAD_GRAYSCALE)
    if raw is None:
        raise OSError(f"{path}: unreadable depth map")
    raw = cv2.resize(raw, (shape[1], shape[0]), interpolation=cv2.INTER_NEAREST)
    return np.where(raw > 0, raw.astype(np.float32) / 255.0 * DEPTH_MAX_M, np.nan)


def block_medians(values: np.ndarray, result, half: int) -> np.ndarray:
    """Median of `values` (NaN = unknown) in the block around each block centre."""
    out = np.full(result.y.shape, np.nan, np.float32)
    for i in range(result.y.shape[0]):
        for j in range(result.y.shape[1]):
            y, x = int(result.y[i, j]), int(result.x[i, j])
            window = values[y - half:y + half, x - half:x + half]
            if np.isfinite(window).mean() > 0.5:
                out[i, j] = np.nanmedian(window)
    return out


def shade(left, right, ramp: float):
    """Opposite horizontal shading ramps on the two views (see the module docstring)."""
    if not ramp:
        return left, right
    x = np.linspace(-1.0, 1.0, left.shape[1], dtype=np.float32)[None, :, None]
    return np.clip(left * (1 + ramp * x), 0, 1), np.clip(right * (1 - ramp * x), 0, 1)


def score_sdirt_scene(model, folder: pathlib.Path, ramp: float = 0.0) -> dict:
    from keras_mccnet.data.disparity import block_disparity
    from keras_mccnet.data.image_io import read_image
    from keras_mccnet.predict import predict_views

    left, right = shade(read_image(folder / "l.png"), read_image(folder / "r.png"), ramp)
    depth = read_depth(folder / "d.png", left.shape[:2])
    _, pred = predict_views(model, left, right, defocus=True)
    known = np.isfinite(depth)
    row = {"scene": str(folder.relative_to(REALDP / "sdirt_canon_r6")),
           "known_depth_share": float(known.mean()),
           "model_spearman": spearman(pred[known][::7], depth[known][::7])}
    near, far = known & (depth < 0.9 * FOCUS_M), known & (depth > 1.1 * FOCUS_M)
    row["model_median_px_nearer_than_focus"] = (float(np.median(pred[near]))
                                                if near.sum() > 500 else None)
    row["model_median_px_beyond_focus"] = float(np.median(pred[far])) if far.sum() > 500 else None
    blocks = block_disparity(left, right, **BLOCK)
    block_depth = block_medians(depth, blocks, BLOCK["block"] // 2)
    block_pred = block_medians(pred, blocks, BLOCK["block"] // 2)
    usable = blocks.valid & np.isfinite(block_depth)
    row["blocks_valid"] = int(usable.sum())
    row["blocks_total"] = int(np.isfinite(block_depth).sum())
    row["block_matcher_spearman"] = (spearman(blocks.disparity[usable], block_depth[usable])
                                     if usable.sum() >= 5 else None)
    every = np.isfinite(block_depth)
    row["model_spearman_at_all_blocks"] = spearman(block_pred[every], block_depth[every])
    row["model_spearman_at_matcher_valid_blocks"] = (
        spearman(block_pred[usable], block_depth[usable]) if usable.sum() >= 5 else None)
    row["_pictures"] = (left, pred, depth)
    return row


def score_flat(model) -> list[dict]:
    from keras_mccnet.data.image_io import read_image
    from keras_mccnet.predict import predict_views

    rows = []
    for name, side in (("0600", "in front of focus (expect < 0)"),
                       ("1500", "behind focus (expect > 0)")):
        folder = REALDP / "sdirt_canon_r6" / "flat" / "001" / name / "f4"
        _, pred = predict_views(model, read_image(folder / "l.png"), read_image(folder / "r.png"),
                                defocus=True)
        rows.append({"plane_mm": int(name), "side": side, "median_px": float(np.median(pred)),
                     "positive_share": float((pred > 0).mean())})
    return rows


def score_dpdd(model) -> list[dict]:
    from keras_mccnet.data.disparity import block_disparity, dominant_sign
    from keras_mccnet.data.dpdd import find_scenes
    from keras_mccnet.data.image_io import read_image
    from keras_mccnet.predict import predict_views

    rows = []
    for scene in find_scenes(REALDP / "dpdd_gif4"):
        left, right = read_image(scene.left), read_image(scene.right)
        _, pred = predict_views(model, left, right, defocus=True)
        pred = pred[56:]
        positive, negative = dominant_sign(block_disparity(left[56:], right[56:], **BLOCK))
        rows.append({"scene": scene.name, "model_median_px": float(np.median(pred)),
                     "model_positive_share": float((pred > 0).mean()),
                     "model_share_above_0.25px": float((pred > 0.25).mean()),
                     "model_share_below_-0.25px": float((pred < -0.25).mean()),
                     "block_matcher_positive_blocks": positive,
                     "block_matcher_negative_blocks": negative})
    return rows


def score_synthetic(model, count: int, size: int, seed: int) -> dict:
    from keras_mccnet.data.synthetic import Stream, render_scene, scene_rng
    from keras_mccnet.predict import predict_views

    sys.path.insert(0, str(HERE))
    from train_defocus_head import BLUR_RANGE

    errors, zero, rho = [], [], []
    for i in range(count):
        scene = render_scene(scene_rng(seed, i, Stream.DEFOCUS_CHECK), (size, size),
                             blur_range=BLUR_RANGE)
        truth = scene["blur"] * scene["params"]["disparity_to_blur"]
        _, pred = predict_views(model, scene["left"], scene["right"], tile=0, defocus=True)
        errors.append(float(np.mean(np.abs(pred - truth))))
        zero.append(float(np.mean(np.abs(truth))))
        if np.ptp(truth) > 0.05:
            rho.append(spearman(pred, truth))
    return {"scenes": count, "size": size, "blur_range_px": list(BLUR_RANGE),
            "mae_px": float(np.mean(errors)), "mae_px_predicting_zero": float(np.mean(zero)),
            "spearman_mean": float(np.mean(rho)), "spearman_scenes": len(rho)}


def write_picture(path: pathlib.Path, rows: list[dict], dpdd_example) -> None:
    """L | predicted defocus | depth, for a few sdirt scenes, and one DPDD scene."""
    from keras_mccnet.data.preview import _write_palette_png
    from keras_mccnet.defocus_map import colour_limit, legend, preview
    from keras_mccnet.training.comparison_sheet import comparison_sheet

    sheets = []
    for row in rows:
        left, pred, depth = row["_pictures"]
        depth_rgb = cv2.applyColorMap((np.nan_to_num(np.clip(depth / 3.0, 0, 1), nan=0) * 255)
                                      .astype(np.uint8), cv2.COLORMAP_VIRIDIS)[:, :, ::-1] / 255.0
        depth_rgb[~np.isfinite(depth)] = 0.5
        limit = colour_limit(pred)
        sheets.append(comparison_sheet([
            (f"L ({row['scene']})", left),
            (f"defocus +-{limit:.2g} px, rho {row['model_spearman']:+.2f}",
             preview(pred, limit)[:pred.shape[0]]),
            ("depth 0-3 m (focus 1 m)", depth_rgb)], max_panel_width=300))
    left, pred, name = dpdd_example
    limit = colour_limit(pred)
    sheets.append(comparison_sheet([(f"L (DPDD {name}, behind focus)", left),
                                    (f"defocus +-{limit:.2g} px", preview(pred, limit)[
                                        :pred.shape[0]])], max_panel_width=300))
    width = max(s.shape[1] for s in sheets)
    padded = [np.pad(s, ((0, 6), (0, width - s.shape[1]), (0, 0)), constant_values=1.0)
              for s in sheets]
    key = legend(width, 1.0, ("-limit: in front of the focal plane", "0: in focus",
                              "+limit: behind it"))
    _write_palette_png(path, np.concatenate(padded + [key], axis=0))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--preset", default="mccnet_tiny")
    parser.add_argument("--weights", default="synthetic")
    parser.add_argument("--synthetic-scenes", type=int, default=16)
    parser.add_argument("--synthetic-size", type=int, default=256)
    parser.add_argument("--shading", type=float, default=0.0, metavar="R",
                        help="stress test: opposite L/R shading ramps of +-R (sdirt only)")
    parser.add_argument("--head", help="a head file to score instead of the shipped head")
    parser.add_argument("--picture", default=str(REPO / "docs" / "images" /
                                                  "defocus_example.png"))
    args = parser.parse_args(argv)
    if not (REALDP / "sdirt_canon_r6").is_dir():
        print(f"{REALDP}/sdirt_canon_r6 not found: nothing to validate on", file=sys.stderr)
        return 2
    from tqdm import tqdm

    from keras_mccnet import MCCNet

    started = time.time()
    model = MCCNet.from_preset(args.preset, weights=args.weights, defocus_head=True)
    if args.head:
        from keras_mccnet.defocus import load_head

        load_head(model, args.head)
    rows = [score_sdirt_scene(model, f, args.shading) for f in tqdm(
        sdirt_scenes(REALDP / "sdirt_canon_r6"), desc="sdirt", unit="scene")]
    if args.shading:
        return write_stress(args, rows)
    flat = score_flat(model)
    dpdd = score_dpdd(model)
    synthetic = score_synthetic(model, args.synthetic_scenes, args.synthetic_size, seed=7)

    def mean_of(key, absolute=False):
        values = [r[key] for r in rows if r[key] is not None]
        return float(np.mean(np.abs(values) if absolute else values))

    flips = [r for r in rows if r["model_median_px_nearer_than_focus"] is not None
             and r["model_median_px_beyond_focus"] is not None]
    summary = {
        "sdirt_scenes": len(rows),
        "model_spearman_mean": mean_of("model_spearman"),
        "model_abs_spearman_mean": mean_of("model_spearman", True),
        "model_spearman_at_all_blocks_mean": mean_of("model_spearman_at_all_blocks"),
        "model_spearman_at_matcher_valid_blocks_mean":
            mean_of("model_spearman_at_matcher_valid_blocks"),
        "block_matcher_spearman_mean": mean_of("block_matcher_spearman"),
        "block_matcher_abs_spearman_mean": mean_of("block_matcher_spearman", True),
        "block_matcher_valid_block_share": float(sum(r["blocks_valid"] for r in rows)
                                                 / max(1, sum(r["blocks_total"] for r in rows))),
        "scenes_with_depth_on_both_sides": len(flips),
        "scenes_where_sign_flips_near_to_far": sum(
            r["model_median_px_nearer_than_focus"] < r["model_median_px_beyond_focus"]
            for r in flips),
        "dpdd_scenes_with_positive_median": sum(r["model_median_px"] > 0 for r in dpdd),
    }
    example = find_dpdd_example(model)
    write_picture(pathlib.Path(args.picture), [r for r in rows if r["scene"] in (
        "box/002", "casual/iphone/003", "casual/orbbec/002")] or rows[:3], example)
    for r in rows:
        del r["_pictures"]
    result = {"command": "benchmarks/defocus_realdp.py " + " ".join(sys.argv[1:]),
              "model": f"{args.preset} '{args.weights}' + its shipped defocus head",
              "summary": summary, "sdirt": rows, "sdirt_flat_planes": flat, "dpdd_gif4": dpdd,
              "synthetic": synthetic, "seconds": time.time() - started,
              "machine": "2 CPU cores shared with other jobs (loaded)"}
    RESULTS.mkdir(exist_ok=True)
    atomic_write_json(RESULTS / "defocus_realdp.json", result)
    atomic_write(RESULTS / "defocus_realdp.md", markdown(result) + "\n")
    print(markdown(result))
    return 0


def write_stress(args, rows) -> int:
    for r in rows:
        del r["_pictures"]
    model_rho = float(np.mean([r["model_spearman"] for r in rows]))
    matcher = [r["block_matcher_spearman"] for r in rows if r["block_matcher_spearman"] is not None]
    result = {"command": "benchmarks/defocus_realdp.py " + " ".join(sys.argv[1:]),
              "shading_ramp": args.shading, "head": args.head or "shipped",
              "model_spearman_mean": model_rho,
              "block_matcher_spearman_mean": float(np.mean(matcher)),
              "sdirt": rows, "machine": "2 CPU cores shared with other jobs (loaded)"}
    name = "defocus_realdp_shading" + ("_" + pathlib.Path(args.head).stem if args.head else "")
    RESULTS.mkdir(exist_ok=True)
    atomic_write_json(RESULTS / f"{name}.json", result)
    print(f"shading +-{args.shading}: model Spearman {model_rho:+.3f}, block matcher "
          f"{np.mean(matcher):+.3f} (head: {args.head or 'shipped'})")
    return 0


def find_dpdd_example(model):
    from keras_mccnet.data.dpdd import find_scenes
    from keras_mccnet.data.image_io import read_image
    from keras_mccnet.predict import predict_views

    scene = find_scenes(REALDP / "dpdd_gif4")[0]
    left, right = read_image(scene.left), read_image(scene.right)
    _, pred = predict_views(model, left, right, defocus=True)
    return left[56:], pred[56:], scene.name


def markdown(result) -> str:
    s = result["summary"]
    lines = [f"# Defocus head validation ({result['model']})", "",
             f"`{result['command']}`; {result['machine']}; {result['seconds']:.0f} s.", "",
             "## sdirt_canon_r6 (Canon R6 II, focus 1 m): Spearman with depth", "",
             "| scene | model (pixels) | model (all blocks) | block matcher (valid blocks) | "
             "model (same blocks) | valid / blocks | model median px, < 0.9 m | > 1.1 m |",
             "|---|---:|---:|---:|---:|---:|---:|---:|"]
    fmt = lambda v: "n/a" if v is None else f"{v:+.3f}"  # noqa: E731
    for r in result["sdirt"]:
        lines.append(f"| {r['scene']} | {fmt(r['model_spearman'])} | "
                     f"{fmt(r['model_spearman_at_all_blocks'])} | "
                     f"{fmt(r['block_matcher_spearman'])} | "
                     f"{fmt(r['model_spearman_at_matcher_valid_blocks'])} | "
                     f"{r['blocks_valid']} / {r['blocks_total']} | "
                     f"{fmt(r['model_median_px_nearer_than_focus'])} | "
                     f"{fmt(r['model_median_px_beyond_focus'])} |")
    lines += ["", f"Mean Spearman: model {s['model_spearman_mean']:+.3f} (mean |rho| "
              f"{s['model_abs_spearman_mean']:.3f}) per pixel, "
              f"{s['model_spearman_at_all_blocks_mean']:+.3f} "
              f"over all blocks; block matcher {s['block_matcher_spearman_mean']:+.3f} (mean |rho| "
              f"{s['block_matcher_abs_spearman_mean']:.3f}) on its valid blocks "
              f"({100 * s['block_matcher_valid_block_share']:.0f}% of blocks), model on the same "
              f"blocks {s['model_spearman_at_matcher_valid_blocks_mean']:+.3f}.",
              f"Sign: the model's median is lower nearer than 1 m than beyond it in "
              f"{s['scenes_where_sign_flips_near_to_far']} of "
              f"{s['scenes_with_depth_on_both_sides']} scenes with depth on both sides.", "",
              "## Flat planes (f/4)", "", "| plane | side | median px | share > 0 |",
              "|---|---|---:|---:|"]
    for r in result["sdirt_flat_planes"]:
        lines.append(f"| {r['plane_mm']} mm | {r['side']} | {r['median_px']:+.3f} | "
                     f"{r['positive_share']:.2f} |")
    lines += ["", "## DPDD (4 real scenes, behind focus; rows >= 56)", "",
              "| scene | model median px | share > 0 | > 0.25 px | < -0.25 px | "
              "block matcher +/- blocks |", "|---|---:|---:|---:|---:|---:|"]
    for r in result["dpdd_gif4"]:
        lines.append(f"| {r['scene']} | {r['model_median_px']:+.3f} | "
                     f"{r['model_positive_share']:.2f} | {r['model_share_above_0.25px']:.2f} | "
                     f"{r['model_share_below_-0.25px']:.2f} | "
                     f"{r['block_matcher_positive_blocks']} / "
                     f"{r['block_matcher_negative_blocks']} |")
    y = result["synthetic"]
    lines += ["", "## Synthetic validation (known disparity)", "",
              f"{y['scenes']} scenes of {y['size']} px, blur {y['blur_range_px']} px: MAE "
              f"{y['mae_px']:.3f} px (predicting 0: {y['mae_px_predicting_zero']:.3f} px), mean "
              f"Spearman {y['spearman_mean']:+.3f}."]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
