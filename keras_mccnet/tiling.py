"""Overlap-blended tiling: the one tiling rule shared by Python inference and the Android app.

Rule (also implemented in `android_demo/core`, proven equal by golden vectors):

* Along an axis of length `n` with tile `t` and overlap `o` (0 <= o < t), tiles start at
  0, s, 2s, ... with stride s = t - o, until a tile reaches the end; the last start is clamped
  to n - t so every tile lies fully inside the image. If n <= t there is one tile at 0 of
  length n (the caller pads it to t for fixed-shape models and crops the output back).
* Blending weight of a pixel at offset i inside a tile of length m:
  w(i) = min(1, (i + 0.5) / o, (m - i - 0.5) / o) for o > 0, and 1 for o == 0.
  Weights are strictly positive, so dividing the weighted sum by the summed weights is always
  defined, also at the image border; a 2-D tile weighs w_y(i) * w_x(j).
"""

from __future__ import annotations

import dataclasses

import numpy as np


def tile_starts(n: int, tile: int, overlap: int) -> list[int]:
    """Start offsets of the tiles along one axis of length `n`."""
    if n <= 0:
        raise ValueError(f"image side must be positive, got {n}")
    if tile <= 0:
        raise ValueError(f"tile must be positive, got {tile}")
    if not 0 <= overlap < tile:
        raise ValueError(f"overlap must be in [0, tile), got overlap={overlap}, tile={tile}")
    if n <= tile:
        return [0]
    stride = tile - overlap
    starts = []
    start = 0
    while True:
        if start + tile >= n:
            starts.append(n - tile)
            break
        starts.append(start)
        start += stride
    return starts


def blend_weights_1d(length: int, overlap: int) -> np.ndarray:
    """Per-pixel blending weights of one tile axis of `length` pixels (float32, all > 0)."""
    if overlap <= 0:
        return np.ones(length, np.float32)
    i = np.arange(length, dtype=np.float64)
    w = np.minimum(1.0, np.minimum((i + 0.5) / overlap, (length - i - 0.5) / overlap))
    return w.astype(np.float32)


@dataclasses.dataclass(frozen=True)
class Tile:
    """One tile: the window [y, y + h) x [x, x + w) of the image."""

    y: int
    x: int
    h: int
    w: int


@dataclasses.dataclass(frozen=True)
class TilePlan:
    """All tiles covering an `height` x `width` image, row-major."""

    height: int
    width: int
    tile: int
    overlap: int
    tiles: tuple[Tile, ...]

    def weights(self, t: Tile) -> np.ndarray:
        """2-D blending weights (h, w) of tile `t`."""
        return np.outer(blend_weights_1d(t.h, self.overlap), blend_weights_1d(t.w, self.overlap))


def plan_tiles(height: int, width: int, tile: int, overlap: int) -> TilePlan:
    """The tiling plan of an image; see the module docstring for the rule."""
    ys = tile_starts(height, tile, overlap)
    xs = tile_starts(width, tile, overlap)
    tiles = tuple(
        Tile(y, x, min(tile, height), min(tile, width)) for y in ys for x in xs
    )
    return TilePlan(height, width, tile, overlap, tiles)


def run_tiled(fn, left: np.ndarray, right: np.ndarray, tile: int, overlap: int,
              progress=None) -> np.ndarray:
    """Apply `fn(left_tile, right_tile) -> out_tile` (HxWxC float arrays) over overlapping tiles
    and blend the results with the weights of `TilePlan.weights`.

    `progress`, if given, is called once per finished tile (for example `tqdm.update`).
    Memory stays bounded by one tile of model activations plus two full-size float32 buffers.
    """
    if left.shape != right.shape:
        raise ValueError(f"left and right views differ in shape: {left.shape} vs {right.shape}")
    height, width = left.shape[:2]
    plan = plan_tiles(height, width, tile, overlap)
    acc = None
    norm = np.zeros((height, width, 1), np.float32)
    for t in plan.tiles:
        window = (slice(t.y, t.y + t.h), slice(t.x, t.x + t.w))
        out = np.asarray(fn(left[window], right[window]), np.float32)
        if acc is None:
            acc = np.zeros((height, width, out.shape[-1]), np.float32)
        w = plan.weights(t)[..., None]
        acc[window] += out * w
        norm[window] += w
        if progress is not None:
            progress(1)
    return acc / norm
