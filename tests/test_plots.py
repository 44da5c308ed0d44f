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
