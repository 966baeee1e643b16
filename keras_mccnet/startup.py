"""Quiet, fast start-up of the `mccnet` command.

TensorFlow prints about nine log lines on import (oneDNN, CUDA stubs, CPU features and, on a
machine without a GPU, `E0000 ... failed call to cuInit: INTERNAL: CUDA error`, which reads like a
failure but only means "no GPU"). Some are written by C++ before any log level applies, so
`TF_CPP_MIN_LOG_LEVEL` alone cannot hide them: `import_backend_quietly` imports Keras (and with it
the backend) with the process's stderr file descriptor pointed at a temporary file, and replays
that file only when the import fails. `--verbose` skips all of this.
"""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile

QUIET_ENV = {
    "TF_CPP_MIN_LOG_LEVEL": "3",  # C++ INFO/WARNING/ERROR logged after absl's initialisation
    "ABSL_MIN_LOG_LEVEL": "3",
    "GRPC_VERBOSITY": "ERROR",
}


def quiet_environment() -> None:
    """Set the log-level variables (unless the user set them) before TensorFlow is imported."""
    for key, value in QUIET_ENV.items():
        os.environ.setdefault(key, value)


@contextlib.contextmanager
def _stderr_fd_captured():
    """Point file descriptor 2 at a temporary file; yield the file (read it to replay)."""
    sys.stderr.flush()
    saved = os.dup(2)
    with tempfile.TemporaryFile(mode="w+b") as capture:
        os.dup2(capture.fileno(), 2)
        try:
            yield capture
        finally:
            sys.stderr.flush()
            os.dup2(saved, 2)
            os.close(saved)


def import_backend_quietly(modules=("keras",)) -> None:
    """Import `modules` (default Keras, and with it its backend) without TensorFlow's start-up
    lines on stderr; an import that fails replays what was said, then raises."""
    import importlib

    missing = [m for m in modules if m not in sys.modules]
    if not missing:
        return
    quiet_environment()
    error = None
    with _stderr_fd_captured() as capture:
        try:
            for module in missing:
                importlib.import_module(module)
        except BaseException as e:  # replayed below, once stderr is back
            error = e
            capture.seek(0)
            said = capture.read()
    if error is not None:
        sys.stderr.write(said.decode(errors="replace"))
        raise error


def configured_backend() -> str:
    """The Keras backend the process will use, read as Keras reads it (KERAS_BACKEND, else
    $KERAS_HOME/keras.json or ~/.keras/keras.json, else tensorflow), without importing Keras,
    so argument checks that depend on it run before anything slow or anything is written."""
    if "keras" in sys.modules:
        return sys.modules["keras"].backend.backend()
    if os.environ.get("KERAS_BACKEND"):
        return os.environ["KERAS_BACKEND"]
    import json

    home = os.environ.get("KERAS_HOME") or os.path.join(os.path.expanduser("~"), ".keras")
    try:
        with open(os.path.join(home, "keras.json")) as f:
            return json.load(f).get("backend", "tensorflow")
    except (OSError, ValueError):
        return "tensorflow"
