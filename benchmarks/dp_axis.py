"""The DP split axis: how reliably `keras_mccnet.dp_axis` tells a horizontal split from a
vertical one, and what feeding a vertical split as is costs the shipped model.

    .venv/bin/python benchmarks/dp_axis.py --threads 1

Every real and synthetic pair we hold has a horizontal split (DPDD's Canon, the sdirt Canon R6,
our generator). Transposing both views (rows <-> columns) gives the same scene as a sensor that
splits top / bottom would record it (a phone photo in portrait orientation), so:

1. Detection: `measure_dp_axis` on every pair as recorded (truth: horizontal) and transposed
   (truth: vertical): the four DPDD dev scenes, the 21 sdirt pairs, 24 synthetic validation
   scenes, and pairs without disparity (L = R = C: must stay horizontal). The margin is the
   mean shift along the true axis over the one along the other, over pairs whose larger shift
   is at least MIN_SHIFT_PX (below it there is no disparity to orient by).
2. Quality: the shipped model (`mccnet deblur`'s default) on the DPDD scenes and the synthetic
   scenes, as recorded, transposed and fed as is (`dp_axis="horizontal"`), and transposed with
   `dp_axis="auto"`; PSNR over the input C, scored as `mccnet eval` (rows >= 56 on DPDD). Also
   the views swapped (R, L), the other sign convention a vertical sensor may deliver.

Writes benchmarks/results/dp_axis.{json,md} and the README section `dp_axis`.
"""

from __future__ import annotations

import argparse
import pathlib
import sys
import time

import numpy as np

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import cpu_training  # noqa: E402

from keras_mccnet.dp_axis import MIN_SHIFT_PX  # noqa: E402


def sdirt_pairs():
    from keras_mccnet import shared_data
    from keras_mccnet.data.image_io import read_image

    folder = shared_data.shared_dir() / "realdp" / "sdirt_canon_r6"
    if not folder.is_dir():
        return []
    return [(f"sdirt/{p.parent.relative_to(folder)}", read_image(p), read_image(p.parent / "r.png"))
            for p in sorted(folder.glob("**/l.png"))]


def detection_rows(groups):
    """One row per (pair, orientation): the measured axis against the truth."""
    from keras_mccnet.dp_axis import measure_dp_axis, transpose_views

    rows = []
    for group, pairs in groups.items():
        for name, left, right in pairs:
            orientations = [("horizontal", (left, right))]
            if left is not right:  # equal views have no axis: only "stays horizontal" is asked
                orientations.append(("vertical", (transpose_views(left), transpose_views(right))))
            for truth, views in orientations:
                started = time.perf_counter()
                measured = measure_dp_axis(*views)
                rows.append({"group": group, "pair": name, "truth": truth,
                             "axis": measured.axis, "horizontal": measured.horizontal,
                             "vertical": measured.vertical, "explained": measured.explained,
                             "seconds": time.perf_counter() - started,
                             "shape": list(views[0].shape[:2])})
    return rows


def detection_summary(rows):
    summary = {}
    for group in dict.fromkeys(r["group"] for r in rows):
        mine = [r for r in rows if r["group"] == group]
        moving = [r for r in mine if max(r["horizontal"], r["vertical"]) >= MIN_SHIFT_PX]

        def margin(r):
            true, other = ((r["horizontal"], r["vertical"]) if r["truth"] == "horizontal"
                           else (r["vertical"], r["horizontal"]))
            return true / other if other > 0 else float("inf")

        truths = {truth: [r for r in mine if r["truth"] == truth]
                  for truth in ("horizontal", "vertical")}
        summary[group] = {
            "pairs": len(truths["horizontal"]),
            "correct": sum(r["axis"] == r["truth"] for r in mine), "measured": len(mine),
            "vertical_found": sum(r["axis"] == "vertical" for r in truths["vertical"]),
            "vertical_pairs": len(truths["vertical"]),
            "horizontal_kept": sum(r["axis"] == "horizontal" for r in truths["horizontal"]),
            "wrong_with_disparity": sum(r["axis"] != r["truth"] for r in moving),
            "with_disparity": len(moving),
            "min_margin": min((margin(r) for r in moving), default=float("nan")),
            "median_seconds": float(np.median([r["seconds"] for r in mine]))}
    return summary


def quality_rows(model, real, synthetic):
    """Gain over C per scene: recorded, transposed as is, transposed + auto, views swapped."""
    from keras_mccnet.dp_axis import transpose_views
    from keras_mccnet.predict import predict_views

    def run(left, right, axis, transpose):
        if not transpose:
            return predict_views(model, left, right, dp_axis=axis)
        out = predict_views(model, transpose_views(left), transpose_views(right), dp_axis=axis)
        return transpose_views(out)

    cases = {"recorded": lambda l, r: run(l, r, "auto", False),
             "transposed, fed as is": lambda l, r: run(l, r, "horizontal", True),
             "transposed, dp_axis auto": lambda l, r: run(l, r, "auto", True),
             "views swapped (R, L)": lambda l, r: run(r, l, "horizontal", False)}
    scenes = [("real", name, l, r, c, t, rows) for name, _, l, r, c, t, rows in real]
    scenes += [("synthetic", f"synthetic/{i}", l, r, c, t, 0)
               for i, (l, r, c, t) in enumerate(synthetic)]
    rows = []
    for group, name, left, right, center, target, rows_from in scenes:
        base = cpu_training.scores(center, target, rows_from)["psnr"]
        row = {"group": group, "scene": name, "input_psnr": base}
        for case, output_of in cases.items():
            psnr = cpu_training.scores(output_of(left, right), target, rows_from)["psnr"]
            row[case] = psnr - base
        rows.append(row)
        print(name, {k: round(v, 2) for k, v in row.items() if isinstance(v, float)}, flush=True)
    return rows, list(cases)


def tables(summary, quality, cases):
    lines = ["Detection (`keras_mccnet.dp_axis.measure_dp_axis`; every pair as recorded, a "
             "horizontal split, and transposed, a vertical one):", "",
             "| pairs | count | correct | vertical found | horizontal kept | wrong where a shift "
             f">= {MIN_SHIFT_PX:g} px was measured | smallest margin (true axis / other, mean "
             "shift) | median time s |", "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for group, s in summary.items():
        margin = "-" if np.isnan(s["min_margin"]) else f"{s['min_margin']:.2f}x"
        lines.append(f"| {group} | {s['pairs']} | {s['correct']} / {s['measured']} | "
                     f"{s['vertical_found']} / {s['vertical_pairs']} | {s['horizontal_kept']} / "
                     f"{s['pairs']} | {s['wrong_with_disparity']} / {s['with_disparity']} | "
                     f"{margin} | {s['median_seconds']:.2f} |")
    lines += ["", "Quality: the shipped model's gain over the input C (dB; mean, and per DPDD "
              "scene):", "", "| scenes | " + " | ".join(cases) + " |",
              "|---|" + "---:|" * len(cases)]
    for group in ("real", "synthetic"):
        mine = [q for q in quality if q["group"] == group]
        if not mine:
            continue
        label = "DPDD dev (4)" if group == "real" else f"synthetic val ({len(mine)})"
        lines.append(f"| {label}, mean | " + " | ".join(
            f"{np.mean([q[c] for q in mine]):+.2f}" for c in cases) + " |")
        if group == "real":
            for q in mine:
                lines.append(f"| {q['scene']} | " + " | ".join(f"{q[c]:+.2f}" for c in cases)
                             + " |")
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--threads", type=int, default=None)
    parser.add_argument("--synthetic", type=int, default=24, help="synthetic validation scenes")
    args = parser.parse_args(argv)
    cpu_training.limit_threads(args.threads)
    from keras_mccnet.model_spec import DEFAULT_MODEL, load_model

    real = cpu_training.real_test_set()
    synthetic = cpu_training.synthetic_test_set(args.synthetic)
    groups = {"DPDD dev": [(n, l, r) for n, _, l, r, *_ in real],
              "sdirt Canon R6": sdirt_pairs(),
              "synthetic val": [(f"synthetic/{i}", l, r) for i, (l, r, _, _) in
                                enumerate(synthetic)],
              "no disparity (L = R = C)": [(n, c, c) for n, _, _, _, c, *_ in real]
              + [(f"synthetic/{i}", c, c) for i, (_, _, c, _) in enumerate(synthetic)]}
    detection = detection_rows({g: p for g, p in groups.items() if p})
    summary = detection_summary(detection)
    model, source = load_model(DEFAULT_MODEL)
    quality, cases = quality_rows(model, real, synthetic)
    result = {"command": "benchmarks/dp_axis.py " + " ".join(sys.argv[1:]),
              "model": DEFAULT_MODEL, "model_description": source["description"],
              "detection_summary": summary, "detection": detection, "quality": quality}
    cpu_training.publish("dp_axis", result, tables(summary, quality, cases))
    return 0


if __name__ == "__main__":
    sys.exit(main())
