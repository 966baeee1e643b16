"""The wheel: only the project's own import package, shipped weights included, and a working
`mccnet deblur` from a fresh virtual environment outside the repository."""

import os
import pathlib
import shutil
import site
import subprocess
import sys
import venv
import zipfile

import numpy as np
import pytest

from keras_mccnet.data.image_io import read_image, write_image

REPO = pathlib.Path(__file__).resolve().parents[1]


def _build_wheel(tmp_path) -> pathlib.Path:
    # From a copy of the sources: an in-tree build would reuse a stale build/ folder, whose
    # leftovers (e.g. packages moved away since) end up in the wheel.
    src = tmp_path / "src"
    src.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(REPO / name, src / name)
    shutil.copytree(REPO / "keras_mccnet", src / "keras_mccnet",
                    ignore=shutil.ignore_patterns("__pycache__"))
    out = tmp_path / "dist"
    # --no-build-isolation: the test venv's setuptools builds it, offline and fast.
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                    "-q", "-w", str(out), str(src)], check=True, cwd=tmp_path)
    (wheel,) = out.glob("keras_mccnet-*.whl")
    return wheel


def _fresh_venv(tmp_path, wheel) -> pathlib.Path:
    """A new venv holding the wheel; the dependencies (TensorFlow, Keras, ...) are reused from
    the running environment through a .pth file instead of being installed again."""
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=False)
    python = env_dir / "bin" / "python"
    purelib = subprocess.run([str(python), "-c", "import sysconfig; "
                              "print(sysconfig.get_paths()['purelib'])"],
                             capture_output=True, text=True, check=True).stdout.strip()
    # Appended after the venv's own site-packages, so the installed wheel wins; .pth files in
    # these folders (the developer's editable install) are not processed.
    pathlib.Path(purelib, "dependencies.pth").write_text("\n".join(site.getsitepackages()) + "\n")
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps",
                    "--no-index", "-q", str(wheel)], check=True)
    return env_dir


@pytest.mark.slow
def test_wheel_installs_only_keras_mccnet_and_deblurs_with_shipped_weights(tmp_path):
    wheel = _build_wheel(tmp_path)
    names = zipfile.ZipFile(wheel).namelist()
    top_level = {n.split("/")[0] for n in names if ".dist-info/" not in n}
    assert top_level == {"keras_mccnet"}
    for needed in ("keras_mccnet/weights/registry.json",
                   "keras_mccnet/weights/mccnet_tiny_synthetic.weights.h5",
                   "keras_mccnet/training/configs/dpdd.py", "keras_mccnet/export/tflite.py"):
        assert needed in names

    env_dir = _fresh_venv(tmp_path, wheel)
    work = tmp_path / "elsewhere"  # not the repository: nothing can be imported from there
    work.mkdir()
    rng = np.random.default_rng(0)
    sharp = rng.random((40, 56, 3)).astype(np.float32)
    write_image(work / "L.png", np.roll(sharp, -1, axis=1), bits=8)
    write_image(work / "R.png", np.roll(sharp, 1, axis=1), bits=8)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["TF_CPP_MIN_LOG_LEVEL"] = "2"
    where = subprocess.run([str(env_dir / "bin" / "python"), "-c",
                            "import keras_mccnet; print(keras_mccnet.__file__)"], cwd=work,
                           env=env, capture_output=True, text=True, check=True).stdout
    assert where.startswith(str(env_dir))
    result = subprocess.run([str(env_dir / "bin" / "mccnet"), "deblur", "L.png", "R.png", "-o",
                             "out.png", "--quiet"], cwd=work, env=env, capture_output=True,
                            text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "model: shipped weights mccnet_tiny:synthetic" in result.stderr

    # The same command in this process (the repository's code): the installed copy loaded the
    # same shipped weights, so it gives the same image.
    from keras_mccnet.training.deblur import main

    assert main([str(work / "L.png"), str(work / "R.png"), "-o", str(tmp_path / "ref.png"),
                 "--quiet"]) == 0
    installed, reference = read_image(work / "out.png"), read_image(tmp_path / "ref.png")
    assert installed.shape == (40, 56, 3)
    np.testing.assert_allclose(installed, reference, atol=1.5 / 255)
