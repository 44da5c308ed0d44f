"""A versioned data release: ``python -m summit_book.release FOLDER`` writes

- ``summit-book-data-<version>.zip``: the CSV tables, ``datapackage.json``, a README with
  provenance and licences, the data licence, and ``SHA256SUMS`` (``sha256sum -c`` reads it);
- ``summit-book-data-<version>.sqlite``: every table with the schema's column types, primary
  keys and foreign keys (list columns stay ``;``-separated text).

Only validated data is released: every table goes through :func:`summit_book.tables.load_table`.
"""

from __future__ import annotations

import argparse
import hashlib
import sqlite3
import sys
import zipfile
from pathlib import Path

from . import tables
from .paths import PROJECT_ROOT

SQL_TYPES = {"string": "TEXT", "integer": "INTEGER", "year": "INTEGER", "number": "REAL",
             "boolean": "INTEGER", "date": "TEXT", "list": "TEXT"}
#: Fixed timestamp in the archive, so that the same data gives the same bytes.
ZIP_TIME = (2020, 1, 1, 0, 0, 0)


def release_name() -> str:
    return f"summit-book-data-{tables.read_datapackage()['version']}"


def _readme(name: str, files: list[str]) -> str:
    package = tables.read_datapackage()
    licences = ", ".join(f"{item['title']} ({item['path']})" for item in package["licenses"])
    lines = [f"# {package['title']}", "", f"Data release {package['version']}, data cut-off "
             f"{package['dataCutoff']}.", "", package["description"], "",
             "## Provenance", "",
             "Every row names its sources: the `source_id` / `source_ids` columns refer to "
             "`sources.csv`, which gives each source's publisher, title, address and the date "
             "it was read. `datapackage.json` (Frictionless Tabular Data Package) describes "
             "every column; list columns are `;`-separated text, marked by the property "
             "`list`.", "",
             "## Licences", "", f"Data: {licences}; see `LICENSE-text-and-data.md`.", "",
             "## Files", "", *[f"- `{file}`" for file in files], "- `SHA256SUMS`: check with "
             "`sha256sum -c SHA256SUMS`", ""]
    return "\n".join(lines)


def build_zip(folder: Path) -> Path:
    name = release_name()
    package = tables.read_datapackage()
    members: dict[str, bytes] = {"datapackage.json": tables.DATAPACKAGE_PATH.read_bytes()}
    for entry in package["resources"]:
        tables.load_table(entry["name"])  # validated, or DataValidationError
        members[entry["path"]] = (tables.DATA_DIR / entry["path"]).read_bytes()
    licence = PROJECT_ROOT / "LICENSE-text-and-data.md"
    if licence.exists():
        members[licence.name] = licence.read_bytes()
    members["README.md"] = _readme(name, sorted(members) + ["README.md"]).encode("utf-8")
    sums = "".join(f"{hashlib.sha256(data).hexdigest()}  {member}\n"
                   for member, data in sorted(members.items()))
    members["SHA256SUMS"] = sums.encode("utf-8")
    path = folder / f"{name}.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for member in sorted(members):
            info = zipfile.ZipInfo(f"{name}/{member}", ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, members[member])
    return path


def _sql_value(value, kind: str):
    import pandas as pd

    if isinstance(value, list):
        return ";".join(map(str, value)) if value else None
    if value is None or (not isinstance(value, list) and pd.isna(value)):
        return None
    if kind in ("integer", "year", "boolean"):
        return int(value)
    if kind == "number":
        return float(value)
    return str(value)


def build_sqlite(folder: Path) -> Path:
    path = folder / f"{release_name()}.sqlite"
    path.unlink(missing_ok=True)
    connection = sqlite3.connect(path)
    try:
        for entry in tables.read_datapackage()["resources"]:
            schema = entry["schema"]
            columns = []
            for field in schema["fields"]:
                kind = tables.field_kind(field)
                column = f'"{field["name"]}" {SQL_TYPES[kind]}'
                if field.get("constraints", {}).get("required"):
                    column += " NOT NULL"
                if kind == "boolean":
                    column += f' CHECK ("{field["name"]}" IN (0, 1))'
                columns.append(column)
            key = schema.get("primaryKey")
            if key:
                key = [key] if isinstance(key, str) else key
                columns.append("PRIMARY KEY (" + ", ".join(f'"{k}"' for k in key) + ")")
            for foreign in schema.get("foreignKeys", []):
                target = foreign["reference"]["resource"] or entry["name"]
                columns.append(f'FOREIGN KEY ("{foreign["fields"]}") REFERENCES "{target}" '
                               f'("{foreign["reference"]["fields"]}")')
            connection.execute(f'CREATE TABLE "{entry["name"]}" (\n  ' + ",\n  ".join(columns)
                               + "\n)")
            frame = tables.load_table(entry["name"])
            kinds = [tables.field_kind(field) for field in schema["fields"]]
            rows = [tuple(_sql_value(value, kind) for value, kind in zip(row, kinds))
                    for row in frame.itertuples(index=False, name=None)]
            marks = ", ".join("?" * len(kinds))
            connection.executemany(f'INSERT INTO "{entry["name"]}" VALUES ({marks})', rows)
        connection.commit()
        broken = connection.execute("PRAGMA foreign_key_check").fetchall()
        if broken:
            raise RuntimeError(f"foreign keys broken in the SQLite release: {broken[:5]}")
    finally:
        connection.close()
    return path


def build_release(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    return [build_zip(folder), build_sqlite(folder)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write the versioned data release.")
    parser.add_argument("folder", type=Path)
    args = parser.parse_args(argv)
    for path in build_release(args.folder):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
