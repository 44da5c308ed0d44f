"""Bad input fails loudly: each corruption of a table raises DataValidationError whose message
names the file, the row (and its line), the column and the rule broken, and stops the build.

The catalogue below covers text damaged by encodings and spreadsheets, placeholders, control
characters, foreign digits, dates past the cut-off, out-of-range values, case-only duplicate
keys, links between rows that loop, and broken files (BOM, semicolons, header only, invalid
datapackage.json), each with the rule the validator names."""

from __future__ import annotations

import csv
import json

import pytest

from summit_book import DataValidationError, load_table, validate_all
from summit_book.paths import PROJECT_ROOT


def problems_text(table: str) -> str:
    with pytest.raises(DataValidationError) as error:
        load_table(table)
    return str(error.value)


def test_impossible_date_names_file_row_and_column(data_copy):
    edited = data_copy.edit("meetings", 6, "date_start", "2025-13-40")
    message = problems_text("meetings")
    assert "data/meetings.csv" in message
    assert "row 7 (line 8)" in message
    assert f"[{edited['meeting_id']}]" in message
    assert "column 'date_start'" in message
    assert "'2025-13-40' is not a valid date" in message


def test_missing_column(data_copy):
    rows = data_copy.rows("meetings")
    fields = [name for name in rows[0] if name != "city"]
    data_copy.write("meetings", [{k: r[k] for k in fields} for r in rows], fields)
    message = problems_text("meetings")
    assert "data/meetings.csv, column 'city': missing column (rule: header)" in message


def test_unknown_column(data_copy):
    rows = data_copy.rows("countries")
    for row in rows:
        row["population"] = "1"
    data_copy.write("countries", rows)
    assert "column 'population': unknown column" in problems_text("countries")


def test_unknown_country_is_a_foreign_key_error(data_copy):
    data_copy.edit("attendance", 0, "country_id", "XYZ")
    message = problems_text("attendance")
    assert "data/attendance.csv, row 1 (line 2)" in message
    assert "column 'country_id'" in message
    assert "'XYZ' is not a known country_id in data/countries.csv" in message


def test_duplicate_primary_key(data_copy):
    rows = data_copy.rows("documents")
    rows.append(dict(rows[0]))
    data_copy.write("documents", rows)
    message = problems_text("documents")
    assert f"row {len(rows)}" in message
    assert f"duplicate key {rows[0]['document_id']}, first used in row 1" in message


def test_empty_source_ids(data_copy):
    data_copy.edit("proposals", 2, "source_ids", "")
    message = problems_text("proposals")
    assert "data/proposals.csv, row 3 (line 4)" in message
    assert "column 'source_ids': a value is required but the cell is empty" in message


def test_unknown_source_id(data_copy):
    data_copy.edit("statements", 0, "source_ids", "no-such-source-2099")
    message = problems_text("statements")
    assert "'no-such-source-2099' is not a known source_id in data/sources.csv" in message
    assert "column 'source_ids'" in message


def test_unknown_enumeration_value(data_copy):
    data_copy.edit("documents", 0, "kind", "manifesto")
    assert "'manifesto' is not one of the allowed values" in problems_text("documents")


def test_number_with_unit_in_cell(data_copy):
    data_copy.edit("statements", 0, "value", "11.5 bn")
    assert "'11.5 bn' is not a plain number" in problems_text("statements")


def test_malformed_csv_row_length(data_copy):
    path = data_copy.root / "meetings.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[2] = lines[2] + ",extra"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    message = problems_text("meetings")
    assert "data/meetings.csv, row 2 (line 3)" in message
    assert "the header has" in message


def test_unbalanced_quote_is_malformed(data_copy):
    path = data_copy.root / "countries.csv"
    path.write_text(path.read_text(encoding="utf-8") + 'XXX,"unclosed\n', encoding="utf-8")
    with pytest.raises(DataValidationError) as error:
        load_table("countries")
    assert "data/countries.csv" in str(error.value)
    assert "csv-syntax" in str(error.value) or "row-length" in str(error.value)


def test_stray_spaces_are_rejected(data_copy):
    data_copy.edit("countries", 0, "name", " Kazakhstan")
    assert "leading or trailing spaces" in problems_text("countries")


def test_unknown_table_name():
    with pytest.raises(KeyError, match="unknown table 'meeting'"):
        load_table("meeting")


def test_bad_reference_in_referenced_table_reported_by_validate_all(data_copy):
    data_copy.edit("meetings", 0, "host_country_id", "KAZAKH")
    texts = [str(problem) for problem in validate_all()]
    assert any("data/meetings.csv" in t and "host_country_id" in t for t in texts)


def test_every_problem_is_listed_not_only_the_first(data_copy):
    rows = data_copy.rows("meetings")
    rows[0]["date_start"] = "2018-02-30"
    rows[1]["ordinal"] = "two"
    data_copy.write("meetings", rows)
    with pytest.raises(DataValidationError) as error:
        load_table("meetings")
    assert len(error.value.problems) == 2


# --- the corrupted-data catalogue -------------------------------------------------------------
#
# Each case corrupts one cell of a copy of data/ the way a careless or hostile contributor, a
# spreadsheet or an export would, and asserts that the validator the build runs
# (validate_all, behind `python -m summit_book.validate`) reports it with the file, the data row
# (and its line), the column and the rule; none is published silently.

def the_problem(rule: str, file: str, row: int | None, column: str | None):
    """The first problem of ``rule`` that validate_all finds; check where it is located."""
    problems = validate_all()
    found = [problem for problem in problems if problem.rule == rule]
    assert found, ("no '" + rule + "' problem; found:\n" + "\n".join(map(str, problems))
                   if problems else f"accepted silently: no '{rule}' problem")
    problem = found[0]
    text = str(problem)
    assert (problem.file, problem.row, problem.column) == (file, row, column), text
    assert text.startswith(file), text
    if row is not None:
        assert f"row {row} (line " in text, text
    if column is not None:
        assert f"column '{column}'" in text, text
    assert text.endswith(f"(rule: {rule})"), text
    return problem


LEADER_SOURCES = "akorda-2018-03-15-working-meeting;kazinform-2018-03-15-leaders-meet"

#: (case id, table, data row counted from 0, column, corrupted value, rule expected)
CELL_CASES = [
    ("mojibake-en-dash", "meetings", 0, "notes", "Astana \u00e2\u20ac\u201c Tashkent", "mojibake"),
    ("mojibake-apostrophe", "countries", 0, "notes", "Kazakhstan\u00e2\u20ac\u2122s chair", "mojibake"),
    ("mojibake-latin-e-acute", "sources", 1, "title", "Communiqu\u00c3\u00a9 of the meeting", "mojibake"),
    ("mojibake-cyrillic", "people", 0, "name_ru", "\u00d0\u00a1\u00d0\u00be\u00d0\u00b2\u00d0\u00b5\u00d1\u201a", "mojibake"),
    ("mojibake-latin1-c1", "documents", 0, "title", "Communiqu\u00c3\u0089", "control-character"),
    ("replacement-character", "documents", 0, "title_ru", "\u0420\u0435\u0448\u0435\u043d\u0438\u0435 \ufffd\ufffd\ufffd", "replacement-character"),
    ("question-marks-for-cyrillic", "people", 0, "name_ru", "????? ??????", "question-marks"),
    ("question-marks-in-title", "sources", 0, "title", "?????????? ??????? in Dushanbe", "question-marks"),
    ("nul-byte", "proposals", 0, "summary", "A council\x00 of five", "control-character"),
    ("bell-control", "meetings", 0, "city", "Astana\x07", "control-character"),
    ("tab-in-cell", "documents", 1, "title", "Decision\ton transfer", "control-character"),
    ("carriage-return-in-quoted-field", "documents", 1, "notes", "first\r\nsecond", "control-character"),
    ("bidi-override", "sources", 0, "publisher", "24.kg\u202egk.42", "control-character"),
    ("zero-width-space", "countries", 1, "name", "Kyrgyz\u200bstan", "control-character"),
    ("placeholder-null", "meetings", 0, "city", "null", "placeholder"),
    ("placeholder-NULL", "documents", 0, "title", "NULL", "placeholder"),
    ("placeholder-N/A", "countries", 0, "name_official", "N/A", "placeholder"),
    ("placeholder-NaN-number", "statements", 0, "value", "NaN", "placeholder"),
    ("placeholder-None", "people", 0, "name_ru", "None", "placeholder"),
    ("placeholder-dash-year", "project_facts", 0, "reference_year", "-", "placeholder"),
    ("placeholder-n/a", "sources", 0, "publisher", "n/a", "placeholder"),
    ("placeholder-in-list", "countries", 0, "source_ids", LEADER_SOURCES + ";N/A", "placeholder"),
    ("formula-hyperlink", "proposals", 0, "summary", '=HYPERLINK("http://example.org","x")', "formula-like"),
    ("formula-plus", "documents", 0, "title", "+cmd|' /C calc'!A0", "formula-like"),
    ("formula-at", "sources", 0, "publisher", "@SUM(1+1)*cmd", "formula-like"),
    ("formula-minus-text", "proposals", 0, "notes", "-2+3+cmd|' /C calc'!A0", "formula-like"),
    ("formula-in-list", "countries", 0, "source_ids", "=1+1", "formula-like"),
    ("arabic-indic-number", "statements", 0, "value", "\u0665", "ascii-digits"),
    ("arabic-indic-date", "meetings", 0, "date_start",
     "\u0662\u0660\u0661\u0668-\u0660\u0663-\u0661\u0665", "ascii-digits"),
    ("fullwidth-year", "statements", 1, "reference_year", "\uff12\uff10\uff11\uff18", "ascii-digits"),
    ("devanagari-integer", "meetings", 0, "ordinal", "\u0967", "ascii-digits"),
    ("date-2099", "meetings", 0, "date_end", "2099-03-15", "cutoff"),
    ("year-after-cutoff", "trade_statistics", 0, "year", "2099", "maximum"),
    ("negative-length", "project_facts", 41, "value", "-928", "minimum"),
    ("latitude-out-of-range", "corridor_points", 0, "latitude", "95.5", "maximum"),
    ("negative-power-capacity", "power_interconnectors", 0, "existing_capacity", "-5", "minimum"),
    ("wrong-type-integer", "meetings", 0, "ordinal", "two", "type"),
    ("wrong-type-boolean", "statements", 0, "is_target", "yes", "type"),
    ("number-with-comma", "statements", 0, "value", "1,5", "type"),
    ("impossible-date", "meetings", 1, "date_start", "2019-02-30", "type"),
    ("out-of-enum", "documents", 0, "kind", "manifesto", "enum"),
    ("enum-wrong-case", "sources", 0, "kind", "Press", "enum"),
    ("pattern", "countries", 0, "participant_since_meeting_id", "meeting-1", "pattern"),
    ("required-empty", "meetings", 0, "host_country_id", "", "required"),
    ("foreign-key-miss", "attendance", 0, "country_id", "XYZ", "foreign-key"),
    ("foreign-key-wrong-case", "meetings", 0, "host_country_id", "kaz", "foreign-key"),
    ("list-foreign-key-miss", "documents", 0, "signatories", "KGZ;TJK;XXX", "foreign-key"),
    ("list-source-miss", "countries", 0, "source_ids", LEADER_SOURCES + ";no-such-source", "foreign-key"),
    ("list-duplicate-item", "countries", 0, "source_ids", LEADER_SOURCES + ";akorda-2018-03-15-working-meeting", "list-unique"),
    ("list-empty-item", "countries", 0, "source_ids", LEADER_SOURCES.replace(";", ";;"), "list"),
    ("trailing-space", "countries", 0, "name", "Kazakhstan ", "whitespace"),
    ("leading-newline", "countries", 0, "name", "\nKazakhstan", "whitespace"),
]


@pytest.mark.parametrize("case", CELL_CASES, ids=[case[0] for case in CELL_CASES])
def test_corrupted_cell(data_copy, case):
    _, table, index, column, value, rule = case
    data_copy.edit(table, index, column, value)
    problem = the_problem(rule, f"data/{table}.csv", index + 1, column)
    assert problem.key, "the row's key helps find it"
    # the chapters' loader refuses the table with the same message
    with pytest.raises(DataValidationError) as error:
        load_table(table)
    assert str(problem) in str(error.value)


#: Rules joining rows or tables (summit_book.rules), which used to live only in the tests:
#: (case id, table, row from 0, column, value, rule, file and row where it is reported).
ROW_CASES = [
    ("accessed-in-the-future", "sources", 1, "accessed", "2099-01-01", "accessed-in-the-past",
     "sources", 2),
    ("link-self", "proposal_links", 4, "later_proposal_id", "cm02-tkm-business-council",
     "self-link", "proposal_links", 5),
    ("link-both-targets", "proposal_links", 0, "later_proposal_id", "cm06-kaz-business-council",
     "link-target", "proposal_links", 1),
    ("link-not-later", "proposal_links", 4, "later_proposal_id", "cm02-uzb-investment-forum",
     "link-later-meeting", "proposal_links", 5),
    ("power-link-to-own-country", "power_interconnectors", 0, "to_country_id", "KAZ",
     "self-link", "power_interconnectors", 1),
    ("chair-not-from-host", "meetings", 0, "chair_person_id", "mirziyoyev",
     "chair-from-host-country", "meetings", 1),
    ("end-before-start", "meetings", 1, "date_end", "2019-11-28", "dates-in-order", "meetings", 2),
    ("statement-two-sources", "statements", 0, "source_ids",
     "kazinform-2018-03-15-leaders-meet;akorda-2018-03-15-working-meeting",
     "one-source-per-statement", "statements", 1),
    ("indicator-wrong-dataset", "indicators", 0, "source_id", "worldbank-2026-07-01-wdi",
     "indicators-cite-their-dataset", "indicators", 1),
    ("variant-of-no-row", "variants", 0, "row_id", "cm06-no-such-document",
     "variants-point-at-rows", "variants", 1),
    ("published-after-accessed", "sources", 1, "date_published", "2026-11-24",
     "published-before-accessed", None, None),
    ("target-year-without-target", "statements", 1, "target_year", "2030",
     "targets-have-target-years", "statements", 2),
    ("attendee-of-another-country", "attendance", 0, "country_id", "UZB",
     "attendees-of-their-country", "attendance", 1),
    ("meeting-ordinal-gap", "meetings", 7, "ordinal", "12", "meetings-in-order", "meetings", 8),
    ("corridor-sequence-gap", "corridor_points", 1, "sequence", "9",
     "corridor-points-in-sequence", "corridor_points", 2),
    ("treaty-step-by-non-party", "treaty_actions", 0, "country_id", "AZE",
     "treaty-steps-consistent", "treaty_actions", 1),
    ("partner-meeting-date-in-wrong-year", "partner_meetings", 0, "date_start", "2001-01-01",
     "partner-meetings-dated", "partner_meetings", 1),
    ("audit-check-of-no-row", "audit_checks", 0, "row_id", "no-such-row",
     "audit-checks-point-at-rows", "audit_checks", 1),
    ("audit-check-of-no-column", "audit_checks", 0, "column_name", "no_such_column",
     "audit-checks-point-at-rows", "audit_checks", 1),
    ("audit-confirmed-on-one-source", "audit_checks", 0, "source_ids",
     "kaktus-2022-07-21-treaty-three", "audit-confirmations-have-two-sources", "audit_checks", 1),
    ("audit-check-in-the-future", "audit_checks", 0, "check_date", "2099-01-01",
     "audit-checks-dated-in-the-past", "audit_checks", 1),
]


@pytest.mark.parametrize("case", ROW_CASES, ids=[case[0] for case in ROW_CASES])
def test_corrupted_row_relation(data_copy, case):
    _, table, index, column, value, rule, file_table, row = case
    if rule == "published-before-accessed":  # accessed before its publication date
        data_copy.edit("sources", 1, "accessed", "2024-05-16")
        file_table, row, column = "sources", 2, "date_published"
    else:
        data_copy.edit(table, index, column, value)
    the_problem(rule, f"data/{file_table}.csv", row, column)


def test_two_cycle_in_proposal_links(data_copy):
    """link-006 goes cm02-uzb-investment-forum -> cm03-uzb-business-forums; pointing link-007
    back closes a loop that chapter 10's idea paths would silently drop."""
    data_copy.edit("proposal_links", 6, "later_proposal_id", "cm02-uzb-investment-forum")
    problem = the_problem("link-cycle", "data/proposal_links.csv", 7, "later_proposal_id")
    assert "cm02-uzb-investment-forum -> cm03-uzb-business-forums -> cm02-uzb-investment-forum" \
        in problem.message


def test_three_cycle_in_proposal_links(data_copy):
    rows = data_copy.rows("proposal_links")
    rows[7]["proposal_id"] = "cm06-uzb-investment-council-bank"
    rows[7]["later_proposal_id"] = "cm02-uzb-investment-forum"
    data_copy.write("proposal_links", rows)
    problem = the_problem("link-cycle", "data/proposal_links.csv", 8, "later_proposal_id")
    assert problem.message.count("->") == 3


def test_case_duplicate_unique_column(data_copy):
    rows = data_copy.rows("partner_formats")
    rows.append({**rows[0], "format_id": "ca-zzz", "partner": rows[0]["partner"].upper()})
    data_copy.write("partner_formats", rows)
    problem = the_problem("unique-case", "data/partner_formats.csv", len(rows), "partner")
    assert "differs only in case" in problem.message and "row 1" in problem.message


def test_case_duplicate_primary_key(data_copy):
    rows = data_copy.rows("gas_pipeline_trade")
    rows.append({**rows[0], "exporter": rows[0]["exporter"].lower()})
    data_copy.write("gas_pipeline_trade", rows)
    the_problem("unique-case", "data/gas_pipeline_trade.csv", len(rows), "exporter/importer/year")


def test_exact_duplicate_key(data_copy):
    rows = data_copy.rows("documents")
    rows.append(dict(rows[0]))
    data_copy.write("documents", rows)
    the_problem("unique", "data/documents.csv", len(rows), "document_id")


def test_duplicate_source_url(data_copy):
    rows = data_copy.rows("sources")
    rows[1]["url"] = rows[0]["url"]
    data_copy.write("sources", rows)
    problem = the_problem("unique", "data/sources.csv", 2, "url")
    assert "first used in row 1" in problem.message


def test_source_no_row_cites(data_copy):
    rows = data_copy.rows("sources")
    rows.append({**rows[0], "source_id": "zz-uncited-2025", "url": "https://example.org/uncited"})
    data_copy.write("sources", rows)
    the_problem("every-source-used", "data/sources.csv", len(rows), "source_id")


# --- the files themselves ---------------------------------------------------------------------


def test_embedded_newline_is_kept_exactly(data_copy):
    """A quoted field's line break is data: it reaches the frame unchanged (it used to be
    deleted by csv.reader(text.splitlines())), and later rows' lines count it."""
    text = "First paragraph of the note.\nSecond paragraph, after a line break."
    data_copy.edit("proposals", 0, "notes", text)
    assert text.encode() in (data_copy.root / "proposals.csv").read_bytes()
    assert not validate_all()
    assert load_table("proposals")["notes"].iloc[0] == text
    data_copy.edit("proposals", 2, "kind", "manifesto")
    problem = the_problem("enum", "data/proposals.csv", 3, "kind")
    assert "row 3 (line 5)" in str(problem)  # header line 1, row 1 spans lines 2-3


def test_windows_line_breaks_between_rows_are_accepted(data_copy):
    path = data_copy.root / "countries.csv"
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    assert not validate_all()
    assert list(load_table("countries")["country_id"])[:2] == ["KAZ", "KGZ"]


def test_utf8_bom_is_named(data_copy):
    path = data_copy.root / "countries.csv"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    problem = the_problem("encoding", "data/countries.csv", None, None)
    assert "byte-order mark (BOM)" in problem.message


def test_latin1_file_names_the_line(data_copy):
    path = data_copy.root / "people.csv"
    path.write_bytes(path.read_bytes().replace("Алиев".encode(), "Aliyev \xe9".encode("latin-1")))
    problem = the_problem("encoding", "data/people.csv", None, None)
    assert "not valid UTF-8 at line 2" in problem.message


def test_semicolon_delimited_file_is_named(data_copy):
    rows = data_copy.rows("areas")
    with (data_copy.root / "areas.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), delimiter=";",
                                lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    problem = the_problem("delimiter", "data/areas.csv", None, None)
    assert "semicolons" in problem.message
    assert "semicolons" in problems_text("areas")


def test_datapackage_syntax_error_names_line_and_column(data_copy):
    path = data_copy.root / "datapackage.json"
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[5] = lines[5].rstrip(",")  # "version": "0.2.0"  without its comma
    path.write_text("\n".join(lines), encoding="utf-8")
    problem = the_problem("json-syntax", "data/datapackage.json", None, None)
    assert "line 7, column 3" in problem.message, problem.message
    with pytest.raises(DataValidationError, match=r"datapackage\.json: invalid JSON at line 7"):
        load_table("countries")


def test_header_only_table(data_copy):
    path = data_copy.root / "regional_events.csv"
    path.write_text(path.read_text(encoding="utf-8").split("\n")[0] + "\n", encoding="utf-8")
    problem = the_problem("no-rows", "data/regional_events.csv", None, None)
    assert "header but no data rows" in problem.message


def test_empty_file(data_copy):
    (data_copy.root / "regional_events.csv").write_text("", encoding="utf-8")
    the_problem("header", "data/regional_events.csv", None, None)


def test_csv_missing_from_the_data_package(data_copy):
    (data_copy.root / "new_table.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    problem = the_problem("described", "data/new_table.csv", None, None)
    assert "not described in data/datapackage.json" in problem.message


def test_resource_whose_file_is_missing(data_copy):
    (data_copy.root / "treaty_actions.csv").unlink()
    problem = the_problem("file-exists", "data/treaty_actions.csv", None, None)
    assert "missing" in problem.message


def test_duplicate_header(data_copy):
    path = data_copy.root / "countries.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[0] = lines[0].replace("name_official", "name")
    path.write_text("\n".join(lines), encoding="utf-8")
    problems = [p for p in validate_all() if p.file == "data/countries.csv"]
    assert any(p.rule == "header" and p.column == "name" and "duplicate" in p.message
               for p in problems), problems


def test_ragged_short_row(data_copy):
    path = data_copy.root / "people.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[3] = ",".join(next(csv.reader([lines[3]]))[:3])
    path.write_text("\n".join(lines), encoding="utf-8")
    problem = the_problem("row-length", "data/people.csv", 3, None)
    assert "has 3 cells, the header has 6" in problem.message


def test_date_field_without_the_cutoff_is_a_schema_problem(data_copy):
    path = data_copy.root / "datapackage.json"
    package = json.loads(path.read_text(encoding="utf-8"))
    for entry in package["resources"]:
        if entry["name"] == "meetings":
            for field in entry["schema"]["fields"]:
                if field["name"] == "date_end":
                    del field["constraints"]["maximum"]
    path.write_text(json.dumps(package, indent=2), encoding="utf-8")
    problem = the_problem("cutoff", "data/datapackage.json", None, "date_end")
    assert "meetings.date_end" in problem.message


# --- one list of rules for the build and the tests --------------------------------------------


SHARED_CASES = [
    # rules that used to live only in tests/: cut-off, unique URLs, undescribed CSV, empty
    # table, link cycles
    ("meetings", 0, "date_end", "2099-03-15", "cutoff"),
    ("sources", 1, "url", None, "unique"),
    (None, None, None, None, "described"),
    ("regional_events", None, None, None, "no-rows"),
    ("proposal_links", 6, "later_proposal_id", "cm02-uzb-investment-forum", "link-cycle"),
]


@pytest.mark.parametrize("case", SHARED_CASES, ids=[case[-1] for case in SHARED_CASES])
def test_the_build_stops_on_what_the_tests_reject(data_copy, capsys, case):
    """The build's first step (summit_book.build runs summit_book.validate.main) refuses the
    corruptions that, before, only the test suite caught."""
    from summit_book import build, validate

    table, index, column, value, rule = case
    if rule == "unique":
        rows = data_copy.rows("sources")
        rows[1]["url"] = rows[0]["url"]
        data_copy.write("sources", rows)
    elif rule == "described":
        (data_copy.root / "stray.csv").write_text("a\n1\n", encoding="utf-8")
    elif rule == "no-rows":
        path = data_copy.root / f"{table}.csv"
        path.write_text(path.read_text(encoding="utf-8").split("\n")[0] + "\n", encoding="utf-8")
    else:
        data_copy.edit(table, index, column, value)
    assert validate.main() == 1
    assert f"(rule: {rule})" in capsys.readouterr().err
    # and the build stops there, before any notebook runs or Sphinx starts
    executed = []
    monkeypatch = pytest.MonkeyPatch()
    monkeypatch.setattr(build, "start_execution",
                        lambda paths, server=None: executed.append(paths) or None)
    monkeypatch.setattr(build, "run_sphinx", lambda extra: executed.append(extra) or 0)
    pages = {path: path.read_bytes() for path in (PROJECT_ROOT / "meetings").glob("*.md")}
    try:
        assert build.main(["--force"]) == 1
    finally:
        monkeypatch.undo()
    assert not executed
    # nothing generated from data the validator refuses reaches the source tree
    assert {path: path.read_bytes() for path in (PROJECT_ROOT / "meetings").glob("*.md")} == pages
    assert f"(rule: {rule})" in capsys.readouterr().err


def test_python_m_validate_runs_the_same_rules(project_copy_factory):
    """What scripts/build runs, as a process, on a copy with a 2099 date and a link cycle."""
    import sys

    from conftest import run_in

    root = project_copy_factory("validate-cli")
    path = root / "data" / "proposal_links.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    assert lines[7].startswith("link-007,cm03-uzb-business-forums,cm06-uzb-investment-council-bank,")
    lines[7] = lines[7].replace(",cm06-uzb-investment-council-bank,", ",cm02-uzb-investment-forum,")
    path.write_text("\n".join(lines), encoding="utf-8")
    result = run_in(root, sys.executable, "-m", "summit_book.validate")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "data/proposal_links.csv, row 7 (line 8) [link-007], column 'later_proposal_id'" \
        in result.stderr
    assert "(rule: link-cycle)" in result.stderr
