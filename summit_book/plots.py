"""Figure builders shared by the chapters: a dated timeline, a category matrix, stacked counts.

Each returns a matplotlib Figure in the book's style, with title, labelled axes and a source
line; the chapter glues it with :func:`summit_book.glue_figure` and gives caption and alt text.
Shapes and hatches carry the categories as well as colours, so figures read in greyscale.
"""

from __future__ import annotations

import datetime as dt

import matplotlib.pyplot as plt
import pandas as pd

from .style import PALETTE, add_source_line

# Line hatches only: dotted and circle hatches become hundreds of curves in SVG (heavy pages).
HATCHES = ["", "///", "xx", "\\\\\\", "--", "++", "||", "//\\\\"]
MARKERS = ["o", "s", "^", "D", "v", "P", "X", "*"]


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
        ax.text(total + 0.15, y, f"{int(total)}", va="center", fontsize=8.5)
    ax.invert_yaxis()
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.22), ncol=3)
    add_source_line(fig, source)
    return fig
