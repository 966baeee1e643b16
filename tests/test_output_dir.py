"""Output folders never mix runs: refused when not empty, replaced whole with --overwrite."""

import pytest

from keras_mccnet.output_dir import (MARKER, OutputDirError, check_output_file,
                                     prepare_output_dir)


def test_new_folders_are_claimed_and_others_refused(tmp_path):
    out = tmp_path / "out"
    prepare_output_dir(out)
    assert (out / MARKER).is_file()
    (out / "old_sheet.png").write_bytes(b"x")
    with pytest.raises(OutputDirError, match="not empty.*--overwrite"):
        prepare_output_dir(out)
    prepare_output_dir(out, overwrite=True)  # an earlier mccnet output: replaced whole
    assert sorted(p.name for p in out.iterdir()) == [MARKER]


def test_overwrite_never_empties_a_folder_mccnet_did_not_write(tmp_path):
    (tmp_path / "precious.txt").write_text("keep me")
    with pytest.raises(OutputDirError, match="not written by mccnet"):
        prepare_output_dir(tmp_path, overwrite=True)
    assert (tmp_path / "precious.txt").read_text() == "keep me"


def test_output_files_are_not_replaced_silently(tmp_path):
    path = tmp_path / "sharp.png"
    check_output_file(path)
    path.write_bytes(b"x")
    with pytest.raises(OutputDirError, match="already exists; pass --overwrite"):
        check_output_file(path)
    check_output_file(path, overwrite=True)


def test_synth_refuses_a_used_folder_and_overwrite_leaves_no_stale_scene(tmp_path, capsys):
    from keras_mccnet.cli import main
    from keras_mccnet.data.dpdd import find_scenes

    out = tmp_path / "synth"
    base = ["synth", "--out", str(out), "--sharp-dir", "none", "--split", "val"]
    assert main([*base, "--scenes", "3", "--size", "24", "32"]) == 0
    with pytest.raises(SystemExit, match="not empty"):
        main([*base, "--scenes", "1", "--size", "16", "16"])
    assert len(find_scenes(out, "val")) == 3  # untouched by the refused run
    assert main([*base, "--scenes", "1", "--size", "16", "16", "--overwrite"]) == 0
    scenes = find_scenes(out, "val")
    assert len(scenes) == 1  # before: the 3 older, larger scenes stayed beside the new one


def test_write_dataset_refuses_a_split_it_already_holds(tmp_path):
    from keras_mccnet.data.synthetic import write_dataset

    write_dataset(tmp_path, 1, size=(16, 16), sharp_dir=None, split="test", progress=False)
    with pytest.raises(ValueError, match="already holds a 'test' split"):
        write_dataset(tmp_path, 2, size=(16, 16), sharp_dir=None, split="test", progress=False)
    write_dataset(tmp_path, 1, size=(16, 16), sharp_dir=None, split="val", progress=False)
