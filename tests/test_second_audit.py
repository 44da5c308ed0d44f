"""The second audit's counts (summit_book.second_audit): each re-checked row counted once, under
its most serious result, so that the results add up to the rows re-checked."""

from __future__ import annotations

import pandas as pd
import pytest

from summit_book import load_table
from summit_book.second_audit import SEVERITY, audit_counts, counts_by_table, row_outcomes


def checks(*rows):
    return pd.DataFrame(rows, columns=["table_name", "row_id", "result"])


def test_a_row_checked_twice_counts_once_under_its_worst_result():
    frame = checks(("proposals", "a", "confirmed"), ("proposals", "a", "single_sourced"),
                   ("proposals", "b", "confirmed"), ("treaty_actions", "a", "corrected"))
    counts = audit_counts(frame)
    assert counts["checks"] == 4
    assert counts["rechecked"] == 3  # ("proposals", "a") once; the same key in another table apart
    assert (counts["single_sourced"], counts["confirmed"], counts["corrected"]) == (1, 1, 1)
    assert counts["downgraded"] == counts["could_not_check"] == 0


def test_a_correction_outweighs_everything_else():
    frame = checks(*[("project_facts", "x", result) for result in reversed(SEVERITY)])
    assert row_outcomes(frame)["outcome"].tolist() == ["corrected"]


def test_an_unknown_result_is_an_error_not_a_silent_zero():
    with pytest.raises(ValueError, match="fixed"):
        audit_counts(checks(("proposals", "a", "fixed")))


def test_the_counts_of_the_real_log_add_up():
    log = load_table("audit_checks")
    counts = audit_counts(log)
    assert counts["rechecked"] == len(log.drop_duplicates(["table_name", "row_id"]))
    assert sum(counts[result] for result in SEVERITY) == counts["rechecked"]
    by_table = counts_by_table(log)
    assert by_table["rechecked"].sum() == counts["rechecked"]
    assert (by_table[list(SEVERITY)].sum(axis=1) == by_table["rechecked"]).all()


def test_every_correction_in_the_log_is_on_the_changelog():
    """A row the audit corrected is named on the changelog by one of the sources it cites."""
    from summit_book.paths import PROJECT_ROOT
    changelog = (PROJECT_ROOT / "front" / "changelog.md").read_text(encoding="utf-8")
    log = load_table("audit_checks")
    for row in log[log["result"] == "corrected"].itertuples():
        assert any(f"{{source}}`{source}`" in changelog for source in row.source_ids), row.row_id


def test_every_audited_table_has_reader_words():
    from summit_book.second_audit import TABLE_LABELS
    from summit_book.tables import resource
    field = next(f for f in resource("audit_checks")["schema"]["fields"] if f["name"] == "table_name")
    assert set(field["constraints"]["enum"]) == set(TABLE_LABELS)


def test_the_summary_table_and_the_methods_add_up():
    from summit_book.second_audit import rows_by_method, summary_table
    log = load_table("audit_checks")
    table = summary_table(log)
    assert table["what was checked"].notna().all()
    assert table["rows re-checked"].sum() == audit_counts(log)["rechecked"]
    assert sum(rows_by_method(log).values()) == audit_counts(log)["rechecked"]
    assert (table["of them searched again"] <= table["rows re-checked"]).all()
