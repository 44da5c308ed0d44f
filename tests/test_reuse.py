"""The data package is readable by tools other than the book's own loader (issue 17, part 5).

Two consumers read every table: Frictionless (``frictionless validate``), and a plain reader of
the Table Schema v1 standard written here with the standard library only. The ``datapackage``
library (v1.15.4) could not be added: with the pinned requirements pip's resolver backtracks
through every boto3/botocore release pulled in by ``dataflows-tabulator`` without finishing.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from summit_book import tables
from summit_book.paths import DATA_DIR, DATAPACKAGE_PATH, PROJECT_ROOT

# Table Schema v1 field types (https://specs.frictionlessdata.io/table-schema/#types-and-formats)
STANDARD_TYPES = {"string", "number", "integer", "boolean", "object", "array", "date", "time",
                  "datetime", "year", "yearmonth", "duration", "geopoint", "geojson", "any"}
PACKAGE = json.loads(DATAPACKAGE_PATH.read_text(encoding="utf-8"))


def _empty_arrays(node, where="") -> list[str]:
    found = []
    if isinstance(node, list):
        if not node:
            found.append(where)
        for index, item in enumerate(node):
            found += _empty_arrays(item, f"{where}[{index}]")
    elif isinstance(node, dict):
        for key, value in node.items():
            found += _empty_arrays(value, f"{where}.{key}")
    return found


def test_frictionless_validates_every_table():
    result = subprocess.run(
        [str(Path(sys.executable).with_name("frictionless")), "validate", "--json",
         str(DATAPACKAGE_PATH)], capture_output=True, text=True, timeout=600)
    report = json.loads(result.stdout)
    assert report["valid"], result.stdout[:3000]
    checked = {task["name"] for task in report["tasks"]}
    assert checked == set(tables.table_names())
    assert result.returncode == 0


def test_descriptor_is_standard():
    assert PACKAGE["profile"] == "tabular-data-package"
    assert _empty_arrays(PACKAGE) == []
    names = {entry["name"]: entry for entry in PACKAGE["resources"]}
    for entry in PACKAGE["resources"]:
        assert entry["profile"] == "tabular-data-resource"
        fields = {field["name"]: field for field in entry["schema"]["fields"]}
        for field in fields.values():
            assert field["type"] in STANDARD_TYPES, (entry["name"], field["name"])
        for key in entry["schema"].get("foreignKeys", []):
            target = names[key["reference"]["resource"] or entry["name"]]
            assert key["fields"] in fields
            assert key["reference"]["fields"] in {f["name"] for f in target["schema"]["fields"]}


def _item_pattern(spec: dict) -> str:
    constraints = spec.get("itemConstraints", {})
    if "enum" in constraints:
        return "(" + "|".join(constraints["enum"]) + ")"
    if "pattern" in constraints:
        return "(" + constraints["pattern"] + ")"
    return r"([^;\s]([^;]*[^;\s])?)"


def test_list_columns_are_documented_strings():
    """A list column is a standard string whose pattern states the list syntax the loader
    enforces item by item; its custom ``list`` property is what the loader reads."""
    lists = 0
    for entry in PACKAGE["resources"]:
        for field in entry["schema"]["fields"]:
            spec = tables.list_spec(field)
            if spec is None:
                continue
            lists += 1
            assert field["type"] == "string" and spec["delimiter"] == ";"
            item = _item_pattern(spec)
            assert field["constraints"]["pattern"] == f"{item}(;{item})*", field["name"]
            assert tables.field_kind(field) == "list"
    assert lists >= 20


def _convert(text: str, field: dict):
    kind = field["type"]
    if kind == "string":
        return text
    if kind == "integer":
        return int(text)
    if kind == "number":
        return float(text)
    if kind == "year":
        assert re.fullmatch(r"-?[0-9]{4}", text)
        return int(text)
    if kind == "boolean":
        assert text in {"true", "false", "True", "False", "TRUE", "FALSE", "1", "0"}
        return text.lower() in {"true", "1"}
    if kind == "date":
        return dt.date.fromisoformat(text)
    raise AssertionError(f"type {kind} not read by this consumer")


@pytest.mark.parametrize("entry", PACKAGE["resources"], ids=lambda entry: entry["name"])
def test_plain_table_schema_reader_reads_every_table(entry):
    """Second consumer: the CSV module and the Table Schema v1 rules only (types, required,
    unique, enum, pattern, minimum/maximum, primary key), nothing from summit_book."""
    fields = entry["schema"]["fields"]
    with open(DATA_DIR / entry["path"], newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        assert header == [field["name"] for field in fields]
        rows = list(reader)
    assert rows
    seen_keys = set()
    key = entry["schema"]["primaryKey"]
    key = [key] if isinstance(key, str) else key
    for number, cells in enumerate(rows, start=1):
        assert len(cells) == len(fields), (entry["path"], number)
        record = dict(zip(header, cells))
        for field in fields:
            text = record[field["name"]]
            constraints = field.get("constraints", {})
            where = (entry["path"], number, field["name"], text)
            if text == "":
                assert not constraints.get("required"), where
                continue
            value = _convert(text, field)
            if "enum" in constraints:
                assert value in constraints["enum"], where
            if "pattern" in constraints:
                assert re.fullmatch(constraints["pattern"], text), where
            if "minimum" in constraints:
                assert value >= _convert(str(constraints["minimum"]), field), where
            if "maximum" in constraints:
                assert value <= _convert(str(constraints["maximum"]), field), where
        primary = tuple(record[part] for part in key)
        assert primary not in seen_keys, (entry["path"], number, primary)
        seen_keys.add(primary)


@pytest.mark.parametrize("text", ["a-b;;c-d", "a-b;", " a-b", "a-b; c-d", "A-B"])
def test_list_pattern_rejects_what_the_loader_rejects(text):
    field = next(f for f in tables.resource("countries")["schema"]["fields"]
                 if f["name"] == "source_ids")
    assert not re.fullmatch(field["constraints"]["pattern"], text)
    value, message, rule = tables._parse_cell(text, field)
    assert message and rule in {"list", "pattern", "whitespace"}


# --- where the data is found (issue 17, part 2) ----------------------------------------------

_REPORT = ("import json; from summit_book import tables; d, how = tables.data_location(); "
           "print(json.dumps([str(d), how, str(tables.table_path('countries')), "
           "len(tables.load_table('countries'))]))")


def _locate(env_value: str | None, cwd: Path) -> subprocess.CompletedProcess:
    import os

    env = {key: value for key, value in os.environ.items() if key != "SUMMIT_BOOK_DATA"}
    if env_value is not None:
        env["SUMMIT_BOOK_DATA"] = env_value
    env["PYTHONPATH"] = str(Path(tables.__file__).resolve().parent.parent)
    return subprocess.run([sys.executable, "-c", _REPORT], capture_output=True, text=True,
                          cwd=cwd, env=env, timeout=300)


def test_data_found_through_environment_variable(tmp_path):
    import shutil

    copy = tmp_path / "release" / "data"
    shutil.copytree(DATA_DIR, copy)
    result = _locate(str(copy), tmp_path)
    assert result.returncode == 0, result.stderr
    folder, how, countries, rows = json.loads(result.stdout)
    assert Path(folder) == copy.resolve()
    assert how == "environment variable SUMMIT_BOOK_DATA"
    assert Path(countries) == copy.resolve() / "countries.csv"
    assert rows == len(tables.load_table("countries"))


def test_data_found_at_project_root_by_default(tmp_path):
    result = _locate(None, tmp_path)
    assert result.returncode == 0, result.stderr
    folder, how, _, _ = json.loads(result.stdout)
    assert (Path(folder), how) == (DATA_DIR, "project root")


def test_environment_variable_without_data_is_an_error(tmp_path):
    result = _locate(str(tmp_path / "nowhere"), tmp_path)
    assert result.returncode != 0
    assert "SUMMIT_BOOK_DATA" in result.stderr and "no datapackage.json" in result.stderr


# --- Binder (issue 17, part 3) ----------------------------------------------------------------


def test_binder_files_install_like_the_tests():
    root = Path(tables.__file__).resolve().parent.parent
    binder = root / "binder"
    # repo2docker ignores files outside binder/ once that folder exists
    assert (binder / "runtime.txt").read_text() == (root / "runtime.txt").read_text()
    assert (root / "runtime.txt").read_text().strip() == "python-3.11"
    lines = [line.strip() for line in (binder / "requirements.txt").read_text().splitlines()
             if line.strip() and not line.startswith("#")]
    assert lines == ["-r ../requirements.txt"]
    assert (binder / lines[0].split()[1]).resolve() == root / "requirements.txt"
    post_build = binder / "postBuild"
    assert post_build.stat().st_mode & 0o111
    env_sh = (root / "scripts" / "env.sh").read_text()
    assert "--no-deps --no-build-isolation -e" in env_sh
    assert "pip install --quiet --no-deps --no-build-isolation -e ." in post_build.read_text()


# --- metadata for reference tools and DOI deposit (issue 17, part 4) -------------------------


def test_citation_cff_names_an_entity_and_prefers_a_book():
    import yaml

    from summit_book.paths import CITATION_PATH

    citation = yaml.safe_load(CITATION_PATH.read_text(encoding="utf-8"))
    assert citation["cff-version"] == "1.2.0"
    preferred = citation["preferred-citation"]
    assert preferred["type"] == "book"
    # an entity author is one "name", never split into given and family names
    for author in citation["authors"] + preferred["authors"]:
        assert set(author) == {"name"}
    assert preferred["authors"] == citation["authors"]
    assert preferred["title"] == citation["title"]
    assert str(preferred["version"]) == str(citation["version"])
    assert str(preferred["date-released"]) == str(citation["date-released"])
    assert preferred["year"] == int(str(citation["date-released"])[:4])


def test_zenodo_json_is_in_sync_with_citation_cff():
    result = subprocess.run([sys.executable, "-m", "summit_book.zenodo", "--check"],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    from summit_book.zenodo import ZENODO_PATH, render, zenodo_metadata

    metadata = json.loads(ZENODO_PATH.read_text(encoding="utf-8"))
    assert ZENODO_PATH.read_text(encoding="utf-8") == render()
    assert metadata["publication_type"] == "book" and metadata["license"] == "cc-by-4.0"
    # a change in CITATION.cff reaches the deposit metadata
    changed = zenodo_metadata({"title": "T", "abstract": "a\n b", "version": "9",
                               "date-released": "2027-01-02", "license": "CC-BY-4.0",
                               "authors": [{"family-names": "Doe", "given-names": "Jo"}]})
    assert changed["creators"] == [{"name": "Doe, Jo"}]
    assert (changed["version"], changed["description"]) == ("9", "a b")


# --- the versioned data release (issue 17, part 1) --------------------------------------------


@pytest.fixture(scope="module")
def release(tmp_path_factory):
    """The release written by ``python -m summit_book.release`` (as the build stages it), and
    its archive unpacked."""
    import zipfile

    folder = tmp_path_factory.mktemp("release")
    result = subprocess.run([sys.executable, "-m", "summit_book.release", str(folder)],
                            capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stderr
    version = PACKAGE["version"]
    with zipfile.ZipFile(folder / f"summit-book-data-{version}.zip") as handle:
        handle.extractall(folder / "unpacked")
    return folder, folder / "unpacked" / f"summit-book-data-{version}"


def _verify_sums(folder: Path) -> dict[str, str]:
    import hashlib

    listed = {}
    for line in (folder / "SHA256SUMS").read_text(encoding="utf-8").splitlines():
        digest, name = line.split("  ", 1)
        assert hashlib.sha256((folder / name).read_bytes()).hexdigest() == digest, name
        listed[name] = digest
    return listed


def test_release_checksums_verify(release):
    folder, root = release
    files = set(_verify_sums(folder))
    version = PACKAGE["version"]
    assert files == {f"summit-book-data-{version}.zip", f"summit-book-data-{version}.sqlite",
                     next(p.name for p in folder.glob("summit_book-*.whl"))}
    listed = _verify_sums(root)
    expected = {"datapackage.json", "README.md", "CHANGELOG.md", "LICENSE-text-and-data.md"}
    for entry in PACKAGE["resources"]:
        expected |= {entry["path"], f"parquet/{entry['name']}.parquet"}
    assert set(listed) == expected
    # a changed byte no longer verifies
    tampered = root / PACKAGE["resources"][0]["path"]
    original = tampered.read_bytes()
    tampered.write_bytes(original + b"\n")
    try:
        with pytest.raises(AssertionError):
            _verify_sums(root)
    finally:
        tampered.write_bytes(original)


def test_release_carries_the_data_changelog_and_the_chapters_data_versions(release):
    from summit_book.release import CHANGELOG_PATH, changelog_entry

    _, root = release
    assert (root / "CHANGELOG.md").read_bytes() == CHANGELOG_PATH.read_bytes()
    assert changelog_entry().startswith(f"## {PACKAGE['version']}")
    readme = (root / "README.md").read_text(encoding="utf-8")
    assert f"Data release {PACKAGE['version']}" in readme
    # every chapter's citation (committed output) names a data version the README lists
    chapters = sorted((DATA_DIR.parent / "chapters").glob("*.ipynb"))
    assert chapters
    for path in chapters:
        cited = set(re.findall(r":data-version: ([0-9a-f]{12})", path.read_text(encoding="utf-8")))
        assert len(cited) == 1, path.name
        page = f"chapters/{path.stem}"
        assert f"| {page} | {cited.pop()} |" in readme, page


def test_release_without_a_changelog_entry_stops_naming_file_and_version():
    from summit_book.release import changelog_entry

    with pytest.raises(ValueError, match=r"data/CHANGELOG.md: no section '## 9\.9\.9'"):
        changelog_entry("# Changes\n\n## 0.1.0\n\nfirst\n", "9.9.9")
    assert changelog_entry("## 1.0\n\na\n\n## 0.9\n\nb\n", "0.9") == "## 0.9\n\nb"


def _pandas_dtype(kind: str) -> str:
    return {"string": "str", "integer": "Int64", "year": "Int64", "number": "Float64",
            "boolean": "boolean", "date": "object", "list": "object"}[kind]


def test_release_tables_load_into_pandas_and_sqlite_with_the_schema_types(release):
    import sqlite3

    import pandas as pd

    from summit_book.release import SQL_TYPES

    folder, root = release
    version = PACKAGE["version"]
    database = sqlite3.connect(folder / f"summit-book-data-{version}.sqlite")
    try:
        assert database.execute("PRAGMA foreign_key_check").fetchall() == []
        for entry in PACKAGE["resources"]:
            name = entry["name"]
            assert (root / entry["path"]).read_bytes() == (DATA_DIR / entry["path"]).read_bytes()
            expected = tables.load_table(name)
            # pandas with the schema's types, from the archive's CSV and descriptor alone
            fields = entry["schema"]["fields"]
            kinds = {field["name"]: tables.field_kind(field) for field in fields}
            frame = pd.read_csv(root / entry["path"], keep_default_na=False, na_values=[""],
                                dtype={c: _pandas_dtype(k) for c, k in kinds.items()
                                       if k not in ("date", "list")})
            assert list(frame.columns) == list(expected.columns) and len(frame) == len(expected)
            for column, kind in kinds.items():
                if kind == "date":
                    parsed = pd.to_datetime(frame[column], format="%Y-%m-%d").dt.date
                    assert parsed.where(parsed.notna(), None).tolist() == [
                        None if pd.isna(v) else v for v in expected[column]], (name, column)
                elif kind != "list":
                    assert str(frame[column].dtype) == _pandas_dtype(kind), (name, column)
                    assert frame[column].equals(expected[column].astype(frame[column].dtype)), (
                        name, column)
            # SQLite: declared types, keys, and the storage class of every value
            count = database.execute(f'SELECT COUNT(*) FROM "{name}"').fetchone()[0]
            assert count == len(expected), name
            declared = {row[1]: row[2] for row in database.execute(f'PRAGMA table_info("{name}")')}
            for field in fields:
                kind = tables.field_kind(field)
                assert declared[field["name"]] == SQL_TYPES[kind]
                stored = {row[0] for row in database.execute(
                    f'SELECT DISTINCT typeof("{field["name"]}") FROM "{name}"')}
                allowed = {"INTEGER": {"integer"}, "REAL": {"real"}, "TEXT": {"text"}}[
                    SQL_TYPES[kind]] | {"null"}
                assert stored <= allowed, (name, field["name"], stored)
            foreign = {(row[3], row[2], row[4]) for row in
                       database.execute(f'PRAGMA foreign_key_list("{name}")')}
            for key in entry["schema"].get("foreignKeys", []):
                assert (key["fields"], key["reference"]["resource"] or name,
                        key["reference"]["fields"]) in foreign
    finally:
        database.close()


def test_release_parquet_files_have_the_schema_types_and_descriptions(release):
    import pyarrow as pa
    import pyarrow.parquet as pq

    _, root = release
    arrow = {"string": pa.string(), "integer": pa.int64(), "year": pa.int64(),
             "number": pa.float64(), "boolean": pa.bool_(), "date": pa.date32(),
             "list": pa.list_(pa.string())}
    for entry in PACKAGE["resources"]:
        table = pq.read_table(root / "parquet" / f"{entry['name']}.parquet")
        expected = tables.load_table(entry["name"])
        assert table.num_rows == len(expected)
        assert table.schema.names == [field["name"] for field in entry["schema"]["fields"]]
        keys = json.loads(table.schema.metadata[b"keys"])
        assert keys.get("primaryKey") == entry["schema"]["primaryKey"]
        assert keys.get("foreignKeys", []) == entry["schema"].get("foreignKeys", [])
        frame = table.to_pandas()
        for field in entry["schema"]["fields"]:
            kind = tables.field_kind(field)
            column = table.schema.field(field["name"])
            assert column.type == arrow[kind], (entry["name"], field["name"])
            if field.get("description"):
                assert column.metadata[b"description"].decode() == field["description"]
            values = table.column(field["name"]).to_pylist()
            if kind == "list":
                assert values == [list(v) for v in expected[field["name"]]]
            elif kind == "date":
                assert values == [None if v is None or v != v else v
                                  for v in expected[field["name"]]]
            else:
                assert values == [None if pd_isna(v) else v for v in expected[field["name"]]], (
                    entry["name"], field["name"])
        # what pandas makes of it: the same typed columns as the loader's
        for field in entry["schema"]["fields"]:
            if tables.field_kind(field) in ("integer", "year", "number"):
                assert frame[field["name"]].dtype.kind in "iuf", (entry["name"], field["name"])


def pd_isna(value) -> bool:
    import pandas as pd

    return value is None or (not isinstance(value, list) and bool(pd.isna(value)))


def test_release_version_must_be_a_plain_version(monkeypatch):
    from summit_book import release as release_module

    monkeypatch.setattr(release_module.tables, "read_datapackage",
                        lambda: {**PACKAGE, "version": "../../etc"})
    with pytest.raises(ValueError, match="datapackage.json: version '../../etc'"):
        release_module.file_names()


# --- references.bib for reference managers (issue 17, part 4) ---------------------------------


def test_references_bib_has_real_entry_types_and_no_invented_years():
    from pybtex.database import parse_file

    from summit_book.bibliography import ENTRY_TYPE, publisher_of
    from summit_book.paths import BIB_PATH

    database = parse_file(str(BIB_PATH), "bibtex")
    rows, _ = tables._parsed("sources")
    by_id = {row["source_id"]: row for row in rows}
    assert set(database.entries) == set(by_id)
    assert "n.d." not in BIB_PATH.read_text(encoding="utf-8")
    for key, entry in database.entries.items():
        row = by_id[key]
        assert entry.type == ENTRY_TYPE[row["kind"]]
        assert "year" not in entry.fields
        if row["date_published"] is None:
            assert "date" not in entry.fields, key
        else:
            assert entry.fields["date"] == row["date_published"].isoformat()
        if row["accessed"] is not None:
            assert entry.fields["urldate"] == row["accessed"].isoformat()
        assert publisher_of(entry)
        assert len(entry.persons["author"]) == 1 and not entry.persons["author"][0].first_names


def _ensure_biber() -> str:
    """biber, installed from Debian's packages on first use (as root, or through sudo -n),
    as scripts/chromium.sh installs Chromium; it is needed by this test only."""
    import os
    import shutil

    found = shutil.which("biber")
    if found:
        return found
    prefix = [] if os.geteuid() == 0 else ["sudo", "-n"]
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for command in (["apt-get", "-qq", "-o", "DPkg::Lock::Timeout=300", "update"],
                    ["apt-get", "-y", "-qq", "--no-install-recommends", "-o",
                     "DPkg::Lock::Timeout=300", "install", "biber"]):
        subprocess.run(prefix + command, env=env, capture_output=True, timeout=1200)
    found = shutil.which("biber")
    assert found, "biber is missing and could not be installed: apt-get install biber (as root)"
    return found


def test_biber_reads_references_bib_without_warnings(tmp_path):
    import shutil

    from summit_book.paths import BIB_PATH

    biber = _ensure_biber()
    shutil.copy(BIB_PATH, tmp_path / "references.bib")
    # One run, validated against biblatex's data model: the data-model check only adds its own
    # "Datamodel:" warnings (and their count) to what a plain run reports, so every other
    # warning or error a plain run gives is here too.
    result = subprocess.run([biber, "--tool", "--validate-datamodel", "--output-file",
                             "out.bib", "references.bib"], cwd=tmp_path, capture_output=True,
                            text=True, timeout=600)
    log = result.stdout + result.stderr
    assert result.returncode == 0, log[-3000:]
    assert "ERROR" not in log, log[-3000:]
    datamodel = re.compile(r"WARN - Datamodel: Entry '([^']+)' \(references.bib\): (.*)")
    warned = [datamodel.search(line).groups() for line in log.splitlines()
              if datamodel.search(line)]
    # but for the data model's, no warning at all (the count biber ends with counts only those)
    others = [line for line in log.splitlines() if "WARN" in line and not datamodel.search(line)
              and line.split("INFO - ")[-1] != f"WARNINGS: {len(warned)}"]
    assert not others, others[:20]
    # against biblatex's data model, the one thing missing is the date of some sources that
    # have none recorded (the book does not invent one), and nothing else
    rows, _ = tables._parsed("sources")
    undated = {row["source_id"] for row in rows if row["date_published"] is None}
    assert {message for _, message in warned} <= {
        "Missing mandatory field - one of 'date, year' must be defined"}
    assert warned and {key for key, _ in warned} <= undated


# --- conventions (issue 17, part 6) ------------------------------------------------------------


def test_ruff_finds_nothing_in_code_and_notebooks():
    root = Path(tables.__file__).resolve().parent.parent
    result = subprocess.run([str(Path(sys.executable).with_name("ruff")), "check",
                             "--no-cache", "--output-format", "concise", str(root)],
                            cwd=root, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    # the pre-commit hook runs the ruff pinned in requirements.txt, on notebooks too
    pinned = re.search(r"^ruff==(\S+)$", (root / "requirements.txt").read_text(), re.M).group(1)
    hook = (root / ".pre-commit-config.yaml").read_text(encoding="utf-8")
    assert f"rev: v{pinned}\n" in hook and "jupyter" in hook


def test_cffconvert_validates_citation_cff_and_its_bibtex_reads():
    """cffconvert 2.0.0 needs jsonschema<4, which the book's pins exclude: it runs from its own
    virtual environment with its own pins (tests/cffconvert-requirements.txt), .venv/tools/
    cffconvert, which scripts/test makes once (scripts/tool_env.sh) and this test makes the same
    way if it is missing or its pins changed.

    Its command line writes the key ``YourReferenceHere`` whatever the file says (hard-coded in
    2.0.0); its Python API takes a key, and that is what a reader's tool would call. It also
    writes an entity author without the inner braces that keep BibTeX from splitting it, so
    the book's own BibTeX (How to cite, every chapter) braces it; both are checked here."""
    import yaml
    from pybtex.database import parse_string

    from summit_book.cite import book_citation
    from summit_book.paths import CITATION_PATH

    root = Path(tables.__file__).resolve().parent.parent
    venv = root / ".venv" / "tools" / "cffconvert"
    install = subprocess.run(
        ["bash", "-c", 'source "$0" && ensure_tool_env "$@"', str(root / "scripts/tool_env.sh"),
         str(venv), str(root / "tests/cffconvert-requirements.txt"), sys.executable],
        capture_output=True, text=True, timeout=1200)
    assert install.returncode == 0, install.stdout[-1000:] + install.stderr[-3000:]
    cffconvert = str(venv / "bin" / "cffconvert")
    valid = subprocess.run([cffconvert, "--validate", "-i", str(CITATION_PATH)],
                           capture_output=True, text=True, timeout=120)
    assert valid.returncode == 0 and "valid" in valid.stdout, valid.stdout + valid.stderr
    citation = yaml.safe_load(CITATION_PATH.read_text(encoding="utf-8"))
    entity = citation["authors"][0]["name"]
    script = ("import sys; from cffconvert import Citation; "
              "print(Citation(open(sys.argv[1], encoding='utf-8').read())"
              ".as_bibtex(reference='summitbook'))")
    bibtex = subprocess.run([str(venv / "bin" / "python"), "-c", script, str(CITATION_PATH)],
                            capture_output=True, text=True, timeout=120)
    assert bibtex.returncode == 0, bibtex.stderr
    assert "YourReferenceHere" not in bibtex.stdout
    entry = parse_string(bibtex.stdout, "bibtex").entries["summitbook"]
    assert entry.fields["title"] == citation["title"]
    assert entry.fields["year"] == str(citation["date-released"])[:4]
    assert re.search(r"^author = \{(.+)\},$", bibtex.stdout, re.M).group(1) == entity
    # the book's own BibTeX keeps the entity whole: one name, no given names
    own = parse_string(book_citation()["bibtex"], "bibtex").entries["summitbook"]
    assert len(own.persons["author"]) == 1 and not own.persons["author"][0].first_names
    assert str(own.persons["author"][0]).strip("{}") == entity


def test_a_failed_release_leaves_the_staged_one_untouched(tmp_path, monkeypatch):
    """The release is written into a new folder that replaces the staged one only when
    complete; a failure (here in the SQLite step) leaves the previous release and no partial
    folder; the site gets the staged release only from a build that succeeded."""
    from types import SimpleNamespace

    from summit_book import release as release_module
    from summit_book import sphinx_ext

    stage = tmp_path / "_build" / "data-release"
    stage.mkdir(parents=True)
    (stage / "SHA256SUMS").write_text("previous\n")
    monkeypatch.setattr(release_module, "BUILD_DIR", tmp_path / "_build")
    monkeypatch.setattr(release_module, "STAGE_DIR", stage)

    def broken(folder):
        raise RuntimeError("foreign keys broken in the SQLite release")

    monkeypatch.setattr(release_module, "build_sqlite", broken)
    with pytest.raises(RuntimeError, match="foreign keys"):
        release_module.stage()
    assert sorted(p.name for p in (tmp_path / "_build").iterdir()) == ["data-release"]
    assert [p.name for p in stage.iterdir()] == ["SHA256SUMS"]
    assert (stage / "SHA256SUMS").read_text() == "previous\n"

    site = tmp_path / "html"
    app = SimpleNamespace(outdir=str(site), builder=SimpleNamespace(format="html"))
    sphinx_ext.copy_data_release(app, RuntimeError("Sphinx failed"))
    assert not site.exists()
    sphinx_ext.copy_data_release(app, None)
    assert (site / "data-release" / "SHA256SUMS").read_text() == "previous\n"


def test_the_release_finds_every_chapters_data_version_in_its_notebook():
    """The release's README lists each chapter's data version, read from the citation that the
    chapter's executed notebook carries: every chapter must be found, with the version its
    tables give now (a change of the citation's form must not make the list silently empty)."""
    from summit_book.cite import data_version
    from summit_book.release import chapter_data_versions

    found = {page: (read, version) for page, read, version in chapter_data_versions()}
    chapters = {p.relative_to(PROJECT_ROOT).with_suffix("").as_posix()
                for p in (PROJECT_ROOT / "chapters").glob("*.ipynb")}
    assert chapters <= set(found), f"no data version found for {sorted(chapters - set(found))}"
    for page in chapters:
        read, version = found[page]
        assert read and version == data_version(read), page
