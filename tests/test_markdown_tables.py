"""Every Markdown table the project publishes renders as a table.

GitHub-flavoured Markdown drops a table whose delimiter row has another number of cells than its
header (the README's per-scene table was such a table for two defaults before this test), and
cuts or pads body rows silently; the tables here are edited by hand and by scripts alike.
"""

import pathlib
import re

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]
DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md")),
             *sorted((ROOT / "benchmarks" / "results").glob("*.md"))]
DELIMITER = re.compile(r"\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?")


def cell_count(row: str) -> int:
    """Cells of a table row; escaped pipes and pipes inside code spans separate nothing."""
    row = re.sub(r"`[^`]*`", "``", row.replace("\\|", ""))
    return len(row.strip().strip("|").split("|"))


def tables(text: str):
    """(line number of the header, header, delimiter, body rows) of every table in `text`."""
    lines = text.split("\n")
    for k in range(1, len(lines)):
        if DELIMITER.fullmatch(lines[k].strip()) and lines[k - 1].startswith("|"):
            body = []
            for row in lines[k + 1:]:
                if not row.startswith("|"):
                    break
                body.append(row)
            yield k, lines[k - 1], lines[k], body


def test_cell_count_ignores_escaped_pipes_and_code_spans():
    assert cell_count("| a | `x | y` | b \\| c |") == 3
    assert cell_count("|---|---:|") == 2


def test_a_short_delimiter_row_is_found():
    text = "| a | b | c |\n|---|---:|\n| 1 | 2 | 3 |\n"
    [(line, header, delimiter, body)] = tables(text)
    assert (line, cell_count(header), cell_count(delimiter), len(body)) == (1, 3, 2, 1)


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_row_of_every_table_has_the_headers_cell_count(document):
    bad = []
    for line, header, delimiter, body in tables(document.read_text()):
        width = cell_count(header)
        rows = [(line + 1, delimiter)] + [(line + 2 + i, row) for i, row in enumerate(body)]
        bad += [f"line {n}: {cell_count(row)} cells, header {width}" for n, row in rows
                if cell_count(row) != width]
    assert not bad, f"{document.relative_to(ROOT)}: " + "; ".join(bad)
