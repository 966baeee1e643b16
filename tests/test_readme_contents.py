"""The README's in-page links land on a heading, and its contents line lists every section.

The README is long (every figure with its command and caveats), so readers navigate by the
contents line and by links between sections; a renamed heading silently breaks them on GitHub.
"""

import pathlib
import re

ROOT = pathlib.Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text()


def github_anchor(heading: str) -> str:
    """The id GitHub gives a heading: lower case, punctuation other than '-' and '_' dropped,
    spaces turned into '-'."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def headings(text: str, level: str = "#+") -> list[str]:
    # Lines inside fenced code blocks are shell comments, not headings.
    text = re.sub(r"^```.*?^```", "", text, flags=re.M | re.S)
    return re.findall(rf"^{level} (.+)$", text, flags=re.M)


def contents_line(text: str) -> str:
    start = text.index("**Contents:**")
    return text[start:text.index("\n\n", start)]


def test_github_anchor_matches_githubs_rule():
    assert github_anchor("Shipped weights, the CPU campaign and the ablation") == \
        "shipped-weights-the-cpu-campaign-and-the-ablation"
    assert github_anchor("Architecture (as built)") == "architecture-as-built"


def test_every_in_page_link_lands_on_a_heading():
    anchors = {github_anchor(h) for h in headings(README)}
    links = re.findall(r"\]\(#([^)]+)\)", README)
    assert links, "the README has no in-page links to check"
    assert sorted(set(links) - anchors) == []


def test_contents_line_lists_every_section_in_order():
    linked = re.findall(r"\]\(#([^)]+)\)", contents_line(README))
    sections = [github_anchor(h) for h in headings(README, "##")]
    assert [a for a in linked if a in sections] == sections
