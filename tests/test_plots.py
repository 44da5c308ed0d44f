"""The figure builders keep the book's promises: a title, labelled axes, a source line under
the figure, and categories told apart by shape or hatch as well as colour."""

from __future__ import annotations

import datetime as dt

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from summit_book.plots import (HATCHES, MARKERS, plot_category_matrix,  # noqa: E402
                               plot_stacked_counts, plot_timeline)


def texts(fig) -> list[str]:
    return [t.get_text() for t in fig.texts]


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def test_timeline_has_title_axis_label_source_and_one_marker_style_per_group():
    events = pd.DataFrame({"date": [dt.date(2018, 3, 15), dt.date(2019, 11, 29), dt.date(2021, 8, 6)],
                           "label": ["a", "b", "c"], "group": ["KAZ", "UZB", "KAZ"]})
    fig = plot_timeline(events, "date", "label", "group", "Title", "the test table.")
    ax = fig.axes[0]
    assert "Title" in (ax.get_title(loc="left"), ax.get_title())
    assert ax.get_xlabel()
    assert "Source: the test table." in texts(fig)
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == ["KAZ", "UZB"]
    markers = {line.get_marker() for line in ax.get_legend().legend_handles}
    assert len(markers) == 2, "groups must differ by marker shape, not colour alone"


def test_category_matrix_places_each_cell_and_labels_only_used_categories():
    cells = pd.DataFrame({"row": ["A", "B"], "col": ["x", "y"], "cat": ["one", "two"]})
    styles = {"one": {"label": "One", "marker": "o", "color": "#000000"},
              "two": {"label": "Two", "marker": "s", "color": "#e69f00", "filled": False},
              "three": {"label": "Three", "marker": "^", "color": "#2b7bba"}}
    fig = plot_category_matrix(cells, "row", "col", "cat", ["A", "B"], ["x", "y"], styles,
                               "Title", "Columns", "Rows", "the test table.")
    ax = fig.axes[0]
    assert ax.get_xlabel() == "Columns" and ax.get_ylabel() == "Rows"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["One", "Two"]
    assert "Source: the test table." in texts(fig)


def test_stacked_counts_hatch_each_category_and_print_totals():
    counts = pd.DataFrame({"first": [1, 0], "second": [2, 3]}, index=["m1", "m2"])
    fig = plot_stacked_counts(counts, "Title", "Number", "Meeting", "the test table.")
    ax = fig.axes[0]
    hatches = {patch.get_hatch() for patch in ax.patches}
    assert len(hatches) == 2, "categories must differ by hatch, not colour alone"
    totals = [t.get_text() for t in ax.texts]
    assert totals == ["3", "3"]
    assert "Source: the test table." in texts(fig)


def test_hatches_and_markers_are_distinct_and_light():
    assert len(set(HATCHES)) == len(HATCHES) and len(set(MARKERS)) == len(MARKERS)
    assert not any(char in hatch for hatch in HATCHES for char in ".oO*"), \
        "dot and circle hatches make SVG figures heavy"


def test_series_keep_country_styles_and_leave_gaps_for_missing_years():
    from summit_book.plots import plot_series
    from summit_book.style import COUNTRY_STYLE
    series = pd.DataFrame({"year": [2000, 2001, 2003, 2000, 2001],
                           "area": ["KAZ", "KAZ", "KAZ", "WLD", "WLD"],
                           "value": [1.0, 2.0, 4.0, 3.0, 3.5]})
    fig = plot_series(series, "year", "value", "area", "Title", "Year", "Share (%)",
                      "the test table.", group_labels={"KAZ": "Kazakhstan"})
    ax = fig.axes[0]
    assert ax.get_xlabel() == "Year" and ax.get_ylabel() == "Share (%)"
    assert "Source: the test table." in texts(fig)
    kazakhstan, world = ax.get_lines()
    assert kazakhstan.get_label() == "Kazakhstan" and kazakhstan.get_marker() == COUNTRY_STYLE["KAZ"]["marker"]
    assert world.get_marker() != kazakhstan.get_marker()
    y = kazakhstan.get_ydata()
    assert list(kazakhstan.get_xdata()) == [2000, 2001, 2002, 2003]
    assert y[2] != y[2], "a missing year must stay a gap (NaN), not be bridged"


def test_ranked_bars_sort_largest_on_top_label_values_and_draw_ranges():
    from summit_book.plots import plot_ranked_bars
    values = pd.DataFrame({"name": ["a", "b", "c"], "value": [2.0, 5.0, 1.0],
                           "low": [None, 4.0, None], "high": [None, 6.0, None]})
    fig = plot_ranked_bars(values, "name", "value", "Title", "Length (km)", "the test table.",
                           low="low", high="high")
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["c", "a", "b"]
    assert ax.get_xlabel() == "Length (km)"
    assert {t.get_text().strip() for t in ax.texts} == {"1", "2", "5"}
    assert len(ax.get_lines()) == 1, "one range line, for the row that has low and high"
    assert "Source: the test table." in texts(fig)


def test_value_axes_separate_thousands_and_keep_decimals():
    from summit_book.plots import THOUSANDS
    assert THOUSANDS(41000.0, 0) == "41,000"
    assert THOUSANDS(2.5, 0) == "2.5"
    assert THOUSANDS(0.0, 0) == "0"
