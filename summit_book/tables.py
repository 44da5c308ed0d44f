"""Load the book's tables from ``data/`` and validate them against ``data/datapackage.json``.

Every table is checked when it is loaded: header, types, enumerations, patterns, required
values, primary keys and foreign keys (including ``;``-separated lists of keys). Any problem
raises :class:`DataValidationError` whose message names the file, the row, the column and the
rule broken, so that a notebook, the build and the tests all fail with the same clear message.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .paths import DATA_DIR, DATAPACKAGE_PATH, PROJECT_ROOT  # noqa: F401 (re-exported)

#: Names of the tables loaded in this process, in order: what a chapter read, for its citation.
TABLES_LOADED: list[str] = []

#: How many problems one error message lists before it stops counting them out.
MAX_LISTED_PROBLEMS = 20


class DataValidationError(ValueError):
    """A table in ``data/`` breaks its schema. The message lists every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        shown = [str(problem) for problem in problems[:MAX_LISTED_PROBLEMS]]
        if len(problems) > MAX_LISTED_PROBLEMS:
            shown.append(f"... and {len(problems) - MAX_LISTED_PROBLEMS} more problems")
        super().__init__(
            f"{len(problems)} problem(s) in the book's data:\n" + "\n".join(shown)
        )


@dataclass(frozen=True)
class Problem:
    """One broken rule, located as precisely as the rule allows."""

    file: str
    rule: str
    message: str
    row: int | None = None  # 1-based data row (the header is not counted)
    column: str | None = None
    key: str | None = None  # the row's primary key, to find it without counting lines

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            row_text = f"row {self.row} (line {self.row + 1})"
            if self.key:
                row_text += f" [{self.key}]"
            where.append(row_text)
        if self.column is not None:
            where.append(f"column '{self.column}'")
        return f"{', '.join(where)}: {self.message} (rule: {self.rule})"


@lru_cache(maxsize=1)
def _read_datapackage(mtime_ns: int) -> dict:
    del mtime_ns  # only part of the cache key, so that an edited schema is re-read
    with DATAPACKAGE_PATH.open(encoding="utf-8") as handle:
        return json.load(handle)


def read_datapackage() -> dict:
    """Return ``data/datapackage.json`` as a dict (re-read whenever the file changes)."""
    return _read_datapackage(DATAPACKAGE_PATH.stat().st_mtime_ns)


def table_names() -> list[str]:
    """Names of all tables described in the data package, in its order."""
    return [resource["name"] for resource in read_datapackage()["resources"]]


def resource(name: str) -> dict:
    """The data-package entry (path, schema, description) of table ``name``."""
    for entry in read_datapackage()["resources"]:
        if entry["name"] == name:
            return entry
    raise KeyError(
        f"unknown table '{name}'; the data package describes: {', '.join(table_names())}"
    )


def table_path(name: str) -> Path:
    """Absolute path of table ``name``'s CSV file."""
    return DATA_DIR / resource(name)["path"]


def file_digest(path: Path) -> str:
    """SHA-256 of a file's bytes, as hex."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def load_table(name: str) -> "pd.DataFrame":
    """Load table ``name`` from ``data/``, validated against its schema and foreign keys.

    Works from any working directory. List columns (``"type": "list"``) become Python
    lists, dates ``datetime.date`` objects, integers pandas' nullable ``Int64``.
    Raises :class:`DataValidationError` naming file, row, column and rule on any problem.
    """
    path = table_path(name)
    digest = file_digest(path) if path.exists() else "missing"
    frame = _load_validated(name, digest, file_digest(DATAPACKAGE_PATH)).copy()
    if name not in TABLES_LOADED:
        TABLES_LOADED.append(name)
    return frame


@lru_cache(maxsize=64)
def _load_validated(name: str, digest: str, schema_digest: str) -> "pd.DataFrame":
    del digest, schema_digest  # cache keys: a changed file or schema is validated afresh
    entry = resource(name)
    rows, problems = _parsed(name)
    if not problems:
        problems = _check_foreign_keys(entry, rows)
    if problems:
        raise DataValidationError(problems)
    return _to_frame(entry, rows)


def _parsed(name: str) -> tuple[list[dict], list[Problem]]:
    """Rows and cell-level problems of one table, without foreign-key checks.

    Foreign keys are checked against these rows, so tables that refer to each other in a
    cycle (countries -> meetings -> countries) do not recurse.
    """
    path = table_path(name)
    digest = file_digest(path) if path.exists() else "missing"
    return _parsed_cached(name, digest, file_digest(DATAPACKAGE_PATH))


@lru_cache(maxsize=64)
def _parsed_cached(name: str, digest: str, schema_digest: str) -> tuple[list[dict], list[Problem]]:
    del digest, schema_digest
    return _parse_rows(resource(name))


# --- parsing and per-cell rules -------------------------------------------------------------


def _parse_rows(entry: dict) -> tuple[list[dict], list[Problem]]:
    path = DATA_DIR / entry["path"]
    file = f"data/{entry['path']}"
    fields = entry["schema"]["fields"]
    names = [field["name"] for field in fields]
    problems: list[Problem] = []
    if not path.exists():
        return [], [Problem(file, "file-exists", "the file is missing")]
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        return [], [Problem(file, "encoding", f"not valid UTF-8 ({error})")]
    reader = csv.reader(text.splitlines(), strict=True)
    try:
        lines = list(reader)
    except csv.Error as error:
        return [], [Problem(file, "csv-syntax", f"malformed CSV: {error}", row=reader.line_num - 1)]
    if not lines:
        return [], [Problem(file, "header", "the file is empty; expected a header row")]
    header = lines[0]
    missing = [name for name in names if name not in header]
    unknown = [name for name in header if name not in names]
    for name in missing:
        problems.append(Problem(file, "header", "missing column", column=name))
    for name in unknown:
        problems.append(
            Problem(file, "header", "unknown column, not in data/datapackage.json", column=name)
        )
    if len(set(header)) != len(header):
        problems.append(Problem(file, "header", f"duplicate column names in {header}"))
    if problems:
        return [], problems

    primary_key = _as_list(entry["schema"].get("primaryKey", []))
    rows: list[dict] = []
    for index, cells in enumerate(lines[1:], start=1):
        if not any(cell.strip() for cell in cells):
            problems.append(Problem(file, "blank-row", "blank line inside the table", row=index))
            continue
        if len(cells) != len(header):
            problems.append(
                Problem(
                    file,
                    "row-length",
                    f"has {len(cells)} cells, the header has {len(header)}",
                    row=index,
                )
            )
            continue
        record = dict(zip(header, cells))
        key = "/".join(record.get(part, "") for part in primary_key) or None
        parsed: dict = {}
        for field in fields:
            value, message, rule = _parse_cell(record[field["name"]], field)
            if message:
                problems.append(Problem(file, rule, message, row=index, column=field["name"], key=key))
            parsed[field["name"]] = value
        rows.append(parsed)

    problems.extend(_check_unique(file, entry, rows))
    return rows, problems


def _as_list(value) -> list[str]:
    return [value] if isinstance(value, str) else list(value)


def _parse_cell(text: str, field: dict) -> tuple[object, str | None, str]:
    """Parse one cell; return (value, problem message or None, rule name)."""
    constraints = field.get("constraints", {})
    if text != text.strip():
        return None, f"'{text}' has leading or trailing spaces", "whitespace"
    if text == "":
        if constraints.get("required"):
            return None, "a value is required but the cell is empty", "required"
        return ([] if field["type"] == "list" else None), None, ""
    kind = field["type"]
    if kind == "list":
        items = text.split(field.get("delimiter", ";"))
        if any(item == "" or item != item.strip() for item in items):
            return None, f"'{text}' is not a clean ';'-separated list (empty item or spaces)", "list"
        item_field = {"name": field["name"], "type": field.get("itemType", "string"),
                      "constraints": field.get("itemConstraints", {})}
        values = []
        for item in items:
            value, message, rule = _parse_cell(item, item_field)
            if message:
                return None, message, rule
            values.append(value)
        if len(set(values)) != len(values):
            return None, f"'{text}' lists the same item twice", "list-unique"
        return values, None, ""
    value, message = _convert(text, kind)
    if message:
        return None, message, "type"
    if "enum" in constraints and value not in constraints["enum"]:
        allowed = ", ".join(str(option) for option in constraints["enum"])
        return None, f"'{text}' is not one of the allowed values: {allowed}", "enum"
    if "pattern" in constraints and not re.fullmatch(constraints["pattern"], text):
        return None, f"'{text}' does not match the pattern {constraints['pattern']}", "pattern"
    if "minimum" in constraints and value < _convert(str(constraints["minimum"]), kind)[0]:
        return None, f"{text} is below the minimum {constraints['minimum']}", "minimum"
    if "maximum" in constraints and value > _convert(str(constraints["maximum"]), kind)[0]:
        return None, f"{text} is above the maximum {constraints['maximum']}", "maximum"
    return value, None, ""


def _convert(text: str, kind: str) -> tuple[object, str | None]:
    if kind == "string":
        return text, None
    if kind == "integer":
        if re.fullmatch(r"-?\d+", text):
            return int(text), None
        return None, f"'{text}' is not a whole number"
    if kind == "number":
        if re.fullmatch(r"-?\d+(\.\d+)?", text):
            return float(text), None
        return None, f"'{text}' is not a plain number (digits and a '.', no units or commas)"
    if kind == "boolean":
        if text in ("true", "false"):
            return text == "true", None
        return None, f"'{text}' is not a boolean (true or false)"
    if kind == "date":
        try:
            if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
                raise ValueError
            return dt.date.fromisoformat(text), None
        except ValueError:
            return None, f"'{text}' is not a valid date (YYYY-MM-DD)"
    if kind == "year":
        if re.fullmatch(r"\d{4}", text):
            return int(text), None
        return None, f"'{text}' is not a year (YYYY)"
    raise ValueError(f"the schema uses a field type this loader does not know: {kind}")


def _check_unique(file: str, entry: dict, rows: list[dict]) -> list[Problem]:
    problems = []
    schema = entry["schema"]
    key_sets = [_as_list(schema["primaryKey"])] if schema.get("primaryKey") else []
    key_sets += [[field["name"]] for field in schema["fields"]
                 if field.get("constraints", {}).get("unique")]
    for columns in key_sets:
        seen: dict[tuple, int] = {}
        for index, row in enumerate(rows, start=1):
            value = tuple(row[column] for column in columns)
            if any(part is None for part in value):
                continue
            if value in seen:
                problems.append(
                    Problem(
                        file,
                        "unique",
                        f"duplicate key {'/'.join(map(str, value))}, first used in row {seen[value]}",
                        row=index,
                        column="/".join(columns),
                    )
                )
            else:
                seen[value] = index
    return problems


# --- foreign keys ---------------------------------------------------------------------------


def _check_foreign_keys(entry: dict, rows: list[dict]) -> list[Problem]:
    file = f"data/{entry['path']}"
    fields = {field["name"]: field for field in entry["schema"]["fields"]}
    primary_key = _as_list(entry["schema"].get("primaryKey", []))
    problems = []
    # listForeignKeys: references from ';'-separated list fields, which Frictionless's
    # foreignKeys cannot express; each item of the list must resolve.
    declared = entry["schema"].get("foreignKeys", []) + entry["schema"].get("listForeignKeys", [])
    for foreign_key in declared:
        column = foreign_key["fields"]
        target = foreign_key["reference"]["resource"] or entry["name"]
        target_column = foreign_key["reference"]["fields"]
        target_rows, target_problems = _parsed(target)
        if target_problems:
            return target_problems
        known = {row[target_column] for row in target_rows}
        for index, row in enumerate(rows, start=1):
            value = row[column]
            values = value if fields[column]["type"] == "list" else [value]
            for item in values:
                if item is not None and item not in known:
                    key = "/".join(str(row[part]) for part in primary_key) or None
                    problems.append(
                        Problem(
                            file,
                            "foreign-key",
                            f"'{item}' is not a known {target_column} in data/{resource(target)['path']}",
                            row=index,
                            column=column,
                            key=key,
                        )
                    )
    return problems


def _to_frame(entry: dict, rows: list[dict]) -> "pd.DataFrame":
    """Typed columns: text as pandas strings (missing = NaN, test with ``pd.isna``), whole
    numbers and years as nullable Int64, numbers as Float64, booleans as nullable boolean,
    dates as ``datetime.date`` objects (missing = None), lists as Python lists."""
    import pandas as pd  # imported here so that validation alone does not pay for it

    columns = [field["name"] for field in entry["schema"]["fields"]]
    frame = pd.DataFrame(rows, columns=columns, dtype=object)
    converters = {"integer": "Int64", "year": "Int64", "number": "Float64",
                  "boolean": "boolean", "string": "str"}
    for field in entry["schema"]["fields"]:
        dtype = converters.get(field["type"])
        if dtype:
            frame[field["name"]] = frame[field["name"]].astype(dtype)
    return frame


def validate_all() -> list[Problem]:
    """Validate every table (cells, keys, foreign keys) without building data frames; return
    all problems found (an empty list when the data is sound)."""
    problems: list[Problem] = []
    for name in table_names():
        rows, found = _parsed(name)
        if not found:
            found = _check_foreign_keys(resource(name), rows)
        problems.extend(problem for problem in found if problem not in problems)
    return problems
