"""Build data/aral_sea_area.csv from the raw extract of the Aral Sea area series kept in
data/raw/aral-sea-area/ (its publisher, licence and checksum: data/raw/manifest.csv).

Provenance of the table (the build does not run it): `python scripts/make_aral_sea_area.py
[--raw data/raw] [--out data]`. Values are copied unchanged, in thousand km², one row
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
from pathlib import Path

import pandas as pd

from summit_book.paths import generator_arguments

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
RAW = DATA / "raw"
EXTRACT = Path("aral-sea-area") / "aral_sea_area_1986_2023.csv"
OUTPUTS = ["aral_sea_area.csv"]
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


def main(argv: list[str] | None = None) -> int:
    args = generator_arguments(argv, "Build aral_sea_area.csv from the raw Aral Sea extract.")
    table = build(pd.read_csv(args.raw / EXTRACT))
    table.to_csv(args.out / "aral_sea_area.csv", index=False, lineterminator="\n",
                 quoting=csv.QUOTE_MINIMAL)
    print(f"aral_sea_area.csv: {len(table)} rows")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
