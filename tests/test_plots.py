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


def _boxes(fig):
    """Draw ``fig`` and return its renderer (window extents are known only after a draw)."""
    fig.canvas.draw()
    return fig.canvas.get_renderer()


def test_small_multiples_name_each_panel_and_draw_its_line_over_grey_context():
    from summit_book.plots import CONTEXT, HIGHLIGHT, plot_small_multiples
    from summit_book.style import relative_luminance
    series = pd.DataFrame({"year": [2000, 2001, 2003, 2000, 2001, 2000, 2002],
                           "area": ["KAZ", "KAZ", "KAZ", "KGZ", "KGZ", "TJK", "TJK"],
                           "value": [1.0, 2.0, 4.0, 3.0, 3.5, 9.0, 8.0]})
    fig = plot_small_multiples(series, "year", "value", "area", "Title", "Year", "Share (%)",
                               "the test table.", group_labels={"KAZ": "Kazakhstan"}, ncols=2)
    panels = [ax for ax in fig.axes if ax.get_visible()]
    assert [ax.get_title() for ax in panels] == ["Kazakhstan", "KGZ", "TJK"]
    assert len(fig.axes) == 4 and not fig.axes[3].get_visible(), "an empty slot stays empty"
    assert fig.get_suptitle() == "Title"
    assert "Source: the test table." in texts(fig)
    assert all(ax.get_legend() is None for ax in panels), "panels are named, not keyed"
    for ax in panels:
        own = [line for line in ax.get_lines() if line.get_label() == ax.get_title()]
        context = [line for line in ax.get_lines()
                   if line.get_linewidth() == CONTEXT["linewidth"]]
        assert len(own) == 1 and len(context) == 2, "its own line over the two others"
        # Told apart by width and by lightness, not by hue: it reads in greyscale.
        assert own[0].get_linewidth() >= 2 * context[0].get_linewidth()
        assert (relative_luminance(CONTEXT["color"]) - relative_luminance(HIGHLIGHT["color"])
                > 0.3)
    kazakhstan = panels[0].get_lines()[-2]  # its line (the last line is its end marker)
    assert list(kazakhstan.get_xdata()) == [2000, 2001, 2002, 2003]
    assert kazakhstan.get_ydata()[2] != kazakhstan.get_ydata()[2], "a missing year is a gap"
    assert panels[0].get_shared_y_axes().joined(panels[0], panels[2]), "one scale for all"


def test_series_lines_differ_by_more_than_colour():
    from summit_book.plots import plot_series
    series = pd.DataFrame({"year": [2000, 2001] * 7,
                           "area": [a for a in ["KAZ", "KGZ", "TJK", "TKM", "UZB", "AZE", "WLD"]
                                    for _ in (0, 1)],
                           "value": range(14)})
    fig = plot_series(series, "year", "value", "area", "Title", "Year", "Value", "the test.")
    styles = [(str(line.get_linestyle()), line.get_marker()) for line in fig.axes[0].get_lines()]
    assert len(styles) == 7
    for i, first in enumerate(styles):
        for second in styles[i + 1:]:
            assert first[0] != second[0] or first[1] != second[1], (first, second)


def _legend_and_title(fig):
    renderer = _boxes(fig)
    legend = fig.legends[0] if fig.legends else next(
        ax.get_legend() for ax in fig.axes if ax.get_legend())
    ax = fig.axes[0]
    title = next(t for t in (ax.title, ax._left_title) if t.get_text())
    return (legend.get_window_extent(renderer), title.get_window_extent(renderer),
            ax.get_tightbbox(renderer), ax.get_window_extent(renderer), renderer)


def _figures_with_legends():
    from summit_book.plots import plot_series
    from summit_book.plots_culture_security import plot_treaty_steps
    events = pd.DataFrame({"date": [dt.date(2018, 3, 15), dt.date(2019, 11, 29)],
                           "label": ["a", "b"], "group": ["KAZ", "UZB"]})
    counts = pd.DataFrame({"first": [1, 0], "second": [2, 3]}, index=["m1", "m2"])
    series = pd.DataFrame({"year": [2000, 2001, 2000, 2001], "area": ["KAZ", "KAZ", "UZB", "UZB"],
                           "value": [1.0, 2.0, 3.0, 4.0]})
    steps = pd.DataFrame({"treaty_id": ["a", "a", "b", "b"],
                          "action": ["signed", "ratified", "signed", "instruments_exchanged"],
                          "date": [dt.date(2022, 7, 21), dt.date(2023, 3, 1),
                                   dt.date(2025, 3, 13), dt.date(2025, 6, 1)],
                          "country_id": ["KAZ", "KGZ", None, None]})
    return {
        "timeline": lambda: plot_timeline(events, "date", "label", "group", "Title", "the test."),
        "stacked": lambda: plot_stacked_counts(counts, "Title", "Number", "Meeting", "the test."),
        "series": lambda: plot_series(series, "year", "value", "area", "Title", "Year", "Value",
                                      "the test."),
        "treaty steps": lambda: plot_treaty_steps(
            steps, ["a", "b"], {"a": "Kyrgyzstan–Tajikistan–Uzbekistan, 2025 (junction point)"},
            "Title", "the test.", since_signature=True),
    }


@pytest.mark.parametrize("kind", list(_figures_with_legends()))
def test_legends_sit_below_the_axes_never_over_the_title(kind):
    from summit_book.style import STYLE_PATH
    with plt.style.context(STYLE_PATH):  # the book's layout (constrained, title on the left)
        fig = _figures_with_legends()[kind]()
    legend, title, decorated, axes, renderer = _legend_and_title(fig)
    assert not legend.overlaps(title), f"{kind}: the legend covers the title"
    # Below the plotting area and its axis label (display y grows upwards).
    assert legend.y1 <= axes.y0, f"{kind}: the legend is not below the axes"
    label = fig.axes[0].xaxis.label.get_window_extent(renderer)
    assert not legend.overlaps(label), f"{kind}: the legend covers the axis label"
    source = next(t for t in fig.texts if t.get_text().startswith("Source:"))
    assert not legend.overlaps(source.get_window_extent(renderer)), f"{kind}: legend on source"


def test_long_treaty_names_wrap_at_spaces_and_dashes():
    from summit_book.plots_culture_security import wrap_label
    wrapped = wrap_label("Kyrgyzstan–Tajikistan–Uzbekistan, 2025 (junction point)")
    assert wrapped.replace("\n", " ").replace("– ", "–") == \
        "Kyrgyzstan–Tajikistan–Uzbekistan, 2025 (junction point)"
    assert max(len(line) for line in wrapped.split("\n")) <= 24
    assert wrap_label("Short, 2017") == "Short, 2017"
