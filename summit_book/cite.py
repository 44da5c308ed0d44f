"""Citations: of the book's sources in the prose, and of the book and its chapters by readers."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import yaml

from .escape import (Markup, bibtex_key, bibtex_text, bibtex_url, markdown_code, markdown_fence,
                     markdown_text)
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
    """``CITATION.cff`` as a dict."""
    with (path or CITATION_PATH).open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def _authors_plain(authors: list[dict]) -> str:
    names = []
    for author in authors:
        if "family-names" in author:
            names.append(f"{author['family-names']}, {author.get('given-names', '')}".strip(", "))
        else:
            names.append(author["name"])
    return "; ".join(names)


def chapter_number(page: str) -> int | None:
    """The chapter's number as the book prints it: its position among the chapters of the
    numbered parts of ``_toc.yml`` (None for a page in an unnumbered part)."""
    with TOC_PATH.open(encoding="utf-8") as handle:
        toc = yaml.safe_load(handle)
    number = 0
    for part in toc.get("parts", []):
        for chapter in part.get("chapters", []):
            if part.get("numbered"):
                number += 1
                if chapter["file"] == page:
                    return number
    return None


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


def chapter_citation(chapter_page: str, tables: list[str], title: str | None = None) -> dict:
    """Plain-text and BibTeX citations of one chapter, from ``CITATION.cff``, the table of
    contents (number), the chapter itself (title) and the data version of the tables it read.
    ``chapter_page`` is its path in the book without suffix, e.g. ``chapters/01_format``;
    ``title`` is read from the page unless given (a page being generated)."""
    number = chapter_number(chapter_page)
    title = title or page_title(chapter_page)
    chapter_title = f"{number}. {title}" if number else title
    book = read_citation_file()
    version = str(book["version"])
    released = str(book["date-released"])
    base = book.get("url", "").rstrip("/")
    url = f"{base}/{chapter_page}.html" if base else f"{chapter_page}.html"
    authors = _authors_plain(book["authors"])
    data = data_version(tables)
    plain = (
        f"{authors} ({released[:4]}). \"{chapter_title}\". In: {book['title']}, "
        f"version {version} (data version {data}). {url}"
    )
    key = "summitbook-" + re.sub(r"[^a-z0-9]+", "-", Path(chapter_page).name.lower()).strip("-")
    bibtex = "\n".join([
        f"@incollection{{{bibtex_key(key)},",
        f"  author    = {{{' and '.join(_bibtex_name(a) for a in book['authors'])}}},",
        f"  title     = {{{bibtex_text(chapter_title)}}},",
        f"  booktitle = {{{bibtex_text(book['title'])}}},",
        f"  year      = {{{bibtex_text(released[:4])}}},",
        f"  edition   = {{{bibtex_text(f'version {version}, data version {data}')}}},",
        f"  url       = {{{bibtex_url(url)}}},",
        "}",
    ])
    return {"plain": plain, "bibtex": bibtex, "data_version": data, "book_version": version,
            "title": chapter_title}


def _bibtex_name(author: dict) -> str:
    if "family-names" in author:
        return bibtex_text(f"{author['family-names']}, {author.get('given-names', '')}".strip(", "))
    return "{" + bibtex_text(author["name"]) + "}"


def data_cutoff() -> str:
    """The data cut-off date of the book (``dataCutoff`` in data/datapackage.json)."""
    from .tables import read_datapackage

    return read_datapackage()["dataCutoff"]


def citation_markdown(chapter_page: str, tables: list[str] | None = None,
                      title: str | None = None) -> str:
    """The "How to cite this chapter" block as MyST Markdown (glue it with glue_markdown).

    ``tables`` defaults to every table loaded so far in this process: what the chapter read.
    """
    tables = list(TABLES_LOADED) if tables is None else tables
    if not tables:
        raise ValueError("no table was loaded: name the tables the chapter used")
    citation = chapter_citation(chapter_page, tables, title)
    table_list = ", ".join(markdown_code(name) for name in sorted(tables))
    return "\n".join([
        markdown_text(citation["plain"]),
        "",
        markdown_fence(citation["bibtex"], "bibtex"),
        "",
        f"Tables used: {table_list}; data version {markdown_code(citation['data_version'])} "
        f"(a fingerprint of their bytes: it changes whenever they change); data cut-off "
        f"{markdown_text(data_cutoff())}.",
    ])


def book_citation() -> dict:
    """Plain-text and BibTeX citations of the whole book, from ``CITATION.cff``."""
    book = read_citation_file()
    released = str(book["date-released"])
    authors = _authors_plain(book["authors"])
    location = f" {book['url']}" if book.get("url") else ""
    plain = f"{authors} ({released[:4]}). {book['title']}, version {book['version']}.{location}"
    bibtex = "\n".join(
        ["@book{summitbook,",
         f"  author  = {{{' and '.join(_bibtex_name(a) for a in book['authors'])}}},",
         f"  title   = {{{bibtex_text(book['title'])}}},",
         f"  year    = {{{bibtex_text(released[:4])}}},",
         f"  edition = {{{bibtex_text('version ' + str(book['version']))}}},"]
        + ([f"  url     = {{{bibtex_url(book['url'])}}},"] if book.get("url") else [])
        + ["}"]
    )
    return {"plain": plain, "bibtex": bibtex, "version": str(book["version"]),
            "released": released, "license": book.get("license", "")}
