"""Every number in a chapter's prose comes from the data through glue, never typed by hand.

The check reads each chapter's Markdown cells and removes what may hold digits legitimately:
glued values and other roles, directives, code spans, short quotations of speakers, labels,
directive options, dates (a day and a month, a year, a range of years, a decade) and names
with digits in them (Kambarata-1, C5+1, COVID-19, 43rd). A digit left over is a number typed
by hand: glue it, or describe the fact without it.
"""

from __future__ import annotations

import json
import re

import pytest

from summit_book.paths import PROJECT_ROOT

MONTHS = ("January|February|March|April|May|June|July|August|September|October|November|"
          "December")
#: Fixed parts of unit names, not quantities.
UNIT_PHRASES = r"\bper (100|1,000|100,000|million)\b|\b100 per ?cent\b"


def typed_numbers(markdown: str) -> list[str]:
    """The numbers a Markdown text states outside glue, quotations, dates and names."""
    text = re.sub(r"\{[a-z:-]+\}`[^`]*`", "", markdown)             # roles: glue, source, ref
    text = re.sub(r"```.*?```", "", text, flags=re.S)                # directives
    text = re.sub(r"`[^`]*`", "", text)                              # code spans
    text = re.sub(r"\"[^\"\n]*\"|“[^”\n]*”", "", text)               # short quotations
    text = re.sub(r"^\(.*\)=$", "", text, flags=re.M)                # labels
    text = re.sub(r"^:[a-z]+:.*$", "", text, flags=re.M)             # directive options
    text = re.sub(rf"\b\d{{1,2}}(–\d{{1,2}})? ({MONTHS})\b", "", text)  # 16 November
    text = re.sub(r"\b(1[89]|20)\d\d(–(1[89]|20)?\d\d)?s?\b", "", text)  # 2025, 2026–2028, 2000s
    text = re.sub(UNIT_PHRASES, "", text)
    found = re.findall(r"(?<![\w.+-])\d[\d,.]*(?![\w-]*[A-Za-z])", text)
    return [number.rstrip(".,") for number in found]


def chapter_notebooks():
    """The chapters, the home page and the key-numbers page."""
    return sorted((PROJECT_ROOT / "chapters").glob("*.ipynb")) + [
        PROJECT_ROOT / "index.ipynb", PROJECT_ROOT / "front" / "key_numbers.ipynb"]


@pytest.mark.parametrize(("markdown", "expected"), [
    ("Trade reached {glue:text}`trade_2024` in 2024 {source}`akorda-2024`.", []),
    ("On 16 November 2025, in 2026–2028 and in the 2000s; Kambarata-1, C5+1, the 43rd session.", []),
    ('He said trade could reach "15 billion dollars" soon.', []),
    ("Subscriptions per 100 people, shares of 100 per cent.", []),
    ("Trade reached 11.5 billion dollars and 4,200 km of track.", ["11.5", "4,200"]),
    ("Of 27 proposals, 7 have a follow-up.", ["27", "7"]),
])
def test_typed_numbers_finds_hand_typed_quantities_only(markdown, expected):
    assert typed_numbers(markdown) == expected


@pytest.mark.parametrize("path", chapter_notebooks(), ids=lambda p: p.name)
def test_chapter_prose_has_no_hand_typed_number(path):
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    typed = [number for cell in cells if cell["cell_type"] == "markdown"
             for number in typed_numbers("".join(cell["source"]))]
    assert not typed, f"{path.name}: numbers typed in the prose, glue them: {typed}"
