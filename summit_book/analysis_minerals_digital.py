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


