"""Put numbers, text and figures into the book's prose through myst-nb ``glue``.

Values are formatted here, once, so a chapter's prose shows exactly what the data says and
``nbval`` can compare it: plain Python strings are glued, never NumPy or pandas scalars.
"""

from __future__ import annotations

import numbers

import matplotlib.pyplot as plt


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
    """Glue a MyST Markdown fragment (it may hold roles such as citations): {glue:md}`name`."""
    from IPython.display import Markdown
    from myst_nb import glue

    glue(name, Markdown(markdown), display=False)


def glue_figure(name: str, fig: plt.Figure) -> None:
    """Glue a figure for a ``{glue:figure}`` directive (which carries caption, name and alt
    text) and close it, so that it is not shown a second time where the code is."""
    from myst_nb import glue

    glue(name, fig, display=False)
    plt.close(fig)


def list_in_words(items: list[str]) -> str:
    """'a', 'a and b', 'a, b and c': a list for prose."""
    items = [str(item) for item in items]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def markdown_table(frame, caption: str | None = None, name: str | None = None,
                   sources_column: str | None = "source_ids") -> str:
    """A pandas DataFrame as a MyST pipe table; a list column of source_ids becomes citations.

    With ``caption`` and ``name`` the table is wrapped in a ``{table}`` directive, so it is
    numbered and can be cited with {numref}`name`. Glue it with :func:`glue_markdown` and
    paste it with a ``{glue:md}`` directive (``:format: myst``).
    """
    from .cite import cite_sources

    frame = frame.copy()
    if sources_column and sources_column in frame:
        frame[sources_column] = frame[sources_column].map(cite_sources)
        frame = frame.rename(columns={sources_column: "sources"})

    def cell(value) -> str:
        if value is None or (isinstance(value, float) and value != value):
            return ""
        if isinstance(value, (list, tuple)):
            value = ", ".join(map(str, value))
        return str(value).replace("|", "\\|").replace("\n", " ")

    header = "| " + " | ".join(str(c) for c in frame.columns) + " |"
    rule = "|" + "|".join("---" for _ in frame.columns) + "|"
    body = ["| " + " | ".join(cell(v) for v in row) + " |" for row in frame.itertuples(index=False)]
    table = "\n".join([header, rule, *body])
    if caption is None:
        return table
    options = f":name: {name}\n" if name else ""
    return f"````{{table}} {caption}\n{options}\n{table}\n````"
