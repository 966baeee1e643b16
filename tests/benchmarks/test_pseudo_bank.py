"""Pseudo-labelled real patches: which pairs pseudo_bank.py reads, how a campaign takes them."""

import pathlib
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))

import cpu_campaign  # noqa: E402
import pseudo_bank  # noqa: E402


def test_only_scene_folders_with_both_views_outside_the_flat_planes(tmp_path):
    for folder, views in {"box/001": "lr", "casual/iphone/002": "lr", "casual/orbbec/003": "l",
                          "flat/001/0600/f4": "lr"}.items():
        (tmp_path / folder).mkdir(parents=True)
        for view in views:
            (tmp_path / folder / f"{view}.png").write_bytes(b"")
    found = [str(p.relative_to(tmp_path)) for p in pseudo_bank.unlabelled_pairs(tmp_path)]
    assert found == ["box/001", "casual/iphone/002"]


def test_a_campaign_names_a_missing_pseudo_bank(tmp_path):
    with pytest.raises(SystemExit, match="--pseudo-bank .*missing.npz: no such file"):
        cpu_campaign.pseudo_bank(str(tmp_path / "missing.npz"))
