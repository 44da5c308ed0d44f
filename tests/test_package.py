"""The helper package: formatting for prose, citations, figure style."""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from summit_book import format_value, list_in_words
from summit_book.cite import book_citation, chapter_citation, cite_sources, data_version
from summit_book.publish import markdown_table
from summit_book.style import COUNTRY_STYLE, PALETTE, relative_luminance


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [(7, 0, "7"), (np.int64(12000), 0, "12,000"), (11.5, 1, "11.5"), (np.float64(2 / 3), 2, "0.67"),
     (pd.array([3], dtype="Int64")[0], 0, "3")],
)
def test_format_value(value, decimals, expected):
    assert format_value(value, decimals) == expected


@pytest.mark.parametrize("value", ["7", None, True, [1]])
def test_format_value_refuses_what_is_not_a_number(value):
    with pytest.raises(TypeError):
        format_value(value)


def test_list_in_words():
    assert list_in_words([]) == ""
    assert list_in_words(["Astana"]) == "Astana"
    assert list_in_words(["a", "b"]) == "a and b"
    assert list_in_words(["a", "b", "c"]) == "a, b and c"


def test_cite_sources_sorted_unique_and_never_empty():
    assert cite_sources(["b", "a", "b"]) == "{source}`a,b`"
    assert cite_sources("a") == "{source}`a`"
    with pytest.raises(ValueError):
        cite_sources([])


def test_markdown_table_turns_sources_into_citations_and_escapes_pipes():
    frame = pd.DataFrame({"title": ["A | B"], "source_ids": [["s-2", "s-1"]]})
    table = markdown_table(frame).splitlines()
    assert table[0] == "| title | sources |"
    assert table[2] == "| A \\| B | {source}`s-1,s-2` |"


def test_folded_and_short_page_tables_carry_the_classes_the_book_script_reads():
    frame = pd.DataFrame({"title": ["A"]})
    folded = markdown_table(frame, caption="Caption", name="tbl-x", folded=True).splitlines()
    assert folded[:3] == ["````{table} Caption", ":name: tbl-x", ":class: table-folded"]
    plain = markdown_table(frame, caption="Caption", name="tbl-x")
    assert "table-folded" not in plain
    paged = markdown_table(frame, caption="Caption", name="tbl-x", page_rows=5).splitlines()
    assert paged[2] == ":class: table-page-5"
    with pytest.raises(ValueError):
        markdown_table(frame, caption="Caption", page_rows=12)
    script = (Path(__file__).parents[1] / "summit_book" / "static" / "book.js").read_text()
    assert 'classList.contains("table-folded")' in script and "table-page-(" in script


def test_data_version_changes_when_a_table_changes(data_copy):
    before = data_version(["meetings"])
    assert data_version(["meetings"]) == before
    data_copy.edit("meetings", 0, "notes", "edited")
    assert data_version(["meetings"]) != before
    assert len(before) == 12


def test_chapter_citation_names_book_version_page_and_data_version():
    citation = chapter_citation("chapters/01_format", ["meetings"])
    assert citation["title"].startswith("1. The format")
    book = book_citation()
    assert book["version"] in citation["plain"]
    assert citation["data_version"] in citation["plain"]
    # No url: in CITATION.cff: the citation says so, and never prints a relative address.
    assert "Address not yet published" in citation["plain"]
    assert ".html" not in citation["plain"] + citation["bibtex"]
    assert citation["bibtex"].startswith("@incollection{summitbook-01-format,")
    assert citation["bibtex"].rstrip().endswith("}")


def test_palette_colours_differ_in_greyscale():
    """Neighbouring palette colours (used in stacked bars and lines) stay distinguishable when
    printed in grey: their luminances differ by at least 0.1."""
    luminances = [relative_luminance(colour) for colour in PALETTE]
    for first, second in itertools.pairwise(luminances):
        assert abs(first - second) >= 0.1, (first, second)


def test_country_styles_differ_without_colour():
    styles = list(COUNTRY_STYLE.values())
    assert len({s["marker"] for s in styles}) == len(styles)
    assert len({str(s["linestyle"]) for s in styles}) == len(styles)
    assert set(COUNTRY_STYLE) == {"KAZ", "KGZ", "TJK", "TKM", "UZB", "AZE"}


def test_source_labels_are_short_and_unique():
    from summit_book.sphinx_ext import source_label, unique_labels

    assert source_label("akorda-2018-03-15-working-meeting") == "akorda 18"
    assert source_label("24kg-2025-11-16-documents") == "24kg 25"
    assert source_label("amerinews-tokayev-vision") == "amerinews"
    labels = unique_labels(["akorda-2018-x", "24kg-2025-12-01-b", "24kg-2025-11-16-a"])
    assert labels == {"24kg-2025-11-16-a": "24kg 25a", "24kg-2025-12-01-b": "24kg 25b",
                      "akorda-2018-x": "akorda 18"}



def test_citation_cff_has_what_citations_are_built_from():
    import datetime as dt

    from summit_book.cite import read_citation_file

    cff = read_citation_file()
    assert cff["cff-version"] == "1.2.0"
    for key in ("message", "title", "authors", "version", "date-released", "license"):
        assert cff.get(key), f"CITATION.cff lacks {key}"
    assert all("name" in a or "family-names" in a for a in cff["authors"])
    assert dt.date.fromisoformat(str(cff["date-released"]))


def test_citations_use_the_public_url_once_citation_cff_has_one(tmp_path, monkeypatch):
    import summit_book.cite as cite

    published = tmp_path / "CITATION.cff"
    published.write_text(cite.CITATION_PATH.read_text(encoding="utf-8")
                         + 'url: "https://books.example.org/central-asia/"\n', encoding="utf-8")
    monkeypatch.setattr(cite, "CITATION_PATH", published)
    citation = cite.chapter_citation("chapters/01_format", ["meetings"])
    assert "https://books.example.org/central-asia/chapters/01_format.html" in citation["plain"]
    assert "url       = {https://books.example.org/central-asia/chapters/01_format.html}" \
        in citation["bibtex"]


def test_positions_rows_name_the_holder_meeting_and_kind():
    from summit_book import load_table
    from summit_book.positions import positions_rows

    positions = load_table("positions").set_index("position_id")
    rows = positions.loc[["cm07-kaz-transit-hub", "eu-global-gateway-trans-caspian"]].reset_index()
    shown = positions_rows(rows, {"tokayev": "Kassym-Jomart Tokayev"}, {"cm07": "Tashkent 2025"})
    assert list(shown["who"]) == ["Kassym-Jomart Tokayev", "European Commission"]
    assert list(shown["meeting"]) == ["Tashkent 2025", ""]
    assert list(shown["kind"]) == ["stated aim", "stated aim"]
    assert list(shown["source_ids"]) == list(rows["source_ids"])
    with pytest.raises(ValueError, match="unknown kind"):
        positions_rows(rows.assign(kind="rumour"), {"tokayev": "T"}, {})
