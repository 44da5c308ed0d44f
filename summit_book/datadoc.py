"""The data appendix, generated from ``data/datapackage.json``: each table with its
description, row count, download link and a line per column (type, unit, rules)."""

from __future__ import annotations

import re

from .escape import markdown_cell, markdown_code, markdown_text
from .tables import field_kind, list_spec, load_table, resource

#: A table's file as the appendix links it: a plain name in data/, never a path elsewhere (a
#: ``{download}`` role copies whatever file it names into the site).
SAFE_TABLE_FILE = re.compile(r"[A-Za-z0-9_]+(-[A-Za-z0-9_]+)*\.csv")

TYPE_WORDS = {"string": "text", "integer": "whole number", "number": "number",
              "boolean": "true/false", "date": "date (YYYY-MM-DD)", "year": "year (YYYY)",
              "list": "list, ';'-separated"}


def _rules(field: dict, foreign: dict[str, str]) -> str:
    constraints = field.get("constraints", {})
    rules = []
    if constraints.get("required"):
        rules.append("required")
    if constraints.get("unique"):
        rules.append("unique")
    item_constraints = (list_spec(field) or {}).get("itemConstraints", {})
    enum = constraints.get("enum") or item_constraints.get("enum")
    if enum:
        rules.append("one of: " + ", ".join(markdown_code(value) for value in enum))
    if "pattern" in constraints and field_kind(field) != "list":
        rules.append(f"pattern {markdown_code(constraints['pattern'])}")
    if "minimum" in constraints:
        rules.append(f"at least {markdown_text(constraints['minimum'])}")
    if "maximum" in constraints and field["type"] == "date":
        rules.append(f"not after {markdown_text(constraints['maximum'])} (the data cut-off)")
    elif "maximum" in constraints:
        rules.append(f"at most {markdown_text(constraints['maximum'])}")
    if field["name"] in foreign:
        rules.append(f"refers to {foreign[field['name']]}")
    return "; ".join(rules)


def _cell(markdown: str) -> str:
    """Markdown built here from escaped parts, made fit for a table cell (pipes, one line)."""
    return str(markdown).replace("|", "\\|").replace("\n", " ")


def table_markdown(name: str, download_prefix: str = "../data/") -> str:
    """MyST Markdown documenting one table (rows counted from the validated data)."""
    entry = resource(name)
    rows = len(load_table(name))
    schema = entry["schema"]
    foreign = {fk["fields"]: markdown_code(f"{fk['reference']['resource']}.{fk['reference']['fields']}")
               for fk in schema.get("foreignKeys", []) + schema.get("listForeignKeys", [])}
    key = schema.get("primaryKey")
    key_text = ", ".join(markdown_code(k) for k in ([key] if isinstance(key, str) else key))
    path = entry["path"]
    if not SAFE_TABLE_FILE.fullmatch(path) or not download_prefix.endswith("data/"):
        raise ValueError(f"data/datapackage.json: resource '{name}': path {path!r} is not a "
                         f"plain file name in data/ (rule: safe download path)")
    # Level 2: the page's title is level 1, and a heading must not skip a level (W3C Nu).
    lines = [
        f"## {markdown_code(name)}: {markdown_text(entry['title'])}",
        "",
        markdown_text(entry["description"]),
        "",
        f"{rows:,} rows; primary key {key_text}. "
        f"Download: {{download}}`{path} <{download_prefix}{path}>`.",
        "",
        "| column | type | unit | description | rules |",
        "|---|---|---|---|---|",
    ]
    for field in schema["fields"]:
        lines.append(
            f"| {_cell(markdown_code(field['name']))} | {TYPE_WORDS[field_kind(field)]} "
            f"| {markdown_cell(field.get('unit', ''))} "
            f"| {markdown_cell(field['description'])} | {_cell(_rules(field, foreign))} |"
        )
    return "\n".join(lines) + "\n"
