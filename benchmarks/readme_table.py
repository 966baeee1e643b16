"""Writes a generated markdown table into README.md between marker comments.

`<!-- begin:NAME -->` ... `<!-- end:NAME -->`: benchmarks call `replace_section(NAME, text)` so
the README's figures are always the committed output of the benchmark that measured them.
"""

from __future__ import annotations

import pathlib
import re

from keras_mccnet.atomic_write import atomic_write

README = pathlib.Path(__file__).resolve().parents[1] / "README.md"


def replace_section(name: str, text: str, readme: pathlib.Path = README) -> bool:
    """Replaces the marked section `name`; returns False (and changes nothing) if absent."""
    content = readme.read_text()
    pattern = re.compile(rf"(<!-- begin:{re.escape(name)} -->\n).*?(<!-- end:{re.escape(name)} -->)",
                         re.S)
    if not pattern.search(content):
        return False
    updated = pattern.sub(lambda m: m.group(1) + text.rstrip("\n") + "\n" + m.group(2), content)
    atomic_write(readme, updated)
    return True
