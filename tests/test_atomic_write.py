import json
import os

import cv2
import numpy as np
import pytest

from keras_mccnet.atomic_write import atomic_path, atomic_write, atomic_write_json


@pytest.fixture
def umask_027():
    previous = os.umask(0o027)
    yield
    os.umask(previous)


def test_writes_bytes_and_text_with_shared_permissions(tmp_path):
    atomic_write(tmp_path / "a.bin", b"\x00\x01")
    atomic_write(tmp_path / "b.txt", "hello\n")
    assert (tmp_path / "a.bin").read_bytes() == b"\x00\x01"
    assert (tmp_path / "b.txt").read_text() == "hello\n"
    umask = os.umask(0)
    os.umask(umask)
    assert os.stat(tmp_path / "b.txt").st_mode & 0o777 == 0o666 & ~umask


def test_failure_leaves_the_old_file_and_no_temporary(tmp_path):
    target = tmp_path / "keep.txt"
    target.write_text("old")
    with pytest.raises(TypeError):
        atomic_write(target, 12345)  # not bytes or str: fails while writing
    assert target.read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keep.txt"]


def test_json_round_trips(tmp_path):
    atomic_write_json(tmp_path / "v.json", {"a": [1, 2.5], "b": None})
    assert json.loads((tmp_path / "v.json").read_text()) == {"a": [1, 2.5], "b": None}


def test_path_context_keeps_the_suffix_and_gives_a_normal_file_mode(tmp_path, umask_027):
    # cv2.imwrite picks the format by extension: a temporary name without ".tif" would fail.
    image = np.full((4, 5, 3), 40000, np.uint16)
    with atomic_path(tmp_path / "out.tif") as tmp:
        assert tmp.endswith(".tif") and os.path.dirname(tmp) == str(tmp_path)
        assert cv2.imwrite(tmp, image)
    np.testing.assert_array_equal(cv2.imread(str(tmp_path / "out.tif"), cv2.IMREAD_UNCHANGED),
                                  image)
    assert os.stat(tmp_path / "out.tif").st_mode & 0o777 == 0o640  # not mkstemp's 0600
    with atomic_path(tmp_path / "m.weights.h5") as tmp:
        assert tmp.endswith(".weights.h5")  # what keras' save_weights demands


def test_path_context_error_keeps_the_old_file_and_no_temporary(tmp_path):
    target = tmp_path / "model.keras"
    target.write_bytes(b"old")
    with pytest.raises(RuntimeError):
        with atomic_path(target) as tmp:
            with open(tmp, "wb") as f:
                f.write(b"half")
            raise RuntimeError("writer failed")
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model.keras"]
