"""Computations for the chapter on how the press reported a meeting.

Every function takes DataFrames (as :func:`summit_book.load_table` returns them) and reads no
table itself, so a notebook's ``load_table`` calls stay the record of what it used.
"""

from __future__ import annotations

import re

import pandas as pd

#: Labels of ``official_support`` on the side of the official record.
OFFICIAL_SIDE = ("official", "supported_by_official")
#: Labels of ``official_support`` for versions the official record does not back.
OTHER_SIDE = ("contradicted_by_official", "not_in_official_record")


def theme_paragraphs(report_themes: pd.DataFrame, press_reports: pd.DataFrame,
                     by: str = "report_kind") -> pd.DataFrame:
    """Paragraphs coded to each theme, summed over the reports of each group.

    Rows are the values of ``press_reports[by]`` (in order of first appearance), columns the
    themes ordered by total paragraphs (most first); missing combinations are 0.
    """
    if by not in press_reports:
        raise KeyError(f"press_reports has no column '{by}'")
    unknown = set(report_themes["source_id"]) - set(press_reports["source_id"])
    if unknown:
        raise ValueError(f"report_themes rows for reports not in press_reports: {sorted(unknown)}")
    merged = report_themes.merge(press_reports[["source_id", by]], on="source_id")
    counts = merged.pivot_table(index=by, columns="theme", values="paragraphs",
                                aggfunc="sum", fill_value=0)
    order = list(dict.fromkeys(press_reports[by]))
    counts = counts.reindex([g for g in order if g in counts.index])
    counts = counts[counts.sum().sort_values(ascending=False, kind="stable").index]
    counts.columns.name = None
    return counts.astype(int)


def shares(counts: pd.DataFrame) -> pd.DataFrame:
    """Each row of ``counts`` divided by its total (rows sum to 1)."""
    totals = counts.sum(axis=1)
    if (totals <= 0).any():
        raise ValueError(f"rows with no paragraphs: {list(totals[totals <= 0].index)}")
    return counts.div(totals, axis=0)


def whole_percents(counts: pd.DataFrame) -> pd.DataFrame:
    """Shares as whole percentages that add up to exactly 100 in every row.

    Largest-remainder rounding: each cell is first rounded down, then the points still missing
    go to the cells with the largest remainders, so a stacked bar always ends at 100.
    """
    exact = shares(counts) * 100
    result = exact.apply(lambda row: row.floordiv(1)).astype(int)
    for label, row in exact.iterrows():
        missing = 100 - int(result.loc[label].sum())
        remainders = (row - row.floordiv(1)).sort_values(ascending=False, kind="stable")
        for column in remainders.index[:missing]:
            result.loc[label, column] += 1
    return result


def keep_top_columns(counts: pd.DataFrame, keep: int, other: str = "other themes") -> pd.DataFrame:
    """The first ``keep`` columns of ``counts`` and one column ``other`` summing the rest (so a
    stacked chart has no more segments than the palette has shades)."""
    if keep < 1:
        raise ValueError("keep must be at least 1")
    if counts.shape[1] <= keep:
        return counts.copy()
    result = counts.iloc[:, :keep].copy()
    result[other] = counts.iloc[:, keep:].sum(axis=1)
    return result


def report_figures(statements: pd.DataFrame, press_reports: pd.DataFrame) -> pd.DataFrame:
    """Rows of ``statements`` reported by a report of the corpus, with that report's id in a
    ``source_id`` column (statements carry exactly one source each)."""
    corpus = set(press_reports["source_id"])
    single = statements["source_ids"].map(len) == 1
    if not single.all():
        raise ValueError("statements rows must name exactly one source each")
    frame = statements.assign(source_id=statements["source_ids"].map(lambda ids: ids[0]))
    return frame[frame["source_id"].isin(corpus)].reset_index(drop=True)


def discrepancy_sides(variants: pd.DataFrame) -> pd.DataFrame:
    """One row per disputed value (table, row, column): the versions on the side of the official
    record and the other versions, each with the sources that give them.

    Only values with at least one version outside the official record are kept. Columns: about,
    table_name, row_id, column_name, official_values, official_sources, other_values,
    other_sources, other_labels (the official_support labels of the other side).
    """
    unknown = set(variants["official_support"]) - set(OFFICIAL_SIDE) - set(OTHER_SIDE)
    if unknown:
        raise ValueError(f"unknown official_support labels: {sorted(unknown)}")
    rows = []
    for (table, row_id, column), group in variants.groupby(
            ["table_name", "row_id", "column_name"], sort=True):
        official = group[group["official_support"].isin(OFFICIAL_SIDE)]
        other = group[group["official_support"].isin(OTHER_SIDE)]
        if other.empty:
            continue
        rows.append({
            "about": f"{table}: {row_id} ({column})",
            "table_name": table, "row_id": row_id, "column_name": column,
            "official_values": list(dict.fromkeys(official["value"])),
            "official_sources": sorted({s for ids in official["source_ids"] for s in ids}),
            "other_values": list(dict.fromkeys(other["value"])),
            "other_sources": sorted({s for ids in other["source_ids"] for s in ids}),
            "other_labels": sorted(set(other["official_support"])),
        })
    columns = ["about", "table_name", "row_id", "column_name", "official_values",
               "official_sources", "other_values", "other_sources", "other_labels"]
    return pd.DataFrame(rows, columns=columns)


def normalise_wording(fragment: str) -> str:
    """A fragment reduced to its words: lower case, punctuation and quotation marks dropped,
    spaces collapsed, so that two renderings differing only in those count as one wording."""
    words = re.findall(r"\w+", fragment.lower())
    return " ".join(words)


def rendering_summary(quote_renderings: pd.DataFrame) -> pd.DataFrame:
    """Per quoted sentence: how many sources render it, in which languages, and how many
    distinct wordings there are in all and per language (after :func:`normalise_wording`)."""
    frame = quote_renderings.assign(wording=quote_renderings["fragment"].map(normalise_wording))
    rows = []
    for quote_id, group in frame.groupby("quote_id", sort=False):
        per_language = group.groupby("language", sort=False)["wording"].nunique()
        rows.append({
            "quote_id": quote_id,
            "person_id": group["person_id"].iloc[0],
            "sources": group["source_id"].nunique(),
            "languages": list(per_language.index),
            "wordings": int(group["wording"].nunique()),
            "wordings_by_language": {lang: int(n) for lang, n in per_language.items()},
            "quoted": int((group["form"] == "quoted").sum()),
        })
    return pd.DataFrame(rows)


def days_after_meeting(press_reports: pd.DataFrame, sources: pd.DataFrame,
                       meetings: pd.DataFrame) -> pd.Series:
    """Days from the meeting's first day to each report's publication date, indexed by
    source_id; missing (None) where the source gives no date."""
    published = sources.set_index("source_id")["date_published"]
    start = meetings.set_index("meeting_id")["date_start"]
    values = {}
    for row in press_reports.itertuples():
        date = published.get(row.source_id)
        values[row.source_id] = None if date is None or pd.isna(date) else (
            date - start[row.meeting_id]).days
    return pd.Series(values, name="days_after", dtype="object")


def recorded_values(sides: pd.DataFrame, tables: dict[str, pd.DataFrame],
                    primary_keys: dict[str, str | list[str]]) -> pd.Series:
    """The value the book's own table records for each row of :func:`discrepancy_sides`
    (the version the editors took from the official record), as text; empty where the table,
    row or column is not given. Composite keys are joined with '/' as in ``variants.row_id``."""
    values = []
    for row in sides.itertuples():
        table = tables.get(row.table_name)
        key = primary_keys.get(row.table_name)
        if table is None or key is None or row.column_name not in table:
            values.append("")
            continue
        ids = (table[key].astype(str) if isinstance(key, str)
               else table[key].astype(str).agg("/".join, axis=1))
        match = table.loc[ids == row.row_id, row.column_name]
        value = match.iloc[0] if len(match) else None
        if isinstance(value, (list, tuple)):
            value = ", ".join(map(str, value))
        missing = value is None or (not isinstance(value, str) and bool(pd.isna(value)))
        values.append("" if missing else str(value))  # pandas' NA is empty, never "<NA>"
    return pd.Series(values, index=sides.index, name="recorded")


#: Names of outlet countries outside the format (the countries table holds only participants).
OUTSIDE_COUNTRY_NAMES = {"RUS": "Russia", "TUR": "Türkiye", "USA": "United States"}


def outlet_country_names(countries: pd.DataFrame, unknown: str = "not clear") -> dict:
    """Names for ``press_reports.outlet_country`` codes: participants from ``countries``, a
    few outside countries, and ``unknown`` for an empty code."""
    names = dict(zip(countries["country_id"], countries["name"]))
    names.update({code: name for code, name in OUTSIDE_COUNTRY_NAMES.items() if code not in names})
    names[None] = unknown
    names[""] = unknown
    return names


def outlet_name(publisher: str) -> str:
    """The outlet behind a ``sources.publisher`` entry: the name before any bracketed remark,
    so that 'Kazinform (Uzbek service)' and 'Kazinform' count as one outlet."""
    return re.split(r"\s+\(", publisher, maxsplit=1)[0].strip()
