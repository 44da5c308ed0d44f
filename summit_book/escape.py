"""Data is text, never markup: the one place where a value from ``data/`` is made safe for the
place it lands.

Every producer of the package (tables and citations in MyST Markdown, the references page in
HTML, ``references.bib``, the figure CSVs and their metadata notes) goes through these helpers;
no chapter escapes on its own. Each helper keeps the value's characters: a title with ``<``,
``{``, ``}`` or ``@`` shows exactly so on the page, in a citation and in a download.

- :func:`markdown_text` -- inline MyST Markdown (prose, table cells): roles, directives,
  raw HTML, links, math, substitutions, emphasis, pipes and line-start block syntax are
  backslash-escaped, line breaks become spaces.
- :func:`markdown_code` / :func:`markdown_fence` -- a value as inline code or a fenced block
  whose fence no backtick run of the value can close.
- :class:`Markup` -- a string the package itself built as MyST markup (a citation role); it
  passes :func:`markdown_text` unchanged. Data never becomes ``Markup``.
- :func:`html_text`, :func:`html_attribute`, :func:`safe_url` -- HTML text and attribute
  values; links only to ``http``/``https`` addresses.
- :func:`bibtex_text`, :func:`bibtex_url`, :func:`bibtex_key` -- BibTeX field values (braces
  always balanced: LaTeX's own characters become their text macros) and keys.
- :func:`csv_cell`, :func:`csv_frame` -- spreadsheet formulas neutralised (OWASP CSV
  injection): a text cell starting with ``=``, ``+``, ``-``, ``@``, tab or carriage return
  gets a leading apostrophe; numbers, and text that is a plain number, stay as they are.
- :func:`plain_line` -- one line of a plain-text note: line breaks and control characters
  become spaces, so a value cannot forge a line of its own.
"""

from __future__ import annotations

import html
import re
import urllib.parse


class Markup(str):
    """MyST Markdown that the package built itself (e.g. ``{source}`a,b```): not escaped again.

    Only package code makes these, from values it has checked (source ids match a pattern);
    anything else given to :func:`markdown_text` is treated as text.
    """

    __slots__ = ()


# --- MyST Markdown ---------------------------------------------------------------------------

#: Characters that start inline syntax anywhere in a line of MyST Markdown (CommonMark, GFM
#: tables and strikethrough, MyST roles, substitutions ``{{ }}``, dollar math, raw HTML and
#: entities). Backslash-escaping any ASCII punctuation is valid CommonMark and renders the bare
#: character, so the page shows the value unchanged.
_INLINE_ACTIVE = frozenset("\\`*_{}[]<>&$|~^!#%@=")
#: Characters that start block syntax at the beginning of a line and nowhere else (lists,
#: quotes, thematic breaks, block breaks, colon fences and definition lists); headings,
#: comments and targets start with characters escaped everywhere.
_LINE_START_ACTIVE = frozenset("-+:>")
_ORDERED_LIST_START = re.compile(r"^(\s*\d+)([.)])")
_LINE_BREAKS = re.compile(r"\r\n|\r|\n|\u2028|\u2029|\x0b|\x0c|\x85")


def _text(value) -> str:
    """A value as text: lists joined with ", "; None, NaN and pandas' NA/NaT empty."""
    if isinstance(value, (list, tuple)):
        return ", ".join(_text(item) for item in value)
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if type(value).__name__ in ("NAType", "NaTType"):
        return ""
    return str(value)


def markdown_text(value) -> str:
    """``value`` as inline MyST Markdown text that renders exactly as the value reads.

    Lists are joined with ", ", None and NaN become "", line breaks become spaces (a table
    cell or a sentence has one line). A :class:`Markup` string is returned as it is.
    """
    if isinstance(value, Markup):
        return str(value)
    text = _LINE_BREAKS.sub(" ", _text(value))
    out = []
    for char in text:
        out.append("\\" + char if char in _INLINE_ACTIVE else char)
    escaped = "".join(out)
    stripped = escaped.lstrip()
    if stripped and stripped[0] in _LINE_START_ACTIVE:
        position = len(escaped) - len(stripped)
        escaped = escaped[:position] + "\\" + escaped[position:]
    return _ORDERED_LIST_START.sub(r"\1\\\2", escaped, count=1)


def markdown_cell(value) -> str:
    """A value for a cell of a MyST pipe table (:func:`markdown_text`: pipes are escaped)."""
    return markdown_text(value)


def markdown_code(value) -> str:
    """``value`` as an inline code span: its backticks cannot close the span."""
    text = _LINE_BREAKS.sub(" ", _text(value))
    runs = [len(run) for run in re.findall(r"`+", text)]
    fence = "`" * (max(runs, default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or not text.strip() else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def markdown_fence(text: str, language: str = "") -> str:
    """``text`` as a fenced code block whose fence is longer than any backtick run in it."""
    if not re.fullmatch(r"[A-Za-z0-9_+-]*", language):
        raise ValueError(f"markdown_fence: not a language name: {language!r}")
    runs = [len(run) for run in re.findall(r"`{3,}", text)]
    fence = "`" * max(3, max(runs, default=0) + 1)
    return f"{fence}{language}\n{text}\n{fence}"


# --- HTML ------------------------------------------------------------------------------------

def html_text(value) -> str:
    """``value`` as HTML text (``&``, ``<``, ``>`` and quotes as entities)."""
    return html.escape(_text(value), quote=True)


def html_attribute(value) -> str:
    """``value`` for a double- or single-quoted HTML attribute (line breaks as spaces)."""
    return html.escape(_LINE_BREAKS.sub(" ", _text(value)), quote=True)


_SAFE_SCHEMES = ("http", "https")


def safe_url(value) -> str | None:
    """``value`` if it is an absolute ``http``/``https`` address with a host and no space or
    control character; otherwise None (a caller then shows the text without a link).
    ``javascript:``, ``data:`` and relative paths never become links."""
    text = _text(value)
    if not text or any(ord(char) <= 32 or ord(char) == 127 for char in text):
        return None
    parts = urllib.parse.urlsplit(text)
    if parts.scheme.lower() not in _SAFE_SCHEMES or not parts.netloc:
        return None
    return text


# --- BibTeX ----------------------------------------------------------------------------------

#: LaTeX's special characters as text: every brace of the output is one the escaping wrote,
#: so a field's braces always balance whatever the data holds.
_BIBTEX_SPECIAL = {
    "\\": r"\textbackslash{}",
    "{": r"\textbraceleft{}",
    "}": r"\textbraceright{}",
    "%": r"\%",
    "&": r"\&",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
#: Pairs LaTeX would join into another glyph (en dash, quotation marks, inverted marks).
_LIGATURES = re.compile(r"(?<=-)(?=-)|(?<=`)(?=`)|(?<=')(?=')|(?<=[!?])(?=`)")


def bibtex_text(value) -> str:
    """``value`` for a braced BibTeX field: balanced braces, LaTeX specials as text macros,
    line breaks as spaces. ``@`` needs nothing inside a braced field."""
    text = _LINE_BREAKS.sub(" ", _text(value))
    text = "".join(_BIBTEX_SPECIAL.get(char, char) for char in text)
    return _LIGATURES.sub("{}", text)


def bibtex_url(value) -> str:
    """An address for BibTeX's verbatim ``url`` field: characters that are not allowed in a
    URL (braces, backslash, spaces, quotes ...) percent-encoded; existing escapes are kept."""
    text = _LINE_BREAKS.sub(" ", _text(value))
    return urllib.parse.quote(text, safe="!#$&'()*+,/:;=?@[]~%-._")


_BIBTEX_KEY = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.:-]*")


def bibtex_key(value) -> str:
    """A citation key as it is: letters, digits and ``_ . : -`` only, else ValueError."""
    text = _text(value)
    if not _BIBTEX_KEY.fullmatch(text):
        raise ValueError(f"not a safe BibTeX key: {text!r}")
    return text


# --- CSV downloads ---------------------------------------------------------------------------

#: What a spreadsheet reads as the start of a formula (OWASP "CSV Injection").
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?(\d[\d,]*(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def csv_cell(value):
    """A cell for a CSV download: a string a spreadsheet would run as a formula gets a leading
    apostrophe (shown as text); numbers and strings that are plain numbers (``-3.5``) are
    returned unchanged, as is everything else."""
    if not isinstance(value, str) or isinstance(value, bool):
        return value
    if value.startswith(_FORMULA_START) and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


def csv_frame(frame):
    """A copy of a DataFrame with :func:`csv_cell` applied to every text (object/string)
    column; numeric, boolean and date columns are left as they are. Column names too."""
    import pandas as pd

    result = frame.copy()
    for column in result.columns:
        series = result[column]
        if pd.api.types.is_numeric_dtype(series) or pd.api.types.is_bool_dtype(series):
            continue
        result[column] = series.map(csv_cell)
    result.columns = [csv_cell(str(column)) if isinstance(column, str) else column
                      for column in result.columns]
    return result


# --- plain-text notes ------------------------------------------------------------------------

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")


def plain_line(value) -> str:
    """``value`` as one line of a plain-text note: line breaks, tabs and control characters
    become spaces."""
    text = _LINE_BREAKS.sub(" ", _text(value)).replace("\t", " ")
    return _CONTROL.sub(" ", text)

