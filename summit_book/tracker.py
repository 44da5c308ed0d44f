"""What became of the proposals: the status of each proposal derived from its evidence log,
the evidence horizon, the computed "stalled" status, counting each idea once, counts and shares
by group, and the paths of ideas that came back. Pure functions on the ``proposals``,
``proposal_evidence``, ``meetings``, ``sources`` and ``proposal_links`` tables as
:func:`summit_book.load_table` returns them. The rules are those of the book's coding manual
(``front/coding_manual.md``); change one here and there together.

1. **Recorded status** (:func:`derive_statuses`): from the steps in ``proposal_evidence``, the
   latest step that supports a status sets it (on one day, the most advanced); a search that found
   nothing (``no_step_found``) counts only when no step of progress is recorded; a restatement
   (``restated``) sets no status. No step at all: ``proposed``.
2. **Evidence horizon** (:func:`evidence_horizon`): the latest publication date among the sources
   read. Reading dates are recorded only for some sources, so the horizon rests on what the
   sources could report, never on the data cut-off.
3. **Shown status** (:func:`shown_statuses`): the recorded status, except that a step of progress
   that is not the end of the road and has no newer step within :data:`STALL_MONTHS` months of
   the horizon is shown as ``stalled``; ``proposed`` is shown as ``raised_again`` when a later
   source restates it (or a later proposal repeats it) and as ``not_yet_assessed`` otherwise.
4. **Counted once** (:func:`counted_once`): a proposal that repeats an earlier one (the target of
   a ``reappears_as`` link) is listed but not counted; the earlier one is counted with the most
   advanced shown status of the idea (:func:`idea_statuses`).
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

#: Recorded statuses (the ``proposals.status`` enumeration), most advanced first.
STATUS_ORDER = ["implemented", "partly_done", "in_progress", "adopted_in_document",
                "no_record_found", "proposed"]

#: The status each kind of step in ``proposal_evidence`` supports (``restated``: none).
EFFECT_STATUS = {"implemented": "implemented", "partly_done": "partly_done",
                 "in_progress": "in_progress", "adopted_in_document": "adopted_in_document",
                 "no_step_found": "no_record_found", "restated": None}

#: Shown statuses, most advanced first (the column order of every count table).
OUTCOMES = ["implemented", "partly_done", "in_progress", "adopted_in_document", "stalled",
            "raised_again", "no_record_found", "not_yet_assessed"]

#: Months without a new step after which a status of progress is shown as stalled.
STALL_MONTHS = 12

#: Words for the shown statuses in tables, legends and prose. None says "nothing happened":
#: a status without a step says what was (not) checked.
OUTCOME_LABELS = {
    "implemented": "Done",
    "partly_done": "Partly done",
    "in_progress": "Under way",
    "adopted_in_document": "Agreed in an adopted document",
    "stalled": f"Stalled: no new step in {STALL_MONTHS} months",
    "raised_again": "Raised again, no decision found",
    "no_record_found": "Searched: no step found",
    "not_yet_assessed": "Not yet assessed after the meeting",
}

#: For the coding manual: what each shown status means and the evidence it needs.
STATUS_MEANINGS = {
    "implemented": ("What was proposed exists or took place, with all the states it was meant for.",
                    "A dated report of the thing itself: the body meeting, the event held, the "
                    "system working. A promise or an announcement is not enough."),
    "partly_done": ("Part of what was proposed exists: a body some but not all of the states joined, "
                    "one hub of a proposed network, one meeting of a proposed series.",
                    "A dated report of the part that exists, and a sentence on what is missing."),
    "in_progress": ("Work towards it is reported, but nothing of it exists yet: drafting, talks, "
                    "preparations, a first study.",
                    "A dated report of the work, naming who does it."),
    "adopted_in_document": ("A document the leaders adopted takes the proposal up.",
                            "The adopted document, or a report of its content, that names the "
                            "proposal's substance. Where the text was not seen, the step says so."),
    "stalled": ("A proposal that had been adopted, started or partly done has had no new step "
                f"for {STALL_MONTHS} months before the evidence horizon.",
                "None: computed when the book is built from the date of the last step. A "
                "proposal whose aim was a document does not stall once that document is adopted."),
    "raised_again": ("Nothing decided, but a later source or a later meeting raises the idea again.",
                     "A dated restatement, or a later proposal linked to this one as the same idea."),
    "no_record_found": ("The editors searched the stored sources and found no step.",
                        "The search, dated by the latest source it cites, with those sources."),
    "not_yet_assessed": ("No check after the meeting is on record. It does not mean that nothing "
                         "happened.",
                         "None: the status of every proposal until a step or a search is logged."),
}

#: Recorded statuses that can stall. ``adopted_in_document`` stalls only for a proposal whose
#: aim was not itself a document (for a document, adoption is the end of the road).
STALLABLE = ("partly_done", "in_progress", "adopted_in_document")

#: Shown statuses with no step recorded after the meeting (no follow-up on record, which is
#: not the same as no follow-up).
NO_STEP_YET = ("no_record_found", "not_yet_assessed")

#: Shown statuses that count as taken up (adopted, under way, partly or wholly done).
TAKEN_UP = ("implemented", "partly_done", "in_progress", "adopted_in_document", "stalled")

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

_RANK = {status: len(STATUS_ORDER) - i for i, status in enumerate(STATUS_ORDER)}
_SHOWN_RANK = {status: len(OUTCOMES) - i for i, status in enumerate(OUTCOMES)}


def evidence_horizon(sources: pd.DataFrame, source_ids=None) -> dt.date:
    """The latest publication date among ``sources`` (only those in ``source_ids`` when given):
    how far the sources read can report. A missing publication date adds nothing."""
    frame = sources if source_ids is None else sources[sources["source_id"].isin(set(source_ids))]
    dates = [d for d in frame["date_published"] if d is not None and not pd.isna(d)]
    if not dates:
        raise ValueError("no dated source: the evidence horizon cannot be computed")
    return max(dates)


def latest_reading(sources: pd.DataFrame) -> dt.date | None:
    """The latest recorded reading date (``accessed``), or None where none is recorded."""
    dates = [d for d in sources["accessed"] if d is not None and not pd.isna(d)]
    return max(dates) if dates else None


def derive_statuses(proposals: pd.DataFrame, evidence: pd.DataFrame) -> pd.DataFrame:
    """Per proposal (index ``proposal_id``): ``status`` derived from its steps, ``last_step``
    (date of its latest step, None without steps), ``restated`` (a restatement is recorded) and
    ``steps`` (how many). See rule 1 of the module docstring.

    One pass over the evidence log in plain Python (no pandas operation per proposal): the
    tracker runs on every build, in every meeting page and in two chapters."""
    steps: dict[str, list[tuple]] = {}
    for pid, date, effect in zip(evidence["proposal_id"], evidence["date"], evidence["effect"]):
        steps.setdefault(pid, []).append((date, effect))
    rows = []
    for pid in proposals["proposal_id"]:
        logged = steps.get(pid)
        if not logged:
            rows.append((pid, "proposed", None, False, 0))
            continue
        dates = [date for date, _ in logged if not _is_missing(date)]
        supported = [(date, EFFECT_STATUS.get(effect)) for date, effect in logged]
        supported = [(date, status) for date, status in supported if status is not None]
        progress = [(date, status) for date, status in supported if status != "no_record_found"]
        status = "proposed"
        if progress:
            latest = max(date for date, _ in progress if not _is_missing(date))
            status = max((s for date, s in progress if date == latest), key=_RANK.get)
        elif supported:
            status = "no_record_found"
        rows.append((pid, status, max(dates) if dates else None,
                     any(effect == "restated" for _, effect in logged), len(logged)))
    return pd.DataFrame(rows, columns=["proposal_id", "status", "last_step", "restated",
                                       "steps"]).set_index("proposal_id")


def _is_missing(value) -> bool:
    """None, NaN or pandas' NA: what pandas' ``max`` skips (a step's date is required by the
    schema; frames made by hand may leave it out)."""
    return value is None or value is pd.NA or (isinstance(value, float) and value != value)


def is_stalled(status: str, kind: str, last_step, horizon: dt.date,
               months: int = STALL_MONTHS) -> bool:
    """True if a status of progress has had no new step for ``months`` months before the
    horizon (see rule 3). An adopted document is never stalled when the aim was a document."""
    if status not in STALLABLE or last_step is None:
        return False
    if status == "adopted_in_document" and kind == "document":
        return False
    return _months_between(last_step, horizon) >= months


def _months_between(earlier: dt.date, later: dt.date) -> int:
    """Whole months from ``earlier`` to ``later`` (a month counts once its day is reached)."""
    months = (later.year - earlier.year) * 12 + later.month - earlier.month
    return months - (1 if later.day < earlier.day else 0)


def shown_statuses(proposals: pd.DataFrame, evidence: pd.DataFrame, horizon: dt.date,
                   links: pd.DataFrame | None = None, months: int = STALL_MONTHS,
                   derived: pd.DataFrame | None = None) -> pd.Series:
    """One shown status (a key of :data:`OUTCOME_LABELS`) per proposal, index as ``proposals``.
    ``derived``: :func:`derive_statuses` of the same proposals and evidence, where the caller
    has it already (it is computed otherwise)."""
    if derived is None:
        derived = derive_statuses(proposals, evidence)
    recorded = derived["status"].to_dict()
    last_step = derived["last_step"].to_dict()
    restated = derived["restated"].to_dict()
    repeated = set()
    if links is not None:
        repeated = set(links.loc[links["relation"] == "reappears_as", "proposal_id"])
    shown = []
    for pid, kind in zip(proposals["proposal_id"], proposals["kind"]):
        status = recorded[pid]
        if is_stalled(status, kind, last_step[pid], horizon, months):
            status = "stalled"
        elif status == "proposed":
            status = "raised_again" if restated[pid] or pid in repeated else "not_yet_assessed"
        shown.append(status)
    return pd.Series(shown, index=proposals.index, dtype=object)


def counted_once(proposals: pd.DataFrame, links: pd.DataFrame) -> pd.Series:
    """True for the proposals that enter the counts: all but those that repeat an earlier
    proposal (targets of a ``reappears_as`` link). Index as ``proposals``."""
    repeats = set(links.loc[links["relation"] == "reappears_as", "later_proposal_id"])
    return ~proposals["proposal_id"].isin(repeats)


def idea_statuses(proposals: pd.DataFrame, shown: pd.Series, links: pd.DataFrame) -> pd.Series:
    """For each proposal, the most advanced shown status among it and the proposals that repeat
    it (following ``reappears_as`` links onwards). Index as ``proposals``."""
    by_id = dict(zip(proposals["proposal_id"], shown))
    repeats = links[links["relation"] == "reappears_as"]
    following: dict[str, list[str]] = {}
    for earlier, later in zip(repeats["proposal_id"], repeats["later_proposal_id"]):
        following.setdefault(earlier, []).append(later)

    def members(pid: str, seen: set) -> set:
        seen = seen | {pid}
        for later in following.get(pid, []):
            if later not in seen:
                seen = members(later, seen)
        return seen

    best = [max((by_id[m] for m in members(pid, set()) if m in by_id), key=_SHOWN_RANK.get)
            for pid in proposals["proposal_id"]]
    return pd.Series(best, index=proposals.index, dtype=object)


def came_back_ids(links: pd.DataFrame) -> set[str]:
    """Proposals that a later proposal carries on (``reappears_as`` or ``builds_on``)."""
    comebacks = links[links["relation"].isin(COMEBACK_RELATIONS)]
    return set(comebacks["proposal_id"])


def outcome_counts(frame: pd.DataFrame, by: str, order: list | None = None) -> pd.DataFrame:
    """Proposals counted by ``by`` (rows) and ``outcome`` (columns, in :data:`OUTCOMES` order,
    only those that occur). ``order`` fixes the rows; by default the largest groups first."""
    counts = pd.crosstab(frame[by], frame["outcome"])
    counts = counts[[o for o in OUTCOMES if o in counts.columns]]
    if order is None:
        order = list(counts.sum(axis=1).sort_values(ascending=False, kind="stable").index)
    return counts.reindex(order).fillna(0).astype(int)


def share_taken_up(outcomes: pd.Series) -> float:
    """Share (0 to 1) of proposals taken up (a shown status in :data:`TAKEN_UP`); 0.0 when there
    are none."""
    if len(outcomes) == 0:
        return 0.0
    return float(outcomes.isin(TAKEN_UP).sum() / len(outcomes))


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
    taken = pd.crosstab(frame[row], frame[column], values=frame["outcome"].isin(TAKEN_UP).astype(int),
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
          people: pd.DataFrame, evidence: pd.DataFrame, horizon: dt.date,
          months: int = STALL_MONTHS) -> pd.DataFrame:
    """The proposals with their statuses and the words shown for them: ``shown`` (the shown
    status of the row), ``counted`` (it enters the counts), ``outcome`` (the idea's status, the
    one counted), ``last_step``, ``steps``, ``meeting`` ("City year"), ``leader``
    ("Name (country)"), ``proposer`` (name) and ``theme_name``."""
    person = people.set_index("person_id")
    derived = derive_statuses(proposals, evidence)
    shown = shown_statuses(proposals, evidence, horizon, links, months, derived=derived)
    return proposals.assign(
        shown=shown,
        counted=counted_once(proposals, links),
        outcome=idea_statuses(proposals, shown, links),
        last_step=proposals["proposal_id"].map(derived["last_step"]),
        steps=proposals["proposal_id"].map(derived["steps"]).astype(int),
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
    taken = tracked[tracked["outcome"].isin(TAKEN_UP)].groupby("leader").size()
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
    """Shown statuses in words: 'all 6 were “not yet assessed after the meeting”', or 'these
    statuses: not yet assessed after the meeting (4) and under way (2)'."""
    from summit_book.publish import list_in_words
    counts = statuses.map(lambda s: OUTCOME_LABELS[s].lower()).value_counts()
    if len(counts) == 1:
        return f"all {int(counts.iloc[0])} were “{counts.index[0]}”"
    return "these statuses: " + list_in_words([f"{status} ({int(n)})" for status, n in counts.items()])


#: Steps of a treaty kept apart per state, as the UN Treaty Collection keeps them: column name ->
#: the actions that fill it (the first found, in this order).
TREATY_COLUMNS = {
    "signed": ("signed",),
    "approved by parliament": ("approved_by_parliament",),
    "ratified": ("ratified",),
    "instruments exchanged": ("instruments_exchanged",),
    "in force": ("entered_into_force",),
}


def treaty_status_by_state(treaty: pd.Series, actions: pd.DataFrame) -> pd.DataFrame:
    """One row per party of ``treaty`` (a row of ``treaties``): the date of each step of
    :data:`TREATY_COLUMNS` for that state (a step the parties took together counts for each),
    from the ``record`` rows of ``actions``; "on or before" marks a date that is a report's; the
    next step not found; and the sources (the treaty's own where the state has no step). Steps
    no source shows stay empty."""
    mine = actions[(actions["treaty_id"] == treaty["treaty_id"]) & (actions["version"] == "record")]
    rows = []
    for state in treaty["parties"]:
        steps = mine[(mine["country_id"] == state) | mine["country_id"].isna() | (mine["country_id"] == "")]
        row = {"state": state}
        sources: list[str] = []
        missing = None
        for column, kinds in TREATY_COLUMNS.items():
            found = steps[steps["action"].isin(kinds)].sort_values("date")
            if found.empty:
                row[column] = ""
                if missing is None and column != "approved by parliament":
                    missing = column
                continue
            first = found.iloc[0]
            when = "date not found" if first["date"] is None or pd.isna(first["date"]) else first["date"].isoformat()
            row[column] = when + (" (on or before)" if first["date_precision"] == "on_or_before" else "")
            sources += [s for s in first["source_ids"] if s not in sources]
        row["next step not found"] = missing or "none"
        row["source_ids"] = sources or list(treaty["source_ids"])  # nothing found: the treaty's own
        rows.append(row)
    return pd.DataFrame(rows)
