"""Physically based synthetic dual-pixel scenes (design.md section 5).

A scene is rendered in linear light from back to front:

1. Geometry (`depth.random_layers`): a background plane, slanted or not, and up to a few occluding
   objects, each with an anti-aliased matte and a planar inverse depth.
2. Camera: a focus distance (usually on one of the layers, so part of the scene is sharp), a
   focal length of 35-85 mm, and the f-number solved so that the largest blur in the patch is a
   drawn target; `psf.signed_blur_diameter` is the thin-lens formula, with the pixel pitch of
   DPDD's 1680-px-wide images (36 mm / 1680) by default.
3. Blur: every layer is split into bins of nearly equal signed blur; each bin's premultiplied
   colour and matte are convolved with the left and right DP PSFs of `psf.dp_kernels` and composited
   "over" the bins behind it (occlusion-aware, the matte is blurred too, so a blurred occluder
   spreads over what is behind it). The accumulated matte renormalises seams between bins.
4. Sensor: shot and read noise on each view (variance a * x + b), C = (L + R) / 2 in linear light,
   then sRGB encoding and 16-bit quantisation (optionally 8-bit, or a dithered GIF palette per
   view as in DPDD's GIF frames: `gif_palette`). The target is the sharp composite, noise-free.

Disparity sign as in real DPDD: content behind the focal plane (positive blur) lies further
RIGHT in R than in L. The disparity-to-blur ratio is calibrated on real scenes (see `psf`).
"""

from __future__ import annotations

import enum
import functools
import os

import cv2
import numpy as np

from keras_mccnet.atomic_write import atomic_write_json
from keras_mccnet.data.color import linear_to_srgb16
from keras_mccnet.data.content import make_source
from keras_mccnet.data.depth import random_layers, visible
from keras_mccnet.data.gif_palette import gif_quantize
from keras_mccnet.data.psf import (DISPARITY_TO_BLUR_RANGE, convolve, dp_kernels,
                                   signed_blur_diameter)

DPDD_PIXEL_PITCH_M = 36e-3 / 1680  # full-frame sensor width over DPDD's image width
# Largest |blur diameter| per scene, px at DPDD's 1680-px width. With (12, 44) the per-pixel |blur|
# of rendered scenes has p50 10, p90 27, p99 41 px; the real DPDD scenes measure p50 18, p90 28,
# p99 42 px (benchmarks/results/dp_calibration.json, x2 from 840 px). The lower median keeps
# in-focus content in the training data, which the network must leave sharp.
DEFAULT_BLUR_RANGE = (12.0, 44.0)
SMALL_BLUR_RANGE = (0.5, 4.0)
# Shot-noise variance factor a (variance a * x + b in linear light), log-uniform. The real DPDD
# views are grainier: their flattest 8x8 blocks have a high-pass std of 2.07 8-bit levels
# (median over 128-px crops) against 1.29 for scenes rendered with this range; (2e-4, 2e-3)
# renders 2.04 (benchmarks/results/sim_to_real_grain.json, "grain_measurement").
SHOT_NOISE_RANGE = (2e-5, 1e-3)
DPDD_SHOT_NOISE_RANGE = (2e-4, 2e-3)


NOISE_BANK_SIZE = 1 << 22


@functools.lru_cache(maxsize=1)
def _noise_bank() -> np.ndarray:
    # Standard normal samples drawn once with a fixed seed; each view reads a random window of it.
    # Drawing fresh Gaussians cost a quarter of the render time, and a window at a random offset of
    # 4M samples is as good as fresh noise for 256x256x3 patches.
    return np.random.default_rng(20240611).standard_normal(NOISE_BANK_SIZE, np.float32)


def _standard_normal(rng: np.random.Generator, shape) -> np.ndarray:
    n = int(np.prod(shape))
    bank = _noise_bank()
    if n > bank.size // 2:
        return rng.standard_normal(shape, np.float32)
    start = int(rng.integers(0, bank.size - n))
    return bank[start : start + n].reshape(shape) * (1.0 if rng.random() < 0.5 else -1.0)


def _content_for(source, rng, alpha):
    """Content only over the bounding box of the layer's matte (the rest is never seen)."""
    rows, cols = np.nonzero(alpha.any(axis=1))[0], np.nonzero(alpha.any(axis=0))[0]
    out = np.zeros(alpha.shape + (3,), np.float32)
    if len(rows) == 0:
        return out
    y0, y1, x0, x1 = rows[0], rows[-1] + 1, cols[0], cols[-1] + 1
    out[y0:y1, x0:x1] = source.sample(rng, y1 - y0, x1 - x0) * rng.uniform(0.7, 1.2)
    return out


@functools.lru_cache(maxsize=4)
def _cached_source(sharp_dir):
    return make_source(sharp_dir)


def resolve_source(sharp_source):
    """A content source from a source object, a folder, "default" (../shared/sharp) or None."""
    if sharp_source is None or isinstance(sharp_source, str):
        return _cached_source(sharp_source)
    if isinstance(sharp_source, os.PathLike):
        return _cached_source(os.fspath(sharp_source))
    return sharp_source


def _bins(c: np.ndarray, alpha: np.ndarray):
    """Split a layer's blur map into bins of nearly equal blur, far to near.

    Yields (mask, blur, selector): the bin's matte, its blur diameter, and the 0/1 selector that
    cuts the bin out of the layer (None when the whole layer is one bin)."""
    covered = alpha > 0
    if not covered.any():
        return
    lo, hi = float(c[covered].min()), float(c[covered].max())
    # Bins ~1.5 px or 15% of the blur wide: a diameter error below that is not visible.
    step = max(1.5, 0.15 * max(abs(lo), abs(hi)))
    n = int(np.clip(np.ceil((hi - lo) / step), 1, 8))
    if n == 1:
        yield alpha, 0.5 * (lo + hi), None
        return
    width = (hi - lo) / n
    index = np.clip(((c - lo) / width).astype(np.int32), 0, n - 1)
    for k in range(n - 1, -1, -1):  # larger blur = farther (for content behind focus)
        selector = (index == k).astype(np.float32)
        mask = alpha * selector
        if mask.any():
            yield mask, lo + (k + 0.5) * width, selector


HALF_RES_DIAMETER = 16.0  # blurs wider than this are convolved at half resolution


def _over(accum: np.ndarray, rgba: np.ndarray, kernel: np.ndarray, mask: np.ndarray,
          half_kernel: np.ndarray | None = None) -> None:
    """accum = accum * (1 - blur(alpha)) + blur(rgba), on the bounding box the blur can reach.

    With `half_kernel` (the same PSF at half the diameter), the box is area-downsampled by 2,
    convolved and upsampled back: a wide blur removes the detail that the round trip loses, and
    it is 10x cheaper than a full-resolution convolution with a 17-37 px kernel.
    """
    rows, cols = np.nonzero(mask.any(axis=1))[0], np.nonzero(mask.any(axis=0))[0]
    r = kernel.shape[0] // 2
    h, w = mask.shape
    y0, y1 = max(rows[0] - r, 0), min(rows[-1] + r + 1, h)
    x0, x1 = max(cols[0] - r, 0), min(cols[-1] + r + 1, w)
    if half_kernel is not None:
        # Even box sizes keep the 2x down / up round trip centred on the same pixel grid.
        y0, x0 = y0 - (y1 - y0) % 2, x0 - (x1 - x0) % 2
        if y0 < 0 or x0 < 0:
            y0, x0 = max(y0, 0), max(x0, 0)
            half_kernel = None if ((y1 - y0) % 2 or (x1 - x0) % 2) else half_kernel
    box = rgba[y0:y1, x0:x1]
    if half_kernel is None:
        blurred = convolve(box, kernel)
    else:
        small = cv2.resize(box, ((x1 - x0) // 2, (y1 - y0) // 2), interpolation=cv2.INTER_AREA)
        blurred = cv2.resize(convolve(small, half_kernel), (x1 - x0, y1 - y0),
                             interpolation=cv2.INTER_LINEAR)
    region = accum[y0:y1, x0:x1]
    region *= 1.0 - blurred[:, :, 3:4]
    region += blurred


def _camera(rng, layers, max_blur, pixel_pitch, focus_far=None):
    """Focus distance, focal length, f-number and per-layer signed blur maps (px).

    `focus_far`: None, or a quantile in [0, 0.2] of the farthest surface's inverse depth to
    focus on instead (all nearer content then lies in front of the focal plane); the usual
    focus draws are made either way, so the random stream stays the same."""
    per_layer = [layer.inv_depth[layer.alpha > 0.5].ravel()[::37] for layer in layers]
    per_layer = [v for v in per_layer if v.size] or [layers[0].inv_depth.ravel()]
    inv_all = np.concatenate(per_layer)
    draw = rng.random()
    if draw < 0.7:
        # Focus on the nearest surface (a subject in front), so most defocus lies behind the focal
        # plane: in real DPDD the L->R shift is nearly always in the behind-focus direction.
        inv_focus = float(np.quantile(per_layer[-1], rng.uniform(0.8, 1.0)))
    elif draw < 0.9:  # focus on any surface of the scene
        inv_focus = float(rng.choice(inv_all))
    else:
        inv_focus = float(rng.uniform(inv_all.min() * 0.7, inv_all.max() * 1.1))
    if focus_far is not None:
        inv_focus = float(np.quantile(per_layer[0], focus_far))
    focus = 1.0 / inv_focus
    focal = float(rng.uniform(0.035, 0.085))
    focus = max(focus, 4 * focal)
    spread = max(float(np.abs(inv_focus - inv_all).max()), 1e-6)
    # |c| = A f d_f / (d_f - f) * |1/d_f - 1/d| / pitch: solve the aperture A for max |c|.
    aperture = max_blur * pixel_pitch * (focus - focal) / (focal * focus * spread)
    f_number = max(focal / aperture, 1.2)
    blurs = [
        signed_blur_diameter(1.0 / layer.inv_depth, focus, focal, f_number, pixel_pitch)
        for layer in layers
    ]
    return {"focus_m": focus, "focal_mm": focal * 1e3, "f_number": f_number}, blurs


def _largest_blur(rng, blur_range, small_blur_share, small_blur_range) -> float:
    """The scene's largest |blur diameter| (px); a mixture only when small_blur_share > 0, so
    that scenes rendered without it keep their random stream."""
    if not 0.0 <= small_blur_share <= 1.0:
        raise ValueError(f"small_blur_share must be in [0, 1], got {small_blur_share!r}")
    if small_blur_share > 0 and rng.uniform() < small_blur_share:
        return float(rng.uniform(*small_blur_range))
    return float(rng.uniform(*blur_range))


def _psf_aspect(rng, aspect_range) -> float:
    """The scene's blur height over width: 1 without a range; else drawn from a jumped copy of
    `rng`'s stream (an independent one that leaves `rng` untouched, so every other draw of the
    scene, and hence the scene, stays the same as without the option)."""
    if aspect_range is None:
        return 1.0
    low, high = (float(v) for v in aspect_range)
    if not 0.0 < low <= high:
        raise ValueError(f"psf_aspect_range must be (low, high) with 0 < low <= high, got "
                         f"{aspect_range!r}")
    return float(np.random.Generator(rng.bit_generator.jumped()).uniform(low, high))


def _focus_far(rng, front_focus_share) -> float | None:
    """None (the usual focus), or with probability `front_focus_share` the quantile of the
    farthest surface to focus on (`_camera`), drawn from a twice-jumped copy of `rng`'s stream:
    independent of `_psf_aspect`'s and leaving `rng` untouched, so the scene is otherwise the
    one rendered without the option."""
    if not 0.0 <= front_focus_share <= 1.0:
        raise ValueError(f"front_focus_share must be in [0, 1], got {front_focus_share!r}")
    if not front_focus_share:
        return None
    side = np.random.Generator(rng.bit_generator.jumped(2))
    return float(side.uniform(0.0, 0.2)) if side.random() < front_focus_share else None


def render_scene(
    rng: np.random.Generator,
    size=(256, 256),
    sharp_source="default",
    blur_range=DEFAULT_BLUR_RANGE,
    max_objects: int = 3,
    noise: bool = True,
    pixel_pitch: float = DPDD_PIXEL_PITCH_M,
    lr_gain: float = 0.0,
    view_bits: int = 16,
    disparity_to_blur=DISPARITY_TO_BLUR_RANGE,
    small_blur_share: float = 0.0,
    small_blur_range=SMALL_BLUR_RANGE,
    shot_noise_range=SHOT_NOISE_RANGE,
    palette_colors: int = 0,
    psf_aspect_range=None,
    front_focus_share: float = 0.0,
) -> dict:
    """Render one synthetic DP scene.

    Args:
        rng: a `np.random.Generator`; the scene is a pure function of its state.
        size: (height, width) in pixels.
        sharp_source: content source: a folder of sharp photos, "default" (../shared/sharp when
            present, procedural otherwise), None (procedural only), or a source object with
            `sample(rng, h, w)`.
        blur_range: the scene's largest |blur diameter| is drawn uniformly from this range (px).
        max_objects: most occluders in front of the background.
        noise: add shot and read noise to the DP views.
        pixel_pitch: sensor pixel pitch in metres (DPDD 1680-px scale by default).
        lr_gain: L/R gain mismatch (DP vignetting): L is multiplied by 1 + g(x) and R by
            1 - g(x) in linear light, g(x) = g0 + g1 * (x / width - 1/2), g0 drawn from
            U(-lr_gain / 4, lr_gain / 4) and g1 from U(-lr_gain / 2, lr_gain / 2); L/R is then
            about 1 + 2 g(x). With 0.08 the offsets and ramps match the real Canon R6 pairs
            (benchmarks/results/sim_to_real.json); 0 = off.
        view_bits: bit depth of the DP views and C (16, or 8 as in JPEG/GIF camera output);
            the target stays 16-bit.
        disparity_to_blur: (low, high) range of the scene's disparity / |blur| ratio (the
            strength of the DP split; `psf.DISPARITY_TO_BLUR_RANGE` by default, calibrated on
            DPDD; the Canon R6 plane measures lower, benchmarks/results/sim_to_real.json).
        small_blur_share: the share of scenes whose largest blur is drawn from
            `small_blur_range` instead (phone-like scenes: small apertures, small blur, where
            the model gains least, benchmarks/results/blur_size_gain.md); 0 = off (the random
            stream is then the same as without the option).
        small_blur_range: (low, high) largest |blur diameter| of those scenes (px).
        shot_noise_range: (low, high) of the log-uniform shot-noise variance factor;
            `DPDD_SHOT_NOISE_RANGE` matches the real DPDD views' grain.
        palette_colors: 0 = off; else L, R and C each go through their own adaptive palette of
            this many colours with Floyd-Steinberg dithering, like the frames of DPDD's GIFs
            (`gif_palette.gif_quantize`; the target stays 16-bit). Uses no random numbers.
        psf_aspect_range: None = round PSFs; else (low, high) of the scene's blur height over
            width (`psf.dp_kernels(aspect=)`), drawn from a stream of its own, so the scene is
            otherwise the one rendered without the option.
        front_focus_share: the share of scenes focused on their farthest surface, so that
            their defocus lies in front of the focal plane (the default focus puts 88% of it
            behind, like DPDD's 96%; the model then gains about half as much on front-of-focus
            blur, benchmarks/results/r6_planes.md); drawn from a stream of its own like the
            aspect, so the scene is otherwise the one rendered without it. 0 = off.

    Returns:
        dict with float32 arrays `left`, `right`, `center`, `target` (HxWx3 sRGB in [0, 1], on
        the 16-bit grid), `depth` (HxW metres, visible surface), `blur` (HxW signed blur diameter
        in px, > 0 behind focus), and `params` (camera and noise settings, JSON-able).
    """
    h, w = int(size[0]), int(size[1])
    aspect = _psf_aspect(rng, psf_aspect_range)
    focus_far = _focus_far(rng, front_focus_share)
    max_blur = _largest_blur(rng, blur_range, small_blur_share, small_blur_range)
    margin = int(np.ceil(max_blur / 2)) + 2  # what the widest kernel reaches across the border
    hm, wm = h + 2 * margin, w + 2 * margin
    source = resolve_source(sharp_source)
    layers = random_layers(rng, hm, wm, max_objects=max_objects)
    contents = [_content_for(source, rng, layer.alpha) for layer in layers]
    camera, blurs = _camera(rng, layers, max_blur, pixel_pitch, focus_far)
    ratio = float(rng.uniform(*disparity_to_blur))
    rim = float(rng.uniform(0.0, 0.4))

    views = [np.zeros((hm, wm, 4), np.float32), np.zeros((hm, wm, 4), np.float32)]
    for layer, content, blur in zip(layers, contents, blurs):
        a = layer.alpha[:, :, None]
        premultiplied = np.concatenate([content * a, a], axis=2)
        if layer is layers[0]:
            target = content.copy()  # the background is opaque
        else:
            target *= 1.0 - a
            target += premultiplied[:, :, :3]
        for mask, c, selector in _bins(blur, layer.alpha):
            rgba = premultiplied if selector is None else premultiplied * selector[:, :, None]
            kernels = dp_kernels(c, ratio, rim, aspect)
            halves = (dp_kernels(c / 2, ratio, rim, aspect) if abs(c) > HALF_RES_DIAMETER
                      else (None, None))
            for view, kernel, half in zip(views, kernels, halves):
                _over(view, rgba, kernel, mask, half)
    crop = (slice(margin, margin + h), slice(margin, margin + w))
    left, right = (v[crop][:, :, :3] / np.maximum(v[crop][:, :, 3:4], 1e-6) for v in views)

    gain = (0.0, 0.0)
    if lr_gain:
        gain = (float(rng.uniform(-lr_gain / 4, lr_gain / 4)),
                float(rng.uniform(-lr_gain / 2, lr_gain / 2)))
        ramp = gain[0] + gain[1] * (np.arange(w, dtype=np.float32) / w - 0.5)
        left, right = left * (1.0 + ramp)[None, :, None], right * (1.0 - ramp)[None, :, None]
    shot, read = 0.0, 0.0
    if noise:
        shot = float(np.exp(rng.uniform(np.log(shot_noise_range[0]), np.log(shot_noise_range[1]))))
        read = float(np.exp(rng.uniform(np.log(1e-7), np.log(2e-5))))
        left, right = (
            v + np.sqrt(np.maximum(v, 0) * shot + read) * _standard_normal(rng, v.shape)
            for v in (left, right)
        )
    left, right = np.clip(left, 0.0, 1.0), np.clip(right, 0.0, 1.0)  # each photodiode clips
    center = 0.5 * (left + right)
    out = {
        name: linear_to_srgb16(image)
        for name, image in (("left", left), ("right", right), ("center", center),
                            ("target", target[crop]))
    }
    if view_bits != 16:
        levels = float(2 ** view_bits - 1)
        for name in ("left", "right", "center"):
            out[name] = np.round(out[name] * levels) / levels
    if palette_colors:
        for name in ("left", "right", "center"):
            out[name] = gif_quantize(out[name], palette_colors)
    out["depth"] = (1.0 / visible(layers, [layer.inv_depth for layer in layers]))[crop]
    out["blur"] = visible(layers, blurs)[crop].astype(np.float32)
    out["params"] = dict(camera, disparity_to_blur=ratio, rim=rim, shot_noise=shot,
                         read_noise=read, layers=len(layers), lr_gain=gain,
                         view_bits=view_bits, palette_colors=palette_colors, psf_aspect=aspect,
                         focus_far=focus_far)
    return out


class Stream(enum.IntEnum):
    """Random-stream ids of `scene_rng`: each use of synthetic scenes draws from its own stream,
    so no validation, test or calibration scene is ever a training scene. The values are part of
    the recorded results (a scene is a function of (seed, stream, index)): never renumber."""

    TRAIN_SPLIT = 0  # write_dataset's splits
    VAL_SPLIT = 1  # also the held-out validation scenes of `mccnet train` on synthetic data
    TEST_SPLIT = 2
    TRAINING_PATCHES = 3  # the on-the-fly training stream (synthetic_stream)
    PREVIEW = 4  # preview sheets
    DP_CALIBRATION = 5  # benchmarks/dp_calibration.py
    EXPORT_SAMPLES = 6  # int8 calibration and parity tiles of exported models
    BENCHMARK_VALIDATION = 7  # synthetic validation of the CPU training benchmarks (cpu_training)
    GAIN_PROFILES = 11  # benchmarks/sim_to_real.py's L/R gain measurement of rendered scenes
    DEFOCUS_HEAD_POOL = 14  # benchmarks/train_defocus_head.py's training and validation pool
    DEFOCUS_CHECK = 15  # benchmarks/defocus_realdp.py's synthetic MAE scenes


SPLIT_STREAMS = {"train": Stream.TRAIN_SPLIT, "val": Stream.VAL_SPLIT, "test": Stream.TEST_SPLIT}


def scene_rng(seed: int, index: int, stream: Stream = Stream.TRAIN_SPLIT) -> np.random.Generator:
    """The generator of scene `index`: scenes are independent of rendering order and workers."""
    return np.random.default_rng([int(seed), int(stream), int(index)])


def write_dataset(out_dir, n, size=(512, 512), seed: int = 0, sharp_dir="default",
                  split: str = "train", progress: bool = True, **render_kwargs) -> dict:
    """Write synthetic scenes in the DPDNet (DPDD) layout, 16-bit PNGs.

    Layout, per split: ``{split}_c/source/SYN_NNNNN.png`` (C), ``{split}_l/source/..._L.png``,
    ``{split}_r/source/..._R.png``, ``{split}_c/target/SYN_NNNNN.png``, plus for inspection
    ``{split}_c/depth/`` (16-bit, millimetres, clipped at 65535) and ``{split}_c/blur/`` (16-bit,
    signed blur diameter c = (v - 32768) / 256 px, `data.signed_map`) and ``{split}_params.json``.
    `find_scenes(out_dir, split)` reads it back.

    Args:
        out_dir: output folder (created). A split it already holds is refused (ValueError),
            so scenes of two runs never mix; `mccnet synth --overwrite` empties the folder.
        n: number of scenes, or a dict such as {"train": 40, "val": 8, "test": 8}.
        size: (height, width) of every scene.
        seed: scene k of split s is rendered from `scene_rng(seed, k, stream=s)`, so a split's
            content does not depend on the size of the others.
        sharp_dir: photo folder, "default" (../shared/sharp when present) or None (procedural).
        split: split name when `n` is an int.

    Returns:
        {split: number of scenes written}.
    """
    from keras_mccnet.data import signed_map
    from keras_mccnet.data.image_io import write_image

    counts = dict(n) if isinstance(n, dict) else {split: int(n)}
    streams = SPLIT_STREAMS
    source = resolve_source(sharp_dir)
    for split_name in counts:
        taken = [f"{split_name}_{v}" for v in ("c", "l", "r")
                 if os.path.isdir(os.path.join(os.fspath(out_dir), f"{split_name}_{v}"))]
        if taken or os.path.exists(os.path.join(os.fspath(out_dir), f"{split_name}_params.json")):
            raise ValueError(f"{out_dir}: already holds a '{split_name}' split "
                             f"({', '.join(taken) or f'{split_name}_params.json'}); write into a "
                             f"new folder (or `mccnet synth --overwrite`) so scenes of two runs "
                             f"never mix")
    total = sum(counts.values())
    bar = None
    if progress:
        from tqdm import tqdm

        bar = tqdm(total=total, desc="synth", unit="scene")
    for split_name, count in counts.items():
        if split_name not in streams:
            raise ValueError(f"split must be one of {sorted(streams)}, got {split_name!r}")
        params = {}
        for k in range(count):
            scene = render_scene(scene_rng(seed, k, streams[split_name]), size, source,
                                 **render_kwargs)
            name = f"SYN_{k:05d}"
            base = os.path.join(os.fspath(out_dir), split_name)
            write_image(f"{base}_c/source/{name}.png", scene["center"])
            write_image(f"{base}_l/source/{name}_L.png", scene["left"])
            write_image(f"{base}_r/source/{name}_R.png", scene["right"])
            write_image(f"{base}_c/target/{name}.png", scene["target"])
            write_image(f"{base}_c/depth/{name}.png", np.clip(scene["depth"] * 1000, 0, 65535)
                        / 65535.0)
            write_image(f"{base}_c/blur/{name}.png", signed_map.encode(scene["blur"]))
            params[name] = scene["params"]
            if bar is not None:
                bar.update(1)
        atomic_write_json(os.path.join(os.fspath(out_dir), f"{split_name}_params.json"),
                          {"seed": seed, "size": list(size), "scenes": params})
    if bar is not None:
        bar.close()
    return counts
