"""Helpers for the data book on the Consultative Meetings of the Heads of State of Central Asia.

One place for what every chapter needs: loading and validating the tables in ``data/``
(:mod:`.tables`), the figure style (:mod:`.style`), gluing values into prose (:mod:`.publish`)
and citations (:mod:`.cite`).
"""

from .cite import citation_markdown, cite_sources, data_version
from .publish import format_value, glue_figure, glue_markdown, glue_value, list_in_words
from .style import COUNTRY_STYLE, PALETTE, add_source_line, use_book_style
from .tables import DataValidationError, load_table, table_names, validate_all

__all__ = [
    "COUNTRY_STYLE",
    "PALETTE",
    "DataValidationError",
    "add_source_line",
    "citation_markdown",
    "cite_sources",
    "data_version",
    "format_value",
    "glue_figure",
    "glue_markdown",
    "glue_value",
    "list_in_words",
    "load_table",
    "table_names",
    "use_book_style",
    "validate_all",
]
