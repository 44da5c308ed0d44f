"""The press chapter's helpers (summit_book.press) and the invariants of its tables."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from summit_book import load_table
from summit_book.tables import resource
from summit_book.press import (days_after_meeting, discrepancy_sides, keep_top_columns,
                               normalise_wording, report_figures, rendering_summary, shares,
                               theme_paragraphs, whole_percents)

SEEDS = ["timestengri-2025-11-18-tokayev", "astanatimes-2025-11-tokayev",
         "gulfobserver-2025-11-29-tokayev", "newsaz-2025-11-21-saglam",
         "amerinews-2024-08-tokayev-vision"]


# --- helpers on small frames -------------------------------------------------------------------

@pytest.fixture
def reports():
    return pd.DataFrame({"source_id": ["a", "b", "c"], "report_kind": ["news", "official", "news"],
                         "meeting_id": ["cm07"] * 3})


@pytest.fixture
def themes():
    return pd.DataFrame({"source_id": ["a", "a", "b", "c"],
                         "theme": ["trade", "format", "format", "trade"],
                         "paragraphs": [1, 2, 3, 4]})


def test_theme_paragraphs_sums_by_group_and_orders_themes(reports, themes):
    counts = theme_paragraphs(themes, reports)
    assert list(counts.index) == ["news", "official"]
    assert list(counts.columns) == ["format", "trade"]  # 5 paragraphs each: stable order
    assert counts.loc["news"].tolist() == [2, 5]
    assert counts.loc["official"].tolist() == [3, 0]


def test_theme_paragraphs_refuses_reports_outside_the_corpus(reports, themes):
    with pytest.raises(ValueError, match="zzz"):
        theme_paragraphs(pd.concat([themes, pd.DataFrame(
            {"source_id": ["zzz"], "theme": ["trade"], "paragraphs": [1]})]), reports)


def test_shares_sum_to_one_and_refuse_empty_rows():
    counts = pd.DataFrame({"x": [1, 0], "y": [3, 0]}, index=["p", "q"])
    assert shares(counts.loc[["p"]]).loc["p"].tolist() == [0.25, 0.75]
    with pytest.raises(ValueError):
        shares(counts)


@pytest.mark.parametrize("row", [[1, 1, 1], [2, 3, 5, 7], [1, 6], [10, 0, 3]])
def test_whole_percents_add_up_to_exactly_100(row):
    counts = pd.DataFrame([row], columns=[f"c{i}" for i in range(len(row))])
    percents = whole_percents(counts)
    assert int(percents.sum(axis=1).iloc[0]) == 100
    exact = [100 * v / sum(row) for v in row]
    assert all(abs(p - e) < 1 for p, e in zip(percents.iloc[0], exact))


def test_keep_top_columns_folds_the_rest_into_other():
    counts = pd.DataFrame({"a": [5], "b": [3], "c": [2], "d": [1]})
    folded = keep_top_columns(counts, 2)
    assert list(folded.columns) == ["a", "b", "other themes"]
    assert folded["other themes"].tolist() == [3]
    assert list(keep_top_columns(counts, 9).columns) == list(counts.columns)


def test_report_figures_keeps_statements_from_the_corpus(reports):
    statements = pd.DataFrame({"statement_id": ["s1", "s2"], "source_ids": [["a"], ["x"]]})
    figures = report_figures(statements, reports)
    assert figures["statement_id"].tolist() == ["s1"]
    assert figures["source_id"].tolist() == ["a"]


def test_discrepancy_sides_pairs_official_and_other_versions():
    variants = pd.DataFrame({
        "table_name": ["documents"] * 3 + ["meetings"],
        "row_id": ["d1"] * 3 + ["m1"],
        "column_name": ["title"] * 3 + ["date_start"],
        "value": ["Concept", "Strategy", "Concept", "2025-11-16"],
        "official_support": ["official", "contradicted_by_official", "supported_by_official",
                             "official"],
        "source_ids": [["s1"], ["s2"], ["s3"], ["s4"]],
    })
    sides = discrepancy_sides(variants)
    assert len(sides) == 1  # m1 has no version outside the official record
    row = sides.iloc[0]
    assert row["official_values"] == ["Concept"]
    assert row["official_sources"] == ["s1", "s3"]
    assert row["other_values"] == ["Strategy"] and row["other_sources"] == ["s2"]
    with pytest.raises(ValueError):
        discrepancy_sides(variants.assign(official_support="maybe"))


def test_normalise_wording_ignores_case_and_punctuation():
    assert normalise_wording("The era ... is over.") == normalise_wording("the era is over")
    assert normalise_wording("«Мы построим»") == "мы построим"


def test_rendering_summary_counts_wordings_per_language():
    renderings = pd.DataFrame({
        "quote_id": ["q"] * 4, "person_id": ["p"] * 4,
        "language": ["en", "en", "ru", "en"], "form": ["quoted"] * 3 + ["reported"],
        "fragment": ["We build.", "we build", "Мы строим", "They build"],
        "source_id": ["s1", "s2", "s3", "s4"]})
    summary = rendering_summary(renderings).iloc[0]
    assert summary["sources"] == 4 and summary["wordings"] == 3
    assert summary["wordings_by_language"] == {"en": 2, "ru": 1}
    assert summary["quoted"] == 3


def test_days_after_meeting_leaves_undated_reports_empty(reports):
    sources = pd.DataFrame({"source_id": ["a", "b", "c"],
                            "date_published": [dt.date(2025, 11, 18), None, dt.date(2025, 11, 16)]})
    meetings = pd.DataFrame({"meeting_id": ["cm07"], "date_start": [dt.date(2025, 11, 16)]})
    days = days_after_meeting(reports, sources, meetings)
    assert days["a"] == 2 and days["b"] is None and days["c"] == 0


# --- the tables --------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def press_reports():
    return load_table("press_reports")


def test_every_seed_article_is_in_the_corpus(press_reports):
    assert set(SEEDS) <= set(press_reports["source_id"])
    seeds = press_reports.set_index("source_id").loc[SEEDS]
    assert (seeds["text_seen"] == "full").all()


def test_corpus_has_the_size_the_chapter_promises(press_reports):
    assert 15 <= int((press_reports["meeting_id"] == "cm07").sum()) <= 40



def test_every_report_has_coded_themes_and_no_theme_outside_proposals():
    themes = load_table("report_themes")
    press_reports = load_table("press_reports")
    assert set(themes["source_id"]) == set(press_reports["source_id"])
    fields = {f["name"]: f for f in resource("proposals")["schema"]["fields"]}
    assert set(themes["theme"]) <= set(fields["theme"]["constraints"]["enum"])


def test_reports_are_not_dated_before_their_meeting(press_reports):
    days = days_after_meeting(press_reports, load_table("sources"), load_table("meetings"))
    assert all(d >= 0 for d in days if d is not None)


def test_quote_fragments_are_short_attributed_and_by_a_participant():
    renderings = load_table("quote_renderings")
    assert (renderings["fragment"].str.split().map(len) <= 20).all()
    attendance = load_table("attendance")
    attended = set(zip(attendance["meeting_id"], attendance["person_id"]))
    assert set(zip(renderings["meeting_id"], renderings["person_id"])) <= attended


def test_seed_figures_are_recorded_per_report():
    figures = report_figures(load_table("statements"), load_table("press_reports"))
    by_source = figures.groupby("source_id")["value"].apply(set)
    assert {11.5, 20} <= by_source["astanatimes-2025-11-tokayev"]
    assert {11, 15} <= by_source["amerinews-2024-08-tokayev-vision"]
    assert 10.7 in by_source["nca-2025-11-17-new-era"]


def test_press_variants_have_both_sides_or_an_official_reference():
    variants = load_table("variants")
    press = variants[variants["variant_id"].str.startswith("press-")]
    assert len(press) >= 5
    sides = discrepancy_sides(variants)
    keys = set(zip(sides["table_name"], sides["row_id"], sides["column_name"]))
    other = press[press["official_support"] != "supported_by_official"]
    assert set(zip(other["table_name"], other["row_id"], other["column_name"])) <= keys


def test_recorded_values_look_up_simple_and_composite_keys():
    from summit_book.press import recorded_values
    sides = pd.DataFrame({"table_name": ["documents", "attendance", "documents", "people"],
                          "row_id": ["d1", "cm07/p1", "d9", "x"],
                          "column_name": ["title", "capacity", "title", "name"]})
    tables = {"documents": pd.DataFrame({"document_id": ["d1"], "title": ["Concept"]}),
              "attendance": pd.DataFrame({"meeting_id": ["cm07"], "person_id": ["p1"],
                                          "capacity": ["head_of_state"]})}
    keys = {"documents": "document_id", "attendance": ["meeting_id", "person_id"]}
    assert recorded_values(sides, tables, keys).tolist() == ["Concept", "head_of_state", "", ""]


def test_outlet_name_drops_bracketed_remarks():
    from summit_book.press import outlet_name
    assert outlet_name("Kazinform (Uzbek service)") == outlet_name("Kazinform") == "Kazinform"
    assert outlet_name("Day.Az (citing Trend)") == "Day.Az"


def test_seeds_full_member_wording_is_set_against_the_official_participation():
    """Four seeds call Azerbaijan a 'full member'; the decision adopted speaks of full-fledged
    participation. Both versions are kept, the seeds' one not labelled official."""
    variants = load_table("variants")
    rows = variants[(variants["row_id"] == "cm07-decision-azerbaijan")
                    & (variants["column_name"] == "title")]
    member = rows[rows["value"].str.contains("full member")]
    assert set(SEEDS[:4]) <= {s for ids in member["source_ids"] for s in ids}
    assert not member["official_support"].isin(["official", "supported_by_official"]).any()
    official = rows[rows["official_support"].isin(["official", "supported_by_official"])]
    assert official["value"].str.contains("participation").any()


def test_recorded_values_show_a_missing_value_as_empty_not_as_pandas_na():
    from summit_book.press import recorded_values
    sides = pd.DataFrame({"table_name": ["statements", "statements"], "row_id": ["s1", "s2"],
                          "column_name": ["reference_year", "reference_year"]})
    tables = {"statements": pd.DataFrame({"statement_id": ["s1", "s2"],
                                          "reference_year": pd.array([None, 2024], dtype="Int64")})}
    assert recorded_values(sides, tables, {"statements": "statement_id"}).tolist() == ["", "2024"]
