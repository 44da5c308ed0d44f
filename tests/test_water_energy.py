"""The chapter on water and energy: its helpers, and the invariants of its tables (the Aral Sea
series, the hydropower projects and their facts, the proposals it discusses)."""

from __future__ import annotations

import pandas as pd
import pytest

from summit_book import load_table
from summit_book.units import convert
from summit_book.indicators import latest_values
from summit_book.water_energy import GROUP_ORDER, area_series, electricity_mix, fact_ranges

OUR_PROJECTS = ["rogun-hpp", "kambarata-1-hpp"]


# --- helpers ---------------------------------------------------------------------------------

def test_latest_values_takes_the_last_year_of_each_series_and_area():
    frame = pd.DataFrame({"indicator_id": ["a", "a", "a", "b"], "area_code": ["X", "X", "Y", "X"],
                          "year": [2000, 2010, 2005, 1999], "value": [1.0, 2.0, 3.0, 4.0]})
    latest = latest_values(frame, ["a"], ["X", "Y"])
    assert list(zip(latest["area_code"], latest["year"], latest["value"])) == [
        ("X", 2010, 2.0), ("Y", 2005, 3.0)]


def test_electricity_mix_groups_sources_and_keeps_the_order_of_areas():
    frame = pd.DataFrame({
        "indicator_id": ["electricity_from_hydro", "electricity_from_solar", "electricity_from_wind",
                         "electricity_from_gas", "electricity_from_hydro"],
        "area_code": ["Y", "Y", "Y", "X", "X"], "year": [2022] * 5,
        "value": [10.0, 1.0, 2.0, 5.0, 0.5]})
    mix = electricity_mix(frame, 2022, ["Y", "X"])
    assert list(mix.index) == ["Y", "X"]
    assert list(mix.columns) == GROUP_ORDER
    assert mix.loc["Y", "Other"] == pytest.approx(3.0)
    assert mix.loc["X", "Coal"] == 0.0


def test_fact_ranges_converts_before_comparing():
    facts = pd.DataFrame({"project_id": ["p", "p", "p"], "attribute": ["cost"] * 3,
                          "value": [4.2, 5000.0, 4.0], "unit": ["usd_billion", "usd_million",
                                                                "usd_billion"],
                          "source_id": ["s1", "s2", "s2"]})
    ranges = fact_ranges(facts, ["cost"], "usd_billion").iloc[0]
    assert (ranges["low"], ranges["high"]) == pytest.approx((4.0, 5.0))
    assert ranges["sources"] == 2 and ranges["source_ids"] == ["s1", "s2"]


def test_fact_ranges_refuses_mixed_dimensions():
    facts = pd.DataFrame({"project_id": ["p"], "attribute": ["cost"], "value": [1.0],
                          "unit": ["mw"], "source_id": ["s"]})
    with pytest.raises(ValueError):
        fact_ranges(facts, ["cost"], "usd_billion")


def test_area_series_drops_unreliable_years_and_converts():
    frame = pd.DataFrame({"year": [2018, 2019], "basin": ["small", "small"], "value": [3.03, 0.52],
                          "unit": ["thousand_km2"] * 2, "is_reliable": [True, False],
                          "source_id": ["u", "c"]})
    series = area_series(frame, "km2")
    assert list(series["year"]) == [2018]
    assert series["area"].iloc[0] == pytest.approx(3030.0)
    assert series["source_ids"].iloc[0] == ["u"]
    assert len(area_series(frame, "km2", reliable_only=False)) == 2


# --- the Aral Sea table ----------------------------------------------------------------------

@pytest.fixture(scope="module")
def aral():
    return load_table("aral_sea_area")


def test_aral_reliable_years_are_unesco_to_2018_and_the_rest_flagged(aral):
    reliable = aral[aral["is_reliable"]]
    assert reliable["year"].min() == 1986 and reliable["year"].max() == 2018
    assert set(reliable["source_id"]) == {"unesco-2021-aral-sea-area"}
    later = aral[aral["year"] > 2018]
    assert not later.empty and not later["is_reliable"].any()
    assert set(later["source_id"]) == {"opendatakz-2024-10-24-aral-sea-area"}


def test_aral_total_is_the_sum_of_its_basins(aral):
    for year, rows in aral[aral["is_reliable"]].groupby("year"):
        values = dict(zip(rows["basin"], rows["value"].astype(float)))
        parts = sum(v for basin, v in values.items() if basin != "total")
        assert parts == pytest.approx(values["total"], abs=0.02), year


def test_aral_large_basin_splits_in_2007(aral):
    basins = aral.groupby("year")["basin"].agg(set)
    assert all(basins[y] == {"total", "large", "small"} for y in range(1986, 2007))
    assert all(basins[y] == {"total", "west", "east", "small"} for y in range(2007, 2024))


def test_aral_values_convert_to_square_kilometres(aral):
    first = aral[(aral["year"] == 1986) & (aral["basin"] == "total")].iloc[0]
    assert convert(float(first["value"]), first["unit"], "km2") == pytest.approx(41_390)


# --- the projects ----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def facts():
    facts = load_table("project_facts")
    return facts[facts["project_id"].isin(OUR_PROJECTS)]


def test_both_projects_exist_with_their_countries():
    projects = load_table("projects").set_index("project_id")
    assert projects.loc["rogun-hpp", "country_ids"] == ["TJK"]
    assert set(projects.loc["kambarata-1-hpp", "country_ids"]) == {"KGZ", "KAZ", "UZB"}


def test_capacities_in_megawatts_keep_both_rogun_figures(facts):
    capacity = facts[facts["attribute"] == "capacity"]
    assert set(capacity["unit"]) <= {"mw", "gw", "kw"}
    in_mw = {(p, convert(float(v), u, "mw"))
             for p, v, u in zip(capacity["project_id"], capacity["value"], capacity["unit"])}
    assert {("rogun-hpp", 3600.0), ("rogun-hpp", 3780.0), ("kambarata-1-hpp", 1860.0)} <= in_mw


def test_costs_convert_to_dollars_and_each_project_has_several(facts):
    costs = facts[facts["attribute"] == "cost"]
    for value, unit in zip(costs["value"], costs["unit"]):
        convert(float(value), unit, "usd_billion")  # raises for a non-dollar unit
    assert (costs.groupby("project_id")["source_id"].nunique() >= 3).all()


def test_one_value_per_source_per_basis(facts):
    assert not facts.duplicated(["project_id", "attribute", "basis", "source_id"]).any()


def test_joint_company_shares_add_up_to_one_hundred(facts):
    shares = facts[(facts["project_id"] == "kambarata-1-hpp") & (facts["attribute"] == "share")]
    assert shares["value"].astype(float).sum() == pytest.approx(100.0)


def test_milestones_at_meetings_name_real_meetings_and_dates_are_in_order():
    events = load_table("project_events")
    events = events[events["project_id"].isin(OUR_PROJECTS)]
    meetings = load_table("meetings").set_index("meeting_id")
    for row in events.dropna(subset=["meeting_id"]).itertuples():
        held = meetings.loc[row.meeting_id]
        assert held["date_start"] <= row.date <= held["date_end"], row.event_id


# --- the proposals the chapter discusses -----------------------------------------------------

def test_the_proposals_named_in_the_chapter_exist_under_our_themes():
    proposals = load_table("proposals").set_index("proposal_id")
    for proposal_id in ["cm06-kaz-water-energy-consortium", "cm07-kaz-water-strategies",
                        "cm07-kaz-water-convention", "cm07-uzb-water-decade",
                        "cm07-kaz-ifas-astana-2026"]:
        assert proposals.loc[proposal_id, "theme"] in {"water_energy", "environment"}


def test_water_proposal_statuses_are_dated_after_the_proposal():
    proposals = load_table("proposals")
    meetings = load_table("meetings").set_index("meeting_id")
    ours = proposals[proposals["theme"].isin(["water_energy", "environment"])]
    for row in ours.itertuples():
        assert row.status_as_of >= meetings.loc[row.meeting_id, "date_start"], row.proposal_id
        assert row.status_source_ids, row.proposal_id


# --- the cross-border power links ------------------------------------------------------------

def test_power_links_are_cross_border_between_modelled_countries():
    from summit_book.rules import check_rules

    links = load_table("power_interconnectors")
    assert not check_rules(["no-self-links"])  # the validator's rule: no link to its own country
    assert set(links["from_country_id"]) | set(links["to_country_id"]) <= {"KAZ", "KGZ", "UZB"}
    for column in ("existing_capacity", "max_new_capacity_2030"):
        for value, unit in zip(links[column], links["unit"]):
            assert convert(float(value), unit, "mw") >= 0


def test_power_links_keep_the_kyrgyz_connections_of_the_model():
    links = load_table("power_interconnectors").set_index("link_id")
    assert float(links.loc["kz-so-kg-kg", "existing_capacity"]) == 1395
    assert float(links.loc["uz-uz-kg-kg", "existing_capacity"]) == 240


# --- second reading: the official figures the chapter relies on ----------------------------

def test_official_capacities_are_kept_with_their_sources(facts):
    """The chapter says the Tajik authorities give Rogun's higher capacity since 2025 and that
    Kyrgyzstan's Ministry of Energy gave Kambarata-1's in January 2026."""
    capacity = facts[facts["attribute"] == "capacity"].set_index("source_id")
    assert float(capacity.loc["trend-2025-12-10-rogun-riyadh-forum", "value"]) == 3780
    assert float(capacity.loc["24kg-2026-01-23-kambarata-donors", "value"]) == 1860
    official = facts[facts["notes"].fillna("").str.startswith("Official")]
    assert set(official["project_id"]) == set(OUR_PROJECTS)


def test_financing_offers_are_not_counted_as_costs(facts):
    financing = facts[facts["basis"].str.contains("financing", case=False)]
    assert len(financing) >= 3 and (financing["attribute"] != "cost").all()


def test_the_water_decade_keeps_its_official_version():
    variants = load_table("variants")
    decade = variants[variants["row_id"] == "cm07-uzb-water-decade"]
    official = decade[decade["official_support"] == "official"]
    assert list(official["value"]) == ["2026–2036"]
