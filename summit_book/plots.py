"""Figure builders shared by the chapters: a dated timeline, a category matrix, stacked counts,
lines over time (in one panel, or as small multiples) and ranked bars.

Each returns a matplotlib Figure in the book's style, with title, labelled axes and a source
line; the chapter glues it with :func:`summit_book.glue_figure` and gives caption and alt text.
Shapes and hatches carry the categories as well as colours, so figures read in greyscale.
"""

from __future__ import annotations

import datetime as dt

import matplotlib.pyplot as plt
import matplotlib.ticker as mpl_ticker
import pandas as pd

from .style import COUNTRY_STYLE, PALETTE, add_source_line

# Line hatches only: dotted and circle hatches become hundreds of curves in SVG (heavy pages).
HATCHES = ["", "///", "xx", "\\\\\\", "--", "++", "||", "//\\\\"]
MARKERS = ["o", "s", "^", "D", "v", "P", "X", "*"]


def _thousands(value: float, _position) -> str:
    """Axis numbers as prose writes them: thousands separated (41,000), no trailing .0."""
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.10g}"


#: Tick formatter for value axes.
THOUSANDS = mpl_ticker.FuncFormatter(_thousands)


def plot_timeline(events: pd.DataFrame, date: str, label: str, group: str, title: str,
                  source: str, group_labels: dict[str, str] | None = None) -> plt.Figure:
    """Events on a time axis, one marker each, labelled; ``group`` picks marker and colour.

    ``events`` has a date column (``datetime.date``), a label column and a group column.
    """
    events = events.sort_values(date).reset_index(drop=True)
    groups = list(dict.fromkeys(events[group]))
    fig, ax = plt.subplots(figsize=(7.2, 2.9))
    ax.axhline(0, color="#555555", linewidth=1, zorder=1)
    for index, row in events.iterrows():
        style = groups.index(row[group])
        x = pd.Timestamp(row[date])
        ax.plot(x, 0, marker=MARKERS[style % len(MARKERS)], markersize=10, linestyle="none",
                color=PALETTE[style % len(PALETTE)], markeredgecolor="black", zorder=3)
        above = index % 2 == 0
        ax.annotate(row[label], (x, 0), xytext=(0, 14 if above else -14),
                    textcoords="offset points", ha="center", va="bottom" if above else "top",
                    fontsize=8.5)
    for style, name in enumerate(groups):
        ax.plot([], [], marker=MARKERS[style % len(MARKERS)], linestyle="none",
                color=PALETTE[style % len(PALETTE)], markeredgecolor="black",
                label=(group_labels or {}).get(name, name))
    ax.set_ylim(-1, 1)
    ax.set_yticks([])
    ax.spines["left"].set_visible(False)
    first, last = events[date].min(), events[date].max()
    ax.set_xlim(pd.Timestamp(dt.date(first.year, 1, 1)), pd.Timestamp(dt.date(last.year + 1, 1, 1)))
    ax.set_xlabel("Date of the meeting (year)")
    ax.set_title(title)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.28), ncol=min(len(groups), 6))
    add_source_line(fig, source)
    return fig


def plot_category_matrix(cells: pd.DataFrame, row: str, column: str, category: str,
                         row_order: list, column_order: list, category_styles: dict[str, dict],
                         title: str, xlabel: str, ylabel: str, source: str,
                         row_labels: dict | None = None, column_labels: dict | None = None
                         ) -> plt.Figure:
    """A grid of rows by columns with one marker per cell naming its category (empty cells
    stay blank). ``category_styles`` maps category -> dict(label, marker, filled)."""
    fig, ax = plt.subplots(figsize=(7.2, 0.45 * len(row_order) + 1.6))
    for (_, item) in cells.iterrows():
        style = category_styles[item[category]]
        x = column_order.index(item[column])
        y = row_order.index(item[row])
        ax.plot(x, y, marker=style["marker"], markersize=11, linestyle="none",
                color=style["color"] if style.get("filled", True) else "white",
                markeredgecolor=style["color"] if not style.get("filled", True) else "black",
                markeredgewidth=1.6)
    for name, style in category_styles.items():
        if name in set(cells[category]):
            ax.plot([], [], marker=style["marker"], markersize=9, linestyle="none",
                    color=style["color"] if style.get("filled", True) else "white",
                    markeredgecolor=style["color"] if not style.get("filled", True) else "black",
                    markeredgewidth=1.6, label=style["label"])
    ax.set_xticks(range(len(column_order)),
                  [(column_labels or {}).get(c, c) for c in column_order], fontsize=8.5)
    ax.set_yticks(range(len(row_order)), [(row_labels or {}).get(r, r) for r in row_order])
    ax.set_xlim(-0.6, len(column_order) - 0.4)
    ax.set_ylim(len(row_order) - 0.5, -0.5)
    ax.grid(True, axis="both", color="#e4e4e4")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.32), ncol=4)
    add_source_line(fig, source)
    return fig


def plot_stacked_counts(counts: pd.DataFrame, title: str, xlabel: str, ylabel: str,
                        source: str, category_labels: dict | None = None) -> plt.Figure:
    """Horizontal stacked bars: one bar per row of ``counts`` (index = bar labels, top to
    bottom), one segment per column, each with its colour and hatch; totals at the bar ends."""
    fig, ax = plt.subplots(figsize=(7.2, 0.42 * len(counts) + 1.8))
    left = pd.Series(0, index=counts.index, dtype=float)
    labels = list(counts.index)
    for position, column in enumerate(counts.columns):
        values = counts[column].astype(float)
        ax.barh(labels, values, left=left, color=PALETTE[position % len(PALETTE)],
                hatch=HATCHES[position % len(HATCHES)], edgecolor="black", linewidth=0.6,
                label=(category_labels or {}).get(column, column))
        left += values
    for y, total in enumerate(left):
        ax.text(total + 0.15, y, f"{total:,.0f}", va="center", fontsize=8.5)
    ax.invert_yaxis()
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.22), ncol=3)
    add_source_line(fig, source)
    return fig


def plot_series(series: pd.DataFrame, x: str, y: str, group: str, title: str, xlabel: str,
                ylabel: str, source: str, group_labels: dict | None = None,
                group_order: list | None = None) -> plt.Figure:
    """Lines over time, one per group (a country keeps its colour, marker and line style from
    :data:`COUNTRY_STYLE`; other groups take grey line styles), so that lines read in greyscale.

    ``series`` is tidy: one row per group and x. Gaps in a group's years stay gaps (no line is
    drawn across a missing year), so a reader sees where a dataset has no value.
    """
    fig, ax = plt.subplots()
    order = group_order or list(dict.fromkeys(series[group]))
    others = iter([("#555555", "x", "-"), ("#999999", "+", "--"), ("#333333", "1", ":"),
                   ("#777777", "2", "-."), ("#222222", "3", (0, (3, 1, 1, 1)))])
    for name in order:
        rows = series[series[group] == name].sort_values(x)
        if rows.empty:
            continue
        style = COUNTRY_STYLE.get(name)
        if style is None:
            colour, marker, linestyle = next(others)
            style = {"color": colour, "marker": marker, "linestyle": linestyle}
        full = _every_year(rows, x, y)
        ax.plot(full.index, full.to_numpy(), color=style["color"], linestyle=style["linestyle"],
                marker=style["marker"], markersize=4, markevery=max(1, len(full) // 8),
                linewidth=1.6, label=(group_labels or {}).get(name, name))
    ax.grid(True, axis="y")
    ax.yaxis.set_major_formatter(THOUSANDS)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=min(len(order), 4))
    add_source_line(fig, source)
    return fig


def _every_year(rows: pd.DataFrame, x: str, y: str) -> pd.Series:
    """A group's values indexed by every year from its first to its last: a missing year is a
    NaN, so that the line shows a gap there instead of bridging it."""
    full = pd.Series(rows[y].astype(float).to_numpy(), index=rows[x].astype(int))
    return full.reindex(range(full.index.min(), full.index.max() + 1))


#: Small multiples: the panel's own series, and the other series behind it for comparison.
HIGHLIGHT = {"color": PALETTE[0], "linewidth": 2.2, "linestyle": "-", "zorder": 3}
CONTEXT = {"color": "#bbbbbb", "linewidth": 0.9, "linestyle": "-", "zorder": 2}


def plot_small_multiples(series: pd.DataFrame, x: str, y: str, group: str, title: str,
                         xlabel: str, ylabel: str, source: str, group_labels: dict | None = None,
                         group_order: list | None = None, ncols: int = 2) -> plt.Figure:
    """Lines over time as small multiples: one panel per group, named in the panel's title
    (no legend to decode), its line drawn dark and thick over the other groups' thin grey
    lines, on axes shared by every panel. Lines never overlap in one colour-coded tangle, and
    the figure reads the same in greyscale.

    ``series`` is tidy (one row per group and x); missing years stay gaps as in
    :func:`plot_series`.
    """
    order = [g for g in (group_order or list(dict.fromkeys(series[group])))
             if (series[group] == g).any()]
    nrows = -(-len(order) // ncols)
    # Under 2 inches a panel: two columns fit a 390 px phone with text at 9 px, unscrolled.
    fig, axes = plt.subplots(nrows, ncols, sharex=True, sharey=True, squeeze=False,
                             figsize=(min(7.2, 1.9 * ncols), 1.5 * nrows + 1.3))
    lines = {name: _every_year(series[series[group] == name].sort_values(x), x, y)
             for name in order}
    for ax, name in zip(axes.flat, order):
        for other, full in lines.items():
            if other != name:
                ax.plot(full.index, full.to_numpy(), **CONTEXT)
        own = lines[name]
        ax.plot(own.index, own.to_numpy(), label=(group_labels or {}).get(name, name),
                **HIGHLIGHT)
        last = own.dropna()
        ax.plot(last.index[-1], last.iloc[-1], marker="o", markersize=4, color=PALETTE[0],
                zorder=4)
        ax.set_title((group_labels or {}).get(name, name), fontsize=10, fontweight="normal")
        ax.grid(True, axis="y")
        ax.yaxis.set_major_formatter(THOUSANDS)
        ax.xaxis.get_major_locator().set_params(integer=True, nbins=4)
    for ax in list(axes.flat)[len(order):]:
        ax.set_visible(False)
    for ax in axes[-1]:
        # A panel above an empty slot shows the years too.
        ax.tick_params(labelbottom=True)
    for column, ax in enumerate(axes[-1]):
        if not ax.get_visible() and nrows > 1:
            axes[-2][column].tick_params(labelbottom=True)
    fig.suptitle(title, x=0.0, ha="left", fontsize=11, fontweight="bold", wrap=True)
    fig.supxlabel(xlabel, fontsize=10)
    fig.supylabel(ylabel, fontsize=10)
    add_source_line(fig, source)
    return fig


def plot_ranked_bars(values: pd.DataFrame, label: str, value: str, title: str, xlabel: str,
                     source: str, low: str | None = None, high: str | None = None,
                     value_format: str = "{:,.0f}", highlight: str | None = None) -> plt.Figure:
    """Horizontal bars ranked from largest to smallest, each labelled with its value.

    ``low``/``high`` name optional columns drawn as a range line over the bar (where sources
    give several values). ``highlight`` names a boolean column whose bars are drawn dark and
    hatched (e.g. the Central Asian participants among comparators).
    """
    values = values.sort_values(value, ascending=True).reset_index(drop=True)
    fig, ax = plt.subplots(figsize=(7.2, 0.38 * len(values) + 1.5))
    for position, row in values.iterrows():
        marked = bool(row[highlight]) if highlight else False
        ax.barh(position, float(row[value]), color=PALETTE[0] if marked else PALETTE[2],
                hatch="///" if marked else "", edgecolor="black", linewidth=0.6)
        end = float(row[value])
        if low and high and pd.notna(row[low]) and pd.notna(row[high]):
            ax.plot([float(row[low]), float(row[high])], [position, position], color="black",
                    linewidth=1.4, marker="|", markersize=9)
            end = max(end, float(row[high]))
        ax.text(end, position, " " + value_format.format(float(row[value])), va="center",
                fontsize=8.5)
    ax.set_yticks(range(len(values)), values[label])
    ax.set_xlim(0, ax.get_xlim()[1] * 1.12)
    ax.xaxis.set_major_formatter(THOUSANDS)
    ax.set_xlabel(xlabel)
    ax.set_title(title)
    add_source_line(fig, source)
    return fig
