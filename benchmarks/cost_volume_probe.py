"""Does a cost volume say how blurred a region is when the two views are the same? A ridge probe.

    .venv/bin/python benchmarks/cost_volume_probe.py --threads 1 \\
        --models "campaign 81=mccnet_tiny:benchmarks/results/candidates/\\
campaign81_step17600.weights.h5" \\
                 "campaign 96=benchmarks/results/models/campaign96_step17600.keras"

With both views set to C no L/R disparity is left, yet campaign 81's network (the default search
ranges) still gains +1.33 dB on synthetic validation where the search-range fix (campaign 96)
gains +0.88 (results/correlation_diagnosis_campaigns.md). One reading: with identical views a
cost volume still says how each pixel's features correlate with their neighbours' along the
search, that is how far the blur has spread them, and the default coarse slices look four times
as far as the fix's. This measures whether the slices carry that information. For every model and
level, each cell's cost curve with both views = C (one value per slice, and its square) is the
input of a ridge regression onto the local blur size, log(1 + the renderer's |blur diameter| map
averaged over the cell, in full-resolution px); fitted on the first 48 synthetic validation
scenes and scored (R^2) on the other 16, scenes the fit never saw. It is fitted twice per level:
on all of the level's slices, and on its central three (displacements -1, 0, +1: all that the
fix keeps at levels 2 and 3), so each model is also its own control. The cost curve with the
real L and R is probed too, for comparison. A probe says what the slices hold, not what the
network makes of it (README, "What the cost volumes hold without disparity").

Writes benchmarks/results/NAME.{json,md} and the section NAME (default `cost_volume_probe`).
"""

from __future__ import annotations

import argparse
import pathlib
import sys

import numpy as np

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import cpu_campaign  # noqa: E402
import cpu_training  # noqa: E402
from scene_crops import command_line  # noqa: E402

SCENES, FITTED = 64, 48
RIDGE = 1e-3  # relative to the features' mean square: keeps the fit stable, barely shrinks it


def cost_volume_model(model):
    """A model of `model`'s inputs that outputs every level's raw cost volume, in level order."""
    import keras

    from keras_mccnet.layers.cross_correlation import CrossCorrelation

    layers = sorted((layer for layer in model.layers if isinstance(layer, CrossCorrelation)),
                    key=lambda layer: layer.name)  # corr_s0 ... corr_s3
    return keras.Model(model.inputs, [layer.output for layer in layers])


def cost_volumes(volume_model, left, right) -> list[np.ndarray]:
    """Every level's cost volume (H_k x W_k x slices) for one pair of views."""
    outputs = volume_model.predict({"left": left[None], "right": right[None]}, verbose=0)
    return [np.asarray(o)[0] for o in (outputs if isinstance(outputs, list) else [outputs])]


def cell_blur(blur: np.ndarray, shape) -> np.ndarray:
    """log(1 + the mean |blur diameter|) over each cell of a level of `shape` (blur in
    full-resolution px; the log: a 2-px and a 4-px blur differ as much as 10 and 20 px)."""
    factor = blur.shape[0] // shape[0]
    h, w = shape[0] * factor, shape[1] * factor
    cells = np.abs(blur[:h, :w]).reshape(shape[0], factor, shape[1], factor)
    return np.log1p(cells.mean(axis=(1, 3)))


def ridge_r2(train_x, train_y, test_x, test_y, ridge: float = RIDGE) -> float:
    """R^2 on the held-out cells of a ridge regression (with an intercept) fitted on the others."""
    mean_x, mean_y = train_x.mean(axis=0), train_y.mean()
    x, y = train_x - mean_x, train_y - mean_y
    gram = x.T @ x
    penalty = ridge * np.trace(gram) / max(gram.shape[0], 1)
    coef = np.linalg.solve(gram + penalty * np.eye(gram.shape[0]), x.T @ y)
    predicted = (test_x - mean_x) @ coef + mean_y
    return float(1.0 - np.sum((test_y - predicted) ** 2) / np.sum((test_y - test_y.mean()) ** 2))


def with_squares(costs: np.ndarray) -> np.ndarray:
    """The probe's features: each slice's cost and its square."""
    return np.concatenate([costs, costs ** 2], axis=1)


def central_three(slices: int) -> slice:
    """The channels of displacements -1, 0, +1 in a horizontal cost volume of `slices` channels."""
    middle = slices // 2
    return slice(max(middle - 1, 0), middle + 2)


def probe_model(model, scenes, views: str) -> list[dict]:
    """One row per level: R^2 of the probe on all slices and on the central three."""
    volume_model = cost_volume_model(model)
    volumes, targets = [], []
    for scene in scenes:
        left, right = ((scene["center"], scene["center"]) if views == "C"
                       else (scene["left"], scene["right"]))
        levels = cost_volumes(volume_model, left, right)
        volumes.append(levels)
        targets.append([cell_blur(scene["blur"], v.shape[:2]) for v in levels])
    rows = []
    for k in range(len(volumes[0])):
        x = [v[k].reshape(-1, v[k].shape[-1]) for v in volumes]
        y = [t[k].reshape(-1) for t in targets]
        fit_x, fit_y = np.concatenate(x[:FITTED]), np.concatenate(y[:FITTED])
        test_x, test_y = np.concatenate(x[FITTED:]), np.concatenate(y[FITTED:])
        middle = central_three(fit_x.shape[1])
        rows.append({"level": k, "slices": int(fit_x.shape[1]),
                     "r2_all": ridge_r2(with_squares(fit_x), fit_y, with_squares(test_x), test_y),
                     "r2_central_three": ridge_r2(with_squares(fit_x[:, middle]), fit_y,
                                                  with_squares(test_x[:, middle]), test_y)})
    return rows


def table(results: dict) -> str:
    lines = [f"Ridge probe of each level's cost curve (and its square) onto log(1 + local |blur "
             f"diameter|), fitted on {FITTED} synthetic validation scenes, R^2 on "
             f"{SCENES - FITTED} others; views = C: both inputs set to C (no disparity left), "
             "L and R: the real views.", "",
             "| model | level | slices | R^2, views = C, all slices | R^2, views = C, central "
             "three | R^2, L and R, all slices | R^2, L and R, central three |",
             "|---|---:|---:|---:|---:|---:|---:|"]
    for name, by_views in results.items():
        for same, real in zip(by_views["C"], by_views["LR"]):
            lines.append(f"| {name} | {same['level']} | {same['slices']} | {same['r2_all']:.3f} | "
                         f"{same['r2_central_three']:.3f} | {real['r2_all']:.3f} | "
                         f"{real['r2_central_three']:.3f} |")
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--models", nargs="+", required=True,
                        help="NAME=SPEC (any `--model` SPEC, or a campaign's "
                             "OUT/snapshots/stepN.weights.h5)")
    parser.add_argument("--name", default="cost_volume_probe")
    parser.add_argument("--threads", type=int, default=None)
    args = parser.parse_args(argv)
    cpu_training.limit_threads(args.threads)
    scenes = cpu_training.synthetic_validation_scenes(SCENES)  # the first 24: the test set's
    models = dict(m.split("=", 1) for m in args.models)
    results = {}
    for name, spec in models.items():
        model = cpu_campaign.snapshot_or_spec_model(spec)
        results[name] = {views: probe_model(model, scenes, views) for views in ("C", "LR")}
        print(name, results[name], flush=True)
    cpu_training.publish(args.name, {"command": command_line("cost_volume_probe.py", argv),
                                     "scenes": SCENES, "fitted": FITTED, "ridge": RIDGE,
                                     "models": models, "probe": results}, table(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
