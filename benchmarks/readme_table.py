"""Writes a generated markdown table into the README (or a page of docs/) between marker comments.

`<!-- begin:NAME -->` ... `<!-- end:NAME -->`: benchmarks call `replace_section(NAME, text)` so
the documented figures are always the committed output of the benchmark that measured them.
The README keeps what a user needs; the long campaign history lives in docs/campaigns.md. A
section may sit in either: `replace_section` finds the one document that holds its markers.
"""

from __future__ import annotations

import pathlib
import re

from keras_mccnet.atomic_write import atomic_write

ROOT = pathlib.Path(__file__).resolve().parents[1]


def documents(root: pathlib.Path = ROOT) -> list[pathlib.Path]:
    """The files that may hold marked sections: README.md, then docs/*.md."""
    return [root / "README.md", *sorted((root / "docs").glob("*.md"))]


def section_pattern(name: str) -> re.Pattern:
    return re.compile(rf"(<!-- begin:{re.escape(name)} -->\n).*?(<!-- end:{re.escape(name)} -->)",
                      re.S)


def replace_section(name: str, text: str, root: pathlib.Path = ROOT) -> bool:
    """Replaces the marked section `name` in whichever of `documents(root)` holds it; returns
    False (and changes nothing) if none does."""
    pattern = section_pattern(name)
    for path in documents(root):
        content = path.read_text()
        if pattern.search(content):
            updated = pattern.sub(lambda m: m.group(1) + text.rstrip("\n") + "\n" + m.group(2),
                                  content)
            atomic_write(path, updated)
            return True
    return False
