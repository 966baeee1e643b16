import os

import pytest

from keras_mccnet.atomic_write import atomic_write


def test_writes_bytes_and_text_with_shared_permissions(tmp_path):
    atomic_write(tmp_path / "a.bin", b"\x00\x01")
    atomic_write(tmp_path / "b.txt", "hello\n")
    assert (tmp_path / "a.bin").read_bytes() == b"\x00\x01"
    assert (tmp_path / "b.txt").read_text() == "hello\n"
    assert os.stat(tmp_path / "b.txt").st_mode & 0o777 == 0o644


def test_failure_leaves_the_old_file_and_no_temporary(tmp_path):
    target = tmp_path / "keep.txt"
    target.write_text("old")
    with pytest.raises(TypeError):
        atomic_write(target, 12345)  # not bytes or str: fails while writing
    assert target.read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keep.txt"]
