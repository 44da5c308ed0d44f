"""Put numbers, text and figures into the book's prose through myst-nb ``glue``.

Values are formatted here, once, so a chapter's prose shows exactly what the data says and
``nbval`` can compare it: plain Python strings are glued, never NumPy or pandas scalars.
"""

from __future__ import annotations

import numbers
import re
from pathlib import Path
from typing import TYPE_CHECKING

from .paths import FIGURE_DATA_DIR
from .tables import use_python_strings

use_python_strings()  # before any frame a chapter makes: citations stay markup in tables

if TYPE_CHECKING:  # matplotlib is imported by the one helper that draws (glue_figure), so
    # that formatting a number (the meeting pages in the build) does not load it
    import matplotlib.pyplot as plt
    import pandas as pd


def format_value(value, decimals: int = 0) -> str:
    """Format a number for prose: thousands separators, a fixed number of decimals.

    Integers (Python, NumPy or pandas) print without decimals; floats with ``decimals``.
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Number):
        raise TypeError(f"format_value expects a number, got {value!r} ({type(value).__name__})")
    if isinstance(value, numbers.Integral):
        return f"{int(value):,}"
    return f"{float(value):,.{decimals}f}"


def glue_value(name: str, value, decimals: int = 0) -> None:
    """Glue a number (formatted with :func:`format_value`) or a string under ``name``.

    Use in prose as {glue:text}`name`. Returns nothing, so that a cell ending with it shows
    no output of its own.
    """
    from myst_nb import glue

    text = value if isinstance(value, str) else format_value(value, decimals)
    glue(name, text, display=False)


def glue_markdown(name: str, markdown: str) -> None:
    """Glue a MyST Markdown fragment (it may hold roles such as citations): {glue:md}`name`.

    The fragment is pasted as markup: build it with :func:`markdown_table`,
    :func:`summit_book.cite.citation_markdown` or the helpers of :mod:`summit_book.escape`,
    never by formatting data values into it by hand.
    """
    from IPython.display import Markdown
    from myst_nb import glue

    glue(name, Markdown(markdown), display=False)




def glue_figure(name: str, fig: plt.Figure, data, source: str) -> None:
    """Glue a figure for a ``{glue:figure}`` directive (which carries caption, name and alt
    text), close it, and save the data behind it for readers to download.

    ``name`` is the glue key; the figure's ``:name:`` must be the same with hyphens
    (``fig_format_timeline`` -> ``fig-format-timeline``): the book's Sphinx extension links
    ``<name>.csv`` and ``<name>.txt`` under that figure. ``data`` is the DataFrame plotted;
    ``source`` says where it comes from, as in the figure's source line.
    """
    import matplotlib.pyplot as plt
    from myst_nb import glue

    glue(name, fig, display=False)
    # A figure of several panels carries its title above them all (its panels name groups).
    title = fig.get_suptitle() or next((ax.get_title(loc) for ax in fig.axes
                                        for loc in ("left", "center") if ax.get_title(loc)), name)
    plt.close(fig)
    write_figure_data(name.replace("_", "-"), data, title, source)


def write_figure_data(figure_name: str, data, title: str, source: str) -> Path:
    """Write ``<figure_name>.csv`` (lists ';'-joined, dates ISO) and a short metadata note
    naming the original publishers and the licence. Returns the CSV path."""
    from .cite import data_version
    from .escape import csv_frame, plain_line
    from .tables import TABLES_LOADED, load_table

    FIGURE_DATA_DIR.mkdir(parents=True, exist_ok=True)
    frame = data.copy()
    publishers: list[str] = []
    if "source_ids" in frame:
        ids = sorted({s for row in frame["source_ids"] for s in row})
        sources = load_table("sources").set_index("source_id")
        publishers = sorted(set(sources.loc[ids, "publisher"]))
    for column in frame.columns:
        if frame[column].map(lambda v: isinstance(v, (list, tuple))).any():
            frame[column] = frame[column].map(lambda v: ";".join(map(str, v)))
    csv_path = FIGURE_DATA_DIR / f"{figure_name}.csv"
    # Text cells a spreadsheet would run as formulas are neutralised; numbers stay numbers.
    csv_frame(frame).to_csv(csv_path, index=False, lineterminator="\n")
    note = [
        f"Data behind the figure '{plain_line(title)}' ({plain_line(figure_name)}).",
        f"Columns: {plain_line(', '.join(map(str, frame.columns)))}; {len(frame)} rows.",
        f"Source: {plain_line(source)}",
        f"Book tables used: {', '.join(TABLES_LOADED)} (data version {data_version(list(TABLES_LOADED))}).",
    ]
    if publishers:
        note.append(f"Original publishers cited by these rows: {plain_line('; '.join(publishers))}.")
    note.append("Licence: CC BY 4.0 for the book's tables; the original sources keep their own terms.")
    (FIGURE_DATA_DIR / f"{figure_name}.txt").write_text("\n".join(note) + "\n", encoding="utf-8")
    return csv_path


def list_in_words(items: list[str]) -> str:
    """'a', 'a and b', 'a, b and c': a list for prose."""
    items = [str(item) for item in items]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def markdown_table(frame, caption: str | None = None, name: str | None = None,
                   sources_column: str | None = "source_ids", folded: bool = False,
                   page_rows: int | None = None) -> str:
    """A pandas DataFrame as a MyST pipe table; a list column of source_ids becomes citations.

    Every cell and header is text (:func:`summit_book.escape.markdown_cell`): what the data
    holds shows literally, markup included; only citations the package makes
    (:class:`summit_book.escape.Markup`) stay markup. With ``caption`` and ``name`` the table
    is wrapped in a ``{table}`` directive, so it is numbered and can be cited with
    {numref}`name`. Glue it with :func:`glue_markdown` and paste it with a ``{glue:md}``
    directive (``:format: myst``).

    ``folded`` (with a caption) shows the table on screen as its caption and a button that
    opens its rows, for a table the argument only points to; in print every row is there.
    ``page_rows`` (fewer than 10) shows a long table, which the book's script makes sortable
    and filterable, that many rows per page instead of 10: its top rows, the rest a click away.
    """
    from .cite import cite_sources
    from .escape import markdown_cell, markdown_text

    frame = frame.copy()
    if sources_column and sources_column in frame:
        frame[sources_column] = frame[sources_column].map(cite_sources)
        frame = frame.rename(columns={sources_column: "sources"})

    header = "| " + " | ".join(markdown_cell(c) for c in frame.columns) + " |"
    rule = "|" + "|".join("---" for _ in frame.columns) + "|"
    body = ["| " + " | ".join(markdown_cell(v) for v in row) + " |"
            for row in frame.itertuples(index=False)]
    table = "\n".join([header, rule, *body])
    if caption is None:
        return table
    if name is not None and not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", name):
        raise ValueError(f"markdown_table: not a table name: {name!r}")
    if page_rows is not None and not 0 < page_rows < 10:
        raise ValueError(f"markdown_table: page_rows must be 1 to 9, not {page_rows!r}")
    classes = (["table-folded"] if folded else []) + ([f"table-page-{page_rows}"] if page_rows else [])
    options = (f":name: {name}\n" if name else "") + (f":class: {' '.join(classes)}\n" if classes else "")
    return f"````{{table}} {markdown_text(caption)}\n{options}\n{table}\n````"


def format_number(value, decimals: int = 3) -> str:
    """A figure as a source gives it, for prose and tables: thousands separators, up to
    ``decimals`` decimals and no trailing zeros (532.53, 4.5, 11,000)."""
    text = format_value(float(value), decimals)
    return text.rstrip("0").rstrip(".") if "." in text else text


def format_amount(value, unit: str, decimals: int = 3) -> str:
    """A figure with the reader's label of its unit code: ``4.5 billion US$``."""
    from .units import unit_label

    return f"{format_number(value, decimals)} {unit_label(unit)}"


def format_range(values: pd.DataFrame, decimals: int = 3) -> str:
    """The lowest and highest of the ``value`` column, in the unit of the ``unit`` column
    (which must be the same on every row): ``573–774 km``."""
    from .units import unit_label

    units = set(values["unit"])
    if len(units) != 1:
        raise ValueError(f"format_range: values in several units {sorted(units)}; convert first")
    low, high = values["value"].min(), values["value"].max()
    return f"{format_number(low, decimals)}–{format_number(high, decimals)} {unit_label(units.pop())}"
