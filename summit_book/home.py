"""The book's headline figures, computed once for the home page and the key-numbers page.

Each key number carries its value (formatted for prose), a one-line definition, the tables and
sources it comes from, and the section that explains it, so that both pages say the same.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

#: The tables the key numbers read (both pages load exactly these, with literal names).
HOME_TABLES = ["meetings", "documents", "proposals", "proposal_links", "proposal_evidence",
               "sources", "countries", "statements", "people"]


@dataclass(frozen=True)
class KeyNumber:
    key: str          #: glue key stem (``key_<key>``)
    label: str        #: what is counted, in a reader's words
    value: str        #: the value, formatted
    definition: str   #: how it is counted
    source: str       #: the book's tables it comes from (reader's words)
    section: str      #: MyST label of the section that explains it
    source_ids: tuple[str, ...] = ()


def _trade_figures(tables) -> tuple[pd.DataFrame, pd.DataFrame, str]:
    """Intra-regional trade as stated at the latest meeting at which it was quoted: the
    measured levels and the targets, and that meeting's id."""
    statements = tables["statements"]
    meetings = tables["meetings"].set_index("meeting_id")
    trade = statements[statements["indicator"].isin(["intra_regional_trade",
                                                     "intra_regional_trade_target"])]
    measured = trade[~trade["is_target"].astype(bool)]
    latest = max(measured["meeting_id"], key=lambda m: meetings.loc[m, "ordinal"])
    here = trade[trade["meeting_id"] == latest]
    return here[~here["is_target"].astype(bool)], here[here["is_target"].astype(bool)], latest


def key_numbers(tables: dict[str, pd.DataFrame]) -> list[KeyNumber]:
    """The headline figures of the book, from the tables."""
    from .publish import format_amount, format_range, format_value
    from .tracker import NO_STEP_YET, evidence_horizon, meeting_labels, track

    meetings, documents, proposals = tables["meetings"], tables["documents"], tables["proposals"]
    held = meetings[meetings["status"] == "held"].sort_values("ordinal")
    labels = meeting_labels(meetings)
    summit_documents = documents[documents["adopted_by"] == "heads_of_state"]
    horizon = evidence_horizon(tables["sources"])
    tracked = track(proposals, meetings, tables["proposal_links"], tables["people"],
                    tables["proposal_evidence"], horizon)
    ideas = tracked[tracked["counted"]]
    followed = int((~ideas["outcome"].isin(NO_STEP_YET)).sum())
    countries = tables["countries"]
    participants = countries[countries["status"].isin(["founding_participant", "full_participant"])]
    measured, targets, latest = _trade_figures(tables)
    people = tables["people"].set_index("person_id")["name"]
    levels = format_range(measured) if measured["value"].nunique() > 1 else \
        format_amount(measured["value"].iloc[0], measured["unit"].iloc[0])
    years = sorted({int(y) for y in measured["reference_year"].dropna()})
    target_value = targets.sort_values("value").iloc[-1] if len(targets) else None
    first, last = held.iloc[0], held.iloc[-1]
    numbers = [
        KeyNumber("meetings_held", "Meetings held", format_value(len(held)),
                  f"Consultative Meetings of the heads of state held from {labels[first.meeting_id]} "
                  f"to {labels[last.meeting_id]}; the next one is counted only once it is held.",
                  "the meetings table", "sec-format-meetings"),
        KeyNumber("documents_adopted", "Documents adopted by the leaders",
                  format_value(len(summit_documents)),
                  "Documents adopted, approved or signed by the heads of state at the meetings "
                  "(not those of ministers on the margins).", "the documents table",
                  "sec-format-documents"),
        KeyNumber("proposals_tracked", "Proposals tracked", format_value(len(proposals)),
                  "Proposals made by a leader at a meeting and found in the sources read for "
                  "this book, each with its status and the date of the latest evidence.",
                  "the proposals table", "sec-proposals-leaders"),
        KeyNumber("proposals_followed_share", "Share of ideas with a recorded step after the meeting",
                  f"{format_value(100 * followed / len(ideas), 0)} percent",
                  f"Ideas (a proposal made again at a later meeting counts once) with at least "
                  f"one dated step after the meeting in the evidence log: adopted in a document, "
                  f"under way, partly or wholly done, stalled, or raised again: "
                  f"{format_value(followed)} of {format_value(len(ideas))}, on the sources read "
                  f"up to {horizon.isoformat()}. The rest have no step on record, which is not "
                  f"evidence that nothing happened.",
                  "the proposals table and its evidence log", "sec-proposals-leaders"),
        KeyNumber("participants", "Participating states", format_value(len(participants)),
                  "States that take part as founding or full participants (guests of honour "
                  "not counted).", "the countries table", "sec-format-circle"),
        KeyNumber("trade_latest", "Intra-regional trade, as last quoted",
                  f"{levels}{' for ' + ', '.join(map(str, years)) if years else ''}",
                  f"Trade among the Central Asian states as the leaders stated it at the latest "
                  f"meeting where it was quoted ({labels[latest]}), by "
                  f"{' and '.join(sorted(set(people[measured['speaker_person_id']])))}; the "
                  f"book keeps each leader's figure.", "the table of figures the leaders quoted", "sec-trade-stated",
                  tuple(sorted({s for ids in measured["source_ids"] for s in ids}))),
    ]
    if target_value is not None:
        numbers.append(KeyNumber(
            "trade_target", "Intra-regional trade target",
            format_amount(target_value["value"], target_value["unit"]),
            f"The highest goal for the region's internal trade set at {labels[latest]}, by "
            f"{people[target_value['speaker_person_id']]}"
            + ("" if pd.isna(target_value["target_year"]) else f", for {int(target_value['target_year'])}")
            + " (no year given where none is shown).", "the table of figures the leaders quoted", "sec-trade-targets",
            tuple(sorted({s for value, ids in zip(targets["value"], targets["source_ids"])
                          if value == target_value["value"] for s in ids}))))
    return numbers


def meetings_list(tables: dict[str, pd.DataFrame]) -> str:
    """The meetings as a MyST list, each linking to its page, with what it adopted and how
    many proposals were made there; a meeting not yet held says so."""
    from .meeting_pages import _count

    documents = tables["documents"].groupby("meeting_id").size()
    proposals = tables["proposals"].groupby("meeting_id").size()
    lines = []
    for meeting in tables["meetings"].sort_values("ordinal").itertuples():
        link = f"{{doc}}`meetings/{meeting.meeting_id}`"
        if meeting.status != "held":
            lines.append(f"- {link}: date and place not yet announced")
            continue
        n_docs, n_props = int(documents.get(meeting.meeting_id, 0)), int(proposals.get(meeting.meeting_id, 0))
        lines.append(f"- {link}: "
                     f"{_count(n_docs, 'document', 'documents')} adopted, "
                     f"{_count(n_props, 'proposal', 'proposals')} tracked")
    return "\n".join(lines)


def key_numbers_list(numbers: list[KeyNumber]) -> str:
    """The key numbers as a short MyST list for the home page, each label a link to its
    section (a link that says what it leads to, not "more"). The labels are the package's own
    words; one that could break the link's markup is refused."""
    from .escape import markdown_text

    for n in numbers:
        if set(n.label) & set("`<>"):
            raise ValueError(f"key number {n.key!r}: its label {n.label!r} cannot be a link text")
    return "\n".join(f"- **{markdown_text(n.value)}**: {{ref}}`{n.label.lower()} <{n.section}>`"
                      for n in numbers)


def key_number_entry(n: KeyNumber) -> str:
    """One key number for the key-numbers page, as MyST: the value, the definition, the
    source and the section that explains it."""
    from .cite import cite_sources
    from .escape import markdown_text

    sources = f" {cite_sources(list(n.source_ids))}" if n.source_ids else ""
    return "\n".join([
        f"**{markdown_text(n.value)}**. {markdown_text(n.definition)}",
        "",
        f"Source: {markdown_text(n.source)} of this book{sources}. Explained in {{ref}}`{n.section}`.",
    ])


def glue_home(tables: dict[str, pd.DataFrame]) -> None:
    """Glue what the home page shows: the list of meetings and the key numbers."""
    from .publish import glue_markdown, glue_value

    numbers = key_numbers(tables)
    glue_markdown("home_meetings", meetings_list(tables))
    glue_markdown("home_key_numbers", key_numbers_list(numbers))
    for n in numbers:
        glue_value(f"key_{n.key}", n.value)


def glue_key_numbers(tables: dict[str, pd.DataFrame]) -> list[str]:
    """Glue one entry per key number (``key_<key>_entry``) for the key-numbers page; return
    the keys, in order."""
    from .publish import glue_markdown

    keys = []
    for n in key_numbers(tables):
        glue_markdown(f"key_{n.key}_entry", key_number_entry(n))
        keys.append(n.key)
    return keys
