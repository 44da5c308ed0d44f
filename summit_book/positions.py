"""Aims stated in words and analysts' views (the ``positions`` table), as rows for a reader.

Chapters 3, 7 and 9 each show some of these rows; the wording of who holds a view, where it
was said and what kind it is lives here once, so the three tables read alike.
"""

from __future__ import annotations

import pandas as pd

#: The reader's words for the ``kind`` column.
KIND_LABELS = {"aim": "stated aim", "assessment": "assessment", "risk": "risk seen"}


def positions_rows(rows: pd.DataFrame, person_name: dict, meeting_label: dict) -> pd.DataFrame:
    """One row per aim or view: who holds it (the leader's name, else the author), at or about
    which meeting, what kind, what was said, and its sources (``source_ids``, for
    :func:`summit_book.publish.markdown_table`)."""
    unknown = set(rows["kind"]) - set(KIND_LABELS)
    if unknown:
        raise ValueError(f"positions_rows: unknown kind(s) {sorted(unknown)}; "
                         f"expected one of {sorted(KIND_LABELS)}")
    who = [person_name[p] if isinstance(p, str) else author
           for p, author in zip(rows["person_id"], rows["author"])]
    meeting = [meeting_label.get(m, "") if isinstance(m, str) else "" for m in rows["meeting_id"]]
    return pd.DataFrame({
        "who": who,
        "meeting": meeting,
        "kind": rows["kind"].map(KIND_LABELS).tolist(),
        "what": rows["summary"].tolist(),
        "source_ids": rows["source_ids"].tolist(),
    })
