"""The rules that join rows or tables, beyond what one cell or one table's schema can say.

They run in :func:`summit_book.tables.validate_all` once every table is valid on its own, so
the build (``python -m summit_book.validate``) and the tests (``tests/test_data.py`` and the
chapter tests call these rules, they do not copy them) apply one list of rules. Each rule is a
function registered with :func:`rule` that returns :class:`~summit_book.tables.Problem`\\ s
naming file, row (and line), column and rule.

The rows are the loader's parsed rows (dicts of typed values: dates are ``datetime.date``,
lists are Python lists, an empty cell is ``None`` or ``[]``); no pandas, so that validation
stays fast.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator

from . import tables
from .tables import Problem

#: The registered rules, by name, in the order they run.
RULES: dict[str, Callable[[], Iterator[Problem]]] = {}


def rule(function: Callable[[], Iterator[Problem]]) -> Callable[[], Iterator[Problem]]:
    """Register ``function`` as a rule; its name, with '-' for '_', is the rule's name."""
    RULES[function.__name__.replace("_", "-")] = function
    return function


def check_rules(names: list[str] | None = None) -> list[Problem]:
    """Run the registered rules (all, or those named) and return their problems."""
    problems: list[Problem] = []
    own_pass = tables._PASS is None
    if own_pass:
        tables._PASS = {}  # read each table once for all the rules
    try:
        for name, function in RULES.items():
            if names is None or name in names:
                problems.extend(function())
    finally:
        if own_pass:
            tables._PASS = None
    return problems


# --- helpers --------------------------------------------------------------------------------


def rows(name: str) -> tables.Rows:
    return tables._parsed(name)[0]


def file_of(name: str) -> str:
    return f"data/{tables.resource(name)['path']}"


def key_of(name: str, row: dict) -> str | None:
    key = tables._as_list(tables.resource(name)["schema"].get("primaryKey", []))
    return "/".join(str(row[part]) for part in key) or None


def problem(name: str, rule_name: str, message: str, index: int, column: str | None) -> Problem:
    """A problem in data row ``index`` (1-based) of table ``name``."""
    table = rows(name)
    return Problem(file_of(name), rule_name, message, row=index, column=column,
                   key=key_of(name, table[index - 1]), line=table.line(index))


def by_key(name: str, column: str) -> dict:
    return {row[column]: row for row in rows(name)}


def numbered(name: str) -> Iterator[tuple[int, dict]]:
    return enumerate(rows(name), start=1)


# --- the package and its sources ------------------------------------------------------------


@rule
def every_row_sourced() -> Iterator[Problem]:
    """Every table but sources has a required source_ids list or source_id column (the
    schema's ``required`` then rejects an unsourced row)."""
    for name in tables.table_names():
        if name == "sources":
            continue
        fields = {f["name"]: f for f in tables.resource(name)["schema"]["fields"]}
        column = fields.get("source_ids") or fields.get("source_id")
        if column is None or not column.get("constraints", {}).get("required"):
            yield Problem("data/datapackage.json", "every-row-sourced",
                          f"table {name} needs a required source_ids or source_id column")


@rule
def every_source_used() -> Iterator[Problem]:
    used: set[str] = set()
    for name in tables.table_names():
        for row in rows(name):
            for column in ("source_ids", "status_source_ids"):
                used.update(row.get(column) or [])
            if name != "sources" and row.get("source_id"):
                used.add(row["source_id"])
    for index, row in numbered("sources"):
        if row["source_id"] not in used:
            yield problem("sources", "every-source-used",
                          f"no row of any table cites {row['source_id']}; cite it or remove it",
                          index, "source_id")


@rule
def accessed_in_the_past() -> Iterator[Problem]:
    """A reading date may postdate the data cut-off (a page read later), never today."""
    today = dt.date.today()
    for index, row in numbered("sources"):
        if row["accessed"] is not None and row["accessed"] > today:
            yield problem("sources", "accessed-in-the-past",
                          f"read on {row['accessed']}, a day still to come", index, "accessed")


@rule
def published_before_accessed() -> Iterator[Problem]:
    for index, row in numbered("sources"):
        if (row["date_published"] is not None and row["accessed"] is not None
                and row["date_published"] > row["accessed"]):  # accessed: empty where unknown
            yield problem("sources", "published-before-accessed",
                          f"published {row['date_published']} after it was accessed "
                          f"({row['accessed']})", index, "date_published")


@rule
def one_source_per_statement() -> Iterator[Problem]:
    """A figure reported by three outlets is three rows, each with its one source."""
    for index, row in numbered("statements"):
        if len(row["source_ids"]) != 1:
            yield problem("statements", "one-source-per-statement",
                          f"lists {len(row['source_ids'])} sources; a statement row has exactly "
                          "one", index, "source_ids")


@rule
def readme_lists_every_table() -> Iterator[Problem]:
    readme = tables.DATA_DIR / "README.md"
    text = readme.read_text(encoding="utf-8") if readme.exists() else ""
    for name in tables.table_names():
        if f"`{tables.resource(name)['path']}`" not in text:
            yield Problem("data/README.md", "readme-lists-every-table",
                          f"does not describe `{tables.resource(name)['path']}`")


# --- dates ----------------------------------------------------------------------------------

#: Pairs of columns where the second may not come before the first.
DATE_SPANS = (("date_start", "date_end"), ("period_start", "period_end"))


@rule
def dates_in_order() -> Iterator[Problem]:
    for name in tables.table_names():
        columns = {f["name"] for f in tables.resource(name)["schema"]["fields"]}
        for start, end in DATE_SPANS:
            if {start, end} <= columns:
                for index, row in numbered(name):
                    if row[start] is not None and row[end] is not None and row[end] < row[start]:
                        yield problem(name, "dates-in-order",
                                      f"{end} {row[end]} is before {start} {row[start]}",
                                      index, end)


# --- meetings and attendance ----------------------------------------------------------------


@rule
def meetings_in_order() -> Iterator[Problem]:
    """Meetings are numbered 1, 2, ... in date order; held ones first, with date and city."""
    meetings = sorted(numbered("meetings"), key=lambda item: item[1]["ordinal"])
    previous = None
    for expected, (index, row) in enumerate(meetings, start=1):
        if row["ordinal"] != expected:
            yield problem("meetings", "meetings-in-order",
                          f"ordinal {row['ordinal']}, expected {expected} (no gaps)", index,
                          "ordinal")
        if row["status"] != "held":
            previous = previous or "not held"
            continue
        if previous == "not held":
            yield problem("meetings", "meetings-in-order",
                          "a held meeting is numbered after one not held", index, "status")
        for column in ("date_start", "city"):
            if row[column] is None:
                yield problem("meetings", "meetings-in-order", f"a held meeting needs its "
                              f"{column}", index, column)
        if (isinstance(previous, dict) and row["date_start"] and previous["date_start"]
                and row["date_start"] < previous["date_start"]):
            yield problem("meetings", "meetings-in-order",
                          f"held on {row['date_start']}, before meeting {previous['ordinal']}",
                          index, "date_start")
        previous = row


@rule
def participants_represented() -> Iterator[Problem]:
    """Every participant has exactly one head of state or representative at a held meeting."""
    countries = rows("countries")
    present: dict[str, list[str]] = {}
    for row in rows("attendance"):
        if row["capacity"] in ("head_of_state", "representative") and row["country_id"]:
            present.setdefault(row["meeting_id"], []).append(row["country_id"])
    for index, meeting in numbered("meetings"):
        if meeting["status"] != "held" or meeting["date_end"] is None:
            continue
        expected = {c["country_id"] for c in countries
                    if c["participant_since"] <= meeting["date_end"]}
        seen = present.get(meeting["meeting_id"], [])
        missing = sorted(expected - set(seen))
        extra = sorted(set(seen) - expected)
        twice = sorted({c for c in seen if seen.count(c) > 1})
        for words, ids in (("no representative of", missing), ("a representative of a "
                           "non-participant", extra), ("two representatives of", twice)):
            if ids:
                yield problem("meetings", "participants-represented",
                              f"data/attendance.csv records {words} {', '.join(ids)}", index,
                              "meeting_id")


@rule
def attendees_of_their_country() -> Iterator[Problem]:
    people = by_key("people", "person_id")
    for index, row in numbered("attendance"):
        person = people.get(row["person_id"])
        if row["country_id"] and person and person["country_id"] != row["country_id"]:
            yield problem("attendance", "attendees-of-their-country",
                          f"{row['person_id']} is from {person['country_id']} in "
                          f"data/people.csv, not {row['country_id']}", index, "country_id")


@rule
def chair_from_host_country() -> Iterator[Problem]:
    people = by_key("people", "person_id")
    for index, row in numbered("meetings"):
        person = people.get(row["chair_person_id"])
        if person and person["country_id"] != row["host_country_id"]:
            yield problem("meetings", "chair-from-host-country",
                          f"the chair {row['chair_person_id']} is not from the host country "
                          f"{row['host_country_id']}", index, "chair_person_id")


# --- proposals, documents and the links between them ----------------------------------------


def _meeting_ordinals() -> dict[str, int]:
    return {row["meeting_id"]: row["ordinal"] for row in rows("meetings")}


@rule
def document_after_proposal() -> Iterator[Problem]:
    ordinals = _meeting_ordinals()
    documents = by_key("documents", "document_id")
    for index, row in numbered("proposals"):
        document = documents.get(row["taken_up_by_document_id"])
        if document is None:
            continue
        if ordinals.get(document["meeting_id"], 0) < ordinals.get(row["meeting_id"], 0):
            yield problem("proposals", "document-after-proposal",
                          f"taken up by {document['document_id']}, adopted before the proposal "
                          "was made", index, "taken_up_by_document_id")
        if row["status"] != "adopted_in_document":
            yield problem("proposals", "document-after-proposal",
                          f"taken up by a document, so its status is adopted_in_document, not "
                          f"{row['status']}", index, "status")


#: Tables whose rows link one row of a table to another of the same table, as
#: (table, from column, to column, linked table): a row may not link to itself, and the links
#: may not form a cycle (an idea cannot come back before it was first put forward).
LINK_TABLES = (("proposal_links", "proposal_id", "later_proposal_id", "proposals"),)


@rule
def links_without_cycles() -> Iterator[Problem]:
    for name, source, target, _linked in LINK_TABLES:
        edges: dict[str, list[tuple[str, int]]] = {}
        for index, row in numbered(name):
            if row[target] is None:
                continue
            if row[source] == row[target]:
                yield problem(name, "self-link", f"links {row[source]} to itself", index,
                              target)
                continue
            edges.setdefault(row[source], []).append((row[target], index))
        # depth-first search; a link back to a node on the current path closes a cycle
        state: dict[str, int] = {}  # 1 on the path, 2 done
        reported: set[int] = set()
        for start in sorted(edges):
            if state.get(start):
                continue
            stack = [(start, iter(edges.get(start, [])))]
            path = [start]
            state[start] = 1
            while stack:
                node, children = stack[-1]
                child = next(children, None)
                if child is None:
                    state[node] = 2
                    stack.pop()
                    path.pop()
                    continue
                target_id, index = child
                if state.get(target_id) == 1:
                    if index not in reported:
                        reported.add(index)
                        loop = path[path.index(target_id):] + [target_id]
                        yield problem(name, "link-cycle", "closes a cycle of links: "
                                      + " -> ".join(loop), index, target)
                elif not state.get(target_id):
                    state[target_id] = 1
                    path.append(target_id)
                    stack.append((target_id, iter(edges.get(target_id, []))))


@rule
def proposal_links_consistent() -> Iterator[Problem]:
    """A link names a later proposal (reappears_as, builds_on) or the document that took the
    proposal up (taken_up_by), never both; a comeback is at a later meeting and cites a source
    of the later proposal; a taken_up_by link agrees with the proposals table."""
    proposals = by_key("proposals", "proposal_id")
    documents = by_key("documents", "document_id")
    for index, row in numbered("proposal_links"):
        has_proposal = row["later_proposal_id"] is not None
        has_document = row["document_id"] is not None
        if has_proposal == has_document:
            # name the column that is wrong for the relation: set when it should be empty,
            # or empty when it should be set
            wanted = "document_id" if row["relation"] == "taken_up_by" else "later_proposal_id"
            other = "later_proposal_id" if wanted == "document_id" else "document_id"
            yield problem("proposal_links", "link-target", "needs exactly one of "
                          "later_proposal_id and document_id (document_id for taken_up_by)",
                          index, other if has_proposal else wanted)
            continue
        if has_document != (row["relation"] == "taken_up_by"):
            yield problem("proposal_links", "link-target",
                          f"relation {row['relation']} does not match its target "
                          f"({'a document' if has_document else 'a proposal'})", index,
                          "relation")
            continue
        first = proposals.get(row["proposal_id"])
        if first is None:
            continue
        if has_proposal:
            later = proposals.get(row["later_proposal_id"])
            if later is None or later["proposal_id"] == first["proposal_id"]:
                continue
            if later["meeting_id"] <= first["meeting_id"]:
                yield problem("proposal_links", "link-later-meeting",
                              f"{later['proposal_id']} is not at a later meeting than "
                              f"{first['proposal_id']}", index, "later_proposal_id")
            if not (set(later["source_ids"]) | set(later["status_source_ids"])) & set(
                    row["source_ids"]):
                yield problem("proposal_links", "link-cites-later-end",
                              f"cites no source of {later['proposal_id']}", index, "source_ids")
        else:
            if first["taken_up_by_document_id"] != row["document_id"]:
                yield problem("proposal_links", "link-agrees-with-proposal",
                              f"data/proposals.csv says {first['proposal_id']} was taken up by "
                              f"{first['taken_up_by_document_id']}", index, "document_id")
            document = documents.get(row["document_id"])
            if document and document["meeting_id"] < first["meeting_id"]:
                yield problem("proposal_links", "link-later-meeting",
                              f"{document['document_id']} was adopted before "
                              f"{first['proposal_id']} was made", index, "document_id")


#: Tables whose rows join two different members: (table, first column, second column).
DISTINCT_ENDS = (
    ("power_interconnectors", "from_country_id", "to_country_id"),
    ("power_interconnectors", "from_zone", "to_zone"),
    ("border_facts", "country_a", "country_b"),
    ("gas_pipeline_trade", "exporter", "importer"),
)


@rule
def no_self_links() -> Iterator[Problem]:
    for name, first, second in DISTINCT_ENDS:
        for index, row in numbered(name):
            if row[first] is not None and row[first] == row[second]:
                yield problem(name, "self-link", f"{first} and {second} are both {row[first]}",
                              index, second)


# --- statements, variants and indicators ----------------------------------------------------


@rule
def targets_have_target_years() -> Iterator[Problem]:
    """Only a target has a target year."""
    for index, row in numbered("statements"):
        if not row["is_target"] and row["target_year"] is not None:
            yield problem("statements", "targets-have-target-years",
                          "has a target_year but is_target is false", index, "target_year")


def _rows_pointed_at(name: str, label: str) -> Iterator[Problem]:
    """Rows of ``name`` (variants, audit_checks) name a row (``table_name`` + ``row_id``) and a
    column (``column_name``) of another table: both must exist."""
    keys: dict[str, set] = {}
    for index, row in numbered(name):
        table = row["table_name"]
        if table not in keys:
            keys[table] = {key_of(table, other) for other in rows(table)}
        if row["row_id"] not in keys[table]:
            yield problem(name, label, f"{row['row_id']} is not a row of {file_of(table)}",
                          index, "row_id")
        columns = {f["name"] for f in tables.resource(table)["schema"]["fields"]}
        if row["column_name"] not in columns:
            yield problem(name, label, f"{row['column_name']} is not a column of {file_of(table)}",
                          index, "column_name")


@rule
def variants_point_at_rows() -> Iterator[Problem]:
    yield from _rows_pointed_at("variants", "variants-point-at-rows")


@rule
def audit_checks_point_at_rows() -> Iterator[Problem]:
    yield from _rows_pointed_at("audit_checks", "audit-checks-point-at-rows")


@rule
def audit_checks_dated_in_the_past() -> Iterator[Problem]:
    today = dt.date.today()
    for index, row in numbered("audit_checks"):
        if row["check_date"] > today:
            yield problem("audit_checks", "audit-checks-dated-in-the-past",
                          f"checked on {row['check_date']}, a day still to come", index,
                          "check_date")


@rule
def audit_confirmations_have_two_sources() -> Iterator[Problem]:
    """A value is confirmed or corrected only on two sources, at least two of them not weak
    (summit_book.source_quality); a single good source makes it single_sourced."""
    from .source_quality import WEAK
    classes = {row["source_id"]: row["kind"] for row in rows("sources")}
    classes.update((row["source_id"], row["quality"]) for row in rows("source_quality"))
    for index, row in numbered("audit_checks"):
        if row["result"] not in ("confirmed", "corrected"):
            continue
        strong = [s for s in row["source_ids"] if classes.get(s) not in WEAK]
        if len(strong) < 2:
            yield problem("audit_checks", "audit-confirmations-have-two-sources",
                          f"{row['result']} on {len(strong)} source(s) that are not weak; "
                          "name a second source or record the check as single_sourced",
                          index, "source_ids")


@rule
def variants_cover_every_table() -> Iterator[Problem]:
    """A disagreement about any table's row can be recorded: variants.table_name's enum lists
    every table but sources, source_quality (a table about sources), variants and audit_checks
    (a log of checks on rows)."""
    field = next(f for f in tables.resource("variants")["schema"]["fields"]
                 if f["name"] == "table_name")
    allowed = set(field.get("constraints", {}).get("enum", []))
    expected = set(tables.table_names()) - {"sources", "source_quality", "variants",
                                             "audit_checks"}
    if allowed != expected:
        yield Problem("data/datapackage.json", "variants-cover-every-table",
                      f"variants.table_name's enum lacks {sorted(expected - allowed)} and has "
                      f"{sorted(allowed - expected)} too", column="table_name")


@rule
def indicators_cite_their_dataset() -> Iterator[Problem]:
    definitions = by_key("indicator_definitions", "indicator_id")
    for index, row in numbered("indicators"):
        definition = definitions.get(row["indicator_id"])
        if definition and row["source_id"] != definition["source_id"]:
            yield problem("indicators", "indicators-cite-their-dataset",
                          f"cites {row['source_id']}, but the series {row['indicator_id']} "
                          f"comes from {definition['source_id']}", index, "source_id")


#: Series every participant must have: the chapters compare the participants on them.
SERIES_FOR_EVERY_PARTICIPANT = ("population", "internet_users", "electricity_generation_total",
                                "merchandise_exports_usd")


@rule
def indicators_cover_participants() -> Iterator[Problem]:
    countries = {row["country_id"] for row in rows("countries")}
    covered: dict[str, set[str]] = {}
    for row in rows("indicators"):
        covered.setdefault(row["indicator_id"], set()).add(row["area_code"])
    for series in SERIES_FOR_EVERY_PARTICIPANT:
        missing = countries - covered.get(series, set())
        if missing:
            yield Problem(file_of("indicators"), "indicators-cover-participants",
                          f"the series {series} has no value for {', '.join(sorted(missing))}",
                          column="area_code")


# --- partner meetings, treaties, corridors --------------------------------------------------


@rule
def partner_meetings_dated() -> Iterator[Problem]:
    """A partner meeting's dates fall in its year, come as a pair, and none held is later
    than the cut-off's year."""
    cutoff = tables.data_cutoff()
    for index, row in numbered("partner_meetings"):
        if row["date_start"] is not None:
            if row["date_start"].year != row["year"]:
                yield problem("partner_meetings", "partner-meetings-dated",
                              f"date_start {row['date_start']} is not in the year {row['year']}",
                              index, "date_start")
            if row["date_end"] is None:
                yield problem("partner_meetings", "partner-meetings-dated",
                              "has a date_start but no date_end", index, "date_end")
        elif row["date_end"] is not None:
            yield problem("partner_meetings", "partner-meetings-dated",
                          "has a date_end but no date_start", index, "date_start")
        if cutoff and row["status"] == "held" and row["year"] > cutoff.year:
            yield problem("partner_meetings", "partner-meetings-dated",
                          f"reported held in {row['year']}, after the data cut-off", index,
                          "year")


@rule
def treaty_steps_consistent() -> Iterator[Problem]:
    """A step has a date unless its precision is unknown; a country's step is by a party of
    the treaty; recorded ratifications, exchanges and entry into force follow the signature."""
    parties = {row["treaty_id"]: set(row["parties"]) for row in rows("treaties")}
    signed: dict[str, object] = {}
    for row in rows("treaty_actions"):
        if (row["version"] == "record" and row["date"] is not None
                and row["action"] in ("signed", "signed_by_delegations")):
            signed[row["treaty_id"]] = min(signed.get(row["treaty_id"], row["date"]), row["date"])
    for index, row in numbered("treaty_actions"):
        if (row["date"] is None) != (row["date_precision"] == "unknown"):
            yield problem("treaty_actions", "treaty-steps-consistent",
                          "date_precision is unknown exactly when the date is empty", index,
                          "date_precision")
        if row["country_id"] and row["country_id"] not in parties.get(row["treaty_id"], set()):
            yield problem("treaty_actions", "treaty-steps-consistent",
                          f"{row['country_id']} is not a party of {row['treaty_id']}", index,
                          "country_id")
        if (row["version"] == "record" and row["date"] is not None
                and row["action"] in ("ratified", "instruments_exchanged", "entered_into_force")):
            first = signed.get(row["treaty_id"])
            if first is None:
                yield problem("treaty_actions", "treaty-steps-consistent",
                              f"{row['treaty_id']} has no dated signature on record", index,
                              "treaty_id")
            elif row["date"] < first:
                yield problem("treaty_actions", "treaty-steps-consistent",
                              f"{row['action']} on {row['date']}, before the signature on "
                              f"{first}", index, "date")


@rule
def corridor_points_in_sequence() -> Iterator[Problem]:
    """Each route's points are numbered 1, 2, ... without gaps."""
    sequences: dict[str, list[tuple[int, int]]] = {}
    for index, row in numbered("corridor_points"):
        sequences.setdefault(row["project_id"], []).append((row["sequence"], index))
    for project, points in sequences.items():
        # the primary key makes the numbers distinct, so they are 1..n when none exceeds n
        for sequence, index in sorted(points):
            if sequence > len(points):
                yield problem("corridor_points", "corridor-points-in-sequence",
                              f"route {project} has {len(points)} points, numbered from 1 "
                              f"without gaps, so no point {sequence}", index, "sequence")


# --- collective commitments -----------------------------------------------------------------


@rule
def verdicts_on_scored_states() -> Iterator[Problem]:
    """A verdict scores a state on a commitment it adopted (see summit_book.commitments), once,
    with evidence dated no earlier than the meeting that adopted it."""
    from .commitments import states_for

    documents = by_key("documents", "document_id")
    meetings = by_key("meetings", "meeting_id")
    participants = [(row["country_id"], row["participant_since"]) for row in rows("countries")]
    commitments = by_key("commitments", "commitment_id")
    seen: dict[tuple, str] = {}
    for index, row in numbered("commitment_verdicts"):
        commitment = commitments.get(row["commitment_id"])
        if commitment is None:
            continue  # the foreign key reports it
        meeting = meetings.get(commitment["meeting_id"], {})
        states = states_for((documents.get(commitment["document_id"]) or {}).get("signatories"),
                            meeting.get("date_start"), participants)
        if row["country_id"] not in states:
            yield problem("commitment_verdicts", "verdicts-on-scored-states",
                          f"{row['country_id']} is not scored on {row['commitment_id']}: it "
                          f"neither signed the document nor took part before the meeting",
                          index, "country_id")
        pair = (row["commitment_id"], row["country_id"])
        if pair in seen:
            yield problem("commitment_verdicts", "verdicts-on-scored-states",
                          f"a second verdict on {row['country_id']} for {row['commitment_id']} "
                          f"(first: {seen[pair]}); keep one, dated by its latest evidence",
                          index, "commitment_id")
        seen.setdefault(pair, row["verdict_id"])
        held = meeting.get("date_start")
        if held is not None and row["date"] is not None and row["date"] < held:
            yield problem("commitment_verdicts", "verdicts-on-scored-states",
                          f"evidence dated {row['date']}, before the meeting of {held} that "
                          "adopted the commitment", index, "date")
