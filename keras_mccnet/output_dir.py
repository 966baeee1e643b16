"""Output folders that never mix runs.

Every command that writes a folder (eval, synth, export, demo) calls `prepare_output_dir` before
writing anything: a missing or empty folder is created; a non-empty one is refused, unless
`overwrite` is set AND the folder was written by an mccnet command (it holds the `MARKER` file),
in which case its old contents are removed first, so no file of the earlier run survives beside
the new ones. A non-empty folder without the marker is never emptied: it may be anything.
"""

from __future__ import annotations

import json
import os
import shutil
import time

from keras_mccnet.atomic_write import atomic_write

MARKER = ".mccnet-output"


class OutputDirError(ValueError):
    """The output folder holds files of another run (and may not be replaced)."""


def prepare_output_dir(path, overwrite: bool = False, command: str = "mccnet") -> str:
    """Make `path` an empty folder owned by `command`; see the module docstring."""
    path = os.fspath(path)
    check_output_dir(path, overwrite, command)
    for name in sorted(os.listdir(path)) if os.path.isdir(path) else []:
        full = os.path.join(path, name)
        if os.path.isdir(full) and not os.path.islink(full):
            shutil.rmtree(full)
        else:
            os.remove(full)
    os.makedirs(path, exist_ok=True)
    atomic_write(os.path.join(path, MARKER), json.dumps(
        {"command": command, "started": time.strftime("%Y-%m-%dT%H:%M:%S")}) + "\n")
    return path


def check_output_dir(path, overwrite: bool = False, command: str = "mccnet") -> None:
    """The refusals of `prepare_output_dir` without touching anything: call it with the other
    argument checks, before slow work, so a refused folder costs the user no waiting."""
    path = os.fspath(path)
    if os.path.exists(path) and not os.path.isdir(path):
        raise OutputDirError(f"{path} exists and is not a folder")
    entries = sorted(os.listdir(path)) if os.path.isdir(path) else []
    if not entries:
        return
    shown = ", ".join(entries[:5]) + (", ..." if len(entries) > 5 else "")
    if not overwrite:
        raise OutputDirError(
            f"output folder {path} is not empty ({len(entries)} entries: {shown}); "
            f"pass --overwrite to replace its contents, or choose a new folder")
    if MARKER not in entries:
        raise OutputDirError(
            f"{path} is not empty and was not written by mccnet (no {MARKER}); "
            f"refusing to delete it with --overwrite: remove it yourself or choose a new folder")


def check_output_file(path, overwrite: bool = False, command: str = "mccnet") -> None:
    """Refuse to replace an existing output file unless `overwrite`."""
    path = os.fspath(path)
    if os.path.isdir(path):
        raise OutputDirError(f"output {path} is a folder, expected a file name")
    if os.path.exists(path) and not overwrite:
        raise OutputDirError(f"{path} already exists; pass --overwrite to replace it")
