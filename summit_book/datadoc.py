"""The data appendix, generated from ``data/datapackage.json``: each table with its
description, row count, download link and a line per column (type, unit, rules)."""

from __future__ import annotations

from .tables import field_kind, list_spec, load_table, resource

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
        rules.append("one of: " + ", ".join(f"`{value}`" for value in enum))
    if "pattern" in constraints and field_kind(field) != "list":
        rules.append(f"pattern `{constraints['pattern']}`")
    if "minimum" in constraints:
        rules.append(f"at least {constraints['minimum']}")
    if "maximum" in constraints and field["type"] == "date":
        rules.append(f"not after {constraints['maximum']} (the data cut-off)")
    elif "maximum" in constraints:
        rules.append(f"at most {constraints['maximum']}")
    if field["name"] in foreign:
        rules.append(f"refers to {foreign[field['name']]}")
    return "; ".join(rules)


def _cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def table_markdown(name: str, download_prefix: str = "../data/") -> str:
    """MyST Markdown documenting one table (rows counted from the validated data)."""
    entry = resource(name)
    rows = len(load_table(name))
    schema = entry["schema"]
    foreign = {fk["fields"]: f"`{fk['reference']['resource']}.{fk['reference']['fields']}`"
               for fk in schema.get("foreignKeys", []) + schema.get("listForeignKeys", [])}
    key = schema.get("primaryKey")
    key_text = ", ".join(f"`{k}`" for k in ([key] if isinstance(key, str) else key))
    lines = [
        f"### `{name}`: {entry['title']}",
        "",
        entry["description"],
        "",
        f"{rows:,} rows; primary key {key_text}. "
        f"Download: {{download}}`{entry['path']} <{download_prefix}{entry['path']}>`.",
        "",
        "| column | type | unit | description | rules |",
        "|---|---|---|---|---|",
    ]
    for field in schema["fields"]:
        lines.append(
            f"| `{field['name']}` | {TYPE_WORDS[field_kind(field)]} | {_cell(field.get('unit', ''))} "
            f"| {_cell(field['description'])} | {_cell(_rules(field, foreign))} |"
        )
    return "\n".join(lines) + "\n"
