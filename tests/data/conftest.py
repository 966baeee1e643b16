"""Fixtures of the data tests: tiny DPDD trees of real 16-bit PNGs, written into tmp_path."""

import pytest

from dpdd_trees import write_dpdnet_tree


@pytest.fixture
def dpdnet_tree(tmp_path):
    root = tmp_path / "dpdd"
    scenes = write_dpdnet_tree(root)
    return root, scenes
