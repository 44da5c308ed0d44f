"""Citations: of the book's sources in the prose, and of the book and its chapters by readers."""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache
from pathlib import Path

import yaml

from .escape import (Markup, bibtex_key, bibtex_text, bibtex_url)
from .paths import BOOK_ROOT, CITATION_PATH, DATAPACKAGE_PATH, TOC_PATH
from .tables import TABLES_LOADED, file_digest, table_path


def cite_sources(source_ids) -> Markup:
    """A MyST citation of one or more source_ids: {source}`a,b` (sorted, unique), rendered by
    :mod:`summit_book.sphinx_ext` as linked labels such as [akorda 18, 24kg 25a].

    It is :class:`~summit_book.escape.Markup` (a table keeps it as a role), so every id must be
    a plain key (letters, digits, ``_ . : -``): anything else is a ValueError, never markup."""
    if isinstance(source_ids, str):
        source_ids = [source_ids]
    keys = sorted({bibtex_key(key) for key in source_ids if key})
    if not keys:
        raise ValueError("cite_sources needs at least one source_id")
    return Markup("{source}`" + ",".join(keys) + "`")


def data_version(tables: list[str]) -> str:
    """A short fingerprint of the tables a chapter read (and of their schema): if any byte of
    them changes, so does the version. Twelve hex digits of SHA-256."""
    digest = hashlib.sha256()
    for name in sorted(tables):
        digest.update(f"{name}:{file_digest(table_path(name))}\n".encode())
    digest.update(f"schema:{file_digest(DATAPACKAGE_PATH)}\n".encode())
    return digest.hexdigest()[:12]


def read_citation_file(path: Path | None = None) -> dict:
    """``CITATION.cff`` as a dict (a copy of its own: the file is parsed once per version of
    its text, and Sphinx asks at every citation it writes)."""
    import copy

    return copy.deepcopy(_parsed_citation_file((path or CITATION_PATH).read_text(encoding="utf-8")))


@lru_cache(maxsize=4)
def _parsed_citation_file(text: str) -> dict:
    return yaml.safe_load(text)


def _authors_plain(authors: list[dict]) -> str:
    return "; ".join(_author_plain(author) for author in authors)


def chapter_number(page: str) -> int | None:
    """The chapter's number as the book prints it: its position among the chapters of the
    numbered parts of ``_toc.yml`` (None for a page in an unnumbered part)."""
    return _chapter_numbers(TOC_PATH.read_text(encoding="utf-8")).get(page)


@lru_cache(maxsize=4)
def _chapter_numbers(toc_text: str) -> dict[str, int]:
    """page -> number for every chapter of the numbered parts of a ``_toc.yml`` text: parsed
    once per version of the file (each meeting page and each page Sphinx writes asks)."""
    toc = yaml.safe_load(toc_text)
    numbers: dict[str, int] = {}
    number = 0
    for part in toc.get("parts", []):
        for chapter in part.get("chapters", []):
            if part.get("numbered"):
                number += 1
                numbers.setdefault(chapter["file"], number)
    return numbers


def page_title(page: str) -> str:
    """The first level-one heading of a page (notebook or Markdown)."""
    import json

    notebook = BOOK_ROOT / f"{page}.ipynb"
    if notebook.exists():
        cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
        text = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    else:
        text = (BOOK_ROOT / f"{page}.md").read_text(encoding="utf-8")
    found = re.search(r"^# (.+)$", text, re.M)
    if not found:
        raise ValueError(f"{page} has no '# ' title")
    return found.group(1).strip()


#: What a printed citation says in place of the reader's date of reading: the book cannot know
#: it. On the page the reader's browser writes the day's date there (``book.js``); printed
#: without scripts, the placeholder stays for the reader to fill in.
ACCESSED_PLACEHOLDER = "(date of reading)"
#: The same for BibTeX's ``urldate`` (an ISO date).
URLDATE_PLACEHOLDER = "YYYY-MM-DD"
#: What a citation says while ``url:`` is missing from CITATION.cff.
NOT_PUBLISHED = "Address not yet published"
#: A page of the book as citations name it: its path without suffix.
PAGE_NAME = re.compile(r"[a-z0-9_]+(/[a-z0-9_]+)*")


def address(page: str = "", anchor_id: str = "", book: dict | None = None) -> str:
    """The absolute address of a page of the book (``chapters/01_format``; '' for the home
    page), from ``url:`` in CITATION.cff; '' while the book's address is not published."""
    book = book or read_citation_file()
    base = str(book.get("url") or "").rstrip("/")
    if not base:
        return ""
    target = f"{base}/{page}.html" if page else f"{base}/"
    return target + (f"#{anchor_id}" if anchor_id else "")


def book_facts(book: dict | None = None) -> dict:
    """What every citation of the book and its pages shares, from CITATION.cff: authors (plain
    and BibTeX), title, publisher, version, release date and year."""
    book = book or read_citation_file()
    released = str(book["date-released"])
    preferred = book.get("preferred-citation") or {}
    publisher = (preferred.get("publisher") or {}).get("name") or _authors_plain(book["authors"])
    return {"authors": _authors_plain(book["authors"]),
            "author_list": [_author_plain(a) for a in book["authors"]],
            "bibtex_authors": " and ".join(_bibtex_name(a) for a in book["authors"]),
            "title": str(book["title"]), "publisher": str(publisher),
            "version": str(book["version"]), "released": released, "year": released[:4],
            "abstract": " ".join(str(book.get("abstract", "")).split()),
            "keywords": [str(k) for k in book.get("keywords", [])],
            "license": str(book.get("license", ""))}


def _bibtex_entry(kind: str, key: str, fields: list[tuple[str, str]]) -> str:
    width = max(len(name) for name, _ in fields)
    lines = [f"@{kind}{{{bibtex_key(key)},"]
    lines += [f"  {name.ljust(width)} = {{{value}}}," for name, value in fields]
    return "\n".join(lines + ["}"])


def _located(url: str, accessed: str) -> str:
    """The end of a printed citation: the address and the date of reading, or the statement
    that the address is not yet published."""
    return f"{url}, accessed {accessed}." if url else f"{NOT_PUBLISHED}; accessed {accessed}."


def chapter_citation(chapter_page: str, tables: list[str], title: str | None = None,
                     data: str | None = None) -> dict:
    """Plain-text and BibTeX citations of one page of the book (a chapter, a meeting), from
    ``CITATION.cff``, the table of contents (number), the page itself (title) and the data
    version of the tables it read (``data``, computed from ``tables`` unless given).
    ``chapter_page`` is its path in the book without suffix, e.g. ``chapters/01_format``;
    ``title`` is read from the page unless given (a page being generated).

    The printed citation ends with the page's absolute address (from ``url:`` in CITATION.cff)
    or "Address not yet published", and "accessed" with :data:`ACCESSED_PLACEHOLDER`; the
    BibTeX has ``urldate`` = :data:`URLDATE_PLACEHOLDER` when it has a ``url``."""
    number = chapter_number(chapter_page)
    title = title or page_title(chapter_page)
    chapter_title = f"{number}. {title}" if number else title
    facts = book_facts()
    url = address(chapter_page)
    data = data or data_version(tables)
    plain = (
        f"{facts['authors']} ({facts['year']}). \"{chapter_title}\". In: {facts['title']}, "
        f"version {facts['version']} of {facts['released']} (data version {data}). "
        f"{facts['publisher']}. " + _located(url, ACCESSED_PLACEHOLDER)
    )
    key = "summitbook-" + re.sub(r"[^a-z0-9]+", "-", Path(chapter_page).name.lower()).strip("-")
    note = f"Version {facts['version']}, data version {data}" + ("" if url else f". {NOT_PUBLISHED}")
    fields = [("author", facts["bibtex_authors"]),
              ("title", "{" + bibtex_text(chapter_title) + "}"),
              ("booktitle", "{" + bibtex_text(facts["title"]) + "}"),
              ("publisher", "{" + bibtex_text(facts["publisher"]) + "}"),
              ("year", bibtex_text(facts["year"])),
              ("version", bibtex_text(facts["version"])),
              ("note", bibtex_text(note))]
    if url:
        fields += [("url", bibtex_url(url)), ("urldate", URLDATE_PLACEHOLDER)]
    return {"plain": plain, "bibtex": _bibtex_entry("incollection", key, fields),
            "data_version": data, "book_version": facts["version"], "title": chapter_title,
            "url": url}


def _author_plain(author: dict) -> str:
    if "family-names" in author:
        return f"{author['family-names']}, {author.get('given-names', '')}".strip(", ")
    return author["name"]


def _bibtex_name(author: dict) -> str:
    if "family-names" in author:
        return bibtex_text(_author_plain(author))
    return "{" + bibtex_text(author["name"]) + "}"


def data_cutoff() -> str:
    """The data cut-off date of the book (``dataCutoff`` in data/datapackage.json)."""
    from .tables import read_datapackage

    return read_datapackage()["dataCutoff"]


def citation_markdown(chapter_page: str, tables: list[str] | None = None) -> str:
    """The "How to cite" block of a page as MyST Markdown (glue it with glue_markdown): a
    ``{cite-this}`` directive naming the page, the tables it read and their data version.

    The book's Sphinx extension renders it when the book is built, from CITATION.cff as it is
    then (printed citation, BibTeX, tables and data cut-off), so that the page, its BibTeX and
    its meta tags always say the same. ``tables`` defaults to every table loaded so far in
    this process: what the chapter read.
    """
    tables = list(TABLES_LOADED) if tables is None else tables
    if not tables:
        raise ValueError("no table was loaded: name the tables the chapter used")
    if not PAGE_NAME.fullmatch(chapter_page):
        raise ValueError(f"not a page of the book: {chapter_page!r}")
    names = " ".join(sorted({bibtex_key(name) for name in tables}))
    return "\n".join([f"```{{cite-this}} {chapter_page}",
                      f":tables: {names}", f":data-version: {data_version(tables)}", "```"])


def book_citation_markdown() -> str:
    """The citation of the whole book as MyST Markdown: a ``{cite-this}`` directive rendered
    by the Sphinx extension from CITATION.cff (see :func:`citation_markdown`)."""
    return "```{cite-this} book\n```"


def book_citation() -> dict:
    """Plain-text and BibTeX citations of the whole book, from ``CITATION.cff``: its address
    (or "Address not yet published") and "accessed" as in :func:`chapter_citation`."""
    facts = book_facts()
    url = address()
    plain = (f"{facts['authors']} ({facts['year']}). {facts['title']}, version "
             f"{facts['version']} of {facts['released']}. {facts['publisher']}. "
             + _located(url, ACCESSED_PLACEHOLDER))
    fields = [("author", facts["bibtex_authors"]),
              ("title", "{" + bibtex_text(facts["title"]) + "}"),
              ("publisher", "{" + bibtex_text(facts["publisher"]) + "}"),
              ("year", bibtex_text(facts["year"])),
              ("version", bibtex_text(facts["version"])),
              ("note", bibtex_text(f"Version {facts['version']}" + ("" if url else f". {NOT_PUBLISHED}")))]
    if url:
        fields += [("url", bibtex_url(url)), ("urldate", URLDATE_PLACEHOLDER)]
    return {"plain": plain, "bibtex": _bibtex_entry("book", "summitbook", fields),
            "version": facts["version"], "released": facts["released"],
            "license": facts["license"], "url": url}
