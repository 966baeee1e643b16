"""The marked sections benchmarks write into the README and docs/ (benchmarks/readme_table.py)."""

import pathlib
import re
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))

import readme_table  # noqa: E402

MARKER = re.compile(r"<!-- (begin|end):([\w.-]+) -->")


def test_every_committed_section_is_closed_and_lives_in_one_document():
    homes = {}
    for path in readme_table.documents():
        markers = MARKER.findall(path.read_text())
        begins = [name for kind, name in markers if kind == "begin"]
        ends = [name for kind, name in markers if kind == "end"]
        assert begins == ends, f"{path.name}: unbalanced section markers"
        for name in begins:
            assert name not in homes, f"section {name} in both {homes[name]} and {path.name}"
            homes[name] = path.name
    assert "campaign6_pair" in homes and homes["campaign6_pair"] == "campaigns.md"
    assert homes["train_speed_cpu"] == "README.md"


@pytest.fixture
def project(tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "README.md").write_text("intro\n<!-- begin:a -->\nold a\n<!-- end:a -->\n")
    (tmp_path / "docs" / "history.md").write_text(
        "<!-- begin:b -->\nold b\n<!-- end:b -->\ntail\n")
    return tmp_path


def test_replace_section_finds_the_document_that_holds_the_section(project):
    assert readme_table.replace_section("b", "new b", root=project)
    assert (project / "docs" / "history.md").read_text() == (
        "<!-- begin:b -->\nnew b\n<!-- end:b -->\ntail\n")
    assert (project / "README.md").read_text().count("old a") == 1
    assert readme_table.replace_section("a", "new a\n", root=project)
    assert (project / "README.md").read_text() == "intro\n<!-- begin:a -->\nnew a\n<!-- end:a -->\n"


def test_replace_section_changes_nothing_when_no_document_holds_it(project):
    before = {p: p.read_text() for p in project.rglob("*.md")}
    assert not readme_table.replace_section("missing", "text", root=project)
    assert {p: p.read_text() for p in project.rglob("*.md")} == before
