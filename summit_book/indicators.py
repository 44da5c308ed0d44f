"""Reading the ``indicators`` table: latest values, coverage, sums over areas, rates per person.

One place for what several chapters ask of the public statistical series. Functions take the
DataFrames the chapter loaded (never reading tables themselves) and return DataFrames; unit
conversions go through :func:`summit_book.units.convert`.
"""

from __future__ import annotations

import pandas as pd

from .units import convert


def latest_values(indicators: pd.DataFrame, indicator_ids: list[str],
                  area_codes: list[str]) -> pd.DataFrame:
    """The latest year's row of each series for each area (tidy: indicator, area, year, value,
    flag, source_id). Areas or series without data are simply absent."""
    rows = indicators[indicators["indicator_id"].isin(indicator_ids)
                      & indicators["area_code"].isin(area_codes)]
    latest = rows.sort_values("year").groupby(["indicator_id", "area_code"]).tail(1)
    return latest.sort_values(["indicator_id", "area_code"]).reset_index(drop=True)


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


def summed_series(indicators: pd.DataFrame, indicator_ids: list[str], areas: list[str]
                  ) -> pd.DataFrame:
    """The sum of several indicators per area and year (e.g. exports plus imports), kept only
    where every indicator has a value: columns area_code, year, value."""
    rows = indicators[indicators["indicator_id"].isin(indicator_ids)
                      & indicators["area_code"].isin(areas)]
    table = rows.pivot_table(index=["area_code", "year"], columns="indicator_id", values="value",
                             aggfunc="first").astype(float)
    table = table.dropna(subset=indicator_ids)
    return table[indicator_ids].sum(axis=1).rename("value").reset_index()


def regional_total(series: pd.DataFrame, areas: list[str], name: str) -> pd.DataFrame:
    """Sum of ``series`` (area_code, year, value) over ``areas``, for the years in which every
    one of them has a value; area_code becomes ``name``."""
    rows = series[series["area_code"].isin(areas)]
    complete = rows.groupby("year").filter(lambda group: group["area_code"].nunique() == len(areas))
    return (complete.groupby("year")["value"].sum().reset_index().assign(area_code=name)
            [["area_code", "year", "value"]])
