"""Citations: of the book's sources in the prose, and of the book and its chapters by readers."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import yaml

from .tables import DATAPACKAGE_PATH, PROJECT_ROOT, TABLES_LOADED, file_digest, table_path

CITATION_PATH = PROJECT_ROOT / "CITATION.cff"


def cite_sources(source_ids) -> str:
    """A MyST citation of one or more source_ids: {source}`a,b` (sorted, unique), rendered by
    :mod:`summit_book.sphinx_ext` as linked labels such as [akorda 18, 24kg 25a]."""
    if isinstance(source_ids, str):
        source_ids = [source_ids]
    keys = sorted({key for key in source_ids if key})
    if not keys:
        raise ValueError("cite_sources needs at least one source_id")
    return "{source}`" + ",".join(keys) + "`"


def data_version(tables: list[str]) -> str:
    """A short fingerprint of the tables a chapter read (and of their schema): if any byte of
    them changes, so does the version. Twelve hex digits of SHA-256."""
    digest = hashlib.sha256()
    for name in sorted(tables):
        digest.update(f"{name}:{file_digest(table_path(name))}\n".encode())
    digest.update(f"schema:{file_digest(DATAPACKAGE_PATH)}\n".encode())
    return digest.hexdigest()[:12]


def read_citation_file(path: Path = CITATION_PATH) -> dict:
    """``CITATION.cff`` as a dict."""
    with path.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def _authors_plain(authors: list[dict]) -> str:
    names = []
    for author in authors:
        if "family-names" in author:
            names.append(f"{author['family-names']}, {author.get('given-names', '')}".strip(", "))
        else:
            names.append(author["name"])
    return "; ".join(names)


def chapter_citation(chapter_title: str, chapter_page: str, tables: list[str]) -> dict:
    """Plain-text and BibTeX citations of one chapter, from ``CITATION.cff`` and the data
    version of the tables the chapter read. ``chapter_page`` is its path in the book without
    suffix, e.g. ``chapters/01_format``."""
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
        f"@incollection{{{key},",
        f"  author    = {{{' and '.join(_bibtex_name(a) for a in book['authors'])}}},",
        f"  title     = {{{chapter_title}}},",
        f"  booktitle = {{{book['title']}}},",
        f"  year      = {{{released[:4]}}},",
        f"  edition   = {{version {version}, data version {data}}},",
        f"  url       = {{{url}}},",
        "}",
    ])
    return {"plain": plain, "bibtex": bibtex, "data_version": data, "book_version": version}


def _bibtex_name(author: dict) -> str:
    if "family-names" in author:
        return f"{author['family-names']}, {author.get('given-names', '')}".strip(", ")
    return "{" + author["name"] + "}"


def citation_markdown(chapter_title: str, chapter_page: str, tables: list[str] | None = None
                      ) -> str:
    """The "How to cite this chapter" block as MyST Markdown (glue it with glue_markdown).

    ``tables`` defaults to every table loaded so far in this process: what the chapter read.
    """
    tables = list(TABLES_LOADED) if tables is None else tables
    if not tables:
        raise ValueError("no table was loaded: name the tables the chapter used")
    citation = chapter_citation(chapter_title, chapter_page, tables)
    table_list = ", ".join(f"`{name}`" for name in sorted(tables))
    return "\n".join([
        f"{citation['plain']}",
        "",
        "```bibtex",
        citation["bibtex"],
        "```",
        "",
        f"Tables used: {table_list}; data version `{citation['data_version']}` "
        f"(a fingerprint of their bytes: it changes whenever they change).",
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
         f"  title   = {{{book['title']}}},",
         f"  year    = {{{released[:4]}}},",
         f"  edition = {{version {book['version']}}},"]
        + ([f"  url     = {{{book['url']}}},"] if book.get("url") else [])
        + ["}"]
    )
    return {"plain": plain, "bibtex": bibtex, "version": str(book["version"]),
            "released": released, "license": book.get("license", "")}
