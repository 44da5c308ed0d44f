"""The transport chapter's helpers and tables: the corridor map and the range plot keep the
book's figure promises, and the transport rows hold together (units convert, cargo figures say
what they count, every route on the map has its places in order)."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from summit_book import load_table  # noqa: E402
from summit_book.plots_transport import plot_corridor_map, plot_source_ranges  # noqa: E402
from summit_book.units import convert, dimension  # noqa: E402

TRANSPORT_PROJECTS = {"titr", "north-south-corridor-east", "kti-railway", "trans-afghan-railway",
                      "cku-railway", "kaz-rail-programme-2030"}


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def sample_points() -> pd.DataFrame:
    return pd.DataFrame({
        "project_id": ["a", "a", "a", "b", "b"],
        "sequence": [2, 1, 3, 1, 2],
        "place": ["Middle", "Start", "End", "Start", "Far"],
        "latitude": [41.0, 40.0, 42.0, 40.0, 38.0],
        "longitude": [60.0, 58.0, 62.0, 58.0, 66.0],
    })


def test_corridor_map_draws_each_route_in_sequence_with_its_own_style():
    fig = plot_corridor_map(sample_points(), "Title", "the test table.",
                            route_labels={"a": "Route A", "b": "Route B"})
    ax = fig.axes[0]
    assert "Title" in (ax.get_title(loc="left"), ax.get_title())
    assert "Longitude" in ax.get_xlabel() and "Latitude" in ax.get_ylabel()
    assert "Source: the test table." in [t.get_text() for t in fig.texts]
    lines = [line for line in ax.get_lines() if line.get_label() in ("Route A", "Route B")]
    assert len(lines) == 2
    route_a = next(line for line in lines if line.get_label() == "Route A")
    assert list(route_a.get_xdata()) == [58.0, 60.0, 62.0], "places must follow sequence"
    styles = {(line.get_linestyle(), line.get_marker()) for line in lines}
    assert len(styles) == 2, "routes must differ by line style and marker, not colour alone"
    labels = [text.get_text() for text in ax.texts]
    assert sorted(labels) == ["End", "Far", "Middle", "Start"], "a shared place is labelled once"


def test_corridor_map_refuses_points_without_coordinates():
    with pytest.raises(ValueError, match="latitude"):
        plot_corridor_map(sample_points().drop(columns="latitude"), "Title", "src")
    with pytest.raises(ValueError):
        plot_corridor_map(sample_points().iloc[0:0], "Title", "src")


def test_source_ranges_span_lowest_to_highest_value_with_one_marker_per_source():
    values = pd.DataFrame({"item": ["x", "x", "x", "y"], "value": [5.0, 9.0, 7.0, 3.0],
                           "kind": ["press", "official", "press", "press"]})
    fig = plot_source_ranges(values, "item", "value", "the test table.", "Title", "Length (km)",
                             group="kind")
    ax = fig.axes[0]
    assert ax.get_xlabel() == "Length (km)"
    spans = [sorted(line.get_xdata()) for line in ax.get_lines() if line.get_label().startswith("_")
             and len(line.get_xdata()) == 2]
    assert [5.0, 9.0] in [list(map(float, s)) for s in spans]
    markers = sum(len(line.get_xdata()) for line in ax.get_lines()
                  if line.get_label() in ("press", "official"))
    assert markers == 4
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["press", "official"]


# --- the tables ---------------------------------------------------------------------------

CANONICAL = {"length": "km", "cost": "usd", "cargo_volume": None, "capacity": None}


def transport_facts() -> pd.DataFrame:
    facts = load_table("project_facts")
    return facts[facts["project_id"].isin(TRANSPORT_PROJECTS)]


def test_every_transport_project_is_in_the_projects_table_with_facts():
    projects = load_table("projects")
    assert TRANSPORT_PROJECTS <= set(projects["project_id"])
    facts = transport_facts()
    assert set(facts["project_id"]) == TRANSPORT_PROJECTS


def test_lengths_and_costs_convert_and_cargo_counts_mass_or_containers():
    for row in transport_facts().itertuples():
        if row.attribute == "length":
            assert convert(row.value, row.unit, "km") > 0, row.fact_id
        elif row.attribute == "cost":
            assert dimension(row.unit) == "money_usd", row.fact_id
        elif row.attribute == "cargo_volume":
            assert dimension(row.unit) in ("mass", "containers"), row.fact_id
        elif row.attribute == "capacity":
            assert dimension(row.unit) in ("mass_per_year", "containers"), row.fact_id


def test_every_cargo_figure_says_its_year_and_what_it_counts():
    cargo = transport_facts().query("attribute == 'cargo_volume'")
    assert len(cargo) >= 20
    assert cargo["reference_year"].notna().all()
    assert cargo["basis"].str.len().min() > 20, "the basis must say what is counted"


def test_several_lengths_are_kept_where_sources_differ():
    facts = transport_facts()
    whole = facts[(facts["attribute"] == "length") & facts["basis"].str.startswith("whole line")]
    spread = whole.groupby("project_id")["value"].agg(["min", "max", "count"])
    for project in ("kti-railway", "cku-railway", "trans-afghan-railway"):
        assert spread.loc[project, "count"] >= 3
        assert spread.loc[project, "max"] > spread.loc[project, "min"], project


def test_corridor_points_run_in_order_from_one_and_lie_in_the_region():
    points = load_table("corridor_points")
    assert set(points["project_id"]) <= TRANSPORT_PROJECTS
    for project, stops in points.groupby("project_id"):
        assert len(stops) >= 3, project
    from summit_book.rules import check_rules

    assert not check_rules(["corridor-points-in-sequence"])  # the validator's rule
    assert points["latitude"].between(30, 50).all()
    assert points["longitude"].between(40, 90).all()


def test_seed_figures_on_the_railway_programme_are_present():
    statements = load_table("statements")
    ids = set(statements["statement_id"])
    assert {"cm06-tokayev-rail-modernisation-amerinews", "cm06-tokayev-rail-new-build-amerinews"} <= ids
    programme = transport_facts().query("project_id == 'kaz-rail-programme-2030'")
    assert {11000, 5000} <= set(programme["value"])


def test_transport_proposals_named_in_the_chapter_exist_with_a_status_source():
    proposals = load_table("proposals").set_index("proposal_id")
    for proposal in ("cm07-kaz-e-cargo-tracking", "cm07-kaz-transport-strategy",
                     "cm07-kgz-digital-transit-corridor", "cm07-kaz-border-corridors",
                     "cm07-uzb-infrastructure-council", "cm06-kaz-transport-system-strategy"):
        assert proposals.loc[proposal, "theme"] == "transport"
        assert len(proposals.loc[proposal, "status_source_ids"]) >= 1


def test_formatting_keeps_the_source_precision_and_refuses_mixed_units():
    from summit_book.publish import format_amount, format_number, format_range

    assert format_number(532.53) == "532.53"
    assert format_number(11000.0) == "11,000"
    assert format_number(4.50) == "4.5"
    assert format_amount(7, "usd_billion") == "7 billion US$"
    rows = pd.DataFrame({"value": [573.0, 774.0, 760.0], "unit": ["km"] * 3})
    assert format_range(rows) == "573–774 km"
    with pytest.raises(ValueError, match="several units"):
        format_range(pd.DataFrame({"value": [1.0, 2.0], "unit": ["km", "m"]}))


def test_the_ministry_figures_for_2022_cargo_from_2024_and_2026_are_both_kept():
    facts = load_table("project_facts")
    y2022 = facts[(facts["project_id"] == "titr") & (facts["attribute"] == "cargo_volume")
                  & (facts["reference_year"] == 2022) & ~facts["is_target"]]
    by_source = dict(zip(y2022["source_id"], y2022["value"].astype(float)))
    assert by_source["reportaz-2026-03-10-titr-teu-2029"] < by_source["astanatimes-2024-10-china-kazakhstan-titr"]
