"""Tiny DPDD trees of real 16-bit PNGs, written into tmp_path (helpers shared by the data tests).

A uniquely named module rather than conftest.py: several conftest.py files exist in tests/, and
`from conftest import ...` would pick whichever was imported first."""

import os

import numpy as np
from keras_mccnet.data.image_io import write_image


def textured(rng, h, w):
    return rng.uniform(0.05, 0.95, (h, w, 3)).astype(np.float32)


def write_dpdnet_tree(root, split="test", n=3, size=(40, 48), target_offset=1, seed=0):
    """DPDNet layout; target names are the source frame number + target_offset (as in DPDD)."""
    rng = np.random.default_rng(seed)
    scenes = []
    for k in range(n):
        name, tname = f"1P0A{1000 + 10 * k}", f"1P0A{1000 + 10 * k + target_offset}"
        left = textured(rng, *size)
        right = np.roll(left, 2, axis=1)
        target = textured(rng, *size)
        write_image(os.path.join(root, f"{split}_l", "source", f"{name}_L.png"), left)
        write_image(os.path.join(root, f"{split}_r", "source", f"{name}_R.png"), right)
        write_image(os.path.join(root, f"{split}_c", "source", f"{name}.png"), (left + right) / 2)
        write_image(os.path.join(root, f"{split}_c", "target", f"{tname}.png"), target)
        scenes.append((name, tname, left, right, target))
    return scenes


def write_folder_tree(root, names, n=2, size=(40, 48), seed=0, bits=16):
    """Restormer ({'left': 'inputL', ...}) or plain ({'left': 'L', ...}) layout, same names."""
    rng = np.random.default_rng(seed)
    out = []
    for k in range(n):
        views = {role: textured(rng, *size) for role in ("left", "right", "target")}
        for role, image in views.items():
            write_image(os.path.join(root, names[role], f"scene{k:02d}.png"), image, bits)
        out.append(views)
    return out


RESTORMER = {"left": "inputL", "right": "inputR", "target": "target"}
PLAIN = {"left": "L", "right": "R", "target": "GT"}
