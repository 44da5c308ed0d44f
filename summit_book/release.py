"""A versioned data release: ``python -m summit_book.release FOLDER`` writes

- ``summit-book-data-<version>.zip``: the CSV tables, ``datapackage.json``, one Parquet file
  per table (``parquet/``, the schema's types, descriptions and keys in its metadata), a README
  with provenance, licences and the data version of every chapter, the data CHANGELOG
  (``data/CHANGELOG.md``, maintained by hand: the release stops if it has no entry for the
  version), the data licence, and ``SHA256SUMS`` (``sha256sum -c`` reads it);
- ``summit-book-data-<version>.sqlite``: every table with the schema's column types, primary
  keys and foreign keys (list columns stay ``;``-separated text);
- ``summit_book-<version>-py3-none-any.whl``: the helper package with the same tables as an
  installed data release (``<prefix>/share/summit-book/data``), so that one
  ``pip install`` lets a chapter notebook downloaded from the site run in an empty folder;
- ``SHA256SUMS`` of those three files.

The build (:mod:`summit_book.build`) stages the release in ``_build/data-release`` after the
data is validated; the book's Sphinx extension copies it into the site (``data-release/``)
only when Sphinx succeeds. Only validated data is released: every table goes through
:func:`summit_book.tables.load_table`.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import io
import json
import os
import re
import shutil
import sqlite3
import sys
import tempfile
import zipfile
from pathlib import Path

from . import tables
from .paths import BUILD_DIR, PROJECT_ROOT

SQL_TYPES = {"string": "TEXT", "integer": "INTEGER", "year": "INTEGER", "number": "REAL",
             "boolean": "INTEGER", "date": "TEXT", "list": "TEXT"}
#: Fixed timestamp in the archives, so that the same data gives the same bytes.
ZIP_TIME = (2020, 1, 1, 0, 0, 0)
#: The data changelog, maintained by hand: one ``## <version>`` section per data version.
CHANGELOG_PATH = PROJECT_ROOT / "data" / "CHANGELOG.md"
#: Where the build stages the release, and the folder of the site it is copied to.
STAGE_DIR = BUILD_DIR / "data-release"
SITE_FOLDER = "data-release"
PACKAGE_DIR = Path(__file__).resolve().parent
#: The one command that makes a downloaded chapter notebook run (README, data appendix).
INSTALL_COMMAND = "pip install {wheel} nbconvert ipykernel"


#: A version as it may appear in a file name and an address.
VERSION_PATTERN = re.compile(r"[0-9]+(\.[0-9]+)*([.+-][0-9A-Za-z]+)*")


def version() -> str:
    """The data version (``version`` in datapackage.json), checked: it names files."""
    value = str(tables.read_datapackage()["version"])
    if not VERSION_PATTERN.fullmatch(value):
        raise ValueError(f"data/datapackage.json: version {value!r} is not a version such as "
                         "1.2.0 (rule: release version; it names the release's files)")
    return value


def release_name() -> str:
    return f"summit-book-data-{version()}"


def wheel_name() -> str:
    """The package's wheel, versioned as the package (pyproject.toml)."""
    return f"summit_book-{_project()['version']}-py3-none-any.whl"


def file_names() -> dict[str, str]:
    """The release's files in the site, by kind (the keys the ``{data-release}`` role takes)."""
    return {"zip": f"{release_name()}.zip", "sqlite": f"{release_name()}.sqlite",
            "wheel": wheel_name(), "sums": "SHA256SUMS"}


def changelog_entry(text: str | None = None, release: str | None = None) -> str:
    """The data CHANGELOG's section for ``release`` (default: the current data version).
    Raises ValueError, naming the file and the version, when there is none."""
    release = release or version()
    text = CHANGELOG_PATH.read_text(encoding="utf-8") if text is None else text
    found = re.search(rf"^## {re.escape(release)}\b.*?(?=^## |\Z)", text, re.M | re.S)
    if not found:
        raise ValueError(f"{CHANGELOG_PATH.relative_to(PROJECT_ROOT)}: no section "
                         f"'## {release}' for the data version in data/datapackage.json "
                         "(rule: every released data version has a CHANGELOG entry)")
    return found.group(0).strip()


#: A page's citation as its notebook glues it (summit_book.cite.citation_markdown): the
#: ``{cite-this}`` directive with the tables the page read and their data version.
_CITED_TABLES = re.compile(r"\{cite-this\} [a-z0-9_/]+\n:tables: ([a-z0-9_ ]+)\n"
                           r":data-version: ([0-9a-f]{12})")


def chapter_data_versions() -> list[tuple[str, list[str], str]]:
    """(page, tables, data version) of every page whose executed notebook carries a citation:
    the tables its citation names, and their data version computed from the released data
    (:func:`summit_book.cite.data_version`), which is the version the citation gives."""
    import nbformat

    from .cite import data_version
    from .notebooks import book_notebooks

    found = []
    for path in book_notebooks():
        notebook = nbformat.read(path, as_version=4)
        texts = [str(value) for cell in notebook.cells for output in cell.get("outputs", [])
                 for value in output.get("data", {}).values()]
        cited = next((m for text in texts for m in [_CITED_TABLES.search(text)] if m), None)
        if cited:
            read = cited.group(1).split()
            page = path.relative_to(PROJECT_ROOT).with_suffix("").as_posix()
            found.append((page, read, data_version(read)))
    return found


def _readme(files: list[str]) -> str:
    """The release's README (Markdown; values from the data package escaped as text, the
    version checked by :func:`version`)."""
    from .escape import markdown_text as text

    package = tables.read_datapackage()
    licences = ", ".join(f"{text(item['title'])} ({text(item['path'])})"
                         for item in package["licenses"])
    lines = [f"# {text(package['title'])}", "", f"Data release {version()}, "
             f"data cut-off {text(package['dataCutoff'])}.", "", text(package["description"]), "",
             "## Provenance", "",
             "Every row names its sources: the `source_id` / `source_ids` columns refer to "
             "`sources.csv`, which gives each source's publisher, title, address and the date "
             "it was read. `datapackage.json` (Frictionless Tabular Data Package) describes "
             "every column; list columns are `;`-separated text, marked by the property "
             "`list`. `parquet/` holds the same tables with the schema's types (list columns "
             "as lists of strings, dates as dates), each column's description and the table's "
             "keys in the file's metadata. What changed since the previous release: "
             "`CHANGELOG.md`.", "",
             "## Licences", "", f"Data: {licences}; see `LICENSE-text-and-data.md`.", "",
             "## The chapters' data versions", "",
             "Each chapter's citation names a *data version*: a fingerprint of the tables it "
             f"read. These are the data versions of release {version()}:", "",
             "| page | data version | tables |", "|---|---|---|",
             *[f"| {page} | {data} | {', '.join(read)} |"
               for page, read, data in chapter_data_versions()], "",
             "## Files", "", *[f"- `{file}`" for file in files], "- `SHA256SUMS`: check with "
             "`sha256sum -c SHA256SUMS`", ""]
    return "\n".join(lines)


def _zip_bytes(members: dict[str, bytes], prefix: str = "") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for member in sorted(members):
            info = zipfile.ZipInfo(f"{prefix}{member}", ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, members[member])
    return buffer.getvalue()


def _sums(members: dict[str, bytes]) -> bytes:
    return "".join(f"{hashlib.sha256(data).hexdigest()}  {member}\n"
                   for member, data in sorted(members.items())).encode("utf-8")


def build_zip(folder: Path) -> Path:
    package = tables.read_datapackage()
    members: dict[str, bytes] = {"datapackage.json": tables.DATAPACKAGE_PATH.read_bytes()}
    for entry in package["resources"]:
        frame = tables.load_table(entry["name"])  # validated, or DataValidationError
        members[entry["path"]] = (tables.DATA_DIR / entry["path"]).read_bytes()
        members[f"parquet/{entry['name']}.parquet"] = parquet_bytes(entry, frame)
    licence = PROJECT_ROOT / "LICENSE-text-and-data.md"
    if licence.exists():
        members[licence.name] = licence.read_bytes()
    changelog_entry()  # the current version has its entry, or ValueError
    members["CHANGELOG.md"] = CHANGELOG_PATH.read_bytes()
    members["README.md"] = _readme(sorted(members) + ["README.md"]).encode("utf-8")
    members["SHA256SUMS"] = _sums(members)
    path = folder / file_names()["zip"]
    path.write_bytes(_zip_bytes(members, f"{release_name()}/"))
    return path


# --- Parquet ----------------------------------------------------------------------------------


def arrow_type(field: dict):
    import pyarrow as pa

    return {"string": pa.string(), "integer": pa.int64(), "year": pa.int64(),
            "number": pa.float64(), "boolean": pa.bool_(), "date": pa.date32(),
            "list": pa.list_(pa.string())}[tables.field_kind(field)]


def _arrow_value(value, kind: str):
    import pandas as pd

    if isinstance(value, list):
        return [str(item) for item in value]
    if value is None or pd.isna(value):
        return None
    if kind in ("integer", "year"):
        return int(value)
    if kind == "number":
        return float(value)
    if kind == "boolean":
        return bool(value)
    if kind == "date":
        return value if not isinstance(value, pd.Timestamp) else value.date()
    return str(value)


def parquet_bytes(entry: dict, frame) -> bytes:
    """One table as Parquet: each column typed as the schema says, with its title and
    description as field metadata, and the table's primary and foreign keys as file
    metadata."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    fields, arrays = [], []
    for field in entry["schema"]["fields"]:
        kind = tables.field_kind(field)
        meta = {key: str(field[key]) for key in ("title", "description") if field.get(key)}
        meta["tableschema_type"] = kind
        fields.append(pa.field(field["name"], arrow_type(field),
                               nullable=not field.get("constraints", {}).get("required"),
                               metadata=meta))
        arrays.append(pa.array([_arrow_value(value, kind) for value in frame[field["name"]]],
                               type=arrow_type(field)))
    keys = {key: entry["schema"][key] for key in ("primaryKey", "foreignKeys")
            if key in entry["schema"]}
    schema = pa.schema(fields, metadata={"table": entry["name"],
                                         "description": entry.get("description", ""),
                                         "keys": json.dumps(keys, sort_keys=True)})
    buffer = io.BytesIO()
    pq.write_table(pa.Table.from_arrays(arrays, schema=schema), buffer, compression="zstd")
    return buffer.getvalue()


# --- SQLite -------------------------------------------------------------------------------------


def _sql_value(value, kind: str):
    import pandas as pd

    if isinstance(value, list):
        return ";".join(map(str, value)) if value else None
    if value is None or pd.isna(value):
        return None
    if kind in ("integer", "year", "boolean"):
        return int(value)
    if kind == "number":
        return float(value)
    return str(value)


def build_sqlite(folder: Path) -> Path:
    path = folder / file_names()["sqlite"]
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


# --- the installable package with its data ----------------------------------------------------


def _project() -> dict:
    """The ``[project]`` table of pyproject.toml (name, dependencies, Python range)."""
    import tomllib

    return tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def book_files() -> dict[str, bytes]:
    """What a chapter reads of the book besides the data, for its citation: CITATION.cff,
    _toc.yml (the chapter's number) and the pages (their titles; notebooks keep only their
    text cells)."""
    import nbformat

    from .notebooks import book_notebooks

    files = {name: (PROJECT_ROOT / name).read_bytes() for name in ("CITATION.cff", "_toc.yml")}
    for path in book_notebooks():
        notebook = nbformat.read(path, as_version=4)
        notebook.cells = [cell for cell in notebook.cells if cell.cell_type == "markdown"]
        files[path.relative_to(PROJECT_ROOT).as_posix()] = nbformat.writes(notebook).encode()
    for path in sorted(PROJECT_ROOT.glob("*/*.md")):
        if path.parent.name in ("front", "appendices", "meetings", "chapters"):
            files[path.relative_to(PROJECT_ROOT).as_posix()] = path.read_bytes()
    return files


def build_wheel(folder: Path) -> Path:
    """``summit_book-<version>-py3-none-any.whl``: the package and, as its data files, the
    tables, ``datapackage.json`` and the data CHANGELOG, installed to
    ``<prefix>/share/summit-book/data`` (where :func:`summit_book.paths.find_data_dir` looks),
    and :func:`book_files` in ``<prefix>/share/summit-book/book`` (``paths.BOOK_ROOT``).
    Written directly in the wheel format (PEP 427), with fixed timestamps."""
    project = _project()
    dependencies = project["dependencies"]
    name, release = "summit_book", project["version"]
    info = f"{name}-{release}.dist-info"
    members: dict[str, bytes] = {}
    for path in sorted(PACKAGE_DIR.rglob("*")):
        relative = path.relative_to(PACKAGE_DIR)
        if path.is_file() and "__pycache__" not in relative.parts and path.suffix != ".pyc":
            members[f"{name}/{relative.as_posix()}"] = path.read_bytes()
    data = f"{name}-{release}.data/data/share/summit-book/data"
    members[f"{data}/datapackage.json"] = tables.DATAPACKAGE_PATH.read_bytes()
    for entry in tables.read_datapackage()["resources"]:
        members[f"{data}/{entry['path']}"] = (tables.DATA_DIR / entry["path"]).read_bytes()
    members[f"{data}/CHANGELOG.md"] = CHANGELOG_PATH.read_bytes()
    book = f"{name}-{release}.data/data/share/summit-book/book"
    for relative, content in book_files().items():
        members[f"{book}/{relative}"] = content
    metadata = ["Metadata-Version: 2.1", "Name: summit-book", f"Version: {release}",
                f"Summary: {project['description']}", "License: MIT",
                f"Requires-Python: {project['requires-python']}",
                *[f"Requires-Dist: {requirement}" for requirement in dependencies], ""]
    members[f"{info}/METADATA"] = "\n".join(metadata).encode("utf-8")
    members[f"{info}/WHEEL"] = (b"Wheel-Version: 1.0\nGenerator: summit_book.release\n"
                                b"Root-Is-Purelib: true\nTag: py3-none-any\n")
    members[f"{info}/top_level.txt"] = f"{name}\n".encode()
    licence = PROJECT_ROOT / "LICENSE"
    if licence.exists():
        members[f"{info}/LICENSE"] = licence.read_bytes()
    record = []
    for member, content in sorted(members.items()):
        digest = base64.urlsafe_b64encode(hashlib.sha256(content).digest()).rstrip(b"=")
        record.append(f"{member},sha256={digest.decode()},{len(content)}")
    record.append(f"{info}/RECORD,,")
    members[f"{info}/RECORD"] = ("\n".join(record) + "\n").encode("utf-8")
    path = folder / wheel_name()
    path.write_bytes(_zip_bytes(members))
    return path


# --- the whole release ------------------------------------------------------------------------


def build_release(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = [build_zip(folder), build_sqlite(folder), build_wheel(folder)]
    sums = folder / file_names()["sums"]
    sums.write_bytes(_sums({path.name: path.read_bytes() for path in paths}))
    return [*paths, sums]


def inputs_digest() -> str:
    """A hash of everything the release is made of: tables, schema, changelog, licences, the
    package and its metadata."""
    digest = hashlib.sha256()
    paths = [tables.DATAPACKAGE_PATH, CHANGELOG_PATH, PROJECT_ROOT / "pyproject.toml",
             PROJECT_ROOT / "LICENSE", PROJECT_ROOT / "LICENSE-text-and-data.md",
             *sorted(tables.DATA_DIR.glob("*.csv")),
             *sorted(p for p in PACKAGE_DIR.rglob("*") if p.is_file() and p.suffix != ".pyc"),
             PROJECT_ROOT / "CITATION.cff", PROJECT_ROOT / "_toc.yml",
             *sorted(PROJECT_ROOT.glob("*/*.ipynb")), *sorted(PROJECT_ROOT.glob("*/*.md")),
             PROJECT_ROOT / "index.ipynb"]
    for path in paths:
        digest.update(path.as_posix().encode() + b"\0")
        digest.update(path.read_bytes() if path.exists() else b"(missing)")
    return digest.hexdigest()


def stage() -> Path:
    """Write the release into ``_build/data-release`` (from where the Sphinx extension copies
    it into the site), unless it is there already for the same inputs. Written into a new
    folder that replaces the old one only when complete: an error or an interruption leaves
    no partial release."""
    digest = inputs_digest()
    stamp = STAGE_DIR / ".inputs.sha256"
    if stamp.exists() and stamp.read_text().strip() == digest:
        return STAGE_DIR
    BUILD_DIR.mkdir(parents=True, exist_ok=True)
    fresh = Path(tempfile.mkdtemp(prefix=".data-release-", dir=BUILD_DIR))
    try:
        build_release(fresh)
        (fresh / ".inputs.sha256").write_text(digest + "\n")
        old = BUILD_DIR / ".data-release-old"
        shutil.rmtree(old, ignore_errors=True)
        if STAGE_DIR.exists():
            os.replace(STAGE_DIR, old)
        os.replace(fresh, STAGE_DIR)
        shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(fresh, ignore_errors=True)
        raise
    return STAGE_DIR


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write the versioned data release.")
    parser.add_argument("folder", type=Path)
    args = parser.parse_args(argv)
    for path in build_release(args.folder):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
