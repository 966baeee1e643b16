"""Write the golden vectors that pin the Android core to the Python implementation.

The Kotlin tests in `android_demo/core` read these files and must reproduce every number:

* `tiling.json`   tile starts, tile windows, 1-D blending weights and full blended results of
                  `keras_mccnet.tiling.run_tiled` on small images (the blend is bit-exact in
                  float32, so the Kotlin side compares exactly), and blends of a model with the
                  defocus output: the map rides along as a 4th channel, cropped but not clamped,
                  as keras_mccnet.predict and the web demo blend it;
* `packing.json`  8-bit and 16-bit levels <-> float32 in [0, 1] (clamp, then round half to even;
                  never a min-max stretch) and IEEE half-float decoding (Android's RGBA_F16);
* `stats.json`    median and p90 of benchmark samples, numpy's default ("linear") percentile;
* `tile_io.json`  how the host runtime (export/runtime.py) pads a small tile to the model input,
                  crops and clamps its output, and (de)quantises int8 tensors;
* `defocus_colors.json` the browser demo's own defocus colouring (web_demo/src/app.js,
                  paintDefocus, run by node through web_defocus_colors.mjs) of a few maps: levels
                  and legend lines the app's DefocusColors.kt must reproduce exactly (needs node);
* `dp_axis.json`  the DP split-axis measurement (keras_mccnet.dp_axis, OpenCV filters) of
                  procedural pairs the Kotlin test rebuilds: a horizontal split, its transpose,
                  identical views and a frame taller than the measured centre crop;
* `metadata_*.json` model metadata exactly as the export stage writes it (export/metadata.py),
                  so the app's reader is tested against the real writer, not a hand copy: a float
                  model, one with int8 I/O, one with the defocus output (`--defocus`) and an
                  any-size one (`--dynamic`, which the app refuses).

`tests/android/test_golden_vectors.py` regenerates the files and asserts they equal the committed
ones, so a change of the Python rule cannot drift silently away from the app.

Usage: python android_demo/tools/make_golden_vectors.py [--out DIR]
"""

from __future__ import annotations

import argparse
import json
import pathlib
import shutil
import subprocess

import numpy as np

from keras_mccnet import tiling
from keras_mccnet.atomic_write import atomic_write

DEFAULT_OUT = pathlib.Path(__file__).resolve().parents[1] / "core/src/test/resources/golden"

# (tile, overlap, height, width): small enough to store every blended value.
BLEND_CASES = (
    (8, 2, 5, 7),     # smaller than one tile on both axes
    (8, 2, 8, 16),    # exactly one tile high, last tile clamped
    (8, 3, 13, 21),   # odd sizes
    (8, 0, 16, 24),   # overlap 0, exact multiples of the tile
    (8, 0, 13, 19),   # overlap 0, clamped last tiles overlap anyway
    (8, 7, 10, 9),    # the largest overlap a tile allows
    (6, 2, 20, 6),    # one axis exactly one tile
    (8, 2, 3, 30),    # a strip: many tiles along one axis only
)
# Plans only (too big to store pixels): the sizes a phone really sees.
PLAN_CASES = (
    (512, 64, 512, 512),
    (512, 64, 511, 513),
    (512, 64, 3024, 4032),
    (512, 64, 1080, 1920),
    (512, 64, 100, 2000),
    (512, 64, 1024, 1536),
    (256, 32, 1000, 1000),
    (512, 0, 1536, 1100),
)
CHANNELS = 3
# (tile, overlap, height, width) of the image + defocus blends: one padded tile, and many tiles.
DEFOCUS_CASES = ((8, 2, 5, 7), (8, 3, 13, 21))


def input_image(height: int, width: int, phase: int) -> np.ndarray:
    """A deterministic float32 HWC image the Kotlin test rebuilds with the same integer formula."""
    y, x, c = np.meshgrid(np.arange(height), np.arange(width), np.arange(CHANNELS), indexing="ij")
    return (((y * 31 + x * 17 + c * 5 + phase) % 101) / 101.0).astype(np.float32)


def tile_pattern(k: int, h: int, w: int) -> np.ndarray:
    """Per-tile term that makes neighbouring tiles disagree, so the blend weights matter."""
    i, j, c = np.meshgrid(np.arange(h), np.arange(w), np.arange(CHANNELS), indexing="ij")
    return (((k * 7 + i * 3 + j * 5 + c * 11) % 97) / 97.0).astype(np.float32)


def run_fake(tile_fn, tile: int, overlap: int, height: int, width: int) -> np.ndarray:
    """`run_tiled` on the input_image pair (phases 0 and 13) with fn(l, r) = tile_fn(k, l, r),
    k = the tile's index."""
    counter = [0]

    def fn(lt, rt):
        counter[0] += 1
        return tile_fn(counter[0] - 1, lt, rt)

    return tiling.run_tiled(fn, input_image(height, width, 0), input_image(height, width, 13),
                            tile, overlap)


def image_fn(k: int, lt: np.ndarray, rt: np.ndarray) -> np.ndarray:
    """The fake image output: l * 0.5 + r * 0.25 + pattern(tile index), all float32."""
    return lt * np.float32(0.5) + rt * np.float32(0.25) + tile_pattern(k, *lt.shape[:2])


def defocus_pattern(k: int, h: int, w: int) -> np.ndarray:
    """Per-tile signed term of the fake defocus output, from -2.75 to +2.75 px."""
    i, j = np.meshgrid(np.arange(h), np.arange(w), indexing="ij")
    return ((((k * 5 + i * 7 + j * 3) % 23) - 11) / 4.0).astype(np.float32)[..., None]


def defocus_fn(k: int, lt: np.ndarray, rt: np.ndarray) -> np.ndarray:
    """The fake defocus output (HxWx1): 8 (l - r) of the red channel plus a signed term."""
    return (lt[..., :1] - rt[..., :1]) * np.float32(8) + defocus_pattern(k, *lt.shape[:2])


def blended(tile: int, overlap: int, height: int, width: int) -> np.ndarray:
    """`run_tiled` over the fake image output."""
    return run_fake(image_fn, tile, overlap, height, width)


def blended_with_defocus(tile: int, overlap: int, height: int, width: int) -> np.ndarray:
    """`run_tiled` over a fake two-output model, each tile finished as the exported runtime does:
    the image clamped to [0, 1], the defocus map not clamped; both blended as one HxWx4 array."""
    return run_fake(lambda k, lt, rt: np.concatenate(
        [np.clip(image_fn(k, lt, rt), 0.0, 1.0), defocus_fn(k, lt, rt)], axis=-1),
        tile, overlap, height, width)


def dp_axis_view(height: int, width: int, shifted: bool) -> np.ndarray:
    """Three oriented sinusoids (texture in every direction, so every block pins both shift
    components), float64 then float32; `shifted` samples them at x - s with s = 1.25 px left of
    the middle column and -0.75 px from it on: the second view of a horizontal DP split. The
    Kotlin test (DpAxisGoldenTest) evaluates the same expression in the same order."""
    y, x, c = np.meshgrid(np.arange(height, dtype=np.float64), np.arange(width, dtype=np.float64),
                          np.arange(CHANNELS, dtype=np.float64), indexing="ij")
    if shifted:
        x = x - np.where(x < width // 2, 1.25, -0.75)
    v = (0.5 + 0.18 * np.sin(0.83 * x + 0.37 * y + c) + 0.14 * np.sin(0.29 * x - 0.71 * y + 1.0)
         + 0.1 * np.sin(0.53 * x + 0.61 * y + 2.0 + 0.5 * c))
    return v.astype(np.float32)


def dp_axis_vectors() -> dict:
    from keras_mccnet import dp_axis

    cases = []
    for name, (h, w) in (("horizontal", (80, 96)), ("vertical", (80, 96)), ("same", (80, 96)),
                         ("cropped", (1040, 40))):
        left, right = dp_axis_view(h, w, False), dp_axis_view(h, w, name != "same")
        if name == "vertical":
            left, right = dp_axis.transpose_views(left), dp_axis.transpose_views(right)
        measured = dp_axis.measure_dp_axis(left, right)
        cases.append({"name": name, "height": h, "width": w, "transposed": name == "vertical",
                      "second_view_shifted": name != "same", "axis": measured.axis,
                      "horizontal": measured.horizontal, "vertical": measured.vertical,
                      "explained": measured.explained})
    return {"constants": {"measure_side": dp_axis.MEASURE_SIDE, "block": dp_axis.BLOCK,
                          "min_shift_px": dp_axis.MIN_SHIFT_PX,
                          "vertical_ratio": dp_axis.VERTICAL_RATIO,
                          "min_explained": dp_axis.MIN_EXPLAINED},
            "cases": cases}


def floats(a) -> list[float]:
    """float32 values as the shortest decimal that reads back to the same float32."""
    return [float(v) for v in np.asarray(a, np.float32).ravel()]


def tiling_vectors() -> dict:
    cases = []
    weight_keys = set()
    for tile, overlap, height, width in PLAN_CASES + BLEND_CASES:
        plan = tiling.plan_tiles(height, width, tile, overlap)
        case = {
            "tile": tile, "overlap": overlap, "height": height, "width": width,
            "starts_y": tiling.tile_starts(height, tile, overlap),
            "starts_x": tiling.tile_starts(width, tile, overlap),
            "tiles": [[t.y, t.x, t.h, t.w] for t in plan.tiles],
        }
        for t in plan.tiles:
            weight_keys.update({(t.h, overlap), (t.w, overlap)})
        if (tile, overlap, height, width) in BLEND_CASES:
            case["blended"] = floats(blended(tile, overlap, height, width))
        cases.append(case)
    weights = [
        {"length": n, "overlap": o, "values": floats(tiling.blend_weights_1d(n, o))}
        for n, o in sorted(weight_keys)
    ]
    defocus_cases = []
    for tile, overlap, height, width in DEFOCUS_CASES:
        out = blended_with_defocus(tile, overlap, height, width)
        defocus_cases.append({"tile": tile, "overlap": overlap, "height": height, "width": width,
                              "image": floats(out[..., :CHANNELS]),
                              "defocus": floats(out[..., CHANNELS])})
    return {
        "format": "keras-mccnet-golden-tiling/1",
        "channels": CHANNELS,
        "input_rule": "left[y,x,c] = f32(((31y + 17x + 5c + 0) % 101) / 101); right: phase 13",
        "tile_fn_rule": "out = l*0.5 + r*0.25 + f32(((7k + 3i + 5j + 11c) % 97) / 97), k = tile index",
        "cases": cases,
        "weights": weights,
        "defocus_tile_fn_rule": "image = clip(tile_fn_rule, 0, 1); defocus = (l[...,0] - r[...,0]) * 8 "
                                "+ f32((((5k + 7i + 3j) % 23) - 11) / 4), not clamped; blended as "
                                "one HxWx4 array",
        "defocus_cases": defocus_cases,
    }


def packing_vectors() -> dict:
    levels8 = np.arange(256)
    rng = np.random.default_rng(20261125)
    # Edge cases plus values right at the rounding boundaries of both bit depths.
    probe = np.concatenate([
        np.array([-1.0, -1e-7, 0.0, 1e-7, 1.0, 1.0 + 1e-6, 2.0, 0.5]),
        (np.arange(0, 256, 17) + 0.5) / 255.0,
        (np.array([0, 1, 2, 1000, 32767, 65534]) + 0.5) / 65535.0,
        rng.uniform(-0.1, 1.1, 40),
    ]).astype(np.float32)
    levels16 = np.concatenate([[0, 1, 2, 255, 256, 32767, 32768, 65534, 65535],
                               rng.integers(0, 65536, 24)])
    half_bits = np.array([0x0000, 0x0001, 0x03FF, 0x0400, 0x3555, 0x3800, 0x3BFF, 0x3C00, 0x3C01,
                          0x7BFF, 0x8000, 0x8001, 0xB800, 0xBC00, 0x7C00, 0xFC00], np.uint16)
    return {
        "format": "keras-mccnet-golden-packing/1",
        "rule": "to float: level / (2^bits - 1) in float32; to level: "
                "round_half_even(clip(v, 0, 1) * (2^bits - 1)) in float32",
        "levels8": levels8.tolist(),
        "levels8_to_float": floats(levels8.astype(np.float32) / np.float32(255)),
        "probe_floats": floats(probe),
        "probe_to_level8": np.round(np.clip(probe, 0, 1) * np.float32(255)).astype(int).tolist(),
        "probe_to_level16":
            np.round(np.clip(probe, 0, 1) * np.float32(65535)).astype(int).tolist(),
        "levels16": levels16.astype(int).tolist(),
        "levels16_to_float": floats(levels16.astype(np.float32) / np.float32(65535)),
        "half_bits": half_bits.astype(int).tolist(),
        "half_to_float": [float(v) if np.isfinite(v) else ("inf" if v > 0 else "-inf")
                          for v in half_bits.view(np.float16).astype(np.float64)],
    }


def stats_vectors() -> dict:
    rng = np.random.default_rng(7)
    samples = [
        [12.5],
        [3.0, 1.0],
        [5.0, 1.0, 4.0, 2.0, 3.0],
        [10.0, 10.0, 10.0, 10.0],
        rng.gamma(4.0, 8.0, 10).round(3).tolist(),
        rng.gamma(4.0, 8.0, 31).round(3).tolist(),
        rng.gamma(2.0, 30.0, 100).tolist(),
    ]
    return {
        "format": "keras-mccnet-golden-stats/1",
        "rule": "numpy.median and numpy.percentile(q=90, method='linear') of the timed runs",
        "cases": [
            {"samples": [float(v) for v in s], "median": float(np.median(s)),
             "p90": float(np.percentile(s, 90)), "mean": float(np.mean(s)),
             "min": float(np.min(s)), "max": float(np.max(s))}
            for s in samples
        ],
    }


def tile_io_vectors() -> dict:
    """Drives export.runtime.ExportedModel's own tile code with a fake model that records the
    padded input and returns out-of-range values, so padding, crop and clamp come from the real
    implementation, not a copy of it."""
    from keras_mccnet.export.runtime import ExportedModel

    class Recorder(ExportedModel):
        def __init__(self, tile):  # no model file: only the tile logic is exercised
            self.tile, self.value_range, self.dynamic = tile, (0.0, 1.0), False

        def run_batch(self, left, right):
            self.seen = left[0]
            return left * np.float32(1.5) - right * np.float32(0.25) - np.float32(0.125)

    tiles = []
    for tile, h, w in ((8, 5, 7), (8, 4, 4), (8, 3, 8), (8, 8, 2), (8, 8, 8), (6, 1, 1)):
        left = input_image(h, w, 0)
        right = input_image(h, w, 13)
        model = Recorder(tile)
        out = model(left, right)
        tiles.append({"tile": tile, "height": h, "width": w,
                      "padded_left": floats(model.seen), "output": floats(out)})
    probe = np.array([-1.0, -0.5, 0.0, 0.001, 0.00196, 0.0019607844, 0.25, 0.5, 0.7, 1.0, 1.5],
                     np.float32)
    quant = []
    for scale, zero_point in ((1 / 255, -128), (0.5, 3), (0.0045, -110), (0.01, 7)):
        entry = {"dtype": "int8", "quantization": {"scale": scale, "zero_point": zero_point}}
        q = ExportedModel._quantize(probe, entry)
        quant.append({"scale": scale, "zero_point": zero_point, "values": floats(probe),
                      "quantized": q.astype(int).tolist(),
                      "dequantized": floats(ExportedModel._dequantize(q, entry))})
    return {
        "format": "keras-mccnet-golden-tile-io/1",
        "model_rule": "fake model: out = l*1.5 - r*0.25 - 0.125 (float32), inputs as tiling.json",
        "tiles": tiles,
        "quantization": quant,
    }


def defocus_color_vectors() -> dict:
    """The web demo's colouring of signed, unsigned and edge-case maps (float32 values)."""
    node = shutil.which("node")
    if node is None:
        raise RuntimeError("defocus_colors.json needs node (it runs the web demo's own code): "
                           "install it, e.g. with `make web`")
    rng = np.random.default_rng(20261201)
    maps = [
        rng.normal(0, 2, 200),                      # signed, scale from the larger side
        np.abs(rng.normal(0, 1.3, 200)),            # unsigned: black to yellow
        rng.integers(-512, 513, 200) / 256,         # the 16-bit PNG's 1/256 px steps
        rng.normal(0.002, 0.001, 50),               # tiny disparities: the scale stretches them
        rng.normal(0, 40, 50),                      # large ones
        [-2, -1, 0, 0.5, 1, 2],                     # 127.5 -> 128
        [0, 0.125, 0.5, 1],                         # 52.5 -> 52: rounded half to even
        [-0.0625, 0.01],                            # the legend's toFixed(3) on an exact tie
        [0, 0, 0],                                  # all zero: scale 1
    ]
    maps = [floats(m) for m in maps]
    script = pathlib.Path(__file__).resolve().parent / "web_defocus_colors.mjs"
    done = subprocess.run([node, str(script)], input=json.dumps(maps), capture_output=True,
                          text=True, check=False)
    if done.returncode:
        raise RuntimeError(f"{script.name} failed: {done.stderr.strip()}")
    painted = json.loads(done.stdout)
    return {
        "format": "keras-mccnet-golden-defocus-colors/1",
        "rule": "web_demo/src/app.js paintDefocus on a 1-pixel-high map; rgb per pixel",
        "cases": [{"values": m, **p} for m, p in zip(maps, painted)],
    }


def exported_metadata() -> dict[str, dict]:
    """Metadata from the exporter's own builder: a float model and one with int8 I/O."""
    from keras_mccnet.export.metadata import build_metadata, tensor_entry, validate_metadata

    shape = [1, 512, 512, 3]
    fp16 = build_metadata(
        "mccnet_tiny_fp16.tflite", "mccnet_tiny", "0.1.0", "fp16",
        [tensor_entry("left", shape, "float32"), tensor_entry("right", shape, "float32")],
        [tensor_entry("deblurred", shape, "float32")], tile=512, overlap=64, runtime="tflite")
    small = [1, 256, 256, 3]
    int8 = build_metadata(
        "mccnet_tiny_int8.tflite", "mccnet_tiny", "0.1.0", "int8",
        [tensor_entry("left", small, "int8", 1 / 255, -128),
         tensor_entry("right", small, "int8", 1 / 255, -128)],
        [tensor_entry("deblurred", small, "int8", 0.0045, -110)], tile=256, overlap=32,
        runtime="tflite", calibration={"source": "synthetic", "tiles": 32})
    from keras_mccnet.defocus import output_description

    defocus = build_metadata(
        "mccnet_tiny_fp16.tflite", "mccnet_tiny", "0.1.0", "fp16",
        [tensor_entry("left", small, "float32"), tensor_entry("right", small, "float32")],
        [tensor_entry("deblurred", small, "float32"),
         tensor_entry("defocus", small[:3] + [1], "float32")], tile=256, overlap=32,
        runtime="tflite", defocus=output_description())
    any_size = [1, -1, -1, 3]  # what signature_tensors reads from a --dynamic export
    anysize = build_metadata(
        "mccnet_tiny_fp32_anysize.tflite", "mccnet_tiny", "0.1.0", "fp32",
        [tensor_entry("left", any_size, "float32"), tensor_entry("right", any_size, "float32")],
        [tensor_entry("deblurred", any_size, "float32")], tile=256, overlap=32, runtime="tflite")
    files = {"metadata_fp16.json": fp16, "metadata_int8.json": int8,
             "metadata_defocus.json": defocus, "metadata_anysize.json": anysize}
    for name, meta in files.items():
        validate_metadata(meta, name)
        meta["exporter_version"] = "0.1.0"  # pinned: a version bump must not make these stale
    return files


def write_all(out: pathlib.Path, web: bool = True) -> list[pathlib.Path]:
    """Writes every golden file to `out`; `web` False leaves out the one that needs node."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    files = {"tiling.json": tiling_vectors(), "packing.json": packing_vectors(),
             "stats.json": stats_vectors(), "tile_io.json": tile_io_vectors(),
             **exported_metadata(), "dp_axis.json": dp_axis_vectors()}
    if web:
        files["defocus_colors.json"] = defocus_color_vectors()
    for name, data in files.items():
        path = out / name
        atomic_write(path, json.dumps(data, indent=1, sort_keys=True) + "\n")
        written.append(path)
    return written


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=pathlib.Path, default=DEFAULT_OUT,
                        help=f"output folder (default: {DEFAULT_OUT})")
    args = parser.parse_args(argv)
    for path in write_all(args.out):
        print(f"wrote {path} ({path.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
