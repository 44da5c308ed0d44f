"""What became of the proposals: one outcome per proposal, counts and shares by group, and the
paths of ideas that came back. Pure functions on the ``proposals``, ``meetings`` and
``proposal_links`` tables as :func:`summit_book.load_table` returns them.

The outcome is read from the data, in this order of precedence:

1. ``taken_up``: the status is ``adopted_in_document`` or ``implemented``;
2. ``in_progress``: work on it is reported under way;
3. ``came_back``: a later proposal carries the same idea on (a ``reappears_as`` or
   ``builds_on`` link in ``proposal_links``);
4. ``raised_again``: still only proposed, but a source dated after the meeting mentions it;
5. ``no_follow_up``: no source on it dated after the meeting, or a search found nothing
   (status ``no_record_found``). This is what the chapter calls "vanished": not that nothing
   happened, but that the sources read show nothing.
"""

from __future__ import annotations

import pandas as pd

#: Outcomes from the most to the least advanced (the column order of every count table).
OUTCOMES = ["taken_up", "in_progress", "came_back", "raised_again", "no_follow_up"]

#: Words for the outcomes in tables, legends and prose.
OUTCOME_LABELS = {
    "taken_up": "Taken up (adopted or implemented)",
    "in_progress": "In progress",
    "came_back": "Came back in a later proposal",
    "raised_again": "Raised again, no decision",
    "no_follow_up": "No follow-up found",
}

#: Statuses that count as taken up.
TAKEN_UP_STATUSES = ("adopted_in_document", "implemented")

#: The status enumeration of ``proposals``, most advanced first (for sorting the tracker).
STATUS_ORDER = ["implemented", "adopted_in_document", "in_progress", "proposed", "no_record_found"]

#: Words for the themes of ``proposals``.
THEME_LABELS = {
    "format": "The format itself", "trade": "Trade and investment", "transport": "Transport",
    "minerals": "Minerals", "digital": "Digital", "water_energy": "Water and energy",
    "environment": "Environment", "industry_agriculture": "Industry and agriculture",
    "culture_tourism": "Culture and tourism", "education_society": "Education and society",
    "security": "Security", "partners": "Outside partners",
}

#: Link relations that mean a later proposal carried the idea on.
COMEBACK_RELATIONS = ("reappears_as", "builds_on")


def has_later_evidence(proposals: pd.DataFrame, meetings: pd.DataFrame) -> pd.Series:
    """True where the status is dated after the last day of the meeting the proposal was made
    at, i.e. some source after the meeting speaks of it. Index as ``proposals``."""
    meeting_end = meetings.set_index("meeting_id")["date_end"]
    ends = proposals["meeting_id"].map(meeting_end)
    return pd.Series([as_of is not None and end is not None and as_of > end
                      for as_of, end in zip(proposals["status_as_of"], ends)],
                     index=proposals.index, dtype=bool)


def came_back_ids(links: pd.DataFrame) -> set[str]:
    """Proposals that a later proposal carries on (``reappears_as`` or ``builds_on``)."""
    comebacks = links[links["relation"].isin(COMEBACK_RELATIONS)]
    return set(comebacks["proposal_id"])


def classify_outcomes(proposals: pd.DataFrame, meetings: pd.DataFrame,
                      links: pd.DataFrame) -> pd.Series:
    """One outcome (a key of :data:`OUTCOME_LABELS`) per proposal, index as ``proposals``."""
    later = has_later_evidence(proposals, meetings)
    came_back = proposals["proposal_id"].isin(came_back_ids(links))
    status = proposals["status"]
    outcome = pd.Series("no_follow_up", index=proposals.index, dtype=object)
    outcome[(status == "proposed") & later] = "raised_again"
    outcome[came_back] = "came_back"
    outcome[status == "in_progress"] = "in_progress"
    outcome[status.isin(TAKEN_UP_STATUSES)] = "taken_up"
    return outcome


def outcome_counts(frame: pd.DataFrame, by: str, order: list | None = None) -> pd.DataFrame:
    """Proposals counted by ``by`` (rows) and ``outcome`` (columns, in :data:`OUTCOMES` order,
    only those that occur). ``order`` fixes the rows; by default the largest groups first."""
    counts = pd.crosstab(frame[by], frame["outcome"])
    counts = counts[[o for o in OUTCOMES if o in counts.columns]]
    if order is None:
        order = list(counts.sum(axis=1).sort_values(ascending=False, kind="stable").index)
    return counts.reindex(order).fillna(0).astype(int)


def share_taken_up(outcomes: pd.Series) -> float:
    """Share (0 to 1) of proposals taken up; 0.0 when there are none."""
    if len(outcomes) == 0:
        return 0.0
    return float((outcomes == "taken_up").sum() / len(outcomes))


def idea_paths(links: pd.DataFrame) -> list[list[str]]:
    """Chains of proposals joined by ``reappears_as``/``builds_on`` links, each from a proposal
    nothing leads to, to one nothing follows (a branching idea gives one chain per branch)."""
    comebacks = links[links["relation"].isin(COMEBACK_RELATIONS)]
    following: dict[str, list[str]] = {}
    for earlier, later in zip(comebacks["proposal_id"], comebacks["later_proposal_id"]):
        following.setdefault(earlier, []).append(later)
    targets = set(comebacks["later_proposal_id"])
    roots = [p for p in dict.fromkeys(comebacks["proposal_id"]) if p not in targets]
    paths: list[list[str]] = []

    def walk(path: list[str]) -> None:
        nexts = [p for p in following.get(path[-1], []) if p not in path]
        if not nexts:
            paths.append(path)
        for later in nexts:
            walk(path + [later])

    for root in roots:
        walk([root])
    return paths


def taken_up_documents(proposals: pd.DataFrame, links: pd.DataFrame) -> dict[str, str]:
    """proposal_id -> the document that took it up, from ``taken_up_by`` links and from the
    proposals' own ``taken_up_by_document_id`` (the proposals table wins if both are set)."""
    documents = {}
    taken = links[links["relation"] == "taken_up_by"]
    documents.update(zip(taken["proposal_id"], taken["document_id"]))
    own = proposals[proposals["taken_up_by_document_id"].notna()
                    & (proposals["taken_up_by_document_id"] != "")]
    documents.update(zip(own["proposal_id"], own["taken_up_by_document_id"]))
    return documents


def count_matrix(frame: pd.DataFrame, row: str, column: str, row_order: list,
                 column_order: list) -> pd.DataFrame:
    """Proposals counted by ``row`` and ``column`` as text cells: "n", or "n (k)" where k of the
    n were taken up; empty where there are none. A last column "all" gives the row totals."""
    counts = pd.crosstab(frame[row], frame[column]).reindex(
        index=row_order, columns=column_order, fill_value=0)
    taken = pd.crosstab(frame[row], frame[column], values=(frame["outcome"] == "taken_up").astype(int),
                        aggfunc="sum").reindex(index=row_order, columns=column_order).fillna(0)
    cells = pd.DataFrame("", index=counts.index, columns=counts.columns, dtype=object)
    for r in counts.index:
        for c in counts.columns:
            n, k = int(counts.loc[r, c]), int(taken.loc[r, c])
            cells.loc[r, c] = "" if n == 0 else (f"{n} ({k})" if k else str(n))
    cells["all"] = [str(int(n)) for n in counts.sum(axis=1)]
    return cells


def path_table(links: pd.DataFrame, describe: dict[str, str], outcome_text: dict[str, str],
               document_text: dict[str, str], documents_taken: dict[str, str]) -> pd.DataFrame:
    """One row per idea path (see :func:`idea_paths`), then one per ``taken_up_by`` link not on
    a path: the first proposal, the later steps (or the document), the relations, the status of
    the last step and the sources of the links. ``describe`` and ``outcome_text`` map
    proposal_id, ``document_text`` document_id, to the words shown."""
    rows = []
    paths = idea_paths(links)
    for path in paths:
        chain = links[links["proposal_id"].isin(path[:-1]) & links["later_proposal_id"].isin(path[1:])]
        last = path[-1]
        status = outcome_text[last]
        if last in documents_taken:
            status += f": {document_text[documents_taken[last]]}"
        rows.append({"first recorded": describe[path[0]],
                     "later": " → ".join(describe[p] for p in path[1:]),
                     "relation": ", ".join(sorted(set(chain["relation"].str.replace("_", " ")))),
                     "status of the last": status,
                     "source_ids": sorted({s for ids in chain["source_ids"] for s in ids})})
    on_paths = {p for path in paths for p in path}
    for link in links[links["relation"] == "taken_up_by"].itertuples():
        if link.proposal_id not in on_paths:
            rows.append({"first recorded": describe[link.proposal_id],
                         "later": document_text[link.document_id], "relation": "taken up by",
                         "status of the last": outcome_text[link.proposal_id],
                         "source_ids": list(link.source_ids)})
    return pd.DataFrame(rows, columns=["first recorded", "later", "relation", "status of the last",
                                       "source_ids"])


def meeting_labels(meetings: pd.DataFrame) -> dict[str, str]:
    """meeting_id -> "City year" for the meetings held (e.g. "Tashkent 2025")."""
    held = meetings[meetings["status"] == "held"]
    return {m.meeting_id: f"{m.city.split(' ')[0]} {m.date_start.year}" for m in held.itertuples()}


def track(proposals: pd.DataFrame, meetings: pd.DataFrame, links: pd.DataFrame,
          people: pd.DataFrame) -> pd.DataFrame:
    """The proposals with their outcome and the words shown for them: ``outcome``, ``meeting``
    ("City year"), ``leader`` ("Name (country)"), ``proposer`` (name) and ``theme_name``."""
    person = people.set_index("person_id")
    return proposals.assign(
        outcome=classify_outcomes(proposals, meetings, links),
        meeting=proposals["meeting_id"].map(meeting_labels(meetings)),
        proposer=proposals["proposer_person_id"].map(person["name"]),
        leader=proposals["proposer_person_id"].map(person["name"] + " (" + person["country_id"] + ")"),
        theme_name=proposals["theme"].map(THEME_LABELS),
    )


def _leader_names(labels) -> str:
    """'Name (KAZ)' labels as names in words: 'A', 'A and B'."""
    from summit_book.publish import list_in_words
    return list_in_words([label.rsplit(" (", 1)[0] for label in labels])


def leader_texts(tracked: pd.DataFrame, minimum: int = 5) -> dict[str, str]:
    """Phrases on the leaders for the chapter's prose, from :func:`track`'s frame:

    - ``top_leader``: who has the most proposals recorded, and how many;
    - ``best_share``: among leaders with at least ``minimum`` proposals, whose share taken up is
      highest, each as "name (k of n)"; or a phrase saying none had any taken up;
    - ``fewest``: who has the fewest proposals recorded, and how many.
    """
    per_leader = tracked.groupby("leader").size()
    top = per_leader[per_leader == per_leader.max()]
    fewest = per_leader[per_leader == per_leader.min()]
    taken = tracked[tracked["outcome"] == "taken_up"].groupby("leader").size()
    shares = tracked.groupby("leader")["outcome"].agg(share_taken_up)
    counted = shares[per_leader[per_leader >= minimum].index]
    best = counted[counted == counted.max()] if len(counted) else counted
    if len(best) == 0 or best.iloc[0] == 0:
        best_text = "nil: none of them had a proposal taken up"
    else:
        from summit_book.publish import list_in_words
        best_text = "that of " + list_in_words(
            [f"{_leader_names([leader])} ({int(taken.get(leader, 0))} of {int(per_leader[leader])})"
             for leader in best.index])
    return {
        "top_leader": f"the most were recorded for {_leader_names(top.index)} "
                      f"({int(per_leader.max())}{' each' if len(top) > 1 else ''})",
        "best_share": best_text,
        "fewest": f"{_leader_names(fewest.index)} ({int(per_leader.min())}"
                  f"{' each' if len(fewest) > 1 else ''})",
    }


def proposals_in_words(frame: pd.DataFrame) -> str:
    """The proposals of ``frame`` as "Surname: summary; ...", sorted by proposer and id."""
    return "; ".join(
        f"{row.proposer.split()[-1]}: {row.summary[0].lower()}{row.summary[1:].rstrip('.')}"
        for row in frame.sort_values(["proposer_person_id", "proposal_id"]).itertuples())


def statuses_in_words(statuses: pd.Series) -> str:
    """'all 6 had the status “proposed”', or 'these statuses: proposed (4) and in progress (2)'."""
    from summit_book.publish import list_in_words
    counts = statuses.str.replace("_", " ").value_counts()
    if len(counts) == 1:
        return f"all {int(counts.iloc[0])} had the status “{counts.index[0]}”"
    return "these statuses: " + list_in_words([f"{status} ({int(n)})" for status, n in counts.items()])
