"""Dual-pixel point spread functions: half-aperture blur disks with a soft split and a soft rim.

Thin lens (design.md section 5): the signed blur-circle diameter on the sensor is

    c(d) = A * f / (d_f - f) * (d - d_f) / d,    A = f / N,

positive behind the focal plane (d > d_f). Each DP photodiode sees one half of the aperture, so
its PSF is the blur disk weighted by a soft split. Here the split is a linear ramp across the
disk, w_R(x) = 1/2 + a * x / r (|x| <= r, r = |c| / 2), and w_L = 1 - w_R is its mirror image;
the two swap when c changes sign. The centroid of the right PSF then sits at +a r / 2, so the
L-to-R disparity is a * |c| / 2 = ratio * |c| with ratio = a / 2.

Calibration (benchmarks/dp_calibration.py, results/dp_calibration.json): on the four real DPDD
scenes of ../shared/realdp (840 px wide, 48-px blocks, blurs >= 3 px), the disparity between L and
R divided by the disk-equivalent blur diameter of C against GT has median 0.22 and interquartile
range 0.15 - 0.26, far below the ideal hard half-disk (4 / (3 pi) = 0.42): the split of a real DP
sensor is soft. `DISPARITY_TO_BLUR` is that median. The simulator draws the ramp's ratio per
scene from `DISPARITY_TO_BLUR_RANGE`; the same estimator run on 24 rendered scenes
(`synthetic_check` in the JSON) then measures median 0.20, interquartile 0.16 - 0.26, matching
the real scenes (the block estimator reads ~20% high on the rendered PSFs, hence the low range).

Sign: behind the focal plane (c > 0) the right view's PSF is weighted to the right, so content
sits further RIGHT in R than in L, as in real DPDD.
"""

from __future__ import annotations

import numpy as np

DISPARITY_TO_BLUR = 0.22
DISPARITY_TO_BLUR_RANGE = (0.10, 0.25)  # a = 2 * ratio must stay <= 0.5 (non-negative weights)


def signed_blur_diameter(depth, focus_distance, focal_length, f_number, pixel_pitch):
    """Thin-lens signed blur-circle diameter in pixels (positive behind the focal plane).

    Args:
        depth: object distance(s) d, same unit as the focus distance and focal length (e.g. mm).
        focus_distance: d_f (> focal_length).
        focal_length: f.
        f_number: N, aperture diameter A = f / N.
        pixel_pitch: size of one pixel on the sensor, same unit.
    """
    depth = np.asarray(depth, dtype=np.float64)
    aperture = focal_length / f_number
    c = aperture * focal_length / (focus_distance - focal_length) * (depth - focus_distance) / depth
    return (c / pixel_pitch).astype(np.float32)


def _disk_support(radius: float, rim: float, aspect: float = 1.0):
    n = int(np.ceil(radius * max(aspect, 1.0) + 0.5))
    y, x = np.mgrid[-n : n + 1, -n : n + 1].astype(np.float32)
    # aspect != 1: an ellipse `aspect` times as tall as wide (the soft edge stays ~1 px).
    rho = np.sqrt(x * x + (y / aspect) ** 2)
    # Soft rim: anti-aliased edge one pixel wide; `rim` brightens the outer ring a little, as
    # spherical aberration does in real bokeh.
    disk = np.clip(radius + 0.5 - rho, 0.0, 1.0)
    if rim:
        disk = disk * (1.0 + rim * np.clip(rho / max(radius, 1e-3), 0, 1) ** 4)
    return x, disk


def disk_kernel(diameter: float, rim: float = 0.0) -> np.ndarray:
    """Normalised blur disk of the given diameter in pixels (a delta for diameters below 1)."""
    if diameter < 1.0:
        return np.ones((1, 1), np.float32)
    _, disk = _disk_support(diameter / 2.0, rim)
    return (disk / disk.sum()).astype(np.float32)


def dp_kernels(signed_diameter: float, ratio: float = DISPARITY_TO_BLUR, rim: float = 0.0,
               aspect: float = 1.0):
    """(left, right) DP PSFs for a signed blur diameter in pixels.

    Args:
        signed_diameter: c from `signed_blur_diameter`; > 0 behind the focal plane.
        ratio: disparity / |c|, in [0, 0.25]; the linear split ramp has slope a = 2 * ratio.
        rim: rim brightening in [0, 1).
        aspect: the blur's height over its width (|c| is the width); 1 = round. Real DPDD blur
            is taller than wide more often than not (benchmarks/results/blur_anisotropy.md).

    Returns:
        Two normalised float32 kernels of equal odd size; `right` is `left` mirrored horizontally.
    """
    c = float(signed_diameter)
    if abs(c) < 1.0:
        k = np.ones((1, 1), np.float32)
        return k, k
    radius = abs(c) / 2.0
    x, disk = _disk_support(radius, rim, aspect)
    slope = min(2.0 * ratio, 0.5) * np.sign(c)
    w_right = np.clip(0.5 + slope * x / radius, 0.0, 1.0)
    right = disk * w_right
    right = (right / right.sum()).astype(np.float32)
    return np.ascontiguousarray(right[:, ::-1]), right


def convolve(image: np.ndarray, kernel: np.ndarray, border: str = "constant") -> np.ndarray:
    """`image` (HxW or HxWxC float32) convolved with the PSF `kernel`: the one way the renderer
    and the benchmarks blur with `dp_kernels`. cv2.filter2D correlates, so the PSF is flipped
    first; without the flip the DP views come out with the disparity sign reversed (front of
    focus would look like behind focus). `border`: "constant" (zero, the renderer's layers) or
    "reflect" (a crop of a larger image)."""
    import cv2

    borders = {"constant": cv2.BORDER_CONSTANT, "reflect": cv2.BORDER_REFLECT}
    psf = np.ascontiguousarray(np.asarray(kernel, np.float32)[::-1, ::-1])
    return cv2.filter2D(image, -1, psf, borderType=borders[border])

