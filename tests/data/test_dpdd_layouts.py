import os

import numpy as np
import pytest
from dpdd_trees import PLAIN, RESTORMER, write_dpdnet_tree, write_folder_tree

from keras_mccnet.data.dpdd import DatasetLayoutError, detect_layout, find_scenes
from keras_mccnet.data.image_io import ImageReadError, read_image, write_image


def test_dpdnet_layout_pairs_targets_with_other_names_by_sorted_order(dpdnet_tree):
    root, written = dpdnet_tree
    scenes = find_scenes(root, "test")
    assert [s.name for s in scenes] == [w[0] for w in written]
    for scene, (name, tname, left, right, target) in zip(scenes, written):
        assert scene.left.endswith(f"{name}_L.png") and scene.right.endswith(f"{name}_R.png")
        assert scene.target.endswith(f"{tname}.png") and scene.center.endswith(f"{name}.png")
        np.testing.assert_allclose(read_image(scene.target), target, atol=1e-4)
        np.testing.assert_allclose(read_image(scene.right), right, atol=1e-4)


def test_dpdnet_split_selection(tmp_path):
    write_dpdnet_tree(tmp_path, "train", n=2)
    write_dpdnet_tree(tmp_path, "val", n=1)
    assert len(find_scenes(tmp_path, "train")) == 2 and len(find_scenes(tmp_path, "val")) == 1
    with pytest.raises(DatasetLayoutError, match="pass split"):
        find_scenes(tmp_path)
    with pytest.raises(DatasetLayoutError, match="test"):
        find_scenes(tmp_path, "test")


@pytest.mark.parametrize("names,layout", [(RESTORMER, "restormer"), (PLAIN, "plain")])
def test_folder_layouts(tmp_path, names, layout):
    views = write_folder_tree(tmp_path, names, n=2, bits=8)
    assert detect_layout(str(tmp_path))[0] == layout
    scenes = find_scenes(tmp_path)
    assert [s.name for s in scenes] == ["scene00", "scene01"]
    np.testing.assert_allclose(read_image(scenes[1].left), views[1]["left"], atol=1 / 255)


def test_restormer_layout_under_split_folder(tmp_path):
    write_folder_tree(tmp_path / "test" / "DPDD", RESTORMER, n=1)
    assert len(find_scenes(tmp_path, "test")) == 1


def test_target_count_mismatch_names_the_unmatched_file(dpdnet_tree):
    root, _ = dpdnet_tree
    extra = os.path.join(root, "test_c", "target", "1P0A5555.png")
    write_image(extra, np.zeros((40, 48, 3), np.float32))
    with pytest.raises(DatasetLayoutError, match="1P0A5555.png"):
        find_scenes(root, "test")


def test_missing_view_names_the_scene(dpdnet_tree):
    root, written = dpdnet_tree
    os.remove(os.path.join(root, "test_r", "source", f"{written[1][0]}_R.png"))
    with pytest.raises(DatasetLayoutError, match=f"missing right view for scene '{written[1][0]}'"):
        find_scenes(root, "test")


def test_size_mismatch_names_the_files(dpdnet_tree):
    root, written = dpdnet_tree
    bad = os.path.join(root, "test_c", "target", f"{written[0][1]}.png")
    write_image(bad, np.zeros((40, 40, 3), np.float32))
    with pytest.raises(DatasetLayoutError, match=f"sizes differ.*{written[0][1]}.png is 40x40"):
        find_scenes(root, "test")


def test_truncated_png_is_caught_at_discovery(dpdnet_tree):
    root, written = dpdnet_tree
    path = os.path.join(root, "test_l", "source", f"{written[2][0]}_L.png")
    data = open(path, "rb").read()
    open(path, "wb").write(data[:-20])
    with pytest.raises(ImageReadError, match=f"{written[2][0]}_L.png.*truncated"):
        find_scenes(root, "test")


def test_empty_and_unknown_layouts(tmp_path):
    with pytest.raises(DatasetLayoutError, match="empty"):
        find_scenes(tmp_path)
    (tmp_path / "L").mkdir()
    (tmp_path / "R").mkdir()
    (tmp_path / "GT").mkdir()
    with pytest.raises(DatasetLayoutError, match="empty folder"):
        find_scenes(tmp_path)
    other = tmp_path / "other"
    (other / "images").mkdir(parents=True)
    with pytest.raises(DatasetLayoutError, match="unknown dataset layout"):
        find_scenes(other)
    with pytest.raises(DatasetLayoutError, match="not found"):
        find_scenes(tmp_path / "nope")


def test_real_scenes_layout(realdp_dir):
    scenes = find_scenes(realdp_dir)
    assert len(scenes) == 4 and all(s.center for s in scenes)


@pytest.mark.parametrize("names", [RESTORMER, PLAIN])
def test_a_flat_folder_has_no_splits_to_hand_out(tmp_path, names):
    from keras_mccnet.data.dpdd import dataset_splits

    write_folder_tree(tmp_path, names, n=2, bits=8)
    assert dataset_splits(tmp_path) == []
    for split in ("train", "val", "test"):  # before: "train" silently gave these same scenes
        with pytest.raises(DatasetLayoutError, match="no train/val/test split.*split=None"):
            find_scenes(tmp_path, split)
    assert len(find_scenes(tmp_path)) == 2


def test_split_trees_report_their_splits(tmp_path):
    from keras_mccnet.data.dpdd import dataset_splits

    write_dpdnet_tree(tmp_path / "dpdnet", "train", n=1)
    write_dpdnet_tree(tmp_path / "dpdnet", "test", n=1)
    assert dataset_splits(tmp_path / "dpdnet") == ["train", "test"]
    write_folder_tree(tmp_path / "restormer" / "test" / "DPDD", RESTORMER, n=1)
    assert dataset_splits(tmp_path / "restormer") == ["test"]
