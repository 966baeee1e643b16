"""Piecewise-smooth procedural scene geometry: a (possibly slanted) background plane and occluding
objects (ellipses, polygons, rectangles, half-planes), each a layer with an anti-aliased matte and
a planar inverse-depth map. Inverse depth is what the thin-lens blur is linear in."""

from __future__ import annotations

import dataclasses

import cv2
import numpy as np

MATTE_SUPERSAMPLE = 4  # draw mattes at 4x and area-downsample: smooth, sub-pixel edges


@dataclasses.dataclass
class Layer:
    """One scene layer: `alpha` (HxW, [0, 1]) and `inv_depth` (HxW, 1/m), back-to-front order."""

    alpha: np.ndarray
    inv_depth: np.ndarray


def _plane(rng, h, w, inv0, slant_prob, max_slant):
    if rng.random() >= slant_prob:
        return np.full((h, w), inv0, np.float32)
    y = (np.arange(h, dtype=np.float32)[:, None] / h - 0.5)
    x = (np.arange(w, dtype=np.float32)[None, :] / w - 0.5)
    gx, gy = rng.uniform(-max_slant, max_slant, 2)
    return (inv0 * np.maximum(1.0 + gx * x + gy * y, 0.2)).astype(np.float32)


def _matte(rng, h, w) -> np.ndarray:
    s = MATTE_SUPERSAMPLE
    canvas = np.zeros((h * s, w * s), np.uint8)
    kind = rng.integers(5)
    cx, cy = rng.uniform(-0.1, 1.1) * w * s, rng.uniform(-0.1, 1.1) * h * s
    size = rng.uniform(0.15, 0.7) * max(h, w) * s
    if kind == 0:
        axes = (int(size / 2), int(size / 2 * rng.uniform(0.3, 1.0)))
        cv2.ellipse(canvas, (int(cx), int(cy)), axes, rng.uniform(0, 180), 0, 360, 255, -1)
    elif kind == 1:
        n = int(rng.integers(3, 9))
        angles = np.sort(rng.uniform(0, 2 * np.pi, n))
        radii = size / 2 * rng.uniform(0.4, 1.0, n)
        pts = np.stack([cx + radii * np.cos(angles), cy + radii * np.sin(angles)], 1)
        cv2.fillPoly(canvas, [pts.astype(np.int32)], 255)
    elif kind == 2:
        rect = ((cx, cy), (size, size * rng.uniform(0.2, 1.0)), rng.uniform(0, 180))
        cv2.fillPoly(canvas, [cv2.boxPoints(rect).astype(np.int32)], 255)
    elif kind == 3:  # half-plane: a wall edge, a table edge, a second background plane
        theta = rng.uniform(0, 2 * np.pi)
        offset = rng.uniform(-0.3, 0.3) * w
        y = np.arange(h, dtype=np.float32)[:, None] - h / 2
        x = np.arange(w, dtype=np.float32)[None, :] - w / 2
        # Signed distance to the edge, clipped to a one-pixel ramp: an anti-aliased edge.
        return np.clip(x * np.cos(theta) + y * np.sin(theta) - offset + 0.5, 0, 1)
    else:  # blob: a union of a few circles
        for _ in range(int(rng.integers(2, 6))):
            r = int(size / 2 * rng.uniform(0.3, 0.7))
            off = rng.normal(0, size / 4, 2)
            cv2.circle(canvas, (int(cx + off[0]), int(cy + off[1])), r, 255, -1)
    return cv2.resize(canvas, (w, h), interpolation=cv2.INTER_AREA).astype(np.float32) / 255.0


def random_layers(rng: np.random.Generator, height: int, width: int, max_objects: int = 3,
                  background_depth_m=(1.5, 30.0)) -> list[Layer]:
    """A background plane plus 0..max_objects occluders in front of it, sorted back to front.

    Background distance is log-uniform in `background_depth_m`; slanted with probability 0.6
    (ground planes, walls at an angle); objects are 1.1x to 8x nearer, 30% slanted.
    """
    inv_bg = 1.0 / np.exp(rng.uniform(*np.log(background_depth_m)))
    layers = [Layer(np.ones((height, width), np.float32),
                    _plane(rng, height, width, inv_bg, 0.6, 0.8))]
    objects = []
    for _ in range(int(rng.integers(0, max_objects + 1))):
        alpha = _matte(rng, height, width)
        if alpha.max() <= 0.0:
            continue
        inv = inv_bg * np.exp(rng.uniform(np.log(1.1), np.log(8.0)))
        objects.append(Layer(alpha, _plane(rng, height, width, inv, 0.3, 0.4)))
    objects.sort(key=lambda layer: float(layer.inv_depth.mean()))
    return layers + objects


def visible(layers: list[Layer], values: list[np.ndarray], threshold: float = 0.5) -> np.ndarray:
    """Per pixel, the value of the front-most layer whose matte exceeds `threshold`."""
    out = values[0].copy()
    for layer, value in zip(layers[1:], values[1:]):
        front = layer.alpha > threshold
        out[front] = value[front]
    return out
