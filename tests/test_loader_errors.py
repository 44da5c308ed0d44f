"""Bad input fails loudly: each corruption of a table raises DataValidationError whose message
names the file, the row, the column and the rule broken."""

from __future__ import annotations

import pytest

from summit_book import DataValidationError, load_table, validate_all


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
