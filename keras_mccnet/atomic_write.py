"""Atomic file writes: a file is either complete or absent, never half-written."""

from __future__ import annotations

import os
import tempfile


def atomic_write(path, data: bytes | str, mode: int = 0o644) -> None:
    """Writes `data` to a temporary file in the destination folder, then renames it over `path`.

    The rename is atomic on POSIX, so readers (and a crash) never see a partial file. `mode`
    replaces mkstemp's private 0600: exported and generated files are meant to be shared.
    """
    path = os.fspath(path)
    folder = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=folder)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data.encode() if isinstance(data, str) else data)
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.remove(tmp)
        raise
