"""The trade chapter's helpers and tables: growth arithmetic, the points figure, and the
invariants of trade_statistics, gas_pipeline_trade and the trade figures in statements."""

from __future__ import annotations

import csv
import math
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from summit_book import load_table  # noqa: E402
from summit_book.growth import required_annual_growth, required_growth_table  # noqa: E402
from summit_book.plots_trade import plot_stated_points  # noqa: E402
from summit_book.units import convert, dimension  # noqa: E402

EI_EXTRACT = Path("/work/shared/sources/energy-institute-statistical-review-2025/"
                  "ei_pipeline_gas_trade_2024_central_asia.csv")


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


# --- growth arithmetic --------------------------------------------------------------------


def test_doubling_in_one_year_is_100_percent():
    assert required_annual_growth(10, 20, 1) == pytest.approx(1.0)


def test_required_growth_compounds_back_to_the_target():
    rate = required_annual_growth(11.5, 20, 6)
    assert 11.5 * (1 + rate) ** 6 == pytest.approx(20)
    assert rate == pytest.approx(0.0966, abs=1e-4)


def test_no_growth_needed_when_target_equals_base_and_decline_is_negative():
    assert required_annual_growth(15, 15, 3) == 0
    assert required_annual_growth(4.6, 4.2, 2) < 0


@pytest.mark.parametrize("base, target, years", [(0, 15, 3), (11, -1, 3), (11, 15, 0),
                                                 (11, 15, -2), (float("nan"), 15, 3),
                                                 (True, 15, 3), ("11", 15, 3)])
def test_required_growth_refuses_meaningless_inputs(base, target, years):
    with pytest.raises(ValueError):
        required_annual_growth(base, target, years)


def test_growth_table_lists_each_target_year_with_falling_rates():
    rows = required_growth_table(11.5, 2024, 20, [2026, 2028, 2030])
    assert [row["target_year"] for row in rows] == [2026, 2028, 2030]
    assert [row["years"] for row in rows] == [2, 4, 6]
    rates = [row["growth_percent"] for row in rows]
    assert rates == sorted(rates, reverse=True)
    assert rates[0] == pytest.approx(100 * (math.sqrt(20 / 11.5) - 1))


# --- the points figure -----------------------------------------------------------------------


def test_points_figure_has_title_labels_source_and_open_markers_for_targets():
    points = pd.DataFrame({"year": [2022, 2023, 2023, 2024], "value": [8, 10.6, 15, 11],
                           "who": ["tokayev", "tokayev", "tokayev", "rahmon"],
                           "target": [False, False, True, False]})
    fig = plot_stated_points(points, "year", "value", "who", "Title", "Year", "US$ bn",
                             "the test table.", hollow="target", levels={"goal": 15})
    ax = fig.axes[0]
    assert ax.get_title(loc="left") == "Title" or ax.get_title() == "Title"
    assert ax.get_xlabel() == "Year" and ax.get_ylabel() == "US$ bn"
    assert "Source: the test table." in [t.get_text() for t in fig.texts]
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend[:2] == ["tokayev", "rahmon"] and "open marker: target" in legend
    faces = [line.get_markerfacecolor() for line in ax.get_lines() if len(line.get_xdata())]
    assert "white" in faces, "targets must be drawn as open markers"
    markers = {line.get_marker() for line in ax.get_legend().legend_handles[:2]}
    assert len(markers) == 2, "groups must differ by marker shape, not colour alone"


@pytest.mark.parametrize("values", [[11, 11], [10, 11]])
def test_points_sharing_a_year_are_spread_apart(values):
    points = pd.DataFrame({"year": [2024, 2024], "value": values, "who": ["a", "b"]})
    fig = plot_stated_points(points, "year", "value", "who", "T", "Year", "V", "s.")
    xs = sorted(float(line.get_xdata()[0]) for line in fig.axes[0].get_lines()
                if len(line.get_xdata()))
    assert xs[0] < 2024 < xs[1]


# --- tables --------------------------------------------------------------------------------


def test_every_trade_statistic_converts_to_billions_of_dollars():
    statistics = load_table("trade_statistics")
    assert len(statistics) >= 20
    for row in statistics.itertuples():
        assert dimension(row.unit) == "money_usd"
        assert convert(row.value, row.unit, "usd_billion") < 100, row.statistic_id


def test_turnover_is_exports_plus_imports_where_a_source_gives_all_three():
    statistics = load_table("trade_statistics")
    statistics = statistics.assign(billion=[convert(v, u, "usd_billion") for v, u in
                                            zip(statistics["value"], statistics["unit"])])
    checked = 0
    for _, group in statistics.groupby(["reporter", "partner", "year", "months", "source_id"]):
        flows = group.set_index("flow")["billion"]
        if {"exports", "imports", "turnover"} <= set(flows.index):
            # sources round to one decimal of a billion: allow 0.06 bn
            assert flows["exports"] + flows["imports"] == pytest.approx(flows["turnover"], abs=0.06)
            checked += 1
    assert checked >= 5


def test_uzbekistan_2022_partners_add_up_to_its_central_asian_total():
    statistics = load_table("trade_statistics")
    rows = statistics[(statistics["reporter"] == "UZB") & (statistics["year"] == 2022)
                      & (statistics["flow"] == "turnover")
                      & (statistics["source_id"] == "yuz-uz-uzb-ca-trade-2022")]
    billions = {row.partner: convert(row.value, row.unit, "usd_billion") for row in rows.itertuples()}
    partners = sum(v for k, v in billions.items() if k != "central_asia")
    assert partners == pytest.approx(billions["central_asia"], abs=0.06)


def test_kazakhstan_uzbekistan_series_has_full_year_values_from_both_sides():
    statistics = load_table("trade_statistics")
    pair = statistics[statistics[["reporter", "partner"]].apply(set, axis=1) == {"KAZ", "UZB"}]
    full_year = pair[(pair["months"] == 12) & (pair["flow"] == "turnover")]
    assert {2022, 2023, 2024} <= set(full_year["year"])
    assert {"KAZ", "UZB"} <= set(full_year["stated_by_country_id"].dropna())


def test_gas_matrix_is_the_energy_institute_extract_unchanged():
    if not EI_EXTRACT.exists():
        pytest.skip("the raw Energy Institute extract (/work/shared/sources) is not on this machine")
    gas = load_table("gas_pipeline_trade")
    with EI_EXTRACT.open(encoding="utf-8", newline="") as handle:
        extract = list(csv.DictReader(handle))
    assert len(gas) == len(extract)
    table = gas.set_index(["exporter", "importer"])["value"]
    for row in extract:
        assert table[(row["exporter"], row["importer"])] == pytest.approx(float(row["value_bcm"]))
    assert set(gas["unit"]) == {"bcm"}
    countries = gas[~gas["is_aggregate"]]
    assert not countries["importer"].str.contains("Total|CIS|EU|Europe|Asia").any()


def test_the_sixth_and_seventh_meeting_figures_are_present_with_their_speakers():
    statements = load_table("statements")
    def values(meeting, indicator):
        rows = statements[(statements["meeting_id"] == meeting) & (statements["indicator"] == indicator)]
        return set(zip(rows["speaker_person_id"], rows["value"]))
    assert ("tokayev", 11) in values("cm06", "intra_regional_trade")
    assert ("tokayev", 15) in values("cm06", "intra_regional_trade_target")
    assert ("tokayev", 11.5) in values("cm07", "intra_regional_trade")
    assert ("tokayev", 20) in values("cm07", "intra_regional_trade_target")
    assert ("rahmon", 20) in values("cm06", "intra_regional_trade_target")


def test_trade_statements_carry_a_money_or_ratio_unit():
    statements = load_table("statements")
    trade = statements[statements["indicator"].str.contains("trade")]
    assert set(trade["unit"]) <= {"usd_billion", "usd_million", "percent", "multiplier",
                                  "tonnes_million"}


def test_updated_trade_proposals_exist_and_cite_their_status_sources():
    proposals = load_table("proposals").set_index("proposal_id")
    expected = {"cm06-tjk-industry-ministers": "implemented",
                "cm02-tkm-business-council": "adopted_in_document",
                "cm05-uzb-trade-ministers-meetings": "in_progress",
                "cm06-kaz-border-hubs": "in_progress"}
    for proposal_id, status in expected.items():
        row = proposals.loc[proposal_id]
        assert row["theme"] in {"trade", "industry_agriculture"}
        assert row["status"] == status
        assert row["status_source_ids"]
