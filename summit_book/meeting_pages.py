"""One page per meeting, generated from the tables: ``python -m summit_book.meeting_pages``.

Every meeting in ``meetings`` (held, or announced with what is and is not known) gets the page
``meetings/<meeting_id>.md``, written from ONE template (:data:`TEMPLATE`) by
:func:`render_page`: what was adopted (with the treaty steps), each proposal with its status
and the date of the latest evidence, who attended and in what capacity, the figures quoted,
where the sources disagree, the chapters where each thread continues, the page's data
downloads and its citation.

Why a generator and not a notebook per page: one process reads the tables once and writes
every page (no kernel per page); the pages are plain MyST files that Sphinx re-reads only when
their text changes. Every number and every value on a page is computed here from the tables
and passes through the book's escaping helpers (:func:`summit_book.escape.markdown_text`,
:func:`summit_book.publish.markdown_table`); the template itself holds no number (tested). The
build (:mod:`summit_book.build`) regenerates the pages before it builds, and a test checks that
the committed pages equal what the data gives.
"""

from __future__ import annotations

import argparse
import string
import sys
from pathlib import Path

import pandas as pd

from .tracker import OUTCOME_LABELS

from .paths import PROJECT_ROOT

PAGES_DIR = PROJECT_ROOT / "meetings"
#: The tables a meeting page reads (its data version is computed over these).
PAGE_TABLES = ["meetings", "attendance", "people", "countries", "documents", "proposals",
               "proposal_links", "proposal_evidence", "sources", "statements", "variants", "treaties", "treaty_actions",
               "commitments", "commitment_verdicts"]
#: What each page offers for download: (part, reader's title).
DOWNLOADS = [("documents", "documents adopted"), ("proposals", "proposals"),
             ("attendance", "attendance"), ("statements", "figures quoted"),
             ("variants", "versions in the sources"),
             ("commitments", "commitments and verdicts per state")]

ORDINAL_WORDS = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth",
                 "ninth", "tenth", "eleventh", "twelfth"]
MONTH_NAMES = ["January", "February", "March", "April", "May", "June", "July", "August",
               "September", "October", "November", "December"]

#: The tracker's shown statuses in running text (one vocabulary with chapter 10).
STATUS_WORDS = {key: label[0].lower() + label[1:] for key, label in OUTCOME_LABELS.items()}
CAPACITY_WORDS = {"head_of_state": "head of state",
                  "representative": "sent in place of the head of state",
                  "guest_of_honour": "guest of honour", "invited_guest": "invited guest"}
MODE_WORDS = {"in_person": "in person", "video": "by video"}
KIND_WORDS = {"joint_statement": "joint statement", "action_plan": "action plan"}
ADOPTED_BY_WORDS = {"heads_of_state": "the heads of state", "ministers": "ministers"}
SUPPORT_WORDS = {"official": "the official record",
                 "supported_by_official": "agrees with the official record",
                 "contradicted_by_official": "contradicted by the official record",
                 "not_in_official_record": "not in the official record"}
TREATY_STEP_WORDS = {"signed_by_delegations": "signed by delegations", "signed": "signed",
                     "approved_by_parliament": "approved by parliament", "ratified": "ratified",
                     "instruments_exchanged": "instruments exchanged",
                     "entered_into_force": "in force"}
COLUMN_WORDS = {"title": "title", "title_ru": "Russian title", "date_start": "date",
                "summary": "what was proposed", "status": "status", "kind": "kind of document",
                "capacity": "capacity", "mode": "how they took part", "notes": "other details",
                "reference_year": "year the figure refers to", "value": "value",
                "city": "place", "signatories": "signatories"}
#: The chapter where each theme of the proposals and documents continues.
THEME_CHAPTERS = {
    "format": "chapters/01_format", "trade": "chapters/02_trade",
    "industry_agriculture": "chapters/02_trade", "transport": "chapters/03_transport",
    "minerals": "chapters/04_minerals", "digital": "chapters/05_digital",
    "water_energy": "chapters/06_water_energy", "environment": "chapters/06_water_energy",
    "culture_tourism": "chapters/07_culture_tourism",
    "education_society": "chapters/07_culture_tourism",
    "security": "chapters/08_security_borders", "partners": "chapters/09_partners",
}

TEMPLATE = string.Template("""\
(meeting-${meeting_id})=
# ${title}

${search_entries}

${lead}

(meeting-${meeting_id}-documents)=
## Documents adopted

${documents}

(meeting-${meeting_id}-proposals)=
## Proposals and their status

${proposals}

(meeting-${meeting_id}-commitments)=
## Commitments and whether each state kept them

${commitments}

(meeting-${meeting_id}-attendance)=
## Who attended

${attendance}

(meeting-${meeting_id}-figures)=
## Figures the leaders quoted

${statements}

(meeting-${meeting_id}-disagreements)=
## Where the sources disagree

${variants}

(meeting-${meeting_id}-threads)=
## Where the threads continue

${threads}

The words of the format (consultative meeting, national coordinators, joint statement …) are
explained in the {doc}`/front/glossary`.

## The data of this page

${downloads}

## How to cite this page

${citation}
""")


def load_page_tables() -> dict[str, pd.DataFrame]:
    """The tables every meeting page reads, loaded once."""
    from .tables import load_table

    return {name: load_table(name) for name in PAGE_TABLES}


def ordinal_word(ordinal: int) -> str:
    """1 -> 'first' ... 12 -> 'twelfth'; beyond, '13th'."""
    if 1 <= ordinal <= len(ORDINAL_WORDS):
        return ORDINAL_WORDS[ordinal - 1]
    return f"{ordinal}th"


def date_in_words(day) -> str:
    """datetime.date(2025, 11, 16) -> '16 November 2025'."""
    return f"{day.day} {MONTH_NAMES[day.month - 1]} {day.year}"


def dates_in_words(start, end) -> str:
    """One day, or a span ('15–16 November 2025')."""
    if end is None or end == start:
        return date_in_words(start)
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}–{date_in_words(end)}"
    return f"{date_in_words(start)} – {date_in_words(end)}"


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and value != value) or value is pd.NA \
        or (isinstance(value, str) and not value)


def _of_meeting(frame: pd.DataFrame, meeting_id: str) -> pd.DataFrame:
    """The rows of ``frame`` about one meeting (a boolean mask: ``DataFrame.query`` parses its
    expression at each call, 96 times per build)."""
    return frame[frame["meeting_id"] == meeting_id]


def _words(mapping: dict[str, str], value: str) -> str:
    return mapping.get(value, str(value).replace("_", " "))


def meeting_short_label(meeting) -> str:
    """'Tashkent 2025' for a meeting held; 'announced, hosted by Turkmenistan' otherwise."""
    if _missing(meeting.date_start) or _missing(meeting.city):
        return ""
    return f"{meeting.city.split(' ')[0]} {meeting.date_start.year}"


def page_title(meeting, tables: dict[str, pd.DataFrame]) -> str:
    """'The seventh meeting: Tashkent, 16 November 2025'; for a meeting not yet held, what is
    known ('The eighth meeting: announced, hosted by Turkmenistan')."""
    country = dict(zip(tables["countries"]["country_id"], tables["countries"]["name"]))
    head = f"The {ordinal_word(int(meeting.ordinal))} meeting"
    if meeting.status == "held":
        return f"{head}: {meeting.city}, {dates_in_words(meeting.date_start, meeting.date_end)}"
    return f"{head}: {_words({}, meeting.status)}, hosted by {country[meeting.host_country_id]}"


def documents_frame(meeting_id: str, tables) -> pd.DataFrame:
    """The documents adopted at the meeting, with the words shown for them: ``document``,
    ``kind``, ``signed or adopted by``, ``status`` (the treaty steps, where it is a treaty)."""
    documents = tables["documents"]
    country = dict(zip(tables["countries"]["country_id"], tables["countries"]["name"]))
    rows = []
    for doc in documents[documents["meeting_id"] == meeting_id].itertuples():
        signatories = list(doc.signatories or [])
        by = _words(ADOPTED_BY_WORDS, doc.adopted_by)
        if signatories:
            by += ": " + ", ".join(country[c] for c in signatories)
        rows.append({"document": doc.title, "kind": _words(KIND_WORDS, doc.kind),
                     "signed or adopted by": by,
                     "status": treaty_status(doc.document_id, tables) or "adopted at the meeting",
                     "source_ids": list(doc.source_ids)})
    return pd.DataFrame(rows, columns=["document", "kind", "signed or adopted by", "status",
                                       "source_ids"])


def treaty_status(document_id: str, tables) -> str:
    """For a document that is a treaty: each step (signature, ratification, entry into force)
    with the countries and dates of the book's record, and the steps not yet recorded; empty
    for other documents."""
    treaties = tables["treaties"]
    found = treaties[treaties["document_id"] == document_id]
    if found.empty:
        return ""
    treaty = found.iloc[0]
    country = dict(zip(tables["countries"]["country_id"], tables["countries"]["name"]))
    actions = tables["treaty_actions"]
    actions = actions[(actions["treaty_id"] == treaty.treaty_id) & (actions["version"] == "record")]
    parts = []
    for step in ["signed", "ratified", "entered_into_force"]:
        done = actions[actions["action"] == step].sort_values(["date", "country_id"])
        words = TREATY_STEP_WORDS[step]
        if done.empty:
            parts.append(f"{words}: no record by the data cut-off")
            continue
        items = [f"{country.get(a.country_id, 'all parties') if not _missing(a.country_id) else 'all parties'}"
                 f" ({a.date.isoformat() if not _missing(a.date) else 'date not found'})"
                 for a in done.itertuples()]
        missing = [country[c] for c in treaty.parties
                   if c not in set(done["country_id"].dropna())] if step != "entered_into_force" else []
        text = f"{words}: " + ", ".join(items)
        if missing:
            text += "; not recorded for " + ", ".join(missing)
        parts.append(text)
    return "; ".join(parts)


def tracked_proposals(tables) -> pd.DataFrame:
    """Every proposal with the statuses of chapter 10 (:func:`summit_book.tracker.track`, up
    to the evidence horizon of the sources): computed once for all the pages of a build."""
    from .tracker import evidence_horizon, track

    horizon = evidence_horizon(tables["sources"])
    return track(tables["proposals"], tables["meetings"], tables["proposal_links"],
                 tables["people"], tables["proposal_evidence"], horizon)


def proposals_frame(meeting_id: str, tables, tracked: pd.DataFrame | None = None) -> pd.DataFrame:
    """The proposals made at the meeting, most advanced status first, with the statuses of
    chapter 10 (derived from the evidence log up to the evidence horizon): ``leader``,
    ``proposal``, ``status``, ``latest evidence`` (ISO date of the latest logged step, empty
    where none is logged) and the sources of the steps (else of the proposal). ``tracked``:
    :func:`tracked_proposals` of the same tables, where the caller has it."""
    from .tracker import OUTCOMES

    if tracked is None:
        tracked = tracked_proposals(tables)
    documents = tables["documents"].set_index("document_id")
    step_sources = tables["proposal_evidence"].groupby("proposal_id")["source_ids"].agg(
        lambda lists: sorted({s for ids in lists for s in ids}))
    mine = tracked[tracked["meeting_id"] == meeting_id].assign(
        rank=lambda f: f["shown"].map(OUTCOMES.index))
    mine = mine.sort_values(["rank", "proposer", "proposal_id"])
    rows = []
    for p in mine.itertuples():
        status = _words(STATUS_WORDS, p.shown)
        if not _missing(p.taken_up_by_document_id):
            status += f" ({documents.loc[p.taken_up_by_document_id, 'title']})"
        last = "" if _missing(p.last_step) else p.last_step.isoformat()
        rows.append({"leader": p.proposer, "proposal": p.summary, "status": status,
                     "latest evidence": last,
                     "source_ids": step_sources.get(p.proposal_id, list(p.source_ids)),
                     "status_code": p.shown})
    return pd.DataFrame(rows, columns=["leader", "proposal", "status", "latest evidence",
                                       "source_ids", "status_code"])


def attendance_frame(meeting_id: str, tables) -> pd.DataFrame:
    """Who attended, for which country or organisation, in what capacity and how."""
    attendance = tables["attendance"]
    people = tables["people"].set_index("person_id")
    country = dict(zip(tables["countries"]["country_id"], tables["countries"]["name"]))
    order = {c: i for i, c in enumerate(CAPACITY_WORDS)}
    here = attendance[attendance["meeting_id"] == meeting_id].assign(
        rank=lambda f: f["capacity"].map(order))
    rows = []
    for a in here.sort_values(["rank", "country_id", "organisation", "person_id"]).itertuples():
        rows.append({"who": people.loc[a.person_id, "name"], "office": a.office,
                     "for": a.organisation if _missing(a.country_id) else country[a.country_id],
                     "capacity": _words(CAPACITY_WORDS, a.capacity),
                     "how": _words(MODE_WORDS, a.mode), "source_ids": list(a.source_ids)})
    return pd.DataFrame(rows, columns=["who", "office", "for", "capacity", "how", "source_ids"])


def statements_frame(meeting_id: str, tables) -> pd.DataFrame:
    """The figures quoted at the meeting, one row per figure (the sources reporting it
    together): speaker, figure, value with its unit, the year it refers to or is a target for."""
    statements = tables["statements"]
    people = tables["people"].set_index("person_id")
    here = statements[statements["meeting_id"] == meeting_id]
    rows = []
    for figure_id, group in here.groupby("figure_id", sort=True):
        first = group.iloc[0]
        values = sorted({(float(v), u) for v, u in zip(group["value"], group["unit"])})
        value = " or ".join(amount_in_words(v, u) for v, u in values)
        if bool(first["is_target"]):
            year = f"target{'' if _missing(first['target_year']) else ' for ' + str(int(first['target_year']))}"
        else:
            years = sorted({int(y) for y in group["reference_year"] if not _missing(y)})
            year = ", ".join(map(str, years)) or "not stated"
        rows.append({"speaker": people.loc[first["speaker_person_id"], "name"],
                     "figure": first["description"], "value": value, "year": year,
                     "source_ids": sorted({s for ids in group["source_ids"] for s in ids})})
    frame = pd.DataFrame(rows, columns=["speaker", "figure", "value", "year", "source_ids"])
    return frame.sort_values(["speaker", "figure"], kind="stable").reset_index(drop=True)


def amount_in_words(value: float, unit: str) -> str:
    """A quoted figure with its unit; counts bare, multipliers as 'n times'."""
    from .publish import format_amount, format_number

    if unit == "count":
        return format_number(value)
    if unit == "multiplier":
        return f"{format_number(value)} times"
    return format_amount(value, unit)


def variant_rows(meeting_id: str, tables) -> pd.DataFrame:
    """The rows of ``variants`` about this meeting: the meeting itself, its attendance, its
    documents, its proposals and the figures quoted at it."""
    variants = tables["variants"]
    ids = {
        "meetings": {meeting_id},
        "documents": set(_of_meeting(tables["documents"], meeting_id)["document_id"]),
        "proposals": set(_of_meeting(tables["proposals"], meeting_id)["proposal_id"]),
        "statements": set(_of_meeting(tables["statements"], meeting_id)["statement_id"]),
    }
    about = [(t in ids and r in ids[t]) or (t == "attendance" and r.startswith(f"{meeting_id}/"))
             for t, r in zip(variants["table_name"], variants["row_id"])]
    return variants[about]


def variants_frame(meeting_id: str, tables) -> pd.DataFrame:
    """Where the sources disagree about this meeting, in reader's words: what the version is
    about, which detail, the version, how it stands against the official record, its source."""
    rows_about = variant_rows(meeting_id, tables)
    documents = tables["documents"].set_index("document_id")["title"]
    proposals = tables["proposals"].set_index("proposal_id")["summary"]
    statements = tables["statements"].set_index("statement_id")["description"]
    people = tables["people"].set_index("person_id")["name"]
    order = ["meetings", "attendance", "documents", "proposals", "statements"]
    rows = []
    for v in rows_about.assign(rank=rows_about["table_name"].map(order.index)).sort_values(
            ["rank", "row_id", "column_name", "variant_id"]).itertuples():
        about = {"meetings": lambda r: "the meeting",
                 "attendance": lambda r: people[r.split("/", 1)[1]],
                 "documents": documents.get, "proposals": proposals.get,
                 "statements": statements.get}[v.table_name](v.row_id)
        rows.append({"about": about, "detail": _words(COLUMN_WORDS, v.column_name),
                     "version": v.value, "official record": _words(SUPPORT_WORDS, v.official_support),
                     "source_ids": list(v.source_ids)})
    return pd.DataFrame(rows, columns=["about", "detail", "version", "official record",
                                       "source_ids"])


def thread_chapters(meeting_id: str, tables) -> list[str]:
    """The chapters where the threads of this meeting continue, in book order: the themes of
    its proposals and documents, then the proposals chapter if any proposal was made."""
    documents = _of_meeting(tables["documents"], meeting_id)
    proposals = _of_meeting(tables["proposals"], meeting_id)
    themes = set(proposals["theme"]) | {t for ts in documents["themes"] for t in ts}
    chapters = {THEME_CHAPTERS[t] for t in themes if t in THEME_CHAPTERS}
    chapters.add("chapters/01_format")
    if len(proposals):
        chapters.add("chapters/10_proposals")
    return sorted(chapters)


def download_frames(meeting_id: str, tables) -> dict[str, pd.DataFrame]:
    """The rows of the book's tables behind each part of the page (the downloads)."""
    attendance = tables["attendance"]
    return {
        "documents": _of_meeting(tables["documents"], meeting_id),
        "proposals": _of_meeting(tables["proposals"], meeting_id),
        "attendance": attendance[attendance["meeting_id"] == meeting_id],
        "statements": _of_meeting(tables["statements"], meeting_id),
        "variants": variant_rows(meeting_id, tables),
        "commitments": commitment_rows(meeting_id, tables).drop(
            columns=["theme_label", "country_name", "score"]).assign(
            source_ids=lambda f: [s if isinstance(s, list) else [] for s in f["source_ids"]]),
    }


def commitment_rows(meeting_id: str, tables) -> pd.DataFrame:
    """The verdict grid (:func:`summit_book.commitments.verdict_grid`) of the meeting's
    commitments: one row per commitment and state scored."""
    from .commitments import verdict_grid

    grid = verdict_grid(tables["commitments"], tables["commitment_verdicts"], tables["documents"],
                        tables["meetings"], tables["countries"])
    return grid[grid["meeting_id"] == meeting_id].reset_index(drop=True)


def commitments_markdown(meeting_id: str, tables) -> str:
    """Each collective commitment of the meeting's documents with the verdict on every state
    scored (states grouped by verdict), the dated evidence behind each verdict and its sources,
    opened by the snapshot date of the verdicts (chapter 10 has the method)."""
    from .cite import cite_sources
    from .commitments import VERDICT_LABELS, VERDICTS, snapshot_date
    from .escape import markdown_text

    grid = commitment_rows(meeting_id, tables)
    if grid.empty:
        return ("The book has not yet coded collective commitments in this meeting's documents; "
                "see {ref}`chapter 10 <sec-proposals-commitments>` for the meetings it has coded.")
    snapshot = snapshot_date(tables["commitments"], tables["commitment_verdicts"], tables["sources"])
    commitments = tables["commitments"].set_index("commitment_id")
    titles = tables["documents"].set_index("document_id")["title"]
    assessed = int((grid["verdict"] != "not_yet_assessed").sum())
    parts = [f"Each state that adopted a document is scored on each commitment in it, as of "
             f"{date_in_words(snapshot)}, the latest source read for these verdicts (method in "
             f"{{ref}}`chapter 10 <sec-proposals-commitments>`): {_count(assessed, 'verdict', 'verdicts')} "
             f"rest on dated evidence, and {format_count(len(grid) - assessed)} of "
             f"{format_count(len(grid))} are not yet assessed, which does not mean that nothing "
             "happened.\n"]
    for commitment_id, rows in grid.groupby("commitment_id", sort=True):
        row = commitments.loc[commitment_id]
        groups = []
        for verdict in VERDICTS:
            names = rows.loc[rows["verdict"] == verdict, "country_name"]
            if len(names):
                groups.append(f"{VERDICT_LABELS[verdict]}: {', '.join(names)}")
        parts.append(f"- **{markdown_text(row['summary'])}** In: "
                     f"*{markdown_text(titles[row['document_id']])}*. "
                     f"{markdown_text('; '.join(groups))}. {cite_sources(row['source_ids'])}")
        for v in rows[rows["verdict"] != "not_yet_assessed"].to_dict("records"):
            parts.append(f"  - {markdown_text(v['country_name'])}, {v['date'].isoformat()}: "
                         f"{markdown_text(v['event'])} {cite_sources(v['source_ids'])}")
    return "\n".join(parts)


def download_name(meeting_id: str, part: str) -> str:
    return f"meeting-{meeting_id}-{part}"


def _count(n: int, one: str, many: str) -> str:
    """'no documents', '1 document', '6 documents'."""
    from .publish import format_value

    if n == 0:
        return f"no {many}"
    return f"{format_value(n)} {one if n == 1 else many}"


def lead_text(meeting, tables, documents: pd.DataFrame, proposals: pd.DataFrame,
              attendance: pd.DataFrame) -> str:
    """The opening paragraph: what, where, when, who chaired, what it adopted, what was
    proposed and where the proposals stood; for a meeting not yet held, what is and is not
    known at the data cut-off."""
    from .cite import data_cutoff
    from .escape import markdown_text
    from .publish import list_in_words

    country = dict(zip(tables["countries"]["country_id"], tables["countries"]["name"]))
    people = tables["people"].set_index("person_id")["name"]
    word = ordinal_word(int(meeting.ordinal))
    name = (f"The {word} Consultative Meeting of the Heads of State of Central Asia")
    host = country[meeting.host_country_id]
    chair = people[meeting.chair_person_id]
    if meeting.status != "held":
        unknown = [what for what, value in [("the date", meeting.date_start), ("the place", meeting.city)]
                   if _missing(value)]
        known = [f"it is to be hosted by {host}, which chairs the format, with {chair} in the chair"]
        if not _missing(meeting.date_start):
            known.append(f"on {dates_in_words(meeting.date_start, meeting.date_end)}")
        if not _missing(meeting.city):
            known.append(f"in {meeting.city}")
        text = (f"{name} has the status “{_words({}, meeting.status)}”: "
                f"{list_in_words(known)}. ")
        if unknown:
            text += (f"Not known at the data cut-off ({data_cutoff()}): "
                     f"{list_in_words(unknown)}; no source read for this book gives them. ")
        text += ("No documents, attendance, proposals or figures can be recorded before it "
                 "meets; the sections below fill in when the data do.")
        return markdown_text(text)
    label = meeting_short_label(meeting)
    when = dates_in_words(meeting.date_start, meeting.date_end)
    heads = attendance[attendance["capacity"].isin(["head of state", "sent in place of the head of state"])]
    text = (f"{name} ({label}) took place in {meeting.city}, {host}, on {when}, chaired by "
            f"{chair}, with {_count(len(heads), 'state', 'states')} at the table and "
            f"{_count(len(attendance) - len(heads), 'guest', 'guests')}. Documents adopted: "
            f"{format_count(len(documents))}. ")
    if len(proposals):
        counts = proposals["status_code"].map(lambda s: _words(STATUS_WORDS, s)).value_counts()
        text += (f"Proposals made by the leaders: {format_count(len(proposals))}; on the sources "
                 f"read, "
                 + list_in_words([f"{format_count(n)} {status}" for status, n in counts.items()])
                 + ".")
    else:
        text += "No proposal made at this meeting is recorded in this book."
    return markdown_text(text)


def format_count(n) -> str:
    from .publish import format_value

    return format_value(int(n))


def threads_text(meeting_id: str, tables) -> str:
    """A list of the chapters where this meeting's threads continue, as links."""
    from .cite import chapter_number

    lines = []
    for chapter in thread_chapters(meeting_id, tables):
        number = chapter_number(chapter)
        lines.append(f"- Chapter {number}: {{doc}}`/{chapter}`")
    if meeting_id == latest_held(tables["meetings"]):
        lines.append("- How the press reported it: {doc}`/chapters/11_press`")
    return "\n".join(lines)


def latest_held(meetings: pd.DataFrame) -> str:
    held = meetings[meetings["status"] == "held"]
    return held.sort_values("ordinal")["meeting_id"].iloc[-1]


def documents_markdown(frame: pd.DataFrame, empty: str) -> str:
    """The documents as a list (it reads on a phone as on a screen): title in bold, kind, who
    adopted it, its status and its sources."""
    from .cite import cite_sources
    from .escape import markdown_text

    if frame.empty:
        return empty
    return "\n".join(
        f"- **{markdown_text(d['document'])}** ({markdown_text(d['kind'])}; "
        f"{markdown_text(d['signed or adopted by'])}). Status: {markdown_text(d['status'])}. "
        f"{cite_sources(d['source_ids'])}" for d in frame.to_dict("records"))


def proposals_markdown(frame: pd.DataFrame, statuses: pd.Series, empty: str) -> str:
    """The proposals grouped by status (most advanced first), each with its leader, what was
    proposed, the date of the latest evidence and the sources of the status."""
    from .cite import cite_sources
    from .escape import markdown_text
    from .publish import format_value

    if frame.empty:
        return empty
    frame = frame.assign(group=list(statuses))
    parts = []
    for status, group in frame.groupby("group", sort=False):
        dates = sorted(d for d in group["latest evidence"] if d)
        span = ("no step logged" if not dates else "latest evidence " + (
            dates[0] if dates[0] == dates[-1] else f"{dates[0]} to {dates[-1]}"))
        parts.append(f"**{markdown_text(_words(STATUS_WORDS, status).capitalize())}: "
                     f"{format_value(len(group))}** ({span})\n")
        parts.append("\n".join(
            f"- {markdown_text(p['leader'])}: {markdown_text(p['proposal'])} "
            + (f"*Latest evidence {markdown_text(p['latest evidence'])}" if p['latest evidence']
               else "*No step logged after the meeting yet")
            + f"{markdown_text(p['status'][len(_words(STATUS_WORDS, status)):])}.* "
            f"{cite_sources(p['source_ids'])}" for p in group.to_dict("records")))
        parts.append("")
    return "\n".join(parts).strip()


def section(frame: pd.DataFrame, empty: str, **table_options) -> str:
    """A table, or a sentence saying there is nothing recorded."""
    from .publish import markdown_table

    if frame.empty:
        return empty
    return markdown_table(frame, **table_options)


def render_page(meeting_id: str, tables: dict[str, pd.DataFrame] | None = None,
                tracked: pd.DataFrame | None = None) -> str:
    """The MyST Markdown of one meeting's page, from :data:`TEMPLATE` and the tables
    (``tracked``: :func:`tracked_proposals` of the same tables, where the caller has it)."""
    from .cite import citation_markdown
    from .escape import markdown_text

    tables = tables or load_page_tables()
    meetings = tables["meetings"]
    meeting = next(meetings[meetings["meeting_id"] == meeting_id].itertuples())
    documents = documents_frame(meeting_id, tables)
    proposals = proposals_frame(meeting_id, tables, tracked)
    attendance = attendance_frame(meeting_id, tables)
    statements = statements_frame(meeting_id, tables)
    variants = variants_frame(meeting_id, tables)
    title = page_title(meeting, tables)
    page = f"meetings/{meeting_id}"
    nothing = "Nothing recorded for this meeting in the book's tables by the data cut-off."
    downloads = "\n".join(
        f"- {markdown_text(words.capitalize())}: {{data-download}}`{download_name(meeting_id, part)}`"
        for part, words in DOWNLOADS)
    downloads = ("The rows of the book's tables behind each section (CSV, with the identifiers "
                 "of rows and sources, and a note on the data):\n\n" + downloads)
    return TEMPLATE.substitute(
        meeting_id=meeting_id,
        title=markdown_text(title),
        search_entries=search_entries_markdown(search_entries(meeting, tables)),
        lead=lead_text(meeting, tables, documents, proposals, attendance),
        documents=documents_markdown(documents, nothing),
        proposals=proposals_markdown(proposals.drop(columns="status_code"),
                                     proposals["status_code"], nothing),
        commitments=commitments_markdown(meeting_id, tables),
        attendance=section(attendance, nothing),
        statements=section(statements, nothing),
        variants=section(variants, "No disagreement between sources about this meeting is "
                                   "recorded in the book's tables."),
        threads=threads_text(meeting_id, tables),
        downloads=downloads,
        citation=citation_markdown(page, PAGE_TABLES),
    ).replace("\n\n\n", "\n\n")


def search_entries(meeting, tables) -> list[str]:
    """What readers type to find this meeting ('seventh meeting', 'Tashkent 2025', and the
    theme and kind of each document adopted, 'security concept'): index entries, which the
    site's search ranks first when the query matches them."""
    documents = _of_meeting(tables["documents"], meeting.meeting_id)
    entries = [f"{ordinal_word(int(meeting.ordinal))} meeting", meeting_short_label(meeting)]
    entries += [f"{theme.replace('_', ' ')} {_words(KIND_WORDS, kind)}"
                for themes, kind in zip(documents["themes"], documents["kind"]) for theme in themes]
    cleaned = [" ".join(entry.replace(",", " ").replace(";", " ").replace("!", " ").split())
               for entry in entries]
    return list(dict.fromkeys(entry for entry in cleaned if entry))


def search_entries_markdown(entries: list[str]) -> str:
    return "\n\n".join(f"```{{index}} ! {entry}\n```" for entry in entries)


def page_path(meeting_id: str) -> Path:
    return PAGES_DIR / f"{meeting_id}.md"


def write_pages(tables: dict[str, pd.DataFrame] | None = None) -> list[Path]:
    """Write every meeting's page (only those whose text changed, so Sphinx re-reads only
    them); return the paths written."""
    tables = tables or load_page_tables()
    tracked = tracked_proposals(tables)  # once for all the pages
    PAGES_DIR.mkdir(exist_ok=True)
    written = []
    for meeting_id in sorted(tables["meetings"]["meeting_id"]):
        path = page_path(meeting_id)
        text = render_page(meeting_id, tables, tracked)
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            written.append(path)
    return written


def write_downloads(tables: dict[str, pd.DataFrame] | None = None) -> list[Path]:
    """Write the CSV (and its note) behind each section of every meeting page into the build's
    data folder, from where the book's Sphinx extension links and copies them."""
    from .publish import write_figure_data

    tables = tables or load_page_tables()
    paths = []
    for meeting in tables["meetings"].itertuples():
        title = page_title(meeting, tables)
        for part, frame in download_frames(meeting.meeting_id, tables).items():
            words = dict(DOWNLOADS)[part]
            paths.append(write_figure_data(
                download_name(meeting.meeting_id, part), frame, f"{title}: {words}",
                f"table {part} of this book, rows about this meeting."))
    return paths


def stale_pages(tables: dict[str, pd.DataFrame] | None = None) -> list[str]:
    """Meetings whose committed page differs from what the data gives (or is missing)."""
    tables = tables or load_page_tables()
    tracked = tracked_proposals(tables)
    return [m for m in sorted(tables["meetings"]["meeting_id"])
            if not page_path(m).exists()
            or page_path(m).read_text(encoding="utf-8") != render_page(m, tables, tracked)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true",
                        help="only report pages that differ from the data (exit 1 if any)")
    args = parser.parse_args(argv)
    tables = load_page_tables()
    if args.check:
        stale = stale_pages(tables)
        for meeting_id in stale:
            print(f"meeting pages: meetings/{meeting_id}.md differs from the data")
        return 1 if stale else 0
    written = write_pages(tables)
    write_downloads(tables)
    print(f"meeting pages: {len(written)} page(s) written"
          + (": " + ", ".join(p.relative_to(PROJECT_ROOT).as_posix() for p in written) if written else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())


def row_in_words(table_name: str, row_id: str, tables: dict[str, pd.DataFrame] | None = None) -> str:
    """What one row of a table is about, in reader's words: the document's title, the proposal's
    summary, the figure's description, the meeting's number and place, the person's name. The
    row's key stays in the data and the downloads; pages show these words instead. An unknown
    table or row is an error that names both."""
    from .tables import load_table

    tables = dict(tables or {})

    def table(name: str) -> pd.DataFrame:
        if name not in tables:
            tables[name] = load_table(name)
        return tables[name]

    def lookup(name: str, key: str, column: str, value: str) -> str:
        frame = table(name).set_index(key)
        if value not in frame.index:
            raise KeyError(f"{name}: no row {value!r} (asked for in reader's words)")
        return str(frame.at[value, column])

    if table_name == "meetings":
        ordinal = int(lookup("meetings", "meeting_id", "ordinal", row_id))
        city = lookup("meetings", "meeting_id", "city", row_id)
        return f"the {ordinal_word(ordinal)} meeting, in {city}"
    if table_name == "attendance":
        meeting_id, person_id = row_id.split("/", 1)
        return (f"{lookup('people', 'person_id', 'name', person_id)} at "
                f"{row_in_words('meetings', meeting_id, tables)}")
    if table_name == "people":
        return lookup("people", "person_id", "name", row_id)
    column = {"documents": ("document_id", "title"), "proposals": ("proposal_id", "summary"),
              "statements": ("statement_id", "description")}.get(table_name)
    if column is None:
        raise KeyError(f"variants: table_name {table_name!r} has no reader's words")
    return lookup(table_name, column[0], column[1], row_id)


def about_in_words(frame: pd.DataFrame, tables: dict[str, pd.DataFrame] | None = None,
                   detail: bool = True) -> pd.Series:
    """For rows naming another row by ``table_name``, ``row_id`` (and ``column_name``), what they
    are about in reader's words, e.g. 'Regulation on the Consultative Meetings (status)'."""
    words = [row_in_words(t, r, tables) for t, r in zip(frame["table_name"], frame["row_id"])]
    if detail:
        words = [f"{w.rstrip('.')} ({_words(COLUMN_WORDS, c)})"
                 for w, c in zip(words, frame["column_name"])]
    return pd.Series(words, index=frame.index, dtype=object)
