"""Data is text, never markup: the escaping helpers of :mod:`summit_book.escape`, context by
context, and a catalogue of hostile values put into every free-text column of the data.

Markdown is checked by parsing the helpers' output with the same MyST parser the book uses
(markdown-it-py with MyST's plugins): the only tokens allowed are paragraphs, table parts and
plain text, and the text must be the value itself. BibTeX is checked with an independent
parser (pybtex) and LaTeX decoder (pylatexenc); HTML with the standard library's parser; CSV
with the csv module.
"""

from __future__ import annotations

import csv
import html.parser
import io
import json
import re
import urllib.parse

import pandas as pd
import pytest

from conftest import PROJECT_ROOT
from summit_book.escape import (Markup, bibtex_key, bibtex_text, bibtex_url, csv_cell, csv_frame,
                                html_attribute, html_text, markdown_code, markdown_fence,
                                markdown_text, plain_line, safe_url)

#: Hostile or awkward values: script and event handlers, links, MyST roles and directives, raw
#: HTML, path traversal, BibTeX breakers, spreadsheet formulas, table pipes, math, glue.
PAYLOADS = [
    "<script>alert('xss-1')</script>",
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">click</a>',
    "[click](javascript:alert(1))",
    "<javascript:alert(1)>",
    "{download}`secret <../../etc/passwd>`",
    "{raw}`html <b onmouseover=alert(1)>x</b>`",
    "```{raw} html\n<script>alert(2)</script>\n```",
    ":::{admonition} injected\n<script>alert(3)</script>\n:::",
    "```{eval-rst}\n.. raw:: html\n\n   <script>alert(4)</script>\n```",
    "{eval-rst}`.. raw:: html`",
    "../../etc/passwd",
    "Report } with a closing brace",
    "Report { with an opening brace",
    "@comment{ x",
    "back\\slash \\textbf{bold} \\",
    "100% & $5 # item_1 ~ ^",
    '=HYPERLINK("http://x.example","click")',
    "+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "a | b || c",
    "$$x^2$$ and $y$",
    "{glue:}`meetings_held` {glue:text}`data_version`",
    "{{ substitution }}",
    "# heading",
    "- bullet",
    "1. ordered",
    "> quote",
    "(target)=",
    "% comment",
    "+++",
    "***",
    "&lt;b&gt; &amp; &#60;",
    "`code` and ``more``",
    "*em* _em_ **strong** ~~struck~~",
    "line one\nline two\r\nline three",
    "<!-- comment -->",
    "![image](x.png)",
    "Tashkent <Uzbekistan> {2025} @ noon",
]

#: Myst extensions of the book (from _config.yml) and those Jupyter Book enables by default,
#: so a value is checked against every syntax a reader's page could know.
_EXTENSIONS = {"colon_fence", "deflist", "substitution", "dollarmath", "amsmath", "tasklist",
               "strikethrough", "fieldlist", "attrs_inline", "html_image", "html_admonition"}
_TEXT_TOKENS = {"paragraph_open", "paragraph_close", "inline", "text", "softbreak", "table_open",
                "table_close", "thead_open", "thead_close", "tbody_open", "tbody_close",
                "tr_open", "tr_close", "th_open", "th_close", "td_open", "td_close"}


@pytest.fixture(scope="module")
def myst():
    from markdown_it.renderer import RendererHTML
    from myst_parser.config.main import MdParserConfig
    from myst_parser.parsers.mdit import create_md_parser

    return create_md_parser(MdParserConfig(enable_extensions=_EXTENSIONS), RendererHTML)


def _tokens(tokens):
    for token in tokens:
        yield token
        if token.children:
            yield from _tokens(token.children)


def markup_tokens(md, source: str) -> set[str]:
    """Token types other than plain text and table structure in ``source``."""
    return {t.type for t in _tokens(md.parse(source))} - _TEXT_TOKENS


def cell_texts(md, source: str) -> list[str]:
    """The plain text of each paragraph or table cell of ``source``, in order."""
    texts, current = [], None
    for token in _tokens(md.parse(source)):
        if token.type in ("td_open", "th_open", "paragraph_open"):
            current = []
        elif token.type in ("td_close", "th_close", "paragraph_close"):
            texts.append("".join(current))
            current = None
        elif token.type == "text" and current is not None:
            current.append(token.content)
        elif token.type == "softbreak" and current is not None:
            current.append("\n")
    return texts


def one_line(value: str) -> str:
    return re.sub(r"\r\n|\r|\n", " ", value)


def spaced(value: str) -> str:
    """BibTeX and LaTeX read any run of white space as one space."""
    return " ".join(value.split())


# --- (a) each context ------------------------------------------------------------------------

@pytest.mark.parametrize("payload", PAYLOADS)
def test_markdown_text_is_plain_text_showing_the_value(myst, payload):
    source = markdown_text(payload)
    assert markup_tokens(myst, source) == set(), source
    assert cell_texts(myst, source) == [one_line(payload)]
    # the same at the start of a line after other text, and inside a sentence
    sentence = f"Before {source} after."
    assert markup_tokens(myst, sentence) == set()
    assert cell_texts(myst, sentence) == [f"Before {one_line(payload)} after."]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_markdown_table_cells_are_text_and_keep_their_column(myst, payload):
    from summit_book.publish import markdown_table

    frame = pd.DataFrame({"name": ["left", payload], "value": [payload, "right"],
                          "source_ids": [["akorda-2018-03-15-working-meeting"]] * 2})
    table = markdown_table(frame)
    types = markup_tokens(myst, table)
    assert types == {"myst_role"}, types  # only the package's own {source} citations
    roles = [t for t in _tokens(myst.parse(table)) if t.type == "myst_role"]
    assert [r.meta["name"] for r in roles] == ["source", "source"]
    cells = cell_texts(myst, table)
    assert cells == ["name", "value", "sources", "left", one_line(payload), "",
                     one_line(payload), "right", ""]


def test_markdown_table_caption_is_text_and_name_is_checked(myst):
    from summit_book.publish import markdown_table

    frame = pd.DataFrame({"a": [1]})
    table = markdown_table(frame, caption="A {download}`x <y>` <b>caption</b>", name="tbl-x")
    first = table.splitlines()[0]
    assert first.startswith("````{table} ")
    assert markup_tokens(myst, first.removeprefix("````{table} ")) == set()
    with pytest.raises(ValueError):
        markdown_table(frame, caption="c", name="tbl-x\n:class: evil")


def test_markup_of_the_package_passes_and_source_ids_cannot_smuggle_markup():
    from summit_book.cite import cite_sources

    citation = cite_sources(["b-1", "a-2"])
    assert isinstance(citation, Markup)
    assert markdown_text(citation) == "{source}`a-2,b-1`"
    for bad in ["x`<script>", "a b", "x,y", "{raw}"]:
        with pytest.raises(ValueError):
            cite_sources([bad])
    # a plain str that looks like a citation is text, not markup
    assert markdown_text("{source}`a`") == "\\{source\\}\\`a\\`"


def test_missing_values_are_empty_text():
    assert [markdown_text(v) for v in (None, float("nan"), pd.NA, pd.NaT)] == [""] * 4
    assert markdown_text(["a", "<b>"]) == "a, \\<b\\>"


def test_line_start_syntax_is_escaped_only_where_it_acts():
    assert markdown_text("Cholpon-Ata 2025-11-16: a+b") == "Cholpon-Ata 2025-11-16: a+b"
    assert markdown_text("- x").startswith("\\-")
    assert markdown_text("2024. year") == "2024\\. year"
    assert markdown_text("plain words, (brackets) and 'quotes'.") == \
        "plain words, (brackets) and 'quotes'."


@pytest.mark.parametrize("value", ["plain", "a`b", "``x``", "`", "x |y", " "])
def test_markdown_code_cannot_be_closed_by_the_value(myst, value):
    source = markdown_code(value)
    spans = [t for t in _tokens(myst.parse(source)) if t.type == "code_inline"]
    assert len(spans) == 1
    assert spans[0].content.strip() == value.strip() or value.strip() == ""


def test_markdown_fence_cannot_be_closed_by_the_text(myst):
    text = "@misc{x,\n  title = {```\n<script>alert(1)</script>\n````}\n}"
    source = markdown_fence(text, "bibtex")
    tokens = myst.parse(source)
    assert [t.type for t in tokens] == ["fence"]
    assert tokens[0].content == text + "\n" and tokens[0].info == "bibtex"
    with pytest.raises(ValueError):
        markdown_fence("x", "bibtex}\n<script>")


class _Elements(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags, self.text, self.attrs = [], [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs.append(dict(attrs))

    def handle_data(self, data):
        self.text.append(data)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_html_text_and_attribute_make_no_element(payload):
    parser = _Elements()
    parser.feed(f"<p>{html_text(payload)}</p>")
    parser.close()
    assert parser.tags == ["p"] and "".join(parser.text) == payload
    parser = _Elements()
    parser.feed(f'<meta content="{html_attribute(payload)}"><meta content=\'{html_attribute(payload)}\'>')
    parser.close()
    assert parser.tags == ["meta", "meta"]
    assert [a["content"] for a in parser.attrs] == [one_line(payload)] * 2


@pytest.mark.parametrize("url,safe", [
    ("https://akorda.kz/en/x?a=1&b=2#frag", True),
    ("http://example.org/a}b", True),
    ("javascript:alert(1)", False),
    ("JavaScript:alert(1)", False),
    (" javascript:alert(1)", False),
    ("java\nscript:alert(1)", False),
    ("data:text/html,<script>alert(1)</script>", False),
    ("vbscript:msgbox(1)", False),
    ("//evil.example/x", False),
    ("../../etc/passwd", False),
    ("https:///nohost", False),
    ("", False),
])
def test_safe_url_links_only_http_addresses(url, safe):
    assert (safe_url(url) == url) if safe else (safe_url(url) is None)


# --- BibTeX: an independent parser and LaTeX decoder -----------------------------------------

def latex_to_text(latex: str) -> str:
    """LaTeX to text with pylatexenc, taught the three standard text-mode symbol macros it does
    not know (or maps to a modifier letter): \\textbraceleft, \\textbraceright, \\textasciicircum."""
    from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec, get_default_latex_context_db

    context = get_default_latex_context_db().filter_context()
    context.add_context_category("text-symbols", prepend=True, macros=[
        MacroTextSpec("textbraceleft", "{"), MacroTextSpec("textbraceright", "}"),
        MacroTextSpec("textasciicircum", "^")])
    return LatexNodes2Text(latex_context=context, math_mode="verbatim",
                           strict_latex_spaces=True).latex_to_text(latex)


def parse_bibtex(text: str):
    from pybtex.database import parse_string

    return parse_string(text, "bibtex")


@pytest.mark.parametrize("payload", PAYLOADS + ["a--b ``q'' !` ?`", "}{", "{{{", "\\}"])
def test_bibtex_text_parses_and_decodes_to_the_value(payload):
    entry = ("@misc{key-1,\n"
             f"  title = {{{bibtex_text(payload)}}},\n"
             f"  note = {{{{{bibtex_text(payload)}}}}},\n"
             "}\n@misc{key-2, title = {after}}\n")
    database = parse_bibtex(entry)
    assert list(database.entries) == ["key-1", "key-2"]  # nothing swallowed, nothing injected
    fields = database.entries["key-1"].fields
    assert spaced(latex_to_text(fields["title"])) == spaced(payload)
    assert spaced(latex_to_text(fields["note"])) == spaced(payload)


@pytest.mark.parametrize("url", ["https://x.example/a}b{c", "https://x.example/a b\\c\"d",
                                 "https://x.example/%7D?q=1&r=%25#f", "https://x.example/@comment{"])
def test_bibtex_url_parses_and_keeps_the_address(url):
    database = parse_bibtex(f"@misc{{k,\n  url = {{{bibtex_url(url)}}},\n}}\n@misc{{z, title={{t}}}}\n")
    assert list(database.entries) == ["k", "z"]
    parsed = database.entries["k"].fields["url"]
    assert not set(parsed) & set("{}\\ \"")
    assert urllib.parse.unquote(parsed) == urllib.parse.unquote(url)


def test_bibtex_key_accepts_ids_and_rejects_anything_else():
    assert bibtex_key("akorda-2018-03-15-x") == "akorda-2018-03-15-x"
    for bad in ["a,b", "a}b", "a b", "", "@x"]:
        with pytest.raises(ValueError):
            bibtex_key(bad)


# --- CSV downloads ---------------------------------------------------------------------------

@pytest.mark.parametrize("value,expected", [
    ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
    ("+cmd", "'+cmd"), ("@SUM(1)", "'@SUM(1)"), ("-2+3", "'-2+3"), ("\tx", "'\tx"),
    ("\rx", "'\rx"), ("-", "'-"),
    ("-3.5", "-3.5"), ("+4", "+4"), ("-1,234.5", "-1,234.5"), ("-1e3", "-1e3"),
    ("plain = text", "plain = text"), ("", ""),
])
def test_csv_cell_neutralises_formulas_and_keeps_numbers(value, expected):
    assert csv_cell(value) == expected


def test_csv_frame_neutralises_text_columns_only():
    frame = pd.DataFrame({"value": [-3.5, 2.0], "count": pd.array([-1, 4], dtype="Int64"),
                          "label": ["=1+2", "-4"], "=name": ["ok", "@x"]})
    out = io.StringIO()
    csv_frame(frame).to_csv(out, index=False, lineterminator="\n")
    rows = list(csv.reader(io.StringIO(out.getvalue())))
    assert rows == [["value", "count", "label", "'=name"], ["-3.5", "-1", "'=1+2", "ok"],
                    ["2.0", "4", "-4", "'@x"]]
    assert frame.loc[0, "label"] == "=1+2", "the caller's frame is not changed"


def test_figure_data_csv_and_note_are_neutralised(tmp_path, monkeypatch):
    import summit_book.publish as publish

    monkeypatch.setattr(publish, "FIGURE_DATA_DIR", tmp_path)
    frame = pd.DataFrame({"office": ['=HYPERLINK("http://x")', "President"],
                          "change": [-2.5, 1.0], "items": [["+a", "b"], ["c"]]})
    path = publish.write_figure_data("fig-x", frame, "Title\nForged line", "src\rForged")
    rows = list(csv.reader(path.open(encoding="utf-8", newline="")))
    assert rows == [["office", "change", "items"], ['\'=HYPERLINK("http://x")', "-2.5", "'+a;b"],
                    ["President", "1.0", "c"]]
    note = (tmp_path / "fig-x.txt").read_text(encoding="utf-8").splitlines()
    assert not any(line.startswith("Forged") for line in note)
    assert "Title Forged line" in note[0]


def test_plain_line_has_one_line_and_no_control_characters():
    assert plain_line("a\nb\r\nc\td\x00e\x1bf\u2028g") == "a b c d e f g"


# --- (b) the catalogue, in every free-text column of the data --------------------------------

def free_text_columns() -> list[tuple[str, str]]:
    """(table, column) of every free-text column: a string with no enumeration or pattern that
    is not a key (these are the columns whose words reach pages, tables and citations)."""
    package = json.loads((PROJECT_ROOT / "data/datapackage.json").read_text(encoding="utf-8"))
    found = []
    for entry in package["resources"]:
        schema = entry["schema"]
        key = schema.get("primaryKey")
        keys = set([key] if isinstance(key, str) else key or [])
        keys |= {fk["fields"] for fk in schema.get("foreignKeys", []) + schema.get("listForeignKeys", [])}
        for field in schema["fields"]:
            constraints = field.get("constraints", {})
            if (field["type"] == "string" and "enum" not in constraints
                    and "pattern" not in constraints and field["name"] not in keys):
                found.append((entry["name"], field["name"]))
    return found


COLUMNS = free_text_columns()
PROBLEM = re.compile(r"data/(?P<file>[a-z_]+\.csv), row (?P<row>\d+) .*column '(?P<column>[a-z_]+)'")


def test_the_catalogue_covers_the_columns_the_audit_named():
    for column in [("proposals", "summary"), ("proposals", "notes"), ("documents", "title"),
                   ("sources", "publisher"), ("sources", "title"), ("variants", "notes"),
                   ("quote_renderings", "notes"), ("attendance", "office")]:
        assert column in COLUMNS


@pytest.mark.parametrize("table,column", COLUMNS, ids=[f"{t}.{c}" for t, c in COLUMNS])
def test_every_payload_in_every_text_column_is_rejected_by_name_or_shown_literally(
        myst, data_copy, table, column):
    """Each payload goes into a row of the column; the loader either rejects it naming file,
    row and column, or loads it unchanged, and the table helper shows it as text."""
    from summit_book.publish import markdown_table
    from summit_book.tables import DataValidationError, load_table

    rows = data_copy.rows(table)
    payloads = PAYLOADS[: len(rows)] if len(rows) < len(PAYLOADS) else PAYLOADS
    if len(rows) < len(PAYLOADS):  # small tables: the rest of the catalogue in a second pass
        passes = [PAYLOADS[i:i + len(rows)] for i in range(0, len(PAYLOADS), len(rows))]
    else:
        passes = [payloads]
    for batch in passes:
        edited = data_copy.rows(table)
        for index, payload in enumerate(batch):
            edited[index][column] = payload
        data_copy.write(table, edited)
        try:
            frame = load_table(table)
        except DataValidationError as error:
            for problem in error.problems:
                located = PROBLEM.search(str(problem))
                assert located, f"problem without file, row and column: {problem}"
            rejected = {(p.row, p.column) for p in error.problems if p.column == column}
            assert rejected, f"{table}.{column}: rejected, but no problem names the column: {error}"
            continue
        shown = frame[column].head(len(batch)).tolist()
        assert shown == batch, f"{table}.{column}: the loader changed a value"
        rendered = markdown_table(frame.head(len(batch))[[column]], sources_column=None)
        assert markup_tokens(myst, rendered) == set(), rendered
        assert cell_texts(myst, rendered) == [column] + [one_line(v) for v in shown]
    data_copy.write(table, rows)


def test_bibliography_of_hostile_sources_parses_and_round_trips(data_copy, monkeypatch):
    """Every payload as a publisher and a title of sources.csv, and a URL with braces: the
    generated references.bib parses with pybtex, has one entry per source, and each field
    decodes to the value in the data."""
    import summit_book.bibliography as bibliography
    from summit_book.tables import DataValidationError, _parsed

    rows = data_copy.rows("sources")
    pristine = {row["source_id"]: dict(row) for row in rows}
    urls = ["https://x.example/a}b", "https://x.example/{c}?d=%7D", "https://x.example/@comment{"]
    for index, payload in enumerate(PAYLOADS):
        rows[index]["publisher"] = payload
        rows[index]["title"] = PAYLOADS[-1 - index]
    for index, url in enumerate(urls, start=len(PAYLOADS)):
        rows[index]["url"] = url
    data_copy.write("sources", rows)
    text, rejected = None, 0
    for _ in range(len(PAYLOADS)):  # a value the validator rejects must be named, then put back
        try:
            text = bibliography.render_bibliography()
            break
        except DataValidationError as error:
            for problem in error.problems:
                assert PROBLEM.search(str(problem)) and problem.column, problem
                row = rows[problem.row - 1]
                row[problem.column] = pristine[row["source_id"]][problem.column]
                rejected += 1
            data_copy.write("sources", rows)
    assert text is not None
    assert rejected < len(PAYLOADS), "the validator rejected nearly the whole catalogue"
    database = parse_bibtex(text)
    assert sorted(database.entries) == sorted(row["source_id"] for row in rows)
    loaded, _ = _parsed("sources")  # the values as the loader reads them, in file order
    assert [r["publisher"] for r in loaded] == [r["publisher"] for r in rows]
    assert [r["title"] for r in loaded] == [r["title"] for r in rows]
    for row in loaded:
        entry = database.entries[row["source_id"]]
        assert spaced(latex_to_text(entry.fields["title"])) == spaced(row["title"])
        assert spaced(latex_to_text(bibliography.publisher_of(entry))) == spaced(row["publisher"])
        # the publisher, a body, is one name: never split into given and family names
        author = entry.persons["author"]
        assert len(author) == 1 and not author[0].first_names
        assert spaced(latex_to_text(str(author[0]))) == spaced(row["publisher"])
        assert "year" not in entry.fields
        assert urllib.parse.unquote(entry.fields["url"]) == urllib.parse.unquote(row["url"])
