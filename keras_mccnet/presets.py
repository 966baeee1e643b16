"""Named model configurations (config as code).

`MCCNet.from_preset(name)` builds one. The `*_tiny` presets share one size for CPU tests, the
demo and CPU ablations; the `*_base` presets share the real model's size; `dpdnet_concat` is the
concat baseline at DPDNet's widths (64..1024 channels), the cost reference of the README.
"""

from __future__ import annotations

TINY = dict(widths=(16, 24, 32, 48), encoder_blocks=1, decoder_blocks=1,
            evidence_channels=8, fusion_channels=16)
# Widths 24..192 rather than 32..256: the full-resolution level dominates latency (memory-bound).
# In LiteRT fp32 at a 256 tile, 32..256 ran only 2.1x / 2.35x (1 / 2 threads) faster than
# dpdnet_concat on a quiet machine and under 2x on a loaded one; 24..192 runs 3.3x / 3.6x with
# 3.2 M parameters and 15 GMACs (benchmarks/base_width_choice.py, results/base_width_choice.json).
BASE = dict(widths=(24, 48, 96, 192), encoder_blocks=(1, 1, 2, 2), decoder_blocks=1,
            evidence_channels=16, fusion_channels=32)

PRESETS = {
    "mccnet_tiny": dict(architecture="mccnet", **TINY),
    "mccnet_base": dict(architecture="mccnet", **BASE),
    # The same network one octave down (every level at half resolution behind a strided stem):
    # the int8 phone candidate of issue 11 (results/frame_latency_stem2.md); no weights yet.
    "mccnet_base_stem2": dict(architecture="mccnet", stem_stride=2, **BASE),
    "siamese_no_corr_tiny": dict(architecture="siamese_no_corr", **TINY),
    "siamese_no_corr_base": dict(architecture="siamese_no_corr", **BASE),
    "concat_tiny": dict(architecture="concat", **TINY),
    "concat_base": dict(architecture="concat", **BASE),
    "single_view_tiny": dict(architecture="single_view", **TINY),
    "single_view_base": dict(architecture="single_view", **BASE),
    # DPDNet (Abuolaim & Brown 2020): a 6-channel U-Net with 64..1024 channels, ~31 M params.
    "dpdnet_concat": dict(architecture="concat", widths=(64, 128, 256, 512, 1024),
                          encoder_blocks=1, decoder_blocks=0),
}


def preset_config(name: str) -> dict:
    """The constructor arguments of preset `name` (a fresh dict, with `name` set)."""
    if name not in PRESETS:
        raise ValueError(f"unknown preset {name!r}; valid presets: {', '.join(sorted(PRESETS))}")
    return {**PRESETS[name], "name": name}
