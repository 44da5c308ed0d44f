"""Figures for the trade chapter: stated values as points (one marker shape per group, open
markers for targets), with optional dashed reference levels.

Statements and statistics are scattered in time and often repeat a year, so they are drawn as
points, never joined into lines that would suggest a continuous series.
"""

from __future__ import annotations

import pandas as pd
import matplotlib.pyplot as plt

from .plots import MARKERS
from .style import COUNTRY_STYLE, PALETTE, add_source_line


def plot_stated_points(points: pd.DataFrame, x: str, y: str, group: str, title: str,
                       xlabel: str, ylabel: str, source: str, hollow: str | None = None,
                       group_labels: dict | None = None, group_order: list | None = None,
                       hollow_label: str = "target", levels: dict[str, float] | None = None,
                       ) -> plt.Figure:
    """Points, one marker shape and colour per ``group``; rows where the boolean column
    ``hollow`` is true are drawn open (e.g. targets as against measured values).

    Points that share an x value are spread a little sideways (in order of value) so that
    none hides another.
    ``levels`` maps a label to a y value drawn as a dashed horizontal line (a target level).
    """
    fig, ax = plt.subplots()
    order = group_order or list(dict.fromkeys(points[group]))
    frame = points.reset_index(drop=True).copy()
    frame["_x"] = frame[x].astype(float)
    frame = frame.sort_values([x, y]).reset_index(drop=True)
    frame["_slot"] = frame.groupby(x).cumcount()
    frame["_size"] = frame.groupby(x)[y].transform("size")
    frame["_x"] += 0.1 * (frame["_slot"] - (frame["_size"] - 1) / 2)
    for position, name in enumerate(order):
        rows = frame[frame[group] == name]
        if rows.empty:
            continue
        style = COUNTRY_STYLE.get(name, {"color": PALETTE[position % len(PALETTE)],
                                         "marker": MARKERS[position % len(MARKERS)]})
        label = (group_labels or {}).get(name, name)
        is_open = rows[hollow].astype(bool) if hollow else pd.Series(False, index=rows.index)
        for open_marker, part in ((False, rows[~is_open]), (True, rows[is_open])):
            if part.empty:
                continue
            ax.plot(part["_x"], part[y].astype(float), linestyle="none", marker=style["marker"],
                    markersize=8, markeredgewidth=1.4, markeredgecolor="black" if not open_marker
                    else style["color"], color="white" if open_marker else style["color"],
                    label=label if not open_marker or is_open.all() else None)
    if hollow and frame[hollow].astype(bool).any():
        ax.plot([], [], linestyle="none", marker="o", markersize=8, color="white",
                markeredgecolor="#333333", markeredgewidth=1.4,
                label=f"open marker: {hollow_label}")
    for position, (label, level) in enumerate((levels or {}).items()):
        ax.axhline(level, color="#555555", linestyle=["--", ":", "-."][position % 3],
                   linewidth=1)
        ax.annotate(label, (1.0, level), xycoords=("axes fraction", "data"), ha="right",
                    va="bottom", fontsize=8.5, color="#333333")
    top = max([float(frame[y].max())] + list((levels or {}).values()))
    ax.set_ylim(0, top * 1.12)
    ax.grid(True, axis="y")
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=3)
    add_source_line(fig, source)
    return fig
