"""The model's I/O contract, defined once.

Every part of the project (the Keras model, the data pipeline, the tiler, the exporters and the
Android app through the exported metadata JSON) reads these names and values from here.
"""

INPUT_NAMES = ("left", "right")
"""Input names of every model: the left and right dual-pixel views."""

OUTPUT_NAME = "deblurred"
"""Name of the model output: the all-in-focus image."""

DEFOCUS_OUTPUT_NAME = "defocus"
"""Name of the optional second output (`MCCNet(defocus_head=True)`): the signed defocus
disparity, HxWx1 float32 in input pixels, > 0 behind the focal plane (content further RIGHT in R
than in L, the DPDD convention). Not clamped; never blended into the image."""

CHANNELS = 3
"""RGB, channels-last (NHWC)."""

VALUE_RANGE = (0.0, 1.0)
"""Inputs are float32 sRGB in [0, 1] (16-bit PNG / 65535, 8-bit / 255). The output is clamped to
this range at inference only (training sees the unclamped residual output)."""

LAYOUT = "NHWC"

DEFAULT_TILE = 608
"""Tile side of exported fixed-shape models and of the default tiled inference. Chosen by the
whole-frame table (benchmarks/results/frame_latency*.md): a DPDD frame (1680x1120) takes 6 tiles
of 608 px with the default overlap (1.18x its pixels) against 12 of 512 (1.67x): int8
`mccnet_base` measured 3.1 s against 4.5 s in the same run, fp32 9.7 s against 14.1 s; a 12-MP
frame costs about the same (48 tiles vs 63). A multiple of 16, as every preset needs."""

DEFAULT_OVERLAP = 64
"""Overlap between neighbouring tiles; see `keras_mccnet.tiling` for the blending rule."""
