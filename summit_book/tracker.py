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
