"""The theme's style sheet without the rules no page of the book can use.

pydata-sphinx-theme ships one 400 KB style sheet (Bootstrap and the theme) that every page
must download and match against its elements before it shows anything; most of its rules
style components the book never has (carousels, toasts, modals, version switchers ...).
:func:`trim` keeps a rule when each class its selector names occurs in the built pages or in
any script of the site (scripts add classes such as ``show`` or ``collapsing`` as they run,
and every word of every script counts, so a class a script may add is kept). At-rules
(``@font-face``, ``@keyframes``, ``@supports``...) stay; ``@media`` blocks are trimmed inside.
"""

from __future__ import annotations

import re

_CLASS = re.compile(r"\.(-?[_a-zA-Z][_a-zA-Z0-9-]*)")
_NOT = re.compile(r":(?:not|where|is|has)\([^()]*\)")
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")


def known_classes(pages: list[str], scripts: list[str]) -> set[str]:
    """Every class of the pages' elements and every word of the scripts."""
    found: set[str] = set()
    for page in pages:
        for attribute in re.findall(r'\bclass="([^"]*)"', page):
            found.update(attribute.split())
    for script in scripts:
        found.update(_WORD.findall(script))
    return found


def _blocks(css: str):
    """Top-level (prelude, body) pairs of a style sheet; comments kept as (comment, None)."""
    position, length = 0, len(css)
    while position < length:
        if css.startswith("/*", position):
            end = css.index("*/", position) + 2
            yield css[position:end], None
            position = end
            continue
        brace = position
        quote = None
        while brace < length and (quote or css[brace] not in "{;"):
            if quote and css[brace] == quote:
                quote = None
            elif not quote and css[brace] in "\"'":
                quote = css[brace]
            brace += 1
        if brace >= length:
            yield css[position:], None
            return
        if css[brace] == ";":  # a statement at-rule (@charset, @import)
            yield css[position:brace + 1], None
            position = brace + 1
            continue
        depth, end, quote = 0, brace, None
        while end < length:
            char = css[end]
            if quote:
                if char == "\\":
                    end += 1
                elif char == quote:
                    quote = None
            elif char in "\"'":
                quote = char
            elif char == "{":
                depth += 1
            elif char == "}":
                depth -= 1
                if depth == 0:
                    break
            end += 1
        yield css[position:brace], css[brace + 1:end]
        position = end + 1


def _selector_used(selector: str, known: set[str]) -> bool:
    return all(name in known for name in _CLASS.findall(_NOT.sub("", selector)))


def trim(css: str, known: set[str]) -> str:
    """``css`` without the selectors (and rules) that name a class outside ``known``."""
    out = []
    for prelude, body in _blocks(css):
        if body is None:
            out.append(prelude)
            continue
        head = prelude.strip()
        if head.startswith("@media") or head.startswith("@supports"):
            inner = trim(body, known)
            if inner.strip():
                out.append(f"{prelude}{{{inner}}}")
        elif head.startswith("@"):
            out.append(f"{prelude}{{{body}}}")
        else:
            selectors = [s for s in _split_selectors(prelude) if _selector_used(s, known)]
            if selectors:
                out.append(f"{','.join(selectors)}{{{body}}}")
    return "".join(out)


def _split_selectors(prelude: str) -> list[str]:
    """A selector list split at its top-level commas (not those inside ``:not(a, b)``)."""
    parts, depth, start = [], 0, 0
    for index, char in enumerate(prelude):
        if char in "([":
            depth += 1
        elif char in ")]":
            depth -= 1
        elif char == "," and depth == 0:
            parts.append(prelude[start:index])
            start = index + 1
    parts.append(prelude[start:])
    return [part for part in parts if part.strip()]
