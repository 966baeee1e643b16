"""Atomic file writes: a file is either complete or absent, never half-written.

Every file the project writes goes through here: `atomic_write` (bytes or text), `atomic_write_json`
and `atomic_path`, a context manager for writers that take a path (`cv2.imwrite`, `model.save`,
`fig.savefig`). Each writes a temporary file in the destination folder and renames it over the
target; the rename is atomic on POSIX, so readers (and a crash) never see a partial file.
"""

from __future__ import annotations

import contextlib
import json
import os
import pathlib
import tempfile


def default_mode() -> int:
    """The mode `open()` would give a new file: 0666 minus the umask (0644 under umask 022).

    mkstemp makes private 0600 files; written images, models and reports are meant to be shared.
    """
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


@contextlib.contextmanager
def atomic_path(path, mode: int | None = None):
    """Yields a temporary path beside `path`, renamed over `path` when the block succeeds.

    The temporary name keeps the target's suffixes (".png", ".weights.h5", ".keras"), since
    writers pick the format from them. On any error the temporary file is removed and an existing
    `path` is left untouched.

    Example:
        >>> with atomic_path("out/image.png") as tmp:
        ...     if not cv2.imwrite(tmp, image):
        ...         raise OSError("out/image.png: OpenCV failed to write the image")
    """
    path = os.fspath(path)
    folder = os.path.dirname(os.path.abspath(path))
    suffix = "".join(pathlib.PurePath(path).suffixes)
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=suffix, dir=folder)
    os.close(fd)
    try:
        yield tmp
        os.chmod(tmp, default_mode() if mode is None else mode)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.remove(tmp)
        raise


def atomic_write(path, data: bytes | str, mode: int | None = None) -> None:
    """Writes `data` (bytes, or str as UTF-8) to `path` atomically."""
    with atomic_path(path, mode) as tmp, open(tmp, "wb") as f:
        f.write(data.encode() if isinstance(data, str) else data)


def atomic_write_json(path, value, indent: int = 1) -> None:
    """Writes `value` as JSON (with a final newline) to `path` atomically."""
    atomic_write(path, json.dumps(value, indent=indent) + "\n")
