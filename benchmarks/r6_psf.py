"""The Canon R6's dual-pixel PSFs measured beside the renderer's, and what they leave of the gap.

Is the PSF's shape what separates the R6 planes' synthetic twins from the real views?

    .venv/bin/python benchmarks/r6_psf.py --threads 1 --name r6_psf

On each R6 plane (`benchmarks/r6_planes.py`: f/4 views against the f/20 shot) the left and the
right view's PSF is measured as the kernel that best maps the f/20 reference onto that view in
linear light (non-negative least squares over sampled pixels of the central crop, a small ridge,
one offset per channel; `estimate_psf`), over the whole crop and per tile of a 2 x 3 grid. The
estimator is first run on the renderer's own twin, whose PSFs are known, so its error is
measured rather than assumed. Reported per plane: the kernels' centroid disparity and their
width and height as disk-equivalent diameters; how well the measured kernels (also with negative
lobes allowed, as sharpening would need) and the renderer's (thin-lens blur, the R6 split 0.085)
reproduce the real views from the reference; and the default model's gain on the real views, on
the renderer's twin, on twins blurred by the measured kernels, on the per-tile twin plus the
smooth or the fine part of what it misses of the real views, and on a twin scored against a
reference softened by the f/20 blur. If a measured-PSF twin gained what the real views gain, the
PSF's shape would account for the gap. Writes benchmarks/results/NAME.{json,md,png} and the
README section `NAME`; nothing here is selected on.
"""

from __future__ import annotations

import pathlib
import sys

import numpy as np

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import cpu_training  # noqa: E402
import r6_planes  # noqa: E402
from r6_gap_checks import noise_sigma  # noqa: E402
from rerender_region import RIM, srgb_clipped, views_blurred_by, views_from_linear  # noqa: E402
from scene_crops import command_line  # noqa: E402

HALF = 12  # px: kernels are (2 * HALF + 1) square, well past the 9.4-px thin-lens blur
SAMPLES = 120_000  # sampled (pixel, channel) equations per kernel
RIDGE = 1e-4  # relative to the design's mean diagonal: keeps flat-texture directions tame
# Projected-gradient iterations of the non-negative fit. Without the constraint the kernel's
# tails fill with noise of both signs (kernels 16-20 px wide where the blur is 5-9; L1 error
# 0.04-0.14 on the renderer's own twin, against 0.008-0.02 with it).
ITERATIONS = 3000
R6_SPLIT = 0.085  # the R6's measured disparity / blur (results/sim_to_real.json)
TILES = (2, 3)  # rows, columns: DP PSFs change across the field (the half-apertures vignette)
TILE_SAMPLES = 60_000
F20_OVER_F4 = 4.0 / 20.0  # the reference's thin-lens blur relative to the views'
RESIDUAL_SIGMA = 4.0  # px: splits what no per-tile blur reproduces into smooth and fine parts
INNER = np.s_[r6_planes.MARGIN:-r6_planes.MARGIN, r6_planes.MARGIN:-r6_planes.MARGIN]


def linear(image: np.ndarray) -> np.ndarray:
    from keras_mccnet.data.color import srgb_to_linear

    return srgb_to_linear(image).astype(np.float32)


def scored_box(image: np.ndarray) -> tuple[int, int, int, int]:
    """(top, bottom, left, right) of the central crop every score here uses."""
    h, w = image.shape[:2]
    return r6_planes.MARGIN, h - r6_planes.MARGIN, r6_planes.MARGIN, w - r6_planes.MARGIN


def tiles(box, grid=TILES):
    """The box cut into a grid of (top, bottom, left, right) tiles, row by row."""
    top, bottom, left, right = box
    ys = np.linspace(top, bottom, grid[0] + 1).astype(int)
    xs = np.linspace(left, right, grid[1] + 1).astype(int)
    return [(ys[i], ys[i + 1], xs[j], xs[j + 1]) for i in range(grid[0]) for j in range(grid[1])]


def estimate_psf(sharp: np.ndarray, blurred: np.ndarray, rng, box=None,
                 samples: int = SAMPLES, half: int = HALF, nonnegative: bool = True) -> np.ndarray:
    """The (2 half + 1)^2 PSF k with blurred ~ k * sharp + offset (convolution, linear light,
    HxWx3 inputs), fitted on pixels of `box` (default: the scored crop), normalised to sum 1.
    `nonnegative=False` allows negative lobes (what sharpening would add)."""
    size = 2 * half + 1
    top, bottom, left, right = box or scored_box(sharp)
    ys = rng.integers(top, bottom, samples)
    xs = rng.integers(left, right, samples)
    cs = rng.integers(0, 3, samples)
    padded = np.pad(sharp, ((half, half), (half, half), (0, 0)), mode="reflect")
    windows = np.lib.stride_tricks.sliding_window_view(padded, (size, size), axis=(0, 1))
    design = windows[ys, xs, cs].reshape(samples, -1).astype(np.float64)
    offsets = np.eye(3)[cs]  # one offset per channel: the exposure fit's residue
    design = np.concatenate([design, offsets], axis=1)
    normal = design.T @ design
    ridge = RIDGE * np.trace(normal) / len(normal)
    normal[: size * size, : size * size] += ridge * np.eye(size * size)
    rhs = design.T @ blurred[ys, xs, cs].astype(np.float64)
    weights = (nonnegative_solve(normal, rhs, size * size) if nonnegative
               else np.linalg.solve(normal, rhs))
    # The fit's weights multiply sharp(y + a - half): a correlation, so the PSF is them flipped.
    psf = weights[: size * size].reshape(size, size)[::-1, ::-1]
    return (psf / psf.sum()).astype(np.float32)


def nonnegative_solve(normal: np.ndarray, rhs: np.ndarray, constrained: int) -> np.ndarray:
    """argmin x'Nx/2 - x'b with x[:constrained] >= 0 (accelerated projected gradient, FISTA,
    from the clipped unconstrained solution)."""
    step = 1.0 / np.linalg.eigvalsh(normal)[-1]
    x = np.linalg.solve(normal, rhs)
    x[:constrained] = np.clip(x[:constrained], 0.0, None)
    momentum, t = x.copy(), 1.0
    for _ in range(ITERATIONS):
        nxt = momentum - step * (normal @ momentum - rhs)
        nxt[:constrained] = np.clip(nxt[:constrained], 0.0, None)
        t_next = (1 + np.sqrt(1 + 4 * t * t)) / 2
        momentum = nxt + (t - 1) / t_next * (nxt - x)
        x, t = nxt, t_next
    return x


def padded_kernel(kernel: np.ndarray, half: int = HALF) -> np.ndarray:
    size = 2 * half + 1
    pad = (size - kernel.shape[0]) // 2
    return np.pad(kernel, pad) if pad > 0 else kernel[-pad:size - pad, -pad:size - pad]


def kernel_stats(kernel: np.ndarray) -> dict:
    """Centroid (px, from the kernel's centre) and disk-equivalent width and height: a uniform
    disk of diameter d has a coordinate variance of d^2 / 16."""
    half = kernel.shape[0] // 2
    y, x = np.mgrid[-half:half + 1, -half:half + 1]
    cx, cy = float((kernel * x).sum()), float((kernel * y).sum())
    width = 4 * np.sqrt(float((kernel * (x - cx) ** 2).sum()))
    height = 4 * np.sqrt(float((kernel * (y - cy) ** 2).sum()))
    return {"centroid_x": cx, "centroid_y": cy, "width_px": width, "height_px": height}


def blurred(reference_linear: np.ndarray, kernel: np.ndarray) -> np.ndarray:
    from keras_mccnet.data.psf import convolve

    return convolve(reference_linear, kernel, border="reflect")


def tiled_views(ref_lin: np.ndarray, tile_kernels) -> tuple:
    """(L, R, C) sRGB like `views_blurred_by`, each tile of the scored crop of the linear-light
    reference blurred by its own (left, right) kernels (the margin keeps the first tile's)."""
    out = [None, None]
    for box, kernels in tile_kernels:
        top, bottom, left, right = box
        for view, kernel in enumerate(kernels):
            whole = blurred(ref_lin, kernel)
            if out[view] is None:
                out[view] = whole
            out[view][top:bottom, left:right] = whole[top:bottom, left:right]
    return views_from_linear(out[0], out[1])


def residual_parts(twin: tuple, real: tuple) -> list[dict]:
    """Per view, what the twin misses of the real view, split at `RESIDUAL_SIGMA`."""
    import cv2

    parts = []
    for synthetic, actual in zip(twin[:2], real[:2]):
        residual = actual - synthetic
        smooth = cv2.GaussianBlur(residual, (0, 0), RESIDUAL_SIGMA)
        parts.append({"smooth": smooth, "fine": residual - smooth})
    return parts


def residual_summary(twin: tuple, real: tuple) -> dict:
    """RMS (8-bit levels, scored crop) of each part, and how alike L's and R's are: sensor
    noise is independent between the views, a difference of the scene or the reference is
    common to both."""
    parts = residual_parts(twin, real)
    return {part: {"rms_8bit": float(255 * np.sqrt(np.mean([p[part][INNER] ** 2
                                                             for p in parts]))),
                   "l_r_correlation": float(np.corrcoef(parts[0][part][INNER].ravel(),
                                                        parts[1][part][INNER].ravel())[0, 1])}
            for part in ("smooth", "fine")}


def with_residual(twin: tuple, real: tuple, part: str) -> tuple:
    """The twin's L and R plus the `part` ("smooth" or "fine") of what they miss of the real
    views, C their linear mean: which part of that residue costs the model its gain?"""
    views = [np.clip(synthetic + parts[part], 0.0, 1.0).astype(np.float32)
             for synthetic, parts in zip(twin[:2], residual_parts(twin, real))]
    return views[0], views[1], r6_planes.combined(*views)


def plane_result(model, plane: dict, rng) -> tuple[dict, dict]:
    from keras_mccnet.data.psf import dp_kernels

    reference = plane["reference"]
    blur = plane["checks"]["thin_lens_blur_px"]
    renderer = [padded_kernel(k) for k in dp_kernels(blur, R6_SPLIT, RIM)]
    ref_lin = linear(reference)
    twin = views_blurred_by(reference, renderer)
    # the estimator on views whose PSFs are known: how far off is it?
    recovered = [estimate_psf(ref_lin, linear(v), rng) for v in twin[:2]]
    recovery_error = [float(np.abs(r - k).sum()) for r, k in zip(recovered, renderer)]
    views_lin = [linear(plane[v]) for v in ("left", "right")]
    measured = [estimate_psf(ref_lin, v, rng) for v in views_lin]
    measured_twin = views_blurred_by(reference, measured)
    signed = [estimate_psf(ref_lin, v, rng, nonnegative=False) for v in views_lin]
    tile_kernels = [(box, [estimate_psf(ref_lin, v, rng, box, TILE_SAMPLES) for v in views_lin])
                    for box in tiles(scored_box(ref_lin))]
    tiled_twin = tiled_views(ref_lin, tile_kernels)
    real = (plane["left"], plane["right"], plane["center"])

    def reproduction(views):
        return {v: r6_planes.crop_scores(s, r)["psnr"] for v, s, r in zip("LRC", views, real)}

    def gain(views, target=reference):
        out = np.clip(model.predict({"left": views[0][None], "right": views[1][None]},
                                    verbose=0)[0], 0, 1)
        return (r6_planes.crop_scores(out, target)["psnr"]
                - r6_planes.crop_scores(views[2], target)["psnr"])

    grey_diff = lambda views: (views[0] - views[1]).mean(-1)[INNER].ravel()  # noqa: E731
    real_diff = grey_diff(real)
    # A twin that matched the real views perfectly up to their noise would still correlate
    # below 1: sqrt(1 - noise variance of L - R / variance of the real L - R).
    noise_var = noise_sigma(real[0]) ** 2 + noise_sigma(real[1]) ** 2
    # The reference is not the scene: the f/20 shot carries a fifth of the f/4 blur. Treating
    # the reference as the scene, a twin scored against the reference softened by that blur
    # says what a soft reference costs a model that restores past it.
    from keras_mccnet.data.psf import disk_kernel

    softened = srgb_clipped(blurred(ref_lin, disk_kernel(abs(blur) * F20_OVER_F4)))
    row = {
        "thin_lens_blur_px": blur,
        "estimator_l1_error_on_renderer_twin": recovery_error,
        "kernels": {name: {view: kernel_stats(k) for view, k in zip("LR", pair)}
                    for name, pair in (("measured", measured), ("renderer", renderer))},
        "reproduces_real_views_psnr": {"measured PSF": reproduction(measured_twin),
                                       "renderer PSF": reproduction(twin),
                                       "measured PSF per tile": reproduction(tiled_twin),
                                       "kernel with negative lobes allowed":
                                           reproduction(views_blurred_by(reference, signed))},
        "per_tile_twin_misses": residual_summary(tiled_twin, real),
        "tile_disparity_px": [float(kernel_stats(r)["centroid_x"] - kernel_stats(l)["centroid_x"])
                              for _, (l, r) in tile_kernels],
        "grey_l_minus_r_correlation_with_real": {
            name: float(np.corrcoef(real_diff, grey_diff(v))[0, 1])
            for name, v in (("measured PSF", measured_twin), ("renderer PSF", twin),
                            ("measured PSF per tile", tiled_twin))},
        "grey_l_minus_r_correlation_noise_ceiling": float(
            np.sqrt(max(0.0, 1.0 - noise_var / real_diff.var()))),
        "gain_db": {"real views": gain(real), "renderer twin": gain(twin),
                    "measured-PSF twin": gain(measured_twin),
                    "measured-PSF-per-tile twin": gain(tiled_twin),
                    "per-tile twin + the smooth part of what it misses of the real views":
                        gain(with_residual(tiled_twin, real, "smooth")),
                    "per-tile twin + the fine part of what it misses of the real views":
                        gain(with_residual(tiled_twin, real, "fine")),
                    "measured-PSF twin, scored against the reference softened by the f/20 blur":
                        gain(measured_twin, softened)},
    }
    for pair in row["kernels"].values():
        pair["disparity_px"] = pair["R"]["centroid_x"] - pair["L"]["centroid_x"]
    return row, {"measured": measured, "renderer": renderer}


def table(result: dict) -> str:
    planes = result["planes"]
    names = list(planes)
    lines = [f"`{result['model']}`; Canon R6 planes, central crop. Kernels measured from the "
             "f/4 views against the f/20 reference (estimator error on the renderer's own twin, "
             "L1 of the kernel: " + ", ".join(
                 f"{n} {max(planes[n]['estimator_l1_error_on_renderer_twin']):.3f}"
                 for n in names) + ").", "",
             "| | " + " | ".join(names) + " |", "|---|" + "---:|" * len(names)]

    def add(label, cell):
        lines.append(f"| {label} | " + " | ".join(cell(planes[n]) for n in names) + " |")

    add("thin-lens blur (px)", lambda p: f"{p['thin_lens_blur_px']:+.1f}")
    for kind in ("measured", "renderer"):
        add(f"{kind} PSF: L-to-R disparity (px)",
            lambda p, k=kind: f"{p['kernels'][k]['disparity_px']:+.2f}")
        add(f"{kind} PSF: width x height, L / R (px)",
            lambda p, k=kind: " / ".join(
                f"{p['kernels'][k][v]['width_px']:.1f} x {p['kernels'][k][v]['height_px']:.1f}"
                for v in "LR"))
    add(f"measured PSF per tile ({TILES[0]} x {TILES[1]}): L-to-R disparity (px), row by row",
        lambda p: " ".join(f"{d:+.2f}" for d in p["tile_disparity_px"]))
    for kind in next(iter(planes.values()))["reproduces_real_views_psnr"]:
        add(f"{kind} reproduces real L / R / C (PSNR, dB)",
            lambda p, k=kind: " / ".join(f"{p['reproduces_real_views_psnr'][k][v]:.2f}"
                                         for v in "LRC"))
    for kind in next(iter(planes.values()))["grey_l_minus_r_correlation_with_real"]:
        add(f"{kind}: correlation of L - R (grey) with the real views'",
            lambda p, k=kind: f"{p['grey_l_minus_r_correlation_with_real'][k]:.2f}")
    add("the same correlation's ceiling set by the real views' noise",
        lambda p: f"{p['grey_l_minus_r_correlation_noise_ceiling']:.2f}")
    add(f"what the per-tile twin misses, smooth / fine (split at {RESIDUAL_SIGMA:g} px): RMS "
        "(8-bit levels)", lambda p: " / ".join(f"{p['per_tile_twin_misses'][k]['rms_8bit']:.2f}"
                                             for k in ("smooth", "fine")))
    add("the same, correlation between the L and the R view's",
        lambda p: " / ".join(f"{p['per_tile_twin_misses'][k]['l_r_correlation']:.2f}"
                             for k in ("smooth", "fine")))
    for case in next(iter(planes.values()))["gain_db"]:
        add(f"model gain on {case} (dB)", lambda p, c=case: f"{p['gain_db'][c]:+.2f}")
    return "\n".join(lines)


def plot(kernels: dict, path: pathlib.Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(len(kernels), 5, figsize=(15, 3.2 * len(kernels)))
    for row, (plane, pair) in zip(np.atleast_2d(axes), kernels.items()):
        peak = max(float(k.max()) for ks in pair.values() for k in ks)
        for ax, (kind, view) in zip(row[:4], [(k, v) for k in pair for v in (0, 1)]):
            ax.imshow(pair[kind][view], cmap="magma", vmin=0, vmax=peak)
            ax.set_title(f"{plane}: {kind} {'LR'[view]}")
            ax.axis("off")
        for kind, style in (("measured", "-"), ("renderer", "--")):
            for view, colour in ((0, "tab:blue"), (1, "tab:red")):
                profile = pair[kind][view].sum(axis=0)
                row[4].plot(np.arange(-HALF, HALF + 1), profile, style, color=colour,
                            label=f"{kind} {'LR'[view]}")
        row[4].set(title=f"{plane}: column sums", xlabel="x (px)")
        row[4].legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=80)
    plt.close(fig)


def main(argv=None) -> int:
    args, spec, model, planes = r6_planes.one_model_study(__doc__, "r6_psf", argv)
    rng = np.random.default_rng(0)
    rows, kernels = {}, {}
    for plane in planes:
        rows[plane["name"]], kernels[plane["name"]] = plane_result(model, plane, rng)
    result = {"command": command_line("r6_psf.py", argv), "model": spec, "planes": rows,
              "kernels": {p: {k: [v.round(5).tolist() for v in ks] for k, ks in pair.items()}
                          for p, pair in kernels.items()}}
    plot(kernels, cpu_training.RESULTS / f"{args.name}.png")
    cpu_training.publish(args.name, result, table(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
