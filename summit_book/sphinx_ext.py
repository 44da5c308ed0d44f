"""A small Sphinx extension for the book: short citation labels made from the source_id.

The publishers of most sources are institutions with long names ("Akorda (Official site of
the President of Kazakhstan)"), which make the usual author-year labels unreadable in tables.
The label is instead the publisher part of the source_id and the year: ``[akorda 18]``,
``[24kg 25a]``. Enabled in ``_config.yml`` (``extra_extensions`` and
``bibtex_default_style: summitbook``).
"""

from __future__ import annotations

import re
import string
from collections import Counter

from pybtex.plugin import register_plugin
from pybtex.style.formatting.plain import Style as PlainStyle
from pybtex.style.labels import BaseLabelStyle

YEAR = re.compile(r"(19|20)\d\d")


def source_label(source_id: str) -> str:
    """'akorda-2018-03-15-working-meeting' -> 'akorda 18'; without a year, the publisher part."""
    parts = source_id.split("-")
    year = next((part for part in parts[1:] if YEAR.fullmatch(part)), None)
    return f"{parts[0]} {year[2:]}" if year else parts[0]


class SourceLabelStyle(BaseLabelStyle):
    """Labels from source ids, made unique with a, b, c ... where several share one."""

    def format_labels(self, sorted_entries):
        labels = [source_label(entry.key) for entry in sorted_entries]
        totals, used = Counter(labels), Counter()
        for label in labels:
            if totals[label] == 1:
                yield label
            else:
                used[label] += 1
                yield label + _suffix(used[label])


def _suffix(number: int) -> str:
    letters = string.ascii_lowercase
    return letters[number - 1] if number <= len(letters) else str(number)


class SummitBookStyle(PlainStyle):
    """pybtex's plain style with the book's source labels."""

    default_label_style = "summitbook-source"


register_plugin("pybtex.style.labels", "summitbook-source", SourceLabelStyle)
register_plugin("pybtex.style.formatting", "summitbook", SummitBookStyle)


def setup(app):
    return {"parallel_read_safe": True, "parallel_write_safe": True}
