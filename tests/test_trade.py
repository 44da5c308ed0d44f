"""The trade chapter's helpers and tables: growth arithmetic, the points figure, and the
invariants of trade_statistics, gas_pipeline_trade and the trade figures in statements."""

from __future__ import annotations

import csv
import math

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from summit_book import load_table  # noqa: E402
from summit_book.growth import required_annual_growth, required_growth_table  # noqa: E402
from summit_book.paths import PROJECT_ROOT  # noqa: E402
from summit_book.plots_trade import plot_stated_points  # noqa: E402
from summit_book.units import convert, dimension  # noqa: E402

EI_EXTRACT = (PROJECT_ROOT / "data" / "raw" / "energy-institute-statistical-review-2025"
              / "ei_pipeline_gas_trade_2024_central_asia.csv")


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
                "cm06-kaz-border-hubs": "partly_done"}
    for proposal_id, status in expected.items():
        row = proposals.loc[proposal_id]
        assert row["theme"] in {"trade", "industry_agriculture"}
        assert row["status"] == status
        assert row["status_source_ids"]


# --- reshaping helpers (summit_book.trade) and year_reached -----------------------------------

from summit_book.growth import year_reached  # noqa: E402
from summit_book.indicators import regional_total, summed_series  # noqa: E402
from summit_book.trade import claims, differing_values, pair_of, values_in_words  # noqa: E402


def test_year_reached_inverts_the_growth_rate():
    rate = required_annual_growth(11.5, 20, 6)
    assert year_reached(11.5, 2024, 20, rate) == pytest.approx(2030)
    assert year_reached(5, 2020, 5, 0.1) == 2020
    with pytest.raises(ValueError):
        year_reached(10, 2020, 20, 0)


def test_claims_give_one_row_per_figure_with_all_values_and_sources():
    statements = pd.DataFrame({
        "figure_id": ["f1", "f1", "f2"], "meeting_id": ["cm06"] * 3,
        "speaker_person_id": ["tokayev"] * 3, "indicator": ["x"] * 3,
        "description": ["d1", "d1", "d2"], "unit": ["usd_billion"] * 3,
        "is_target": [False, False, True], "value": [11.0, 11.5, 15.0],
        "reference_year": pd.array([2023, None, None], dtype="Int64"),
        "target_year": pd.array([None, None, None], dtype="Int64"),
        "source_ids": [["b"], ["a"], ["c"]]})
    frame = claims(statements).set_index("figure_id")
    assert list(frame.index) == ["f1", "f2"]
    assert frame.loc["f1", "values"] == [11.0, 11.5] and frame.loc["f1", "value"] == 11.5
    assert frame.loc["f1", "source_ids"] == ["a", "b"]
    assert frame.loc["f1", "reference_year"] == "2023"
    assert values_in_words([11.0, 11.5], "usd_billion") == "11 / 11.5 billion US$"
    assert values_in_words([2.0], "multiplier") == "2 times"


def test_differing_values_keep_only_pairs_and_years_where_sources_disagree():
    statistics = load_table("trade_statistics")
    names = {"KAZ": "Kazakhstan", "UZB": "Uzbekistan", "KGZ": "Kyrgyzstan", "TJK": "Tajikistan",
             "TKM": "Turkmenistan", "AZE": "Azerbaijan", "central_asia": "Central Asia"}
    differ = differing_values(statistics, names)
    assert set(differ["year"]) == {"2022", "2023", "2024"}
    assert set(differ["flow"]) == {"Kazakhstan – Uzbekistan (year)", "Tajikistan – Uzbekistan (year)"}
    assert differ.groupby("year")["value"].nunique().min() > 1
    assert len(pair_of(statistics, "KAZ", "UZB")) > len(differ)


def test_summed_series_needs_every_part_and_regional_total_every_area():
    indicators = pd.DataFrame({
        "indicator_id": ["ex", "im", "ex", "im", "ex"], "area_code": ["A", "A", "B", "B", "B"],
        "year": [2020, 2020, 2020, 2020, 2021], "value": [1.0, 2.0, 10.0, 20.0, 5.0]})
    summed = summed_series(indicators, ["ex", "im"], ["A", "B"])
    assert set(zip(summed["area_code"], summed["year"], summed["value"])) == {("A", 2020, 3.0),
                                                                              ("B", 2020, 30.0)}
    total = regional_total(summed, ["A", "B"], "region")
    assert total.to_dict("records") == [{"area_code": "region", "year": 2020, "value": 33.0}]


def test_growth_table_is_wide_with_one_column_per_case():
    from summit_book.growth import growth_table
    table = growth_table({"a": (10, 2020, 20, ), "b": (11.5, 2024, 20)}, [2025, 2030])
    assert list(table.columns) == ["reached by", "a", "b"]
    assert list(table["reached by"]) == ["2025", "2030"]
    assert table.loc[0, "a"] == f"{100 * (2 ** (1 / 5) - 1):.1f}"


def test_differing_statements_and_words():
    from summit_book.trade import differing_statements, percent_words, usd_billion_words
    statements = load_table("statements")
    people = dict(zip(load_table("people")["person_id"], load_table("people")["name"]))
    labels = {m: m for m in statements["meeting_id"]}
    differ = differing_statements(statements, "intra_regional_trade", people, labels)
    assert set(differ["year"]) == {"2024"}
    assert {"10.7 billion US$", "11.5 billion US$"} <= set(differ["value"])
    assert differ["value"].is_unique, "one row per speaker and value, its sources together"
    assert len(differ.loc[differ["value"] == "11.5 billion US$", "source_ids"].iloc[0]) >= 3
    assert usd_billion_words(11.5) == "USD 11.5 billion" and percent_words(12.86) == "12.9 percent"


def test_both_2024_regional_figures_keep_their_sources_and_the_kazakh_one_its_russian_text():
    statements = load_table("statements")
    tokayev = statements[statements["figure_id"] == "cm07-tokayev-intra-regional-trade"]
    mirziyoyev = statements[statements["figure_id"] == "cm07-mirziyoyev-intra-regional-trade"]
    assert set(tokayev["value"].astype(float)) == {11.5}
    assert set(mirziyoyev["value"].astype(float)) == {10.7}
    russian = tokayev[tokayev["statement_id"] == "cm07-tokayev-intra-regional-trade-kazinform-ru"]
    assert len(russian) == 1 and int(russian["reference_year"].iloc[0]) == 2024
    assert "11,5" in russian["quote_fragment"].iloc[0]
    article = statements[statements["figure_id"] == "cm07-mirziyoyev-intra-regional-trade-article"]
    assert len(article) == 1 and pd.isna(article["reference_year"].iloc[0])


def test_uzbek_statistics_give_kazakh_uzbek_trade_for_2023_and_2024():
    stats = load_table("trade_statistics")
    agency = stats[(stats["basis_kind"] == "statistics_agency") & (stats["reporter"] == "UZB")
                   & (stats["partner"] == "KAZ") & (stats["months"] == 12)]
    assert {2023, 2024} <= set(agency["year"].astype(int))
