"""Shared helpers of the training / evaluation / deblur tests (a uniquely named module, so
`import` cannot pick up another folder's conftest)."""

import os
import pathlib

import numpy as np

REPO = pathlib.Path(__file__).resolve().parents[2]
MICRO = dict(widths=(8, 12), evidence_channels=4, fusion_channels=8)
"""Two levels (stride 2) and a small receptive field: fast, and tiling seams stay narrow."""

# A tiny, fast training run for the CLI tests: no real scenes, procedural content only.
TINY_RUN = ["--set", "patch_size=32", "--set", "batch_size=2", "--set", "val_scenes=2",
            "--set", "val_size=32", "--set", "realdp=none", "--set", "sharp_dir=none",
            "--set", "warmup_steps=2", "--quiet"]


def subprocess_env(**extra):
    env = dict(os.environ, PYTHONPATH=str(REPO), TF_CPP_MIN_LOG_LEVEL="2")
    env.update(extra)
    return env


def textured(rng, h, w):
    """A smooth random texture (float32 HxWx3 in [0, 1]) that block matching can lock onto."""
    import cv2

    noise = rng.random((h, w, 3)).astype(np.float32)
    return np.clip(cv2.GaussianBlur(noise, (0, 0), 1.5) * 2.0 - 0.5, 0, 1)


def sideways_pair(shift=2, h=160, w=200, seed=0):
    """A horizontal DP split: R = L moved `shift` px right in the left half and `shift` px left
    in the right half (content behind and in front of the focal plane)."""
    base = textured(np.random.default_rng(seed), h, w + 2 * shift)
    left = base[:, shift:shift + w].copy()
    right = np.concatenate([base[:, :w // 2], base[:, 2 * shift + w // 2:2 * shift + w]], axis=1)
    return left, right
