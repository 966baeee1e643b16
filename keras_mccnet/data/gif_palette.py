"""GIF palette quantisation: what the DPDD GIF frames did to their views.

The real DPDD scenes of ../shared/realdp (and the benchmark's GIF results) are frames of
256-colour GIFs: every frame (L, R, C, GT) has its own adaptive palette and is dithered, which
leaves a fine, view-independent speckle in flat areas. Rendered views are smooth 16-bit images; `render_scene(palette_colors=N)`
passes its views through `gif_quantize` so that training sees the same speckle. A 128-px crop
of a real 840-px frame uses a median of 137 of the frame's 256 colours
(benchmarks/results/sim_to_real_grain.json), so patches get palettes of that order, not 256.
"""

from __future__ import annotations

import numpy as np
from PIL import Image


def gif_quantize(image: np.ndarray, colors: int) -> np.ndarray:
    """`image` (HxWx3 float sRGB in [0, 1]) through an adaptive palette of `colors` colours
    (median cut) with Floyd-Steinberg dithering, as a GIF encoder writes a frame; float32 on the
    8-bit grid."""
    if not 2 <= colors <= 256:
        raise ValueError(f"palette_colors must be in [2, 256], got {colors}")
    rgb = Image.fromarray(np.round(np.clip(image, 0.0, 1.0) * 255.0).astype(np.uint8))
    # Pillow dithers only when mapping onto a given palette, so: choose the palette, then map.
    palette = rgb.quantize(colors=colors, method=Image.Quantize.MEDIANCUT)
    frame = rgb.quantize(palette=palette, dither=Image.Dither.FLOYDSTEINBERG)
    return np.asarray(frame.convert("RGB"), dtype=np.float32) / 255.0
