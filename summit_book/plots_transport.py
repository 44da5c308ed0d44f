"""Figure builders for the chapter on transport corridors: a schematic map of routes drawn from
the book's own coordinates, and a dot plot of the values that different sources give.

Both return a matplotlib Figure in the book's style (title, labelled axes, source line) and
tell categories apart by marker and line style as well as colour, so they read in greyscale.
No map data is downloaded or needed: the map draws only the places in the table it is given.
"""

from __future__ import annotations

import math

import matplotlib.pyplot as plt
import pandas as pd

from .plots import MARKERS
from .style import PALETTE, add_source_line

#: Line styles for routes, in the order the routes are drawn (solid first).
LINESTYLES = ["-", "--", "-.", ":", (0, (5, 1, 1, 1, 1, 1)), (0, (1, 1))]

#: Route colours: the book's palette with its palest colour (yellow, faint as a thin line on
#: white) moved to the end.
ROUTE_COLOURS = [PALETTE[i] for i in (0, 1, 2, 4, 5, 3)]


def plot_corridor_map(points: pd.DataFrame, title: str, source: str,
                      route_labels: dict[str, str] | None = None,
                      label_offsets: dict[str, tuple[float, float]] | None = None
                      ) -> plt.Figure:
    """A schematic map: each route a line through its places, in ``sequence`` order.

    ``points`` has columns ``project_id``, ``sequence``, ``place``, ``latitude`` and
    ``longitude`` (decimal degrees). Routes keep the order in which they first appear. The
    x axis is stretched by 1/cos(mean latitude) so that distances look right at that latitude.
    A place shared by several routes is labelled once; ``label_offsets`` moves a label
    (in points) where two would collide.
    """
    missing = {"project_id", "sequence", "place", "latitude", "longitude"} - set(points.columns)
    if missing:
        raise ValueError(f"plot_corridor_map: columns missing from points: {sorted(missing)}")
    if points.empty:
        raise ValueError("plot_corridor_map: no points to draw")
    fig, ax = plt.subplots(figsize=(7.2, 4.4))
    routes = list(dict.fromkeys(points["project_id"]))
    for index, route in enumerate(routes):
        stops = points[points["project_id"] == route].sort_values("sequence")
        ax.plot(stops["longitude"], stops["latitude"], color=ROUTE_COLOURS[index % len(ROUTE_COLOURS)],
                linestyle=LINESTYLES[index % len(LINESTYLES)], linewidth=2.2,
                marker=MARKERS[index % len(MARKERS)], markersize=7, markeredgecolor="black",
                label=(route_labels or {}).get(route, route), zorder=3)
    labelled = points.drop_duplicates("place")
    for row in labelled.itertuples():
        dx, dy = (label_offsets or {}).get(row.place, (4, 4))
        ax.annotate(row.place, (row.longitude, row.latitude), xytext=(dx, dy),
                    textcoords="offset points", fontsize=8, zorder=4)
    mean_latitude = float(points["latitude"].mean())
    ax.set_aspect(1 / math.cos(math.radians(mean_latitude)))
    ax.margins(x=0.08, y=0.1)
    ax.grid(True, axis="both", color="#e4e4e4")
    ax.set_xlabel("Longitude (degrees east)")
    ax.set_ylabel("Latitude (degrees north)")
    ax.set_title(title)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=2)
    add_source_line(fig, source)
    return fig


def plot_source_ranges(values: pd.DataFrame, item: str, value: str, source: str,
                       title: str, xlabel: str, item_labels: dict[str, str] | None = None,
                       group: str | None = None) -> plt.Figure:
    """One row per item (e.g. a railway): a line from the lowest to the highest value that
    sources give, and one marker per source-value, so that the spread is visible.

    ``values`` has an item column and a numeric value column; ``group`` (optional) picks the
    marker, e.g. the kind of source. Items keep the order in which they first appear, top down.
    """
    if values.empty:
        raise ValueError("plot_source_ranges: no values to draw")
    items = list(dict.fromkeys(values[item]))
    groups = list(dict.fromkeys(values[group])) if group else [None]
    fig, ax = plt.subplots(figsize=(7.2, 0.55 * len(items) + 1.9))
    for y, name in enumerate(items):
        row_values = values.loc[values[item] == name, value].astype(float)
        ax.plot([row_values.min(), row_values.max()], [y, y], color="#888888", linewidth=3,
                solid_capstyle="round", zorder=1)
    for index, name in enumerate(groups):
        subset = values if group is None else values[values[group] == name]
        ax.plot(subset[value].astype(float), [items.index(i) for i in subset[item]],
                linestyle="none", marker=MARKERS[index % len(MARKERS)], markersize=8,
                color=PALETTE[index % len(PALETTE)], markeredgecolor="black", zorder=3,
                label=name if group else None)
    ax.set_yticks(range(len(items)), [(item_labels or {}).get(i, i) for i in items])
    ax.set_ylim(len(items) - 0.5, -0.5)
    ax.set_xlabel(xlabel)
    ax.set_title(title)
    if group:
        # below the x-axis label, whatever the number of rows
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.55 / (0.55 * len(items) + 0.7)),
                  ncol=min(len(groups), 4))
    add_source_line(fig, source)
    return fig

