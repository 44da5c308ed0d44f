"""Citations usable as printed: the same citation in the page, in its BibTeX and in its meta
tags; absolute addresses once ``url:`` is set in CITATION.cff and "Address not yet published"
before; the reader's date of reading as "accessed". Checked on the functions and on built
sites, one as the repository is and one from a copy whose CITATION.cff has an address."""

from __future__ import annotations

import html
import re
import sys
from pathlib import Path

import pytest
from pybtex.database import parse_string

import summit_book.cite as cite
import summit_book.tables as tables_module
from conftest import run_in

URL = "https://books.example.org/central-asia/"
PAGE = "chapters/01_format"


def published_citation_file(directory: Path) -> Path:
    """A copy of CITATION.cff with ``url:`` set (appended: the repository's has none)."""
    text = cite.CITATION_PATH.read_text(encoding="utf-8")
    assert "\nurl:" not in text, "CITATION.cff already has an address: adapt this test"
    path = directory / "CITATION.cff"
    path.write_text(text + f'url: "{URL}"\n', encoding="utf-8")
    return path


def bibtex_fields(bibtex: str) -> tuple[str, dict]:
    entry = next(iter(parse_string(bibtex, "bibtex").entries.values()))
    return entry.type, {key.lower(): value for key, value in entry.fields.items()}


# --- the functions ----------------------------------------------------------------------------

def test_unpublished_citation_says_so_and_has_no_relative_address():
    facts = cite.book_facts()
    for citation in (cite.chapter_citation(PAGE, ["meetings"]), cite.book_citation()):
        assert citation["url"] == ""
        assert cite.NOT_PUBLISHED in citation["plain"]
        assert citation["plain"].endswith(f"accessed {cite.ACCESSED_PLACEHOLDER}.")
        assert ".html" not in citation["plain"] + citation["bibtex"]
        kind, fields = bibtex_fields(citation["bibtex"])
        assert "url" not in fields and "urldate" not in fields
        assert cite.NOT_PUBLISHED in fields["note"]
        assert fields["publisher"] == "{" + facts["publisher"] + "}"
        assert fields["version"] == facts["version"]
        assert facts["publisher"] in citation["plain"]
        assert f"version {facts['version']} of {facts['released']}" in citation["plain"]


def test_published_citation_carries_the_absolute_address_and_date_of_reading(tmp_path,
                                                                             monkeypatch):
    monkeypatch.setattr(cite, "CITATION_PATH", published_citation_file(tmp_path))
    chapter = cite.chapter_citation(PAGE, ["meetings"])
    assert chapter["url"] == URL + PAGE + ".html"
    assert chapter["plain"].endswith(f"{chapter['url']}, accessed {cite.ACCESSED_PLACEHOLDER}.")
    kind, fields = bibtex_fields(chapter["bibtex"])
    assert kind == "incollection"
    assert fields["url"] == chapter["url"]
    assert fields["urldate"] == cite.URLDATE_PLACEHOLDER
    assert cite.NOT_PUBLISHED not in chapter["plain"] + chapter["bibtex"]
    # Title case kept: the titles are braced once more, so styles cannot lower-case them.
    assert fields["title"] == "{" + chapter["title"] + "}"
    assert fields["booktitle"] == "{" + cite.book_facts()["title"] + "}"
    book = cite.book_citation()
    assert book["url"] == URL
    assert bibtex_fields(book["bibtex"])[1]["url"] == URL
    assert cite.address(PAGE, "fig-x") == URL + PAGE + ".html#fig-x"


def test_citation_markdown_is_a_directive_the_build_renders():
    text = cite.citation_markdown(PAGE, ["sources", "meetings"])
    assert text.splitlines() == [f"```{{cite-this}} {PAGE}", ":tables: meetings sources",
                                 f":data-version: {cite.data_version(['meetings', 'sources'])}",
                                 "```"]
    with pytest.raises(ValueError):
        cite.citation_markdown("chapters/01 format\n:x:", ["meetings"])


# --- built sites ------------------------------------------------------------------------------

#: The page sets quotes typographically (docutils' smart quotes); a citation copied from it
#: carries them. Compared with the package's plain text, they count as the straight ones.
TYPOGRAPHIC = str.maketrans({"\u201c": '"', "\u201d": '"', "\u2018": "'", "\u2019": "'"})


def _text(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", fragment)).split()).translate(TYPOGRAPHIC)


def _block(page_html: str, tag: str, css_class: str) -> str:
    found = re.search(rf'<{tag} class="[^"]*\b{css_class}\b[^"]*">(.*?)</{tag}>', page_html, re.S)
    assert found, f"no <{tag} class={css_class}>"
    return found.group(1)


def _metas(page_html: str, name: str) -> list[str]:
    return [html.unescape(value) for value in
            re.findall(rf'<meta (?:name|property)="{re.escape(name)}" content="([^"]*)"', page_html)]


def page_citation(site: Path, page: str) -> dict:
    """What a built page says: its printed citation, BibTeX, tables and meta tags."""
    page_html = (site / f"{page}.html").read_text(encoding="utf-8")
    bibtex = html.unescape(re.sub(r"<[^>]+>", "", _block(page_html, "pre", "cite-bibtex")))
    canonical = re.findall(r'<link rel="canonical" href="([^"]*)"', page_html)
    return {"html": page_html, "plain": _text(_block(page_html, "p", "cite-plain")),
            "bibtex": bibtex, "canonical": [html.unescape(c) for c in canonical]}


def check_page(site: Path, page: str, url: str) -> None:
    """The page's printed citation and BibTeX are exactly what the package computes for the
    tables the page names, and its meta tags say the same."""
    shown = page_citation(site, page)
    tables_text = _text(_block(shown["html"], "p", "cite-tables"))
    titles = [html.unescape(t) for t in re.findall(r"<em>(.*?)</em>",
                                                   _block(shown["html"], "p", "cite-tables"))]
    tables = [name for name in tables_module.table_names()
              if tables_module.resource(name).get("title") in titles]
    assert len(tables) == len(titles), f"{page}: a table title names no table: {titles}"
    expected = cite.chapter_citation(page, tables)
    assert expected["data_version"] in tables_text
    assert shown["plain"] == expected["plain"]
    assert shown["bibtex"].strip() == expected["bibtex"]
    assert '<span class="access-date">' in shown["html"]
    kind, fields = bibtex_fields(shown["bibtex"])
    facts = cite.book_facts()
    assert _metas(shown["html"], "citation_title") == [expected["title"]]
    assert fields["title"] == "{" + expected["title"] + "}"
    assert _metas(shown["html"], "citation_author") == facts["author_list"]
    assert _metas(shown["html"], "citation_publisher") == [facts["publisher"]]
    assert fields["publisher"] == "{" + facts["publisher"] + "}"
    assert _metas(shown["html"], "citation_publication_date") == [facts["released"].replace("-", "/")]
    assert _metas(shown["html"], "citation_inbook_title") == [facts["title"]]
    description = _metas(shown["html"], "description")
    assert len(description) == 1 and len(description[0]) > 40
    assert _metas(shown["html"], "citation_abstract") == description
    # The site carries no chapter PDF, so no page may claim one.
    assert not _metas(shown["html"], "citation_pdf_url")
    if url:
        assert expected["url"] == url
        assert shown["canonical"] == [url]
        assert _metas(shown["html"], "citation_public_url") == [url]
        assert _metas(shown["html"], "og:url") == [url]
        assert f'href="{url}"' in _block(shown["html"], "p", "cite-plain")
        assert fields["url"] == url
    else:
        assert expected["url"] == "" and cite.NOT_PUBLISHED in shown["plain"]
        assert shown["canonical"] == [] and not _metas(shown["html"], "og:url")
        assert "url" not in fields


@pytest.mark.build
def test_built_pages_cite_themselves_without_an_address(built_book):
    site = built_book / "_build/html"
    for page in (PAGE, "chapters/10_proposals", "meetings/cm07"):
        check_page(site, page, "")
    how = page_citation(site, "front/how_to_cite")
    assert how["plain"] == cite.book_citation()["plain"]
    figure = _text(_block((site / f"{PAGE}.html").read_text(encoding="utf-8"),
                          "details", "figure-cite"))
    assert f"{cite.NOT_PUBLISHED}; accessed {cite.ACCESSED_PLACEHOLDER}." in figure


@pytest.mark.build
def test_built_pages_cite_their_absolute_address_once_it_is_set(project_copy_factory,
                                                                monkeypatch):
    root = project_copy_factory("published")
    published_citation_file(root)
    result = run_in(root, sys.executable, "-m", "summit_book.build")
    assert result.returncode == 0, (result.stdout + result.stderr)[-4000:]
    monkeypatch.setattr(cite, "CITATION_PATH", root / "CITATION.cff")
    site = root / "_build/html"
    for page in (PAGE, "chapters/10_proposals", "meetings/cm07"):
        check_page(site, page, URL + page + ".html")
    home = page_citation(site, "front/how_to_cite")
    assert home["plain"] == cite.book_citation()["plain"] and URL in home["plain"]
    index = (site / "index.html").read_text(encoding="utf-8")
    assert re.findall(r'<link rel="canonical" href="([^"]*)"', index) == [URL]
    figure = _text(_block((site / f"{PAGE}.html").read_text(encoding="utf-8"),
                          "details", "figure-cite"))
    assert re.search(re.escape(URL + PAGE + ".html#fig-") + r"[\w-]+, accessed", figure)
