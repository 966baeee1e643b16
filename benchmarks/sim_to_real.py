"""Sim-to-real: how our synthetic DP data differs from real DP photos, and what fixing it buys.

    .venv/bin/python benchmarks/sim_to_real.py --out runs/sim_to_real [--steps 200]

Part 1, measured differences (no training): the L/R gain profile across the image width (DP
vignetting: each photodiode sees one half of the exit pupil, so L and R differ in brightness,
more towards the edges) on the four real DPDD scenes and the 21 Canon R6 pairs of
../shared/realdp, against rendered scenes with and without the generator's `lr_gain`.

Part 2, judged by validation at equal budget: the shipped mccnet_tiny is trained on for the same
steps, batch, schedule and patch indices on banks rendered by each generator variant (same seed,
so the same scenes up to the change), then scored on synthetic validation (the default generator,
a stream no bank uses) and on the four real DPDD scenes (rows >= 56), each against input C.
Model selection never looks at the real scenes alone.

Writes benchmarks/results/sim_to_real.{json,md}; resumable (banks and runs live in --out).
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
from keras_mccnet import shared_data  # noqa: E402

SDIRT = shared_data.shared_dir() / "realdp" / "sdirt_canon_r6"
LR_GAIN = 0.08
VARIANTS = {
    "baseline (shipped generator)": {},
    f"+ L/R gain mismatch (lr_gain={LR_GAIN})": {"lr_gain": LR_GAIN},
    "+ 8-bit views": {"view_bits": 8},
    "+ both": {"lr_gain": LR_GAIN, "view_bits": 8},
    "+ weaker DP split (disparity/blur 0.05-0.25)": {"disparity_to_blur": (0.05, 0.25)},
    "+ phone-like small-blur scenes (25% at 0.5-4 px)": {"small_blur_share": 0.25},
}
FLAT = SDIRT / "flat" / "001"
# Thin lens of the Sdirt Canon R6 plane shots: 50 mm, f/4, focus 1 m; 36 mm over 768 px.
R6 = {"focal_mm": 50.0, "f_number": 4.0, "focus_mm": 1000.0, "pitch_mm": 36.0 / 768}


def gain_profile(left, right, bands=8):
    """Median L / median R in linear light per vertical band, left to right."""
    from keras_mccnet.data.color import srgb_to_linear

    lum_l, lum_r = (srgb_to_linear(v).mean(axis=2) for v in (left, right))
    edges = np.linspace(0, lum_l.shape[1], bands + 1).astype(int)
    return np.array([np.median(lum_l[:, a:b]) / max(np.median(lum_r[:, a:b]), 1e-6)
                     for a, b in zip(edges[:-1], edges[1:])])


def profile_stats(profiles):
    """Per pair: the global offset (mean |ratio - 1|) and the ramp (fitted slope across the
    width, ratio units per image width); summarised as median and 90th percentile of |.|."""
    offsets = [abs(float(np.mean(p)) - 1.0) for p in profiles]
    x = np.linspace(-0.5, 0.5, len(profiles[0]))
    slopes = [abs(float(np.polyfit(x, p, 1)[0])) for p in profiles]
    return {"pairs": len(profiles),
            "offset_median": float(np.median(offsets)), "offset_p90": float(np.quantile(offsets, 0.9)),
            "ramp_median": float(np.median(slopes)), "ramp_p90": float(np.quantile(slopes, 0.9))}


def psf_from_pair(sharp, blurred, size=31, damping=1e-2):
    """Least-squares blur kernel mapping `sharp` to `blurred` (grey, linear light), estimated
    in the Fourier domain on the central half of the frame (Hann window, Tikhonov damping)."""
    h, w = sharp.shape
    crop = (slice(h // 4, 3 * h // 4), slice(w // 4, 3 * w // 4))
    s, b = sharp[crop] / sharp[crop].mean() - 1, blurred[crop] / blurred[crop].mean() - 1
    window = np.outer(np.hanning(s.shape[0]), np.hanning(s.shape[1]))
    fs, fb = np.fft.fft2(s * window), np.fft.fft2(b * window)
    power = np.abs(fs) ** 2
    kernel = np.fft.fftshift(np.real(np.fft.ifft2(np.conj(fs) * fb / (power + damping * power.mean()))))
    cy, cx, r = kernel.shape[0] // 2, kernel.shape[1] // 2, size // 2
    kernel = np.clip(kernel[cy - r:cy + r + 1, cx - r:cx + r + 1], 0, None)
    return kernel / kernel.sum()


def measure_real_psf():
    """The Canon R6 plane at 600 mm (in front of the 1 m focus) and 1500 mm (behind), f/4 views
    against the f/20 shot as the sharp reference: each view's PSF, its horizontal centroid, the
    L-to-R disparity and its ratio to the thin-lens blur diameter (the generator's
    `disparity_to_blur`)."""
    from keras_mccnet.data import read_image
    from keras_mccnet.data.color import srgb_to_linear
    from keras_mccnet.data.psf import signed_blur_diameter

    if not FLAT.is_dir():
        return {}
    grey = lambda p: srgb_to_linear(read_image(p)).mean(axis=2)  # noqa: E731
    out = {}
    for plane in ("0600", "1500"):
        sharp = 0.5 * (grey(FLAT / plane / "f20" / "l.png") + grey(FLAT / plane / "f20" / "r.png"))
        blur = float(signed_blur_diameter(float(plane), R6["focus_mm"], R6["focal_mm"],
                                          R6["f_number"], R6["pitch_mm"]))
        centroids, profiles = {}, {}
        for view in ("l", "r"):
            kernel = psf_from_pair(sharp, grey(FLAT / plane / "f4" / f"{view}.png"))
            x = np.arange(kernel.shape[1]) - kernel.shape[1] // 2
            centroids[view] = float((kernel.sum(axis=0) * x).sum())
            profiles[view] = [round(float(v), 4) for v in kernel.sum(axis=0)]
        disparity = centroids["r"] - centroids["l"]
        out[f"{int(plane)} mm"] = {"thin_lens_blur_px": blur, "centroid_l_px": centroids["l"],
                                   "centroid_r_px": centroids["r"], "disparity_px": disparity,
                                   "disparity_to_blur": abs(disparity) / abs(blur),
                                   "sign_ok": bool(np.sign(disparity) == np.sign(blur)),
                                   "profile_l": profiles["l"], "profile_r": profiles["r"]}
    return out


def measure_gain():
    from keras_mccnet.data import read_image
    from keras_mccnet.data.synthetic import Stream, render_scene, scene_rng

    result = {}
    real = cpu_training.real_test_set()
    if real:
        result["real DPDD (4 scenes)"] = profile_stats([gain_profile(s[2], s[3]) for s in real])
    lefts = sorted(SDIRT.glob("**/l.png"))
    if lefts:
        result["real Canon R6 (sdirt)"] = profile_stats(
            [gain_profile(read_image(p), read_image(p.with_name("r.png"))) for p in lefts])
    for name, gain in (("synthetic, lr_gain=0", 0.0), (f"synthetic, lr_gain={LR_GAIN}", LR_GAIN)):
        scenes = [render_scene(scene_rng(5, i, Stream.GAIN_PROFILES), (256, 384), lr_gain=gain,
                               blur_range=cpu_training.BLUR_RANGE) for i in range(16)]
        result[name] = profile_stats([gain_profile(s["left"], s["right"]) for s in scenes])
    return result


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", default="runs/sim_to_real")
    parser.add_argument("--steps", type=int, default=200)
    parser.add_argument("--batch", type=int, default=8)
    parser.add_argument("--patch", type=int, default=128)
    parser.add_argument("--bank", type=int, default=1600)
    parser.add_argument("--lr", type=float, default=3e-4)
    parser.add_argument("--seed", type=int, default=21)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--variants", type=int, nargs="+", default=list(range(len(VARIANTS))),
                        help="indices into VARIANTS to run (default: all)")
    args = parser.parse_args(argv)
    out = pathlib.Path(args.out)
    from keras_mccnet.data import PatchBank
    from keras_mccnet.pretrained import resolve

    gain = measure_gain()
    psf = measure_real_psf()
    print(json.dumps({"gain": gain, "psf": {k: {n: v for n, v in p.items() if "profile" not in n}
                                            for k, p in psf.items()}}, indent=1), flush=True)
    init = resolve("mccnet_tiny", "synthetic")
    synthetic, real = cpu_training.synthetic_test_set(), cpu_training.real_test_set()
    baseline = cpu_training.input_baseline(synthetic, real)
    schedule = cpu_training.Schedule(steps=args.steps, batch=args.batch, lr=args.lr, warmup=10)
    rows = {}
    for index, (name, render_kwargs) in enumerate(VARIANTS.items()):
        if index not in args.variants:
            continue
        bank = PatchBank.cached(out / f"bank_{index}.npz", args.bank, args.patch, args.seed,
                                args.workers, blur_range=cpu_training.BLUR_RANGE, **render_kwargs)
        model, state = cpu_training.train("mccnet_tiny", bank, schedule, out / f"variant_{index}",
                                          init=init, seed=args.seed, label=name)
        row = cpu_training.evaluate(model, synthetic, real)
        rows[name] = {**row, **cpu_training.gains(row, baseline), "render_kwargs": render_kwargs,
                      "train_seconds": state["seconds"]}
        print(name, json.dumps({k: v for k, v in rows[name].items() if k != "real_per_scene"}),
              flush=True)
    write_results(gain, psf, baseline, rows, args)
    return 0


def write_results(gain, psf, baseline, rows, args):
    result = {"command": "benchmarks/sim_to_real.py " + " ".join(sys.argv[1:]),
              "setup": {k: v for k, v in vars(args).items() if k != "out"},
              "init": "mccnet_tiny:synthetic (shipped)", "lr_gain_measurement": gain,
              "real_psf_canon_r6": psf,
              "input_C": baseline, "rows": rows}
    lines = ["| pairs | L/R offset median / p90 | L/R ramp median / p90 (per width) |",
             "|---|---:|---:|"]
    for name, s in gain.items():
        lines.append(f"| {name} ({s['pairs']}) | {s['offset_median']:.3f} / {s['offset_p90']:.3f} "
                     f"| {s['ramp_median']:.3f} / {s['ramp_p90']:.3f} |")
    if psf:
        lines += ["", "| Canon R6 plane (f/4 vs f/20) | thin-lens blur (px) | L-to-R disparity (px) | disparity / blur |",
                  "|---|---:|---:|---:|"]
        for plane, p in psf.items():
            lines.append(f"| {plane} | {p['thin_lens_blur_px']:+.1f} | {p['disparity_px']:+.2f} | "
                         f"{p['disparity_to_blur']:.3f} |")
    lines += ["", f"Equal budget: {args.steps} steps x {args.batch} patches of {args.patch} px from "
              "the shipped mccnet_tiny; dB over input C.", "",
              "| generator change | synthetic val PSNR (gain) | 4 DPDD scenes PSNR (gain) | mean gain |",
              "|---|---:|---:|---:|"]
    for name, r in rows.items():
        lines.append(f"| {name} | {r['synthetic_psnr']:.2f} ({r['synthetic_gain_db']:+.2f}) | "
                     f"{r.get('real_psnr', float('nan')):.2f} ({r.get('real_gain_db', float('nan')):+.2f}) "
                     f"| {r['selection_db']:+.3f} |")
    cpu_training.publish("sim_to_real", result, "\n".join(lines))


if __name__ == "__main__":
    sys.exit(main())
