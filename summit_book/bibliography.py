"""``references.bib`` is generated from ``data/sources.csv``: one entry per source, keyed by
its source_id, so that the data and the bibliography cannot drift apart.

``python -m summit_book.bibliography`` rewrites the file; the validation step and the tests
fail when it is out of date.
"""

from __future__ import annotations

import sys

from .escape import bibtex_key, bibtex_text, bibtex_url
from .paths import BIB_PATH, PROJECT_ROOT
from .tables import DataValidationError, _parsed

ENTRY_TYPE = {"official": "misc", "press": "misc", "analysis": "misc", "dataset": "misc"}
KIND_NOTE = {"official": "Official release", "press": "Press report",
             "analysis": "Analysis / opinion", "dataset": "Dataset"}
LANGUAGE_NAME = {"en": "English", "ru": "Russian", "uz": "Uzbek", "kk": "Kazakh", "ky": "Kyrgyz",
                 "tg": "Tajik", "tk": "Turkmen", "az": "Azerbaijani", "fr": "French",
                 "es": "Spanish", "de": "German"}


class _Row:
    def __init__(self, **fields):
        self.__dict__.update(fields)


def render_bibliography() -> str:
    """The text of references.bib for the current sources table."""
    rows, problems = _parsed("sources")  # validated rows, without building a data frame
    if problems:
        raise DataValidationError(problems)
    sources = [_Row(**row) for row in sorted(rows, key=lambda row: row["source_id"])]
    entries = ["% Generated from data/sources.csv by `python -m summit_book.bibliography`."
               " Do not edit by hand.\n"]
    for row in sources:
        # Every value through summit_book.escape: braces always balance, LaTeX's specials are
        # text, and a URL's braces or spaces are percent-encoded; the key is a plain id.
        fields = [
            ("author", "{" + bibtex_text(row.publisher) + "}"),
            ("title", "{" + bibtex_text(row.title) + "}"),
            ("howpublished", bibtex_text(row.publisher)),
        ]
        if row.date_published is not None:
            fields += [("year", str(row.date_published.year)),
                       ("date", row.date_published.isoformat())]
        else:
            fields += [("year", "n.d.")]
        fields += [("url", bibtex_url(row.url))]
        if row.accessed is not None:
            fields += [("urldate", row.accessed.isoformat())]
        read = (f"Accessed {row.accessed.isoformat()}" if row.accessed is not None
                else "Date of reading not recorded")
        fields += [
            ("language", bibtex_text(LANGUAGE_NAME[row.language])),
            ("note", bibtex_text(f"{KIND_NOTE[row.kind]}. {read}")),
        ]
        body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
        entries.append(f"@{ENTRY_TYPE[row.kind]}{{{bibtex_key(row.source_id)},\n{body}\n}}\n")
    return "\n".join(entries)


def main() -> int:
    BIB_PATH.write_text(render_bibliography(), encoding="utf-8")
    print(f"wrote {BIB_PATH.relative_to(PROJECT_ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
