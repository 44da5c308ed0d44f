"""Did the states keep what the meetings adopted together? The collective commitments of the
adopted documents (``commitments``), one verdict per state and commitment on the book's scale
(``commitment_verdicts``), the aggregates by country, theme and meeting, and the interim
snapshot date. Pure functions on the tables as :func:`summit_book.load_table` returns them; the
rules are those of the coding manual (``front/coding_manual.ipynb``).

1. **The states scored** (:func:`scored_states`): the document's signatories where the sources
   give them, otherwise the states that took part in the format before the meeting that adopted
   it (``countries.participant_since``): a state admitted at that meeting is not scored on it,
   since no source shows it signing.
2. **Verdicts** (:func:`verdict_grid`): one row per commitment and state scored. A state with a
   dated verdict has its score (+1, 0, -1); a state without one is *not yet assessed*, which
   says that no evidence was found, never that the state did nothing.
3. **Aggregates** (:func:`compliance_by`): per country, theme or meeting, the count of each
   verdict and the average score of the assessed cells, as the G7 and G20 Research Groups
   average their −1/0/+1 scores; the average is None where nothing is assessed.
4. **Snapshot date** (:func:`snapshot_date`): the evidence horizon of these two tables, the
   latest publication date among the sources they cite. The verdicts are an interim report as
   of that date, never as of a later one.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from .tracker import THEME_LABELS, evidence_horizon

#: Verdicts, best first; ``not_yet_assessed`` is never typed, it is the absence of a verdict.
VERDICTS = ["full_compliance", "partial_compliance", "no_compliance", "not_yet_assessed"]

#: The score of each typed verdict (the G7 and G20 Research Groups' scale).
SCORES = {"full_compliance": 1, "partial_compliance": 0, "no_compliance": -1}

#: Words for the verdicts in tables, legends and prose.
VERDICT_LABELS = {
    "full_compliance": "Kept (+1)",
    "partial_compliance": "Partly kept or under way (0)",
    "no_compliance": "Not kept (−1)",
    "not_yet_assessed": "Not yet assessed",
}

#: For the coding manual: what each verdict means and the evidence it needs.
VERDICT_MEANINGS = {
    "full_compliance": ("The state did what the commitment asks, in full.",
                        "A dated report of the state's own action, naming the state."),
    "partial_compliance": ("The state did part of it, or its work towards it is reported as under "
                           "way.",
                           "A dated report of the part done or of the work, naming the state, "
                           "and a sentence on what is missing."),
    "no_compliance": ("The state acted against the commitment, declined it, or let a deadline in "
                      "it pass without the action.",
                      "A dated report of the refusal, of the contrary act, or of the deadline "
                      "passed; never the mere absence of news."),
    "not_yet_assessed": ("No dated evidence on this state and commitment was found. It does not "
                         "mean that the state did nothing.",
                         "None: the verdict of every state until a dated report is found."),
}

#: Aggregation keys: column of :func:`verdict_grid` -> words for its values.
GROUPS = {"country": "country_name", "theme": "theme_label", "meeting": "meeting_id"}


def states_for(signatories, meeting_date, participants) -> list[str]:
    """The country ids scored on a commitment (rule 1 of the module docstring): ``signatories``
    of its document (a list, possibly empty), the date of the meeting that adopted it, and
    ``participants`` as (country_id, participant_since) pairs in the book's country order."""
    signed = _as_list(signatories)
    if signed:
        return [country for country, _since in participants if country in signed]
    if _missing(meeting_date):
        return []
    return [country for country, since in participants
            if not _missing(since) and since < meeting_date]


def _as_list(cell) -> list[str]:
    if isinstance(cell, (list, tuple)):
        return list(cell)
    if _missing(cell) or cell == "":
        return []
    return [part for part in str(cell).split(";") if part]


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NaT


def scored_states(commitments: pd.DataFrame, documents: pd.DataFrame,
                  meetings: pd.DataFrame, countries: pd.DataFrame) -> dict[str, list[str]]:
    """commitment_id -> the country ids scored on it (see :func:`states_for`)."""
    signatories = dict(zip(documents["document_id"], documents["signatories"]))
    held = dict(zip(meetings["meeting_id"], meetings["date_start"]))
    participants = list(zip(countries["country_id"], countries["participant_since"]))
    return {row.commitment_id: states_for(signatories.get(row.document_id),
                                          held.get(row.meeting_id), participants)
            for row in commitments.itertuples()}


def verdict_grid(commitments: pd.DataFrame, verdicts: pd.DataFrame, documents: pd.DataFrame,
                 meetings: pd.DataFrame, countries: pd.DataFrame) -> pd.DataFrame:
    """One row per commitment and state scored: commitment_id, meeting_id, theme, theme_label,
    summary, country, country_name, verdict (a key of :data:`VERDICT_LABELS`), score, date, event
    and source_ids (all four missing when not yet assessed)."""
    states = scored_states(commitments, documents, meetings, countries)
    names = dict(zip(countries["country_id"], countries["name"]))
    found = {(v.commitment_id, v.country_id): v for v in verdicts.itertuples()}
    rows = []
    for c in commitments.itertuples():
        for country in states[c.commitment_id]:
            v = found.get((c.commitment_id, country))
            verdict = v.verdict if v is not None else "not_yet_assessed"
            rows.append({
                "commitment_id": c.commitment_id, "meeting_id": c.meeting_id, "theme": c.theme,
                "theme_label": THEME_LABELS.get(c.theme, c.theme), "summary": c.summary,
                "country": country, "country_name": names.get(country, country),
                "verdict": verdict, "score": SCORES.get(verdict),
                "date": v.date if v is not None else None,
                "event": v.event if v is not None else None,
                "source_ids": list(v.source_ids) if v is not None else None})
    return pd.DataFrame(rows, columns=[
        "commitment_id", "meeting_id", "theme", "theme_label", "summary", "country",
        "country_name", "verdict", "score", "date", "event", "source_ids"])


def compliance_by(grid: pd.DataFrame, by: str) -> pd.DataFrame:
    """Per value of ``by`` (``country``, ``theme`` or ``meeting``, see :data:`GROUPS`): one
    column per verdict (counts, in the order of :data:`VERDICTS`), ``cells``, ``assessed`` and
    ``average`` (mean score of the assessed cells, None where none is assessed). The index is
    the reader's words for the group (country name, theme label, meeting id)."""
    column = GROUPS[by]
    counts = pd.crosstab(grid[column], grid["verdict"]).reindex(columns=VERDICTS, fill_value=0)
    counts["cells"] = counts[VERDICTS].sum(axis=1)
    counts["assessed"] = counts["cells"] - counts["not_yet_assessed"]
    means = grid.dropna(subset=["score"]).groupby(column)["score"].mean()
    counts["average"] = pd.Series([float(means[k]) if k in means.index else None
                                   for k in counts.index], index=counts.index, dtype=object)
    counts.index.name = by
    counts.columns.name = None
    return counts


def snapshot_date(commitments: pd.DataFrame, verdicts: pd.DataFrame,
                  sources: pd.DataFrame) -> dt.date:
    """The evidence horizon of the commitments and their verdicts (rule 4): the latest
    publication date among the sources either table cites."""
    cited = {s for cell in list(commitments["source_ids"]) + list(verdicts["source_ids"])
             for s in _as_list(cell)}
    return evidence_horizon(sources, cited)


def coverage_in_words(aggregate: pd.DataFrame, labels: dict | None = None) -> str:
    """'Astana 2024: 0 of 15 assessed; Tashkent 2025: 2 of 20 assessed' from an aggregate of
    :func:`compliance_by`, its groups renamed by ``labels`` where given."""
    from .publish import format_value

    labels = labels or {}
    return "; ".join(f"{labels.get(group, group)}: {format_value(int(row.assessed))} of "
                     f"{format_value(int(row.cells))} assessed"
                     for group, row in aggregate.iterrows())
