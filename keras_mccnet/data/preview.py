"""A montage of synthetic scenes for the README: L, R, C, target and the signed blur map."""

from __future__ import annotations

import numpy as np

from keras_mccnet.data.synthetic import Stream, render_scene, scene_rng


def blur_colormap(blur: np.ndarray, limit: float) -> np.ndarray:
    """Signed blur -> RGB [0, 1]: red behind the focal plane, blue in front, white in focus."""
    t = np.clip(blur / max(limit, 1e-6), -1, 1)[:, :, None]
    white = np.ones(blur.shape + (3,), np.float32)
    red, blue = np.array([0.85, 0.1, 0.1], np.float32), np.array([0.1, 0.3, 0.9], np.float32)
    return np.where(t > 0, white + t * (red - white), white - t * (blue - white))


def montage(scenes, gap: int = 4) -> np.ndarray:
    limit = max(float(np.abs(s["blur"]).max()) for s in scenes)
    rows = []
    for s in scenes:
        tiles = [s["left"], s["right"], s["center"], s["target"], blur_colormap(s["blur"], limit)]
        h = tiles[0].shape[0]
        spacer = np.ones((h, gap, 3), np.float32)
        rows.append(np.concatenate(sum([[t, spacer] for t in tiles], [])[:-1], axis=1))
    spacer = np.ones((gap, rows[0].shape[1], 3), np.float32)
    return np.concatenate(sum([[r, spacer] for r in rows], [])[:-1], axis=0)


def write_preview(path, rows=3, size=(256, 256), seed=0, sharp_dir="default", palette=True,
                  **render_kwargs):
    """Render `rows` scenes and write the montage as an 8-bit PNG (columns: L, R, C, target,
    signed blur with red = behind focus, blue = in front, white = sharp); `palette` writes a
    256-colour PNG (small enough for a README)."""
    from keras_mccnet.data.image_io import write_image

    scenes = [render_scene(scene_rng(seed, k, Stream.PREVIEW), size, sharp_dir, **render_kwargs)
              for k in range(rows)]
    image = montage(scenes)
    if palette:
        _write_palette_png(path, image)
    else:
        write_image(path, image, bits=8)
    return image


def _write_palette_png(path, image):
    # The sensor noise makes a true-colour PNG of the montage ~1 MB; a 256-colour palette keeps the
    # README picture small (the data itself is 16-bit).
    import os

    from PIL import Image

    from keras_mccnet.atomic_write import atomic_path

    rgb = Image.fromarray((np.clip(image, 0, 1) * 255 + 0.5).astype(np.uint8))
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with atomic_path(path) as tmp:
        rgb.quantize(256, dither=Image.Dither.NONE).save(tmp, optimize=True)
