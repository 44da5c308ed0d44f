"""Source quality: the classes of sources, the rule that no status, figure or date rests only on
weak sources, and the per-record counts the chapters show."""

from __future__ import annotations

import pandas as pd

from summit_book import load_table
from summit_book.source_quality import (RULE, WEAK, record_source_counts, source_classes,
                                        weak_source_problems)

CLASSES = {"off": "official", "press": "press", "seed": "seed", "mt": "machine_translated",
           "ai": "ai_generated", "agg": "aggregator"}


def test_the_data_keeps_the_rule():
    problems = weak_source_problems()
    assert not problems, "\n".join(map(str, problems))


def test_a_status_resting_only_on_weak_sources_is_named_by_file_row_column_and_rule():
    proposals = pd.DataFrame({"proposal_id": ["p1", "p2", "p3", "p4"],
                              "status": ["in_progress", "implemented", "proposed", "in_progress"],
                              "status_source_ids": [["seed", "mt"], ["seed", "off"], ["seed"], ["agg"]]})
    problems = weak_source_problems({"proposals": proposals}, CLASSES)
    assert len(problems) == 1  # p2 has an official source, p3 has no status yet, p4 an aggregator
    text = str(problems[0])
    assert "data/proposals.csv" in text and "row 1" in text and "[p1]" in text
    assert "column 'status_source_ids'" in text and RULE in text


def test_a_figure_counts_all_its_rows_and_a_single_source_column_is_read():
    statements = pd.DataFrame({"statement_id": ["a1", "a2", "b1"], "figure_id": ["a", "a", "b"],
                               "source_ids": [["seed"], ["press"], ["ai"]]})
    facts = pd.DataFrame({"fact_id": ["f1", "f2"], "source_id": ["mt", "press"]})
    problems = weak_source_problems({"statements": statements, "project_facts": facts}, CLASSES)
    assert sorted(p.key for p in problems) == ["b1", "f1"]
    assert {p.file for p in problems} == {"data/statements.csv", "data/project_facts.csv"}


def test_validate_stops_on_a_weak_only_row(monkeypatch, capsys):
    import summit_book.source_quality as quality
    from summit_book import validate
    from summit_book.tables import Problem
    monkeypatch.setattr(quality, "weak_source_problems", lambda: [
        Problem(file="data/proposals.csv", rule=RULE, row=3, column="status_source_ids",
                message="rests only on weak sources")])
    assert validate.main() == 1
    assert "data/proposals.csv, row 3" in capsys.readouterr().err


def test_classes_cover_every_source_and_weak_ones_are_explained():
    sources = load_table("sources")
    quality = load_table("source_quality")
    classes = source_classes(sources, quality)
    assert set(classes) == set(sources["source_id"])
    assert set(WEAK) <= set(quality["quality"]) | set(WEAK)
    assert quality["basis"].str.len().gt(20).all()


def test_record_source_counts():
    frame = pd.DataFrame({"source_ids": [["off", "seed"], ["press"], []]})
    counts = record_source_counts(frame, "source_ids", CLASSES)
    assert list(counts["sources"]) == [2, 1, 0]
    assert list(counts["official"]) == [True, False, False]
    assert list(counts["weak"]) == [1, 0, 0]
