"""Where the optional shared data lives: `../shared` beside the repository.

It holds the real dual-pixel scenes (`realdp/dpdd_gif4`: L/ R/ GT/, 8-bit, a burnt-in label in
rows 0-55) and sharp photos (`sharp/`) for synthetic content. Nothing requires it: every caller
falls back (procedural content, no real-scene validation) when it is absent, e.g. in an installed
wheel. `$MCCNET_SHARED_DIR` points elsewhere; this module is the only place that knows the layout.
"""

from __future__ import annotations

import os
import pathlib

REPO = pathlib.Path(__file__).resolve().parents[1]
REALDP_SUBDIR = ("realdp", "dpdd_gif4")
SHARP_SUBDIR = ("sharp",)


def shared_dir() -> pathlib.Path:
    """$MCCNET_SHARED_DIR if set, else ../shared beside the repository (present or not)."""
    return pathlib.Path(os.environ.get("MCCNET_SHARED_DIR") or REPO.parent / "shared")


def realdp_path() -> pathlib.Path:
    """Where the real DP scenes would be (present or not)."""
    return shared_dir().joinpath(*REALDP_SUBDIR)


def realdp_dir() -> str | None:
    """The real DP scenes folder, or None when absent."""
    path = realdp_path()
    return str(path) if path.is_dir() else None


def sharp_dir() -> str | None:
    """$MCCNET_SHARP_DIR if set, else the shared sharp photos folder, or None when absent."""
    if os.environ.get("MCCNET_SHARP_DIR"):
        return os.environ["MCCNET_SHARP_DIR"]
    path = shared_dir().joinpath(*SHARP_SUBDIR)
    return str(path) if path.is_dir() else None
