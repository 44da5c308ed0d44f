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
import io
import json
import os
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from .paths import DATA_DIR, DATAPACKAGE_PATH, PROJECT_ROOT  # noqa: F401 (re-exported)
from .paths import DATA_SOURCE

if TYPE_CHECKING:  # only for annotations: pandas is imported when a frame is made
    import pandas as pd


def data_location() -> tuple[Path, str]:
    """The folder the tables are read from and how it was found ("environment variable
    SUMMIT_BOOK_DATA", "project root" or "installed data release")."""
    return DATA_DIR, DATA_SOURCE

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
    line: int | None = None  # the row's first line in the file (a quoted newline adds lines)

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            row_text = f"row {self.row} (line {self.line or self.row + 1})"
            if self.key:
                row_text += f" [{self.key}]"
            where.append(row_text)
        if self.column is not None:
            where.append(f"column '{self.column}'")
        return f"{', '.join(where)}: {self.message} (rule: {self.rule})"


@lru_cache(maxsize=1)
def _read_datapackage(path: Path, mtime_ns: int) -> dict:
    del mtime_ns  # only part of the cache key, so that an edited schema is re-read
    file = "data/datapackage.json"
    try:
        text = path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        raise DataValidationError([Problem(file, "file-exists", "the file is missing")]) from None
    except UnicodeDecodeError as error:
        raise DataValidationError([Problem(file, "encoding", f"not valid UTF-8 ({error})")]) from None
    if text.startswith("\ufeff"):
        raise DataValidationError([Problem(
            file, "encoding", "starts with a UTF-8 byte-order mark (BOM); save it as UTF-8 without BOM")])
    try:
        package = json.loads(text)
    except json.JSONDecodeError as error:
        raise DataValidationError([Problem(
            file, "json-syntax",
            f"invalid JSON at line {error.lineno}, column {error.colno}: {error.msg}")]) from None
    resources = package.get("resources") if isinstance(package, dict) else None
    if not isinstance(resources, list) or not all(
            isinstance(entry, dict) and {"name", "path", "schema"} <= entry.keys()
            for entry in resources):
        raise DataValidationError([Problem(
            file, "datapackage", "expected an object whose 'resources' list gives each table's "
            "name, path and schema")])
    return package, {entry["name"]: entry for entry in resources}


def read_datapackage() -> dict:
    """Return ``data/datapackage.json`` as a dict (re-read whenever the file changes).

    Raises :class:`DataValidationError` naming line and column when the file is not valid JSON.
    """
    try:
        mtime = DATAPACKAGE_PATH.stat().st_mtime_ns
    except FileNotFoundError:
        mtime = 0
    return _read_datapackage(DATAPACKAGE_PATH, mtime)[0]


def data_cutoff() -> dt.date | None:
    """The data package's ``dataCutoff``: no date in the tables may be later."""
    cutoff = read_datapackage().get("dataCutoff")
    return dt.date.fromisoformat(cutoff) if cutoff else None


def table_names() -> list[str]:
    """Names of all tables described in the data package, in its order."""
    return [resource["name"] for resource in read_datapackage()["resources"]]


def resource(name: str) -> dict:
    """The data-package entry (path, schema, description) of table ``name``."""
    try:
        mtime = DATAPACKAGE_PATH.stat().st_mtime_ns
    except FileNotFoundError:
        mtime = 0
    entry = _read_datapackage(DATAPACKAGE_PATH, mtime)[1].get(name)
    if entry is not None:
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

    Works from any working directory. List columns (custom property ``"list"``) become Python
    lists, dates ``datetime.date`` objects, integers pandas' nullable ``Int64``.
    Raises :class:`DataValidationError` naming file, row, column and rule on any problem.

    A table is validated once per content: the validated frame is kept (in this process and in
    :data:`~summit_book.paths.TABLE_CACHE_DIR`) under :func:`content_key`, a hash of every byte
    the result depends on, so another process (a chapter's kernel) reads it in milliseconds and
    a changed table, schema or validator is validated afresh. Only valid tables are kept: a bad
    one raises the same error every time.
    """
    import pickle

    frame = pickle.loads(_load_validated(name, content_key(name)))  # a new frame every call
    if name not in TABLES_LOADED:
        TABLES_LOADED.append(name)
    return frame


def store_validated_tables() -> int:
    """Validate every table once and keep the results for the kernels that load them (the
    build calls this after :func:`validate_all` found the data sound). Returns how many
    tables were stored (or found already stored)."""
    names = table_names()
    for name in names:
        _load_validated(name, content_key(name))
    return len(names)


#: Part of every cache key: bump it when a validated frame changes form without a change to
#: this module's code.
CACHE_FORMAT = "1"


@lru_cache(maxsize=1)
def _validator_digest() -> str:
    """This module's code and the versions of pandas and Python: an entry written by another
    validator, or that another pandas would unpickle differently, is never read."""
    import platform

    from importlib.metadata import version

    digest = hashlib.sha256(Path(__file__).read_bytes())
    digest.update(f"{CACHE_FORMAT}|{version('pandas')}|{platform.python_version()}".encode())
    return digest.hexdigest()


def content_key(name: str) -> str:
    """Hash of everything the validated table ``name`` depends on: the bytes of its CSV, of
    the CSVs its foreign keys refer to and of ``datapackage.json``, and the validator."""
    entry = resource(name)
    schema = entry["schema"]
    targets = {key["reference"]["resource"] or name
               for key in schema.get("foreignKeys", []) + schema.get("listForeignKeys", [])}
    digest = hashlib.sha256(f"{_validator_digest()}|{name}".encode())
    digest.update(file_digest(DATAPACKAGE_PATH).encode())
    for table in [name, *sorted(targets - {name})]:
        try:
            table_digest = file_digest(table_path(table))
        except FileNotFoundError:
            table_digest = "missing"
        digest.update(f"|{table}:{table_digest}".encode())
    return digest.hexdigest()


def _cache_file(name: str, key: str) -> Path:
    from .paths import TABLE_CACHE_DIR

    return TABLE_CACHE_DIR / f"{name}-{key[:40]}.pickle"


@lru_cache(maxsize=64)
def _load_validated(name: str, key: str) -> bytes:
    """The validated frame of table ``name`` for content ``key``, pickled: read from the cache
    file when one holds this key, else validated (raising on any problem) and stored."""
    import pickle

    cached = _cache_file(name, key)
    try:  # a line "<key> <sha256 of the pickle>", then the pickle
        header, _, stored = cached.read_bytes().partition(b"\n")
        if header == f"{key} {hashlib.sha256(stored).hexdigest()}".encode():
            return stored
    except OSError:  # no entry yet (or unreadable): validate
        pass  # (an entry for another key, or damaged, is validated afresh and replaced too)
    entry = resource(name)
    rows, problems = _parsed(name)
    if not problems:
        problems = _check_foreign_keys(entry, rows)
    if problems:
        raise DataValidationError(problems)
    frame = pickle.dumps(_to_frame(entry, rows), pickle.HIGHEST_PROTOCOL)
    try:  # written whole under a temporary name, then renamed: never read half-written
        cached.parent.mkdir(parents=True, exist_ok=True)
        partial = cached.with_name(f"{cached.name}.{os.getpid()}.partial")
        partial.write_bytes(f"{key} {hashlib.sha256(frame).hexdigest()}\n".encode() + frame)
        os.replace(partial, cached)
        for older in cached.parent.glob(f"{name}-*.pickle"):  # other contents of this table
            if older != cached:
                older.unlink(missing_ok=True)
    except OSError:  # a read-only install: validation still works, only slower
        pass
    return frame


def _parsed(name: str) -> tuple[list[dict], list[Problem]]:
    """Rows and cell-level problems of one table, without foreign-key checks.

    Foreign keys are checked against these rows, so tables that refer to each other in a
    cycle (countries -> meetings -> countries) do not recurse.
    """
    if _PASS is not None and name in _PASS:
        return _PASS[name]
    path = table_path(name)
    digest = file_digest(path) if path.exists() else "missing"
    if _PASS is not None and "datapackage.json" not in _PASS:
        _PASS["datapackage.json"] = file_digest(DATAPACKAGE_PATH)
    schema_digest = _PASS["datapackage.json"] if _PASS is not None else file_digest(
        DATAPACKAGE_PATH)
    result = _parsed_cached(name, digest, schema_digest)
    if _PASS is not None:
        _PASS[name] = result
    return result


#: While :func:`validate_all` runs: each table's parse, so that one pass reads each file once.
_PASS: dict | None = None


@lru_cache(maxsize=64)
def _parsed_cached(name: str, digest: str, schema_digest: str) -> tuple[list[dict], list[Problem]]:
    del digest, schema_digest
    return _parse_rows(resource(name))


# --- parsing and per-cell rules -------------------------------------------------------------


class Rows(list):
    """A table's parsed rows (dicts), with ``lines[i]``: the file line where row ``i + 1``
    starts (a quoted field's newline makes rows span several lines)."""

    lines: list[int]

    def __init__(self, rows=(), lines=()):
        super().__init__(rows)
        self.lines = list(lines)

    def line(self, row: int) -> int | None:
        """File line of 1-based data row ``row``."""
        return self.lines[row - 1] if 0 < row <= len(self.lines) else None


#: Cell values that stand for "no value" in spreadsheets and data tools; an unknown value is
#: an empty cell here, so any of these is a mistake (compared case-insensitively).
PLACEHOLDERS = frozenset({"null", "n/a", "na", "nan", "none", "nil", "#n/a", "-", "--", "–", "—",
                          "?", "undefined", "missing"})

# Characters no cell may hold: C0 controls but the newline (kept inside a quoted field), DEL,
# C1 controls, and the invisible format characters that reorder or hide text (bidirectional
# overrides and isolates, zero-width characters, byte-order marks).
_CONTROL = re.compile(
    "[\x00-\x09\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
# UTF-8 read as Windows-1252 or Latin-1: a lead byte (Â..ô) followed by continuation bytes
# (0x80-0xBF as those code pages show them). A candidate counts only if the bytes really
# decode as UTF-8, so genuine text such as "Türkmenistan" or "Ñandú" is not flagged.
_CP1252_OF_BYTE: dict[str, int] = {}
for _byte in range(0x80, 0x100):
    for _codec in ("cp1252", "latin-1"):
        try:
            _CP1252_OF_BYTE.setdefault(bytes([_byte]).decode(_codec), _byte)
        except UnicodeDecodeError:
            pass
_CONTINUATION = frozenset(c for c, b in _CP1252_OF_BYTE.items() if 0x80 <= b <= 0xBF)
_LEAD = re.compile("[\u00c2-\u00f4]")

# Question marks standing in for letters an export could not encode (Cyrillic -> "????").
_QUESTION_RUN = re.compile(r"\?{2,}|\?+[^\W\d_]*\?")
_ASCII_DIGITS = frozenset("0123456789")
# First characters that make a spreadsheet evaluate a cell (OWASP, "CSV injection").
_FORMULA_LEADS = frozenset("=+-@")
_ASCII_SUSPECT = re.compile("[\x00-\x09\x0b-\x1f\x7f?]")


def _mojibake(text: str) -> str | None:
    """The first run of ``text`` that is UTF-8 misread as Windows-1252/Latin-1, if any."""
    for match in _LEAD.finditer(text):
        lead = ord(match.group())
        length = 2 if lead < 0xE0 else 3 if lead < 0xF0 else 4
        candidate = text[match.start():match.start() + length]
        if len(candidate) < length or not all(c in _CONTINUATION for c in candidate[1:]):
            continue
        try:
            bytes(_CP1252_OF_BYTE[c] for c in candidate).decode("utf-8")
        except UnicodeDecodeError:
            continue
        return candidate
    return None


def _text_problem(text: str, kind: str, verbatim: bool = False) -> tuple[str, str] | None:
    """Rules on the raw text of any cell: (message, rule) for the first broken, or None.

    A ``verbatim`` field copies the source's printed text, whose own marks for "not available"
    ('NA', '-') are data there, so only the placeholder rule is lifted for it."""
    if text and kind in ("string", "list-string") and text[0] in _FORMULA_LEADS and not verbatim \
            and text.casefold() not in PLACEHOLDERS:
        # A spreadsheet runs such a cell as a formula when a reader opens the downloaded CSV.
        return (f"'{text}' starts with '{text[0]}', which a spreadsheet reads as a formula; "
                "reword it so that it starts with a letter, a digit or a quotation mark",
                "formula-like")
    if text.isascii():
        # the common case, and none of the non-ASCII rules can apply
        if not _ASCII_SUSPECT.search(text) and (len(text) > 9 or text.casefold() not in
                                                 PLACEHOLDERS):
            return None
        control = _CONTROL.search(text)
        if control:
            return (f"contains the control character U+{ord(control.group()):04X} "
                    f"{unicodedata.name(control.group(), '')}".rstrip()
                    + f" at position {control.start() + 1}", "control-character")
    else:
        control = _CONTROL.search(text)
        if control:
            return (f"contains the invisible or control character U+{ord(control.group()):04X} "
                    f"{unicodedata.name(control.group(), '')}".rstrip()
                    + f" at position {control.start() + 1}", "control-character")
        if "\ufffd" in text:
            return (f"'{text}' contains the replacement character U+FFFD: text lost in a wrong "
                    "decoding; take it again from the source", "replacement-character")
        bad = _mojibake(text)
        if bad:
            return (f"'{text}' contains '{bad}', UTF-8 text read as Windows-1252/Latin-1 "
                    f"(mojibake; '{bad}' should be "
                    f"'{bytes(_CP1252_OF_BYTE[c] for c in bad).decode('utf-8')}')", "mojibake")
        if kind in ("integer", "number", "year", "date", "boolean") or kind == "list-number":
            odd = [c for c in text if c.isdigit() and c not in _ASCII_DIGITS]
            if odd:
                return (f"'{text}' uses the non-ASCII digit '{odd[0]}' "
                        f"({unicodedata.name(odd[0], 'digit')}); write the digits 0-9",
                        "ascii-digits")
    question = _QUESTION_RUN.search(text)
    if question:
        return (f"'{text}' has '{question.group()}', question marks standing in for letters "
                "an export could not encode (often Cyrillic)", "question-marks")
    if not verbatim and text.casefold() in PLACEHOLDERS:
        return (f"'{text}' is a placeholder for a missing value; leave the cell empty if the "
                "value is unknown (and say why in the notes)", "placeholder")
    return None


def _read_csv(file: str, raw: bytes) -> tuple[list[tuple[int, list[str]]], list[Problem]]:
    """The records of a CSV file with the line each starts on; or the problems that stop it."""
    if raw.startswith(b"\xef\xbb\xbf"):
        return [], [Problem(file, "encoding", "starts with a UTF-8 byte-order mark (BOM), which "
                            "would become part of the first column's name; save the file as "
                            "UTF-8 without BOM")]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[:error.start].count(b"\n") + 1
        return [], [Problem(file, "encoding", f"not valid UTF-8 at line {line} ({error}); save "
                            "the file as UTF-8")]
    # newline="" keeps a quoted field's line breaks exactly as written
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    records: list[tuple[int, list[str]]] = []
    start = 1
    try:
        for cells in reader:
            records.append((start, cells))
            start = reader.line_num + 1
    except csv.Error as error:
        row = len(records)  # the record being read: data row len(records) (header is record 0)
        return [], [Problem(file, "csv-syntax", f"malformed CSV: {error}",
                            row=row if row > 0 else None, line=start)]
    return records, []


def _parse_rows(entry: dict) -> tuple[list[dict], list[Problem]]:
    path = DATA_DIR / entry["path"]
    file = f"data/{entry['path']}"
    fields = entry["schema"]["fields"]
    names = [field["name"] for field in fields]
    problems: list[Problem] = []
    if not path.exists():
        return Rows(), [Problem(file, "file-exists", "the file is missing (the data package "
                                "describes it as a table)")]
    records, problems = _read_csv(file, path.read_bytes())
    if problems:
        return Rows(), problems
    if not records:
        return Rows(), [Problem(file, "header", "the file is empty; expected a header row")]
    header = records[0][1]
    if len(header) == 1 and ";" in header[0] and len(names) > 1:
        return Rows(), [Problem(file, "delimiter", "the header is separated by semicolons ';' "
                                "(a spreadsheet's regional CSV setting); the tables use commas ','")]
    if len(header) == 1 and "\t" in header[0] and len(names) > 1:
        return Rows(), [Problem(file, "delimiter", "the header is separated by tabs; the tables "
                                "use commas ','")]
    missing = [name for name in names if name not in header]
    unknown = [name for name in header if name not in names]
    for name in missing:
        problems.append(Problem(file, "header", "missing column", column=name))
    for name in unknown:
        problems.append(
            Problem(file, "header", "unknown column, not in data/datapackage.json", column=name)
        )
    if len(set(header)) != len(header):
        twice = sorted({name for name in header if header.count(name) > 1})
        problems.append(Problem(file, "header", f"duplicate column names {twice}",
                                column=", ".join(twice)))
    if problems:
        return Rows(), problems
    if len(records) == 1:
        return Rows(), [Problem(file, "no-rows", "the table has a header but no data rows; "
                                "a table in the data package needs at least one row")]

    primary_key = _as_list(entry["schema"].get("primaryKey", []))
    parsers = [(field, _cell_parser(field)) for field in fields]
    rows = Rows()
    for index, (line, cells) in enumerate(records[1:], start=1):
        if not any(cell.strip() for cell in cells):
            problems.append(Problem(file, "blank-row", "blank line inside the table", row=index,
                                    line=line))
            continue
        if len(cells) != len(header):
            problems.append(
                Problem(
                    file,
                    "row-length",
                    f"has {len(cells)} cells, the header has {len(header)}",
                    row=index,
                    line=line,
                )
            )
            continue
        record = dict(zip(header, cells))
        key = "/".join(record.get(part, "") for part in primary_key) or None
        parsed: dict = {}
        for field, parse in parsers:
            value, message, rule = parse(record[field["name"]])
            if message:
                problems.append(Problem(file, rule, message, row=index, column=field["name"],
                                        key=key, line=line))
            parsed[field["name"]] = value
        rows.append(parsed)
        rows.lines.append(line)

    problems.extend(_check_unique(file, entry, rows))
    return rows, problems


def list_spec(field: dict) -> dict | None:
    """How a list column is written, or None for other columns.

    A list column is typed ``"string"`` in the data package, so that any Table Schema reader
    accepts it (its ``pattern`` checks the whole ``;``-separated text), and carries the custom
    property ``"list"``: ``{"delimiter": ";", "itemType": ..., "itemConstraints": {...}}``, which
    this loader uses to check each item and turn the cell into a Python list."""
    return field.get("list")


def field_kind(field: dict) -> str:
    """The field's type as this loader reads it: ``"list"`` for list columns, else its type."""
    return "list" if list_spec(field) is not None else field["type"]


def _as_list(value) -> list[str]:
    return [value] if isinstance(value, str) else list(value)


def _parse_cell(text: str, field: dict) -> tuple[object, str | None, str]:
    """Parse one cell; return (value, problem message or None, rule name)."""
    return _cell_parser(field)(text)


def _cell_parser(field: dict):
    """A function parsing one cell of ``field`` (constraints looked up once per table)."""
    constraints = field.get("constraints", {})
    kind = field_kind(field)
    spec = list_spec(field) or {}
    text_kind = "list-" + spec.get("itemType", "string") if kind == "list" else kind
    verbatim = field.get("verbatim", False)
    required = constraints.get("required")
    enum = constraints.get("enum")
    enum_set = set(enum) if enum is not None else None
    pattern = re.compile(constraints["pattern"]) if "pattern" in constraints else None
    min_length, max_length = constraints.get("minLength"), constraints.get("maxLength")
    minimum = _bound(constraints["minimum"], kind) if "minimum" in constraints else None
    maximum = _bound(constraints["maximum"], kind) if "maximum" in constraints else None
    is_cutoff = kind == "date" and constraints.get("maximum") is not None and (
        constraints.get("maximum") == _cutoff_text())
    if kind == "list":
        delimiter = spec.get("delimiter", ";")
        item_parser = _cell_parser({"name": field["name"], "type": spec.get("itemType", "string"),
                                    "constraints": spec.get("itemConstraints", {}),
                                    "verbatim": verbatim})

    def parse(text: str) -> tuple[object, str | None, str]:
        if text:
            found = _text_problem(text, text_kind, verbatim)
            if found:
                return None, found[0], found[1]
            if text[0].isspace() or text[-1].isspace():
                return None, f"'{text}' has leading or trailing spaces", "whitespace"
        else:
            if required:
                return None, "a value is required but the cell is empty", "required"
            return ([] if kind == "list" else None), None, ""
        if kind == "list":
            items = text.split(delimiter)
            if any(item == "" or item != item.strip() for item in items):
                return None, (f"'{text}' is not a clean '{delimiter}'-separated list (empty item "
                              "or spaces)"), "list"
            values = []
            for item in items:
                value, message, rule = item_parser(item)
                if message:
                    return None, message, rule
                values.append(value)
            if len(set(values)) != len(values):
                return None, f"'{text}' lists the same item twice", "list-unique"
            return values, None, ""
        value, message = _convert(text, kind)
        if message:
            return None, message, "type"
        if enum_set is not None and value not in enum_set:
            allowed = ", ".join(str(option) for option in enum)
            return None, f"'{text}' is not one of the allowed values: {allowed}", "enum"
        if pattern is not None and not pattern.fullmatch(text):
            return None, f"'{text}' does not match the pattern {pattern.pattern}", "pattern"
        if min_length is not None and len(text) < min_length:
            return None, f"'{text}' is shorter than the minimum length {min_length}", "minLength"
        if max_length is not None and len(text) > max_length:
            return None, (f"'{text[:40]}...' is longer than the maximum length {max_length}"
                          ), "maxLength"
        if minimum is not None and value < minimum:
            return None, f"{text} is below the minimum {constraints['minimum']}", "minimum"
        if maximum is not None and value > maximum:
            if is_cutoff:
                return None, (f"{text} is after the data cut-off {constraints['maximum']} "
                              "(dataCutoff in data/datapackage.json)"), "cutoff"
            return None, f"{text} is above the maximum {constraints['maximum']}", "maximum"
        return value, None, ""

    return parse


@lru_cache(maxsize=256)
def _bound_cached(text: str, kind: str):
    return _convert(text, kind)[0]


def _bound(limit, kind: str):
    return _bound_cached(str(limit), kind)


def _cutoff_text() -> str | None:
    return read_datapackage().get("dataCutoff")


_INTEGER = re.compile(r"-?[0-9]+")
_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _convert(text: str, kind: str) -> tuple[object, str | None]:
    if kind == "string":
        return text, None
    if kind == "integer":
        if _INTEGER.fullmatch(text):
            return int(text), None
        return None, f"'{text}' is not a whole number"
    if kind == "number":
        if _NUMBER.fullmatch(text):
            return float(text), None
        return None, f"'{text}' is not a plain number (digits and a '.', no units or commas)"
    if kind == "boolean":
        if text in ("true", "false"):
            return text == "true", None
        return None, f"'{text}' is not a boolean (true or false)"
    if kind == "date":
        try:
            if not _DATE.fullmatch(text):
                raise ValueError
            return dt.date.fromisoformat(text), None
        except ValueError:
            return None, f"'{text}' is not a valid date (YYYY-MM-DD)"
    if kind == "year":
        if re.fullmatch(r"[0-9]{4}", text):
            return int(text), None
        return None, f"'{text}' is not a year (YYYY)"
    raise ValueError(f"the schema uses a field type this loader does not know: {kind}")


def _check_unique(file: str, entry: dict, rows: Rows) -> list[Problem]:
    """Primary keys and unique columns: no value twice, and no two values that differ only in
    case (``KAZ`` and ``kaz`` would be counted as two countries)."""
    problems = []
    schema = entry["schema"]
    key_sets = [_as_list(schema["primaryKey"])] if schema.get("primaryKey") else []
    key_sets += [[field["name"]] for field in schema["fields"]
                 if field.get("constraints", {}).get("unique")]
    for columns in key_sets:
        seen: dict[tuple, int] = {}
        folded: dict[tuple, int] = {}
        for index, row in enumerate(rows, start=1):
            value = tuple(row[column] for column in columns)
            if any(part is None for part in value):
                continue
            fold = tuple(part.casefold() if isinstance(part, str) else part for part in value)
            if value in seen:
                problems.append(
                    Problem(
                        file,
                        "unique",
                        f"duplicate key {'/'.join(map(str, value))}, first used in row {seen[value]}",
                        row=index,
                        column="/".join(columns),
                        line=rows.line(index),
                    )
                )
            elif fold in folded:
                first = rows[folded[fold] - 1]
                problems.append(
                    Problem(
                        file,
                        "unique-case",
                        f"key {'/'.join(map(str, value))} differs only in case from "
                        f"{'/'.join(str(first[c]) for c in columns)} in row {folded[fold]}",
                        row=index,
                        column="/".join(columns),
                        line=rows.line(index),
                    )
                )
            else:
                seen[value] = index
                folded[fold] = index
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
            values = value if field_kind(fields[column]) == "list" else [value]
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
                            line=rows.line(index) if isinstance(rows, Rows) else None,
                        )
                    )
    return problems


def use_python_strings():
    """pandas, with text columns stored as Python strings whether or not pyarrow is installed
    (pandas 3 stores them with pyarrow when it can, which turns a
    :class:`summit_book.escape.Markup` citation in a frame into a plain string, so that a table
    would show the role as text). Called wherever the package starts making frames."""
    import pandas as pd

    pd.set_option("mode.string_storage", "python")
    return pd


def _to_frame(entry: dict, rows: list[dict]) -> "pd.DataFrame":
    """Typed columns: text as pandas strings (missing = NaN, test with ``pd.isna``), whole
    numbers and years as nullable Int64, numbers as Float64, booleans as nullable boolean,
    dates as ``datetime.date`` objects (missing = None), lists as Python lists."""
    pd = use_python_strings()  # imported here so that validation alone does not pay for it

    columns = [field["name"] for field in entry["schema"]["fields"]]
    frame = pd.DataFrame(rows, columns=columns, dtype=object)
    converters = {"integer": "Int64", "year": "Int64", "number": "Float64",
                  "boolean": "boolean", "string": "str"}
    for field in entry["schema"]["fields"]:
        dtype = converters.get(field_kind(field))
        if dtype:
            frame[field["name"]] = frame[field["name"]].astype(dtype)
    return frame


#: Date fields that may postdate the cut-off: the day a source was actually read (the tracker's
#: evidence horizon rests on publication dates, so a late reading claims nothing about events).
READ_AFTER_CUTOFF = {("sources", "accessed"), ("audit_checks", "check_date")}


def package_problems() -> list[Problem]:
    """Rules on the data package as a whole: every CSV in ``data/`` is described by it, and
    every date field carries the cut-off as its maximum (so Frictionless checks it too)."""
    package = read_datapackage()
    problems = []
    described = {entry["path"] for entry in package["resources"]}
    for path in sorted(DATA_DIR.glob("*.csv")):
        if path.name not in described:
            problems.append(Problem(f"data/{path.name}", "described", "this CSV is not "
                                    "described in data/datapackage.json (add a resource for it, "
                                    "or remove the file)"))
    cutoff = package.get("dataCutoff")
    if not cutoff:
        problems.append(Problem("data/datapackage.json", "cutoff", "no dataCutoff date"))
    for entry in package["resources"]:
        for field in entry["schema"]["fields"]:
            maximum = field.get("constraints", {}).get("maximum")
            if (entry["name"], field["name"]) in READ_AFTER_CUTOFF:
                continue
            if cutoff and field["type"] == "date" and (maximum is None or maximum > cutoff):
                problems.append(Problem(
                    "data/datapackage.json", "cutoff",
                    f"date field {entry['name']}.{field['name']} needs the constraint "
                    f"\"maximum\": \"{cutoff}\" (the dataCutoff)", column=field["name"]))
    return problems


def validate_all() -> list[Problem]:
    """Validate the whole data package, as the build does before anything else: the package
    itself, every table (text, cells, keys, foreign keys) and the rules that join tables
    (:mod:`summit_book.rules`), without building data frames. Return all problems found (an
    empty list when the data is sound)."""
    global _PASS
    try:
        problems: list[Problem] = package_problems()
        names = table_names()
    except DataValidationError as error:
        return list(error.problems)
    _PASS = {}
    try:
        for name in names:
            rows, found = _parsed(name)
            if not found:
                found = _check_foreign_keys(resource(name), rows)
            problems.extend(problem for problem in found if problem not in problems)
        if not problems:
            from .rules import check_rules

            problems.extend(check_rules())
    finally:
        _PASS = None
    return problems
