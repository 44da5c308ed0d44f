"""Build data/aral_sea_area.csv from the shared extract of the Aral Sea area series.

Provenance of the table (the build does not run it): `python scripts/make_aral_sea_area.py
[path/to/aral_sea_area_1986_2023.csv]`. Values are copied unchanged, in thousand km², one row
per year and basin:

- ``large``: the Large (South) Aral as one water body (the source's large-Aral column, to 2006);
- ``west``: the western basin of the Large Aral (the same column from 2007, when the source
  starts to give the eastern basin separately);
- ``east``: the eastern basin of the Large Aral (from 2007);
- ``small``: the Small (North) Aral, in Kazakhstan;
- ``total``: the whole sea, as the source sums it.

Rows up to 2018 come from UNESCO (2021) and are marked reliable; the 2019–2023 rows were compiled
by the repository's authors from news and studies, are unverified and inconsistent with the
earlier series (the Small Aral falls from 3.03 to 0.52 thousand km² in one year), and are marked
``is_reliable = false``.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SOURCE = Path("/work/shared/sources/aral-sea-area/aral_sea_area_1986_2023.csv")
LAST_RELIABLE_YEAR = 2018
SPLIT_YEAR = 2007  # first year with the eastern basin given separately
UNESCO = "unesco-2021-aral-sea-area"
COMPILED = "opendatakz-2024-10-24-aral-sea-area"


def build(raw: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for record in raw.itertuples():
        source_id = UNESCO if record.year <= LAST_RELIABLE_YEAR else COMPILED
        reliable = "true" if record.year <= LAST_RELIABLE_YEAR else "false"
        basins = {
            "total": record.total_area_thousand_km2,
            ("west" if record.year >= SPLIT_YEAR else "large"): record.large_aral_thousand_km2,
            "east": record.eastern_basin_thousand_km2,
            "small": record.small_aral_thousand_km2,
        }
        for basin, value in basins.items():
            if pd.notna(value):
                rows.append({"year": record.year, "basin": basin, "value": f"{value:g}",
                             "unit": "thousand_km2", "is_reliable": reliable,
                             "source_id": source_id})
    return pd.DataFrame(rows)


if __name__ == "__main__":
    source = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_SOURCE
    table = build(pd.read_csv(source))
    table.to_csv(ROOT / "data" / "aral_sea_area.csv", index=False, lineterminator="\n",
                 quoting=csv.QUOTE_MINIMAL)
    print(f"wrote {len(table)} rows")
