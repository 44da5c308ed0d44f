"""Helpers for the data book on the Consultative Meetings of the Heads of State of Central Asia.

One place for what every chapter needs: loading and validating the tables in ``data/``
(:mod:`.tables`), the figure style (:mod:`.style`, :mod:`.plots`), gluing values into prose
(:mod:`.publish`) and citations (:mod:`.cite`).

Names are imported on first use, so that the build's own steps (validation, the freshness
check, the Sphinx extension) do not pay for pandas and matplotlib.
"""

from importlib import import_module

_EXPORTS = {
    "citation_markdown": "cite", "cite_sources": "cite", "data_version": "cite",
    "format_value": "publish", "glue_figure": "publish", "glue_markdown": "publish",
    "glue_value": "publish", "list_in_words": "publish", "markdown_table": "publish",
    "COUNTRY_STYLE": "style", "PALETTE": "style", "add_source_line": "style",
    "use_book_style": "style",
    "DataValidationError": "tables", "load_table": "tables", "table_names": "tables",
    "validate_all": "tables",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name):
    if name in _EXPORTS:
        value = getattr(import_module(f".{_EXPORTS[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'summit_book' has no attribute '{name}'")


def __dir__():
    return __all__
