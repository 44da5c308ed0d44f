"""Tests for the minerals and digital chapters: the share and coverage helpers, the invariants of
the mineral tables, and the USGS figures as checked against a second copy."""

from __future__ import annotations

import pandas as pd
import pytest

from summit_book import load_table
from summit_book.analysis_minerals_digital import share_text, world_shares
from summit_book.indicators import last_year_with_value, per_million_people
from summit_book.units import UNITS, convert

PARTICIPANTS = {"KAZ", "KGZ", "TJK", "TKM", "UZB", "AZE"}
USGS = "usgs-2026-02-06-mcs2026"


def production_rows(rows: list[dict]) -> pd.DataFrame:
    """A small mineral_production-like frame for the helper tests."""
    base = {"measure": "mine_production", "year": 2025, "is_lower_bound": False,
            "unit": "tonne", "country_id": None}
    frame = pd.DataFrame([{**base, **row} for row in rows])
    frame["value"] = frame["value"].astype("Float64")
    return frame


# --- helpers ---------------------------------------------------------------------------------

def test_world_shares_converts_units_and_ranks_only_when_proven():
    frame = production_rows([
        {"commodity": "x", "area": "A", "area_kind": "country", "value": 60},
        {"commodity": "x", "area": "B", "area_kind": "country", "value": 30},
        {"commodity": "x", "area": "World", "area_kind": "world_total", "value": 0.1,
         "unit": "thousand_tonnes"},
    ])
    shares = world_shares(frame, "mine_production", 2025).set_index("area")
    assert shares.loc["A", "share_percent"] == pytest.approx(60.0)
    assert shares.loc["B", "share_percent"] == pytest.approx(30.0)
    # 10 t of the world total are unaccounted for: fewer than B's 30 t, so both ranks are proven.
    assert shares.loc["A", "rank"] == 1 and shares.loc["B", "rank"] == 2


def test_world_shares_withholds_unproven_rank_and_flags_lower_bounds():
    frame = production_rows([
        {"commodity": "x", "area": "A", "area_kind": "country", "value": 10},
        {"commodity": "x", "area": "World", "area_kind": "world_total", "value": 100},
        {"commodity": "y", "area": "A", "area_kind": "country", "value": 90},
        {"commodity": "y", "area": "World", "area_kind": "world_total", "value": 100,
         "is_lower_bound": True},
    ])
    shares = world_shares(frame, "mine_production", 2025).set_index("commodity")
    assert pd.isna(shares.loc["x", "rank"])  # 90 t unaccounted could hide a larger producer
    assert pd.isna(shares.loc["y", "rank"])  # the world total is only a lower bound
    assert bool(shares.loc["y", "share_is_upper_bound"])
    assert share_text(3.0, True) == "at most 3.0%"
    assert share_text(13.72, False) == "13.7%"


def test_last_year_with_value_keeps_areas_without_data():
    indicators = pd.DataFrame({
        "indicator_id": ["i", "i", "i", "j"], "area_code": ["KAZ", "KAZ", "TKM", "KGZ"],
        "year": [2020, 2023, 2017, 2023], "value": [1.0, 2.0, 3.0, 4.0]})
    coverage = last_year_with_value(indicators, "i", ["KAZ", "TKM", "KGZ"]).set_index("area_code")
    assert coverage.loc["KAZ", "last_year"] == 2023 and coverage.loc["KAZ", "last_value"] == 2.0
    assert coverage.loc["TKM", "last_year"] == 2017
    assert pd.isna(coverage.loc["KGZ", "last_year"])


def test_per_million_people_uses_the_latest_common_year():
    indicators = pd.DataFrame({
        "indicator_id": ["articles", "articles", "population", "population", "articles"],
        "area_code": ["KAZ", "KAZ", "KAZ", "KAZ", "TKM"],
        "year": [2021, 2023, 2021, 2022, 2023],
        "value": [100.0, 500.0, 2_000_000.0, 4_000_000.0, 7.0]})
    result = per_million_people(indicators, "articles", ["KAZ", "TKM"]).set_index("area_code")
    assert list(result.index) == ["KAZ"]  # no population for TKM: left out, not guessed
    assert result.loc["KAZ", "year"] == 2021  # 2023 has no population, 2022 no count
    assert result.loc["KAZ", "per_million"] == pytest.approx(50.0)


def test_ore_grade_units_convert():
    assert convert(700, "grams_per_tonne", "percent_by_mass") == pytest.approx(0.07)
    with pytest.raises(ValueError):
        convert(700, "grams_per_tonne", "tonne")


# --- table invariants ------------------------------------------------------------------------

@pytest.fixture(scope="module")
def production():
    return load_table("mineral_production")


@pytest.fixture(scope="module")
def claims():
    return load_table("mineral_claims")


def test_every_unit_is_known(production, claims):
    for unit in set(production["unit"]) | set(claims["unit"]):
        assert unit in UNITS


def test_one_world_total_per_usgs_commodity_measure_and_year(production):
    usgs = production[production["source_ids"].map(lambda ids: ids[0] == USGS)]
    for (commodity, measure, year), group in usgs.groupby(["commodity", "measure", "year"]):
        assert (group["area_kind"] == "world_total").sum() == 1, (commodity, measure, year)


def test_listed_values_do_not_exceed_world_total(production):
    shares = pd.concat([world_shares(production, measure, year)
                        for measure in ("mine_production", "sponge_metal_production", "reserves")
                        for year in (2024, 2025)])
    assert not shares.empty
    assert (shares["share_percent"] <= 100).all()


def test_no_participant_is_listed_for_rare_earths(production):
    """The chapter says no Central Asian state (nor Azerbaijan) is listed individually in the
    USGS rare-earth table; this fails if one is added."""
    rare = production[production["commodity"] == "rare_earths"]
    assert not set(rare["country_id"].dropna()) & PARTICIPANTS
    assert "Other" in set(rare["area"])


def test_every_usgs_row_records_how_it_was_checked(production):
    usgs = production[production["source_ids"].map(lambda ids: ids[0] == USGS)]
    assert (usgs["verification"] != "not_checked").all()
    expected = {"data_release": "usgs-2026-02-06-mcs2026-data-release",
                "origin_extraction": "pranava0x0-mcs2026-audit-json"}
    for verification, ids in zip(usgs["verification"], usgs["source_ids"]):
        assert ids[1:] == [expected[verification]]


# Values read in a second copy of MCS 2026 for this book: the rare-earth rows in the official
# data release (MCS2026_Commodities_Data.csv), the others in the JSON extracted from the
# official chapter PDFs. (commodity, area, measure, year) -> value as printed.
CHECKED = {
    ("rare_earths", "China", "mine_production", 2024): "270000",
    ("rare_earths", "China", "mine_production", 2025): "270000",
    ("rare_earths", "United States", "mine_production", 2024): "45500",
    ("rare_earths", "Other", "mine_production", 2025): "550",
    ("rare_earths", "World total (rounded)", "mine_production", 2024): "380000",
    ("rare_earths", "World total (rounded)", "mine_production", 2025): "390000",
    ("rare_earths", "China", "reserves", 2025): "44000000",
    ("rare_earths", "World total (rounded)", "reserves", 2025): ">85,000,000",
    ("antimony", "Tajikistan", "mine_production", 2025): "22000",
    ("antimony", "Tajikistan", "reserves", 2025): "60000",
    ("antimony", "Kyrgyzstan", "reserves", 2025): "260000",
    ("antimony", "Kazakhstan", "reserves", 2025): "NA",
    ("antimony", "World total (rounded)", "mine_production", 2025): "110000",
    ("chromium", "Kazakhstan", "mine_production", 2025): "7000",
    ("chromium", "Kazakhstan", "reserves", 2025): "230000",
    ("chromium", "World total (rounded)", "mine_production", 2025): "51000",
    ("titanium", "Kazakhstan", "sponge_metal_production", 2025): "16000",
    ("rhenium", "Uzbekistan", "mine_production", 2025): "7000",
    ("rhenium", "Kazakhstan", "reserves", 2025): "190000",
    ("rhenium", "World total (rounded)", "reserves", 2025): "Large",
    ("molybdenum", "Kazakhstan", "mine_production", 2025): "4300",
    ("molybdenum", "Uzbekistan", "reserves", 2025): "21",
    ("zinc", "Kazakhstan", "mine_production", 2025): "360",
    ("zinc", "Kazakhstan", "reserves", 2025): "7400",
    ("manganese", "Other countries", "mine_production", 2025): "1300",
}


@pytest.mark.parametrize("key", sorted(CHECKED, key=str))
def test_usgs_values_match_the_second_copy(production, key):
    commodity, area, measure, year = key
    row = production[(production["commodity"] == commodity) & (production["area"] == area)
                     & (production["measure"] == measure) & (production["year"] == year)]
    assert len(row) == 1, key
    assert row["value_as_printed"].iloc[0].replace(",", "") == CHECKED[key].replace(",", "")


def test_units_as_usgs_states_them(production):
    unit = production.set_index(["commodity", "measure"])["unit"]
    assert set(unit.loc[("chromium", "mine_production")]) == {"thousand_tonnes"}
    assert set(unit.loc[("rhenium", "reserves")]) == {"kg"}
    assert set(unit.loc[("molybdenum", "mine_production")]) == {"tonne"}
    assert set(unit.loc[("molybdenum", "reserves")]) == {"thousand_tonnes"}


def test_claims_keep_the_ore_versus_metal_disagreement(claims):
    zhana = claims[claims["claim_id"].str.startswith("kaz-zhana-kazakhstan-total")]
    assert {"rare_earth_metals", "ore"} <= set(zhana["counted_as"])
    assert zhana["source_id"].is_unique


# --- proposals and projects this chapter cites -----------------------------------------------

def test_cited_proposals_and_projects_exist():
    proposals = set(load_table("proposals")["proposal_id"])
    assert {"cm07-kaz-rare-earth-centre", "cm07-kaz-ai-declaration",
            "cm07-uzb-ecommerce-programme", "cm07-kgz-digital-transit-corridor"} <= proposals
    projects = set(load_table("projects")["project_id"])
    assert {"astana-rare-earth-research-centre", "kaz-uzb-rare-earth-working-group",
            "zhana-kazakhstan-rare-earth-area", "dushanbe-regional-ai-centre",
            "kaz-us-tungsten-venture"} <= projects
    facts = load_table("project_facts")
    ours = facts[facts["project_id"] == "kaz-us-tungsten-venture"]
    assert set(ours["attribute"]) == {"share", "cost", "other"}
    for value, unit in zip(ours["value"], ours["unit"]):
        convert(float(value), unit, unit)  # every unit is one summit_book.units knows


def test_seed_figures_present():
    """The seeds' rare-earth and AI proposals are in the proposals table with seed sources."""
    proposals = load_table("proposals").set_index("proposal_id")
    assert "newsaz-2025-11-21-saglam" in proposals.loc["cm07-kaz-rare-earth-centre", "source_ids"]
    assert "gulfobserver-2025-11-29-tokayev" in proposals.loc["cm07-kaz-ai-declaration",
                                                              "source_ids"]
