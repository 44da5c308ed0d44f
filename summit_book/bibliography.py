"""``references.bib`` is generated from ``data/sources.csv`` with pybtex: one biblatex entry
per source (``@online``, ``@article``, ``@dataset``), keyed by its source_id, so that the data
and the bibliography cannot drift apart.

``python -m summit_book.bibliography`` rewrites the file; the validation step and the tests
fail when it is out of date.
"""

from __future__ import annotations

import sys

from .escape import bibtex_key, bibtex_text, bibtex_url
from .paths import BIB_PATH, PROJECT_ROOT
from .tables import DataValidationError, _parsed

#: The biblatex entry type of each kind of source, and the field naming its publisher.
ENTRY_TYPE = {"official": "online", "press": "article", "analysis": "online",
              "dataset": "dataset"}
PUBLISHER_FIELD = {"online": "organization", "article": "journaltitle", "dataset": "publisher"}
KIND_NOTE = {"official": "Official release", "press": "Press report",
             "analysis": "Analysis / opinion", "dataset": "Dataset"}
LANGUAGE_NAME = {"en": "English", "ru": "Russian", "uz": "Uzbek", "kk": "Kazakh", "ky": "Kyrgyz",
                 "tg": "Tajik", "tk": "Turkmen", "az": "Azerbaijani", "fr": "French",
                 "es": "Spanish", "de": "German"}
HEADER = ("% Generated from data/sources.csv by `python -m summit_book.bibliography`."
          " Do not edit by hand.\n\n")


def publisher_of(entry) -> str:
    """The publisher field of a parsed entry (its name depends on the entry type)."""
    return entry.fields[PUBLISHER_FIELD[entry.type.lower()]]


def source_entry(row: dict):
    """One source as a pybtex entry. Every value goes through summit_book.escape (braces
    always balance, LaTeX's specials are text, a URL's braces or spaces are percent-encoded);
    the publisher, a body, is one braced name that no reference tool splits into given and
    family names; the title is braced so that styles keep its case. A source without a
    publication date has no year (its ``urldate`` says when it was read)."""
    from pybtex.database import Entry, Person

    kind = ENTRY_TYPE[row["kind"]]
    fields = [("title", "{" + bibtex_text(row["title"]) + "}"),
              (PUBLISHER_FIELD[kind], bibtex_text(row["publisher"]))]
    if row["date_published"] is not None:
        fields.append(("date", row["date_published"].isoformat()))
    fields.append(("url", bibtex_url(row["url"])))
    if row["accessed"] is not None:
        fields.append(("urldate", row["accessed"].isoformat()))
    read = (f"Accessed {row['accessed'].isoformat()}" if row["accessed"] is not None
            else "Date of reading not recorded")
    fields += [("language", bibtex_text(LANGUAGE_NAME[row["language"]])),
               ("note", bibtex_text(f"{KIND_NOTE[row['kind']]}. {read}"))]
    return Entry(kind, fields=fields,
                 persons={"author": [Person("{" + bibtex_text(row["publisher"]) + "}")]})


def _writer():
    """pybtex's BibTeX writer (entry layout, quoting, a check that braces balance), without its
    own LaTeX encoding: the values are already escaped by summit_book.escape, the one escaping
    module, and would otherwise be escaped twice (``\\_`` in a URL)."""
    from pybtex.database.output.bibtex import Writer

    class EscapedWriter(Writer):
        def _encode(self, text):
            return text

    return EscapedWriter()


def render_bibliography() -> str:
    """The text of references.bib for the current sources table, written by pybtex."""
    import io

    from pybtex.database import BibliographyData

    rows, problems = _parsed("sources")  # validated rows, without building a data frame
    if problems:
        raise DataValidationError(problems)
    entries = {bibtex_key(row["source_id"]): source_entry(row)
               for row in sorted(rows, key=lambda row: row["source_id"])}
    stream = io.StringIO()
    _writer().write_stream(BibliographyData(entries=entries), stream)
    return HEADER + stream.getvalue()


def main() -> int:
    BIB_PATH.write_text(render_bibliography(), encoding="utf-8")
    print(f"wrote {BIB_PATH.relative_to(PROJECT_ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
