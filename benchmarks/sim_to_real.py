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
from keras_mccnet.data.synthetic import DPDD_SHOT_NOISE_RANGE  # noqa: E402

SDIRT = shared_data.shared_dir() / "realdp" / "sdirt_canon_r6"
LR_GAIN = 0.08
VARIANTS = {
    "baseline (shipped generator)": {},
    f"+ L/R gain mismatch (lr_gain={LR_GAIN})": {"lr_gain": LR_GAIN},
    "+ 8-bit views": {"view_bits": 8},
    "+ both": {"lr_gain": LR_GAIN, "view_bits": 8},
    "+ weaker DP split (disparity/blur 0.05-0.25)": {"disparity_to_blur": (0.05, 0.25)},
    "+ phone-like small-blur scenes (25% at 0.5-4 px)": {"small_blur_share": 0.25},
    # The grain of the real DPDD views (measure_grain): stronger sensor noise, and the GIF
    # frames' own dithered palettes (about 137 colours per 128-px crop of a 256-colour frame).
    "+ DPDD-like grain (shot noise 2e-4..2e-3)": {"shot_noise_range": DPDD_SHOT_NOISE_RANGE},
    "+ GIF palette (128 colours, dithered)": {"palette_colors": 128},
    # The dither adds grain of its own: half the noise matches the real views with it.
    "+ GIF palette + sensor grain to match (shot noise 1e-4..1e-3)": {
        "shot_noise_range": (1e-4, 1e-3), "palette_colors": 128},
    # Real DPDD blur is taller than wide in half the blocks, wider in one in eight
    # (results/blur_anisotropy.md, median height / width 1.11): the renderer's was round.
    "+ taller blur (height / width 0.9-1.4)": {"psf_aspect_range": (0.9, 1.4)},
}
GRAIN_CROP = 128
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


def flat_grain(image) -> float:
    """The grain of a view: the high-pass (grey image minus its Gaussian blur, sigma 1.5 px)
    standard deviation of its flattest 8x8 blocks (10th percentile), in 8-bit levels. Flat
    blocks hold no texture, so this reads noise and dither, not content."""
    from keras_mccnet.data.disparity import gray_highpass

    high = gray_highpass(image, 1.5) * 255.0
    h, w = (high.shape[0] // 8) * 8, (high.shape[1] // 8) * 8
    blocks = high[:h, :w].reshape(h // 8, 8, w // 8, 8).std(axis=(1, 3))
    return float(np.percentile(blocks, 10))


def crops(image, size=GRAIN_CROP):
    return [image[y:y + size, x:x + size] for y in range(0, image.shape[0] - size + 1, size)
            for x in range(0, image.shape[1] - size + 1, size)]


def grain_stats(views) -> dict:
    grain = [flat_grain(v) for v in views]
    colours = [len(np.unique(np.round(v * 255).reshape(-1, 3), axis=0)) for v in views]
    return {"crops": len(views), "grain_p25": float(np.percentile(grain, 25)),
            "grain_median": float(np.median(grain)), "grain_p75": float(np.percentile(grain, 75)),
            "colours_median": float(np.median(colours))}


def measure_grain():
    """Grain and colours per 128-px crop: the real DPDD L and R views (scored rows) against
    views rendered with the shipped generator and with each grain variant (same scenes)."""
    from keras_mccnet.data.synthetic import Stream, render_scene, scene_rng

    result = {}
    real = cpu_training.real_test_set()
    if real:
        result["real DPDD L and R (4 scenes)"] = grain_stats(
            [c for s in real for view in (s[2], s[3]) for c in crops(view[s[6]:])])
    variants = {"synthetic, shipped generator": {}, **{
        f"synthetic, {name[2:]}": kwargs for name, kwargs in VARIANTS.items()
        if "shot_noise_range" in kwargs or "palette_colors" in kwargs}}
    for name, kwargs in variants.items():
        scenes = [render_scene(scene_rng(5, i, Stream.GAIN_PROFILES), (GRAIN_CROP, GRAIN_CROP),
                               blur_range=cpu_training.BLUR_RANGE, **kwargs) for i in range(32)]
        result[name] = grain_stats([v for s in scenes for v in (s["left"], s["right"])])
    return result


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
    parser.add_argument("--results-name", default="sim_to_real",
                        help="results/NAME.{json,md} and the README section NAME")
    parser.add_argument("--report", action="store_true",
                        help="only rewrite NAME.md and the README section from NAME.json")
    args = parser.parse_args(argv)
    if args.report:
        result = json.loads((cpu_training.RESULTS / f"{args.results_name}.json").read_text())
        cpu_training.publish(args.results_name, result, report_tables(result))
        return 0
    out = pathlib.Path(args.out)
    from keras_mccnet.data import PatchBank
    from keras_mccnet.pretrained import resolve

    gain, grain = measure_gain(), measure_grain()
    psf = measure_real_psf()
    psf_summary = {k: {n: v for n, v in p.items() if "profile" not in n} for k, p in psf.items()}
    print(json.dumps({"gain": gain, "grain": grain, "psf": psf_summary}, indent=1), flush=True)
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
    write_results(gain, grain, psf, baseline, rows, args)
    return 0


def write_results(gain, grain, psf, baseline, rows, args):
    result = {"command": "benchmarks/sim_to_real.py " + " ".join(sys.argv[1:]),
              "setup": {k: v for k, v in vars(args).items() if k != "out"},
              "init": "mccnet_tiny:synthetic (shipped)", "lr_gain_measurement": gain,
              "grain_measurement": grain,
              "real_psf_canon_r6": psf,
              "input_C": baseline, "rows": rows}
    cpu_training.publish(args.results_name, result, report_tables(result))


def report_tables(result) -> str:
    """The measurements that concern the variants run (each published once: the L/R gain with
    lr_gain, the real PSFs with disparity_to_blur, the grain with shot noise or palettes), then
    the equal-budget table."""
    used = {key for row in result["rows"].values() for key in row["render_kwargs"]}
    setup = result["setup"]
    lines = []
    if "lr_gain" in used:
        lines += ["| pairs | L/R offset median / p90 | L/R ramp median / p90 (per width) |",
                  "|---|---:|---:|"]
        lines += [f"| {name} ({s['pairs']}) | {s['offset_median']:.3f} / {s['offset_p90']:.3f} "
                  f"| {s['ramp_median']:.3f} / {s['ramp_p90']:.3f} |"
                  for name, s in result["lr_gain_measurement"].items()]
        lines.append("")
    if used & {"shot_noise_range", "palette_colors"}:
        lines += [f"| views, {GRAIN_CROP}-px crops | grain p25 / median / p75 (8-bit levels) | "
                  "colours per crop (median) |", "|---|---:|---:|"]
        lines += [f"| {name} ({s['crops']}) | {s['grain_p25']:.2f} / {s['grain_median']:.2f} / "
                  f"{s['grain_p75']:.2f} | {s['colours_median']:.0f} |"
                  for name, s in result["grain_measurement"].items()]
        lines.append("")
    if "disparity_to_blur" in used and result["real_psf_canon_r6"]:
        lines += ["| Canon R6 plane (f/4 vs f/20) | thin-lens blur (px) | L-to-R disparity (px) | "
                  "disparity / blur |", "|---|---:|---:|---:|"]
        lines += [f"| {plane} | {p['thin_lens_blur_px']:+.1f} | {p['disparity_px']:+.2f} | "
                  f"{p['disparity_to_blur']:.3f} |" for plane, p in result["real_psf_canon_r6"].items()]
        lines.append("")
    lines += [f"Equal budget: {setup['steps']} steps x {setup['batch']} patches of {setup['patch']} "
              "px from the shipped mccnet_tiny; dB over input C.", "",
              "| generator change | synthetic val PSNR (gain) | 4 DPDD scenes PSNR (gain) | mean gain |",
              "|---|---:|---:|---:|"]
    for name, r in result["rows"].items():
        lines.append(f"| {name} | {r['synthetic_psnr']:.2f} ({r['synthetic_gain_db']:+.2f}) | "
                     f"{r.get('real_psnr', float('nan')):.2f} ({r.get('real_gain_db', float('nan')):+.2f}) "
                     f"| {r['selection_db']:+.3f} |")
    return "\n".join(lines)

if __name__ == "__main__":
    sys.exit(main())
