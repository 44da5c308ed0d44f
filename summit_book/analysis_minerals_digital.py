"""Computations for the chapters on critical minerals and on the digital region.

They take DataFrames (as :func:`summit_book.load_table` returns them) and return DataFrames;
they never read tables themselves. Shares are the book's computation from the source's
figures, converted with :func:`summit_book.units.convert`, never by hand.
"""

from __future__ import annotations

import pandas as pd

from .units import convert


def world_shares(production: pd.DataFrame, measure: str, year: int) -> pd.DataFrame:
    """Each listed country's value as a percentage of the world total of its commodity.

    ``production`` is the ``mineral_production`` table. Rows of ``measure`` and ``year`` with a
    value are matched to the world total of the same commodity, measure and year; the share is
    ``value / world * 100`` after converting both into the world total's unit. Where the world
    total is printed as a lower bound ('>'), the share is an upper bound (``share_is_upper_bound``) and no rank is given.
    ``rank`` is a country's place in the world, given only where the table proves it: the
    table holds a selection of each USGS list, so a country's rank among the rows present is
    kept only when the part of the world total not accounted for by those rows is smaller than
    the country's own value (no unlisted country can then be larger). Groups such as 'Other
    countries' get no rank. Rows without a world total (BGS series) are dropped.
    """
    rows = production[(production["measure"] == measure) & (production["year"] == year)
                      & production["value"].notna()]
    world = rows[rows["area_kind"] == "world_total"].set_index("commodity")
    listed = rows[rows["area_kind"] != "world_total"]
    listed = listed[listed["commodity"].isin(world.index)].copy()
    listed["world_value"] = listed["commodity"].map(lambda c: float(world.loc[c, "value"]))
    listed["world_unit"] = listed["commodity"].map(lambda c: world.loc[c, "unit"])
    listed["share_percent"] = [
        convert(float(value), unit, world_unit) / world_value * 100
        for value, unit, world_unit, world_value in zip(
            listed["value"], listed["unit"], listed["world_unit"], listed["world_value"])]
    listed["share_is_upper_bound"] = listed["commodity"].map(
        lambda c: bool(world.loc[c, "is_lower_bound"]))
    accounted = listed.groupby("commodity")["value"].sum().astype(float)
    unaccounted = {c: float(world.loc[c, "value"]) - accounted.get(c, 0.0) for c in world.index}
    countries = listed[listed["area_kind"] == "country"]
    ranks = countries.groupby("commodity")["value"].rank(ascending=False, method="min")
    certain = [unaccounted[c] < float(v) and not bool(world.loc[c, "is_lower_bound"])
               for c, v in zip(countries["commodity"], countries["value"])]
    ranks = ranks[certain]
    listed["rank"] = ranks.reindex(listed.index).astype("Int64")
    return listed.reset_index(drop=True)


def share_text(share: float, upper_bound: bool, decimals: int = 1) -> str:
    """A share for prose or tables: '14.0%' or, against a world total printed as a lower
    bound, 'at most 3.0%'."""
    text = f"{share:.{decimals}f}%"
    return f"at most {text}" if upper_bound else text


def last_year_with_value(indicators: pd.DataFrame, indicator_id: str,
                         area_codes: list[str]) -> pd.DataFrame:
    """For one indicator, the first and last year with a value for each area, and the value in
    the last year. Areas without any value are listed with empty years, so gaps are visible."""
    rows = indicators[(indicators["indicator_id"] == indicator_id)
                      & indicators["area_code"].isin(area_codes) & indicators["value"].notna()]
    records = []
    for code in area_codes:
        own = rows[rows["area_code"] == code].sort_values("year")
        if own.empty:
            records.append({"area_code": code, "first_year": None, "last_year": None,
                            "last_value": None})
            continue
        records.append({"area_code": code, "first_year": int(own["year"].iloc[0]),
                        "last_year": int(own["year"].iloc[-1]),
                        "last_value": float(own["value"].iloc[-1])})
    frame = pd.DataFrame.from_records(records)
    for column in ("first_year", "last_year"):
        frame[column] = frame[column].astype("Int64")
    return frame


def values_in_year(indicators: pd.DataFrame, indicator_id: str, area_codes: list[str],
                   year: int) -> pd.DataFrame:
    """One indicator's value in one year for the given areas (areas without a value that year
    are left out), with the row's source_id."""
    rows = indicators[(indicators["indicator_id"] == indicator_id)
                      & indicators["area_code"].isin(area_codes) & (indicators["year"] == year)
                      & indicators["value"].notna()]
    return rows[["area_code", "year", "value", "source_id"]].reset_index(drop=True)


def per_million_people(indicators: pd.DataFrame, indicator_id: str, area_codes: list[str],
                       count_unit: str = "count") -> pd.DataFrame:
    """A count indicator (patent applications, journal articles) per million people, in the
    latest year that has both the count and the population (``population``, in persons).

    Returns area_code, year, count, population, per_million; areas with no common year are left
    out. The division is the book's computation; both figures are converted with
    :func:`summit_book.units.convert` (the count into ones, the population into millions).
    """
    counts = indicators[(indicators["indicator_id"] == indicator_id) & indicators["value"].notna()]
    people = indicators[(indicators["indicator_id"] == "population") & indicators["value"].notna()]
    records = []
    for code in area_codes:
        own = counts[counts["area_code"] == code].set_index("year")["value"]
        pop = people[people["area_code"] == code].set_index("year")["value"]
        common = sorted(set(own.index) & set(pop.index))
        if not common:
            continue
        year = common[-1]
        count = convert(float(own[year]), count_unit, "count")
        millions = convert(float(pop[year]), "persons", "million_persons")
        records.append({"area_code": code, "year": int(year), "count": count,
                        "population": float(pop[year]), "per_million": count / millions})
    return pd.DataFrame.from_records(
        records, columns=["area_code", "year", "count", "population", "per_million"])
