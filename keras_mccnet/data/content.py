"""Sharp content for the DP simulator: crops of real photos, or procedural dead-leaves and textures.

Every source returns linear-light float32 RGB crops of a requested size through
`sample(rng, height, width)`. `PhotoSource` reads a folder of all-in-focus photos (the Kodak and
Unsplash sets in ../shared/sharp, or any user folder); JPEGs are decoded at 1/4 scale (the Unsplash
originals are 2400-6000 px: 600-1500 px after, JPEG artefacts negligible), and other photos
with a side over 2400 px are area-downsampled 4x. `ProceduralSource` needs no files at all.
"""

from __future__ import annotations

import os

import cv2
import numpy as np

from keras_mccnet import shared_data
from keras_mccnet.data.color import srgb8_to_linear, srgb_to_linear

PHOTO_EXTENSIONS = (".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp")
LARGE_PHOTO_SIDE = 2400


class ProceduralSource:
    """Dead-leaves images (occluding disks, rectangles and polygons with power-law sizes) with
    gratings, noise textures and glyph strokes, so edges of every orientation and scale occur.

    Args:
        min_shapes, max_shapes: number of dead-leaves shapes per crop.
    """

    def __init__(self, min_shapes: int = 100, max_shapes: int = 300):
        self.min_shapes = min_shapes
        self.max_shapes = max_shapes

    def _texture(self, rng, h, w):
        kind = rng.integers(3)
        if kind == 0:  # band-limited noise
            scale = rng.uniform(2, 16)
            small = rng.standard_normal((max(2, int(h / scale)), max(2, int(w / scale)))).astype(
                np.float32)
            return cv2.resize(small, (w, h), interpolation=cv2.INTER_CUBIC)
        if kind == 1:  # grating
            y, x = np.mgrid[0:h, 0:w].astype(np.float32)
            theta, period = rng.uniform(0, np.pi), rng.uniform(3, 30)
            return np.sin(2 * np.pi * (x * np.cos(theta) + y * np.sin(theta)) / period)
        return rng.standard_normal((h, w)).astype(np.float32) * 0.5  # fine grain

    def sample(self, rng: np.random.Generator, height: int, width: int) -> np.ndarray:
        canvas = np.empty((height, width, 3), np.uint8)
        canvas[:] = rng.integers(0, 256, 3)
        # Shape count scales with the area (the counts are for a 256x256 crop).
        area = height * width / 65536.0
        n = max(8, int(rng.integers(self.min_shapes, self.max_shapes + 1) * min(area, 4.0)))
        side = max(height, width)
        # Log-uniform radii (scale-invariant, like dead-leaves statistics of natural images),
        # drawn big first so that small shapes occlude big ones and the canvas is covered.
        radii = np.sort(np.exp(rng.uniform(np.log(2.0), np.log(max(side / 3.0, 3.0)), n)))[::-1]
        colors = rng.integers(0, 256, (n, 3)).tolist()
        centres = (rng.uniform(0, 1, (n, 2)) * [width, height]).astype(int).tolist()
        kinds = rng.integers(0, 4, n).tolist()
        angles = rng.uniform(0, 180, n).tolist()
        aspect = rng.uniform(0.3, 1.0, n)
        vertices = rng.uniform(-1, 1, (n, 5, 2))
        for i, (r, col, (cx, cy), k) in enumerate(zip(radii.tolist(), colors, centres, kinds)):
            ri = max(1, int(r))
            if k <= 1:
                cv2.circle(canvas, (cx, cy), ri, col, -1, cv2.LINE_AA)
            elif k == 2:
                cv2.ellipse(canvas, (cx, cy), (ri, max(1, int(ri * aspect[i]))), angles[i], 0, 360,
                            col, -1, cv2.LINE_AA)
            else:
                pts = (vertices[i] * r + (cx, cy)).astype(np.int32)
                cv2.fillPoly(canvas, [pts], col, cv2.LINE_AA)
        if rng.random() < 0.5:  # strokes and glyphs: thin high-contrast edges
            for _ in range(int(rng.integers(1, 6))):
                org = (int(rng.integers(0, width)), int(rng.integers(0, height)))
                text = "".join(chr(c) for c in rng.integers(65, 91, int(rng.integers(2, 8))))
                col = tuple(int(v) for v in rng.integers(0, 256, 3))
                cv2.putText(canvas, text, org, int(rng.integers(0, 8)),
                            float(rng.uniform(0.3, 2.0)), col, int(rng.integers(1, 3)),
                            cv2.LINE_AA)
        image = srgb8_to_linear(canvas)
        texture = self._texture(rng, height, width)
        gain = 1.0 + rng.uniform(0.05, 0.35) * texture / (np.abs(texture).max() + 1e-6)
        return np.clip(image * gain[:, :, None], 0.0, 1.0).astype(np.float32)


class PhotoSource:
    """Random crops of the photos in a folder (recursively), with random down-scaling and flips.

    Args:
        folder: a folder of sharp, all-in-focus photos.
        scale_range: crop scale factors (<= 1 downsamples, keeping the content sharp).

    Raises:
        FileNotFoundError / ValueError naming the folder when it holds no readable photo.
    """

    def __init__(self, folder, scale_range=(0.5, 1.0)):
        folder = os.fspath(folder)
        if not os.path.isdir(folder):
            raise FileNotFoundError(f"{folder}: sharp photo folder not found")
        self.paths = sorted(
            os.path.join(dirpath, f)
            for dirpath, _, files in os.walk(folder)
            for f in files
            if f.lower().endswith(PHOTO_EXTENSIONS) and not f.startswith(".")
        )
        if not self.paths:
            raise ValueError(f"{folder}: no photos ({'/'.join(PHOTO_EXTENSIONS)}) found")
        self.folder = folder
        self.scale_range = scale_range
        self._cache: dict[str, np.ndarray] = {}

    def _load(self, path) -> np.ndarray:
        image = self._cache.get(path)
        if image is None:
            if path.lower().endswith((".jpg", ".jpeg")):
                # JPEGs (phone/camera photos, quality ~85): decode at 1/4 scale (DCT-domain
                # area downsampling), which hides the JPEG artefacts in the "sharp" target.
                image = cv2.imread(path, cv2.IMREAD_REDUCED_COLOR_4)
            else:
                image = cv2.imread(path, cv2.IMREAD_UNCHANGED)
                if image is not None and max(image.shape[:2]) > LARGE_PHOTO_SIDE:
                    image = cv2.resize(image, None, fx=0.25, fy=0.25,
                                       interpolation=cv2.INTER_AREA)
            if image is None:
                raise ValueError(f"{path}: unreadable photo")
            if image.ndim == 2:
                image = np.repeat(image[:, :, None], 3, axis=2)
            image = np.ascontiguousarray(image[:, :, 2::-1])
            self._cache[path] = image
        return image

    def sample(self, rng: np.random.Generator, height: int, width: int) -> np.ndarray:
        image = self._load(self.paths[int(rng.integers(len(self.paths)))])
        h, w = image.shape[:2]
        scale = rng.uniform(*self.scale_range)
        scale = max(scale, height / h, width / w)  # upscale only when the photo is too small
        ch, cw = min(h, int(np.ceil(height / scale))), min(w, int(np.ceil(width / scale)))
        y, x = int(rng.integers(0, h - ch + 1)), int(rng.integers(0, w - cw + 1))
        crop = image[y : y + ch, x : x + cw]
        crop = cv2.resize(crop, (width, height), interpolation=cv2.INTER_AREA)
        if rng.random() < 0.5:
            crop = crop[:, ::-1]
        if crop.dtype == np.uint8:
            return srgb8_to_linear(crop)
        return srgb_to_linear(crop.astype(np.float32) / np.iinfo(crop.dtype).max)


class MixedSource:
    """Draws from `photo` with probability `photo_fraction`, otherwise from `procedural`."""

    def __init__(self, photo: PhotoSource | None, procedural: ProceduralSource,
                 photo_fraction: float = 0.7):
        self.photo = photo
        self.procedural = procedural
        self.photo_fraction = photo_fraction if photo is not None else 0.0

    def sample(self, rng, height, width):
        if self.photo is not None and rng.random() < self.photo_fraction:
            return self.photo.sample(rng, height, width)
        return self.procedural.sample(rng, height, width)


def make_source(sharp_dir="default", photo_fraction: float = 0.7) -> MixedSource:
    """A content source: photos of `sharp_dir` mixed with procedural content.

    Args:
        sharp_dir: a folder of sharp photos; "default" uses ../shared/sharp when present;
            None forces procedural content only.
    """
    if sharp_dir == "default":
        sharp_dir = shared_data.sharp_dir()
    photo = PhotoSource(sharp_dir) if sharp_dir is not None else None
    return MixedSource(photo, ProceduralSource(), photo_fraction)
