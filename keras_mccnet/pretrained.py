"""Pretrained weights shipped inside the package, each pinned by its SHA-256.

`MCCNet.from_preset(preset, weights=NAME)` loads them; the digest is checked before loading, so
a truncated or altered file fails loudly instead of producing a silently wrong model.

An entry with `head` set is not a whole model but an add-on trained on top of the entry named
`backbone` of the same preset: `head="defocus"` is the defocus head (keras_mccnet.defocus),
loaded by `MCCNet.from_preset(preset, weights=backbone, defocus_head=True)`.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import pathlib

WEIGHTS_DIR = pathlib.Path(__file__).resolve().parent / "weights"
REGISTRY = WEIGHTS_DIR / "registry.json"


@dataclasses.dataclass(frozen=True)
class PretrainedWeights:
    """One shipped weights file: where it is, what it was trained on, and its digest."""

    preset: str
    name: str
    filename: str
    sha256: str
    description: str
    head: str | None = None
    backbone: str | None = None

    @property
    def path(self) -> pathlib.Path:
        return WEIGHTS_DIR / self.filename


@functools.lru_cache(maxsize=1)
def shipped() -> dict[tuple[str, str], PretrainedWeights]:
    """The registry (weights/registry.json, written by benchmarks/ship_weights.py)."""
    if not REGISTRY.is_file():
        return {}
    entries = json.loads(REGISTRY.read_text())["weights"]
    return {(e["preset"], e["name"]): PretrainedWeights(**e) for e in entries}


def available(preset: str | None = None) -> list[PretrainedWeights]:
    """Shipped whole-model weights, for one preset or all (heads: `head_for`)."""
    return [w for (p, _), w in shipped().items() if preset in (None, p) and w.head is None]


def head_for(preset: str, backbone: str, head: str) -> PretrainedWeights | None:
    """The shipped `head` trained on the `backbone` weights of `preset`, or None."""
    matches = [w for (p, _), w in shipped().items()
               if p == preset and w.head == head and w.backbone == backbone]
    return matches[0] if matches else None


def register(entry: dict) -> None:
    """Adds (at the end) or replaces (in place, by preset and name) one entry of the registry,
    atomically. In place, because the first whole-model entry of a preset is its default
    (`default_weights`): re-shipping it must not hand the default to a later entry."""
    from keras_mccnet.atomic_write import atomic_write_json

    PretrainedWeights(**entry)  # refuses unknown or missing fields
    registry = json.loads(REGISTRY.read_text()) if REGISTRY.is_file() else {"weights": []}
    key = (entry["preset"], entry["name"])
    entries = [entry if (e["preset"], e["name"]) == key else e for e in registry["weights"]]
    if entry not in entries:
        entries.append(entry)
    atomic_write_json(REGISTRY, {"weights": entries})
    shipped.cache_clear()


def default_weights(preset: str) -> str | None:
    """The name of the first shipped weights of `preset`, or None."""
    names = [w.name for w in available(preset)]
    return names[0] if names else None


def sha256_of(path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def resolve(preset: str, name: str) -> pathlib.Path:
    """The verified path of shipped weights `name` for `preset`; clear errors otherwise."""
    entry = shipped().get((preset, name))
    if entry is None:
        names = [w.name for w in available(preset)]
        raise ValueError(f"no shipped weights {name!r} for preset {preset!r}; available for "
                         f"{preset}: {names or 'none'}")
    if not entry.path.is_file():
        raise FileNotFoundError(f"shipped weights file is missing: {entry.path}")
    actual = sha256_of(entry.path)
    if actual != entry.sha256:
        raise ValueError(f"SHA-256 mismatch for {entry.path}: expected {entry.sha256}, got "
                         f"{actual}; the file is corrupt or was replaced")
    return entry.path
