"""One small style sheet for the whole site, and the icon fonts cut to the icons they draw.

A page of the theme asks, before it can show anything, for nine style sheets (about 260 KB:
Bootstrap and the theme, Sphinx's basic styles, code colours, notebook output, the book's own
styles, and those of extensions the book hardly uses) and, as soon as an icon appears, for Font
Awesome's 150 KB font. On a phone's connection each request and each kilobyte delays the first
paint. :func:`write_bundle` writes ``_static/book.bundle.css`` once per build: the same style
sheets in the same order (so the cascade is unchanged), ``@import`` resolved, addresses inside
them rewritten for the new place, the rules no page can use left out (:mod:`css_trim`, with the
classes of every page and of the scripts the pages load) and comments and blank space removed
(licence comments, ``/*! ... */``, stay). The theme's template (``templates/layout.html``)
links that file and nothing else. The icon fonts are cut to the characters the style sheet can
draw (:func:`subset_font`), a few kilobytes, written next to the bundle.

:func:`check_page_style_sheets` stops the build when a page asks for a style sheet that the
bundle does not carry (an extension adding one to a single page), naming the page and the file:
such a page would otherwise lose its styles without a sign.
"""

from __future__ import annotations

import hashlib
import io
import posixpath
import re
from pathlib import Path

from . import css_trim

BUNDLE = "book.bundle.css"
#: The theme's own style sheets, linked by its template before Sphinx's list.
THEME_STYLE_SHEETS = ("styles/theme.css", "styles/pydata-sphinx-theme.css")

_IMPORT = re.compile(r'@import\s+(?:url\()?["\']?([^"\')\s;]+)["\']?\)?\s*;')
_URL = re.compile(r'url\((["\']?)([^"\')]+)\1\)')
_COMMENT = re.compile(r"/\*(?!!).*?\*/", re.S)
_SCRIPT_SRC = re.compile(r'<script\b[^>]*\bsrc="([^"]+)"')
_FONT_FACE = re.compile(r"@font-face\s*\{[^}]*\}")
_FONT_SRC = re.compile(r'url\(([^)]+?\.woff2)\)\s*format\("woff2"\)\s*,\s*'
                       r'url\(([^)]+?\.ttf)\)\s*format\("truetype"\)')
_ESCAPED_CHAR = re.compile(r"\\([0-9a-fA-F]{4,6})")


def static_name(filename: str) -> str:
    """``_static/styles/x.css?v=1`` -> ``styles/x.css`` (the path inside ``_static``)."""
    name = str(filename).split("?")[0]
    return name[len("_static/"):] if name.startswith("_static/") else name


def sphinx_style_sheets(builder) -> list[str]:
    """The style sheets Sphinx links on every page, in the order it links them."""
    assets = sorted(getattr(builder, "_orig_css_files", None) or builder._css_files,
                    key=lambda css: css.priority)
    return [static_name(css.filename) for css in assets
            if not str(css.filename).startswith(("http:", "https:", "//"))]


def site_style_sheets(builder) -> list[str]:
    """Every style sheet of a page, in cascade order: the theme's, then Sphinx's list."""
    return list(THEME_STYLE_SHEETS) + [name for name in sphinx_style_sheets(builder)
                                       if name not in THEME_STYLE_SHEETS]


def check_page_style_sheets(pagename: str, page_css: list, expected: list[str]) -> None:
    """Raise if the page links a style sheet that is not in the site's list (``expected``)."""
    extra = [static_name(css.filename) for css in page_css
             if static_name(css.filename) not in expected
             and not str(css.filename).startswith(("http:", "https:", "//"))]
    if extra:
        raise ValueError(f"page {pagename!r} links style sheet(s) {extra} that the site's "
                         f"single style sheet ({BUNDLE}) does not carry; add them to every "
                         "page or to summit_book.page_assets")


def _read_with_imports(static: Path, name: str, seen: set[str]) -> str:
    """The style sheet ``name`` (inside ``static``) with its ``@import``s inlined and every
    relative ``url()`` rewritten relative to ``static``."""
    if name in seen:
        raise ValueError(f"style sheet {name} imports itself")
    seen = seen | {name}
    path = static / name
    if not path.exists():
        raise FileNotFoundError(f"style sheet {name} is linked by the pages but not in _static")
    text = path.read_text(encoding="utf-8")
    folder = posixpath.dirname(name)

    def inline(match: re.Match) -> str:
        return _read_with_imports(static, posixpath.normpath(posixpath.join(folder, match[1])),
                                  seen)

    def rebase(match: re.Match) -> str:
        quote, target = match[1], match[2].strip()
        if target.startswith(("data:", "http:", "https:", "/", "#")):
            return match[0]
        return f"url({quote}{posixpath.normpath(posixpath.join(folder, target))}{quote})"

    imports: list[str] = []

    def hold(match: re.Match) -> str:  # imported sheets are rebased on their own
        imports.append(inline(match))
        return f"\0IMPORT{len(imports) - 1}\0"

    text = _URL.sub(rebase, _IMPORT.sub(hold, text))
    return re.sub(r"\0IMPORT(\d+)\0", lambda m: imports[int(m[1])], text)


def minify(css: str) -> str:
    """Comments (but licence comments) and runs of blank space out."""
    css = _COMMENT.sub("", css)
    return re.sub(r"\s+", " ", css).strip()


#: Scripts the book's script loads after the page (summit_book/static/book.js).
LOADED_LATER = ("scripts/bootstrap.js", "doctools.js", "sphinx_highlight.js")


def loaded_scripts(pages: list[str], static: Path) -> list[str]:
    """The text of every script of ``_static`` that some page loads, or that the book's script
    loads later (:data:`LOADED_LATER`)."""
    names = set(LOADED_LATER)
    for page in pages:
        for src in _SCRIPT_SRC.findall(page):
            src = src.split("?")[0]
            if "_static/" in src:
                names.add(src.split("_static/", 1)[1])
    return [(static / name).read_text(encoding="utf-8", errors="replace")
            for name in sorted(names) if (static / name).exists()]


def icon_characters(css: str) -> set[int]:
    """The private-use characters (icon glyphs) the style sheet can draw."""
    return {int(code, 16) for code in _ESCAPED_CHAR.findall(css)
            if 0xE000 <= int(code, 16) <= 0xF8FF}


def subset_font(font_path: Path, characters: set[int]) -> bytes:
    """The font (TrueType) cut to ``characters``, as WOFF (zlib; no extra library); the same
    input gives the same bytes (no time stamp), so that two builds are identical."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    font = TTFont(str(font_path), recalcTimestamp=False)  # the same bytes at every build
    options = subset.Options()
    options.flavor = "woff"
    options.layout_features = ["*"]
    options.name_IDs = ["*"]  # keep the names (the licence is in them)
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(characters))
    subsetter.subset(font)
    out = io.BytesIO()
    font.flavor = "woff"
    font.save(out)
    return out.getvalue()


def _subset_fonts(css: str, static: Path) -> tuple[str, dict[str, bytes]]:
    """Rewrite each ``@font-face`` that offers WOFF2 and TrueType (the icon fonts) to a WOFF
    cut to the characters the style sheet draws; return the new sheet and the new files."""
    characters = icon_characters(css)
    written: dict[str, bytes] = {}

    def cut(face: re.Match) -> str:
        source = _FONT_SRC.search(face[0])
        if not source:
            return face[0]
        ttf = static / source[2]
        if not ttf.exists():
            raise FileNotFoundError(f"font {source[2]} is named by the style sheet but not in _static")
        data = subset_font(ttf, characters)
        name = f"{Path(source[2]).stem}.{hashlib.sha256(data).hexdigest()[:10]}.woff"
        written[f"fonts/{name}"] = data
        return face[0].replace(source[0], f'url(fonts/{name}) format("woff")')

    return _FONT_FACE.sub(cut, css), written


def build_bundle(static: Path, style_sheets: list[str], pages: list[str]) -> tuple[str, dict[str, bytes]]:
    """The bundle's text and its font files (paths inside ``_static``)."""
    known = css_trim.known_classes(pages, loaded_scripts(pages, static))
    # Each sheet is trimmed on its own: a sheet that leaves a block open (copybutton.css
    # does) must not swallow the next one.
    css = "\n".join(minify(css_trim.trim(_read_with_imports(static, name, set()), known))
                     for name in style_sheets)
    return _subset_fonts(css, static)


def site_pages(outdir: Path) -> list[str]:
    """The text of every page of the built site (not the theme's files under ``_static``)."""
    return [page.read_text(encoding="utf-8") for page in sorted(outdir.rglob("*.html"))
            if not page.relative_to(outdir).as_posix().startswith("_")]


def write_if_changed(target: Path, data: str | bytes) -> None:
    """Write ``data`` unless the file already holds it (its time stamp then stays)."""
    old = target.read_bytes() if target.exists() else None
    new = data.encode("utf-8") if isinstance(data, str) else data
    if old != new:
        target.write_bytes(new)


def write_bundle(outdir: Path, style_sheets: list[str]) -> Path:
    """Write ``_static/book.bundle.css`` and its fonts; remove the style sheets and fonts it
    replaces (no page links them any more); return the bundle's path."""
    static = outdir / "_static"
    css, fonts = build_bundle(static, style_sheets, site_pages(outdir))
    fonts_dir = static / "fonts"
    fonts_dir.mkdir(exist_ok=True)
    for old in fonts_dir.glob("*.woff"):
        if f"fonts/{old.name}" not in fonts:
            old.unlink()
    for name, data in fonts.items():
        write_if_changed(static / name, data)
    target = static / BUNDLE
    write_if_changed(target, css)
    return target


def bundle_targets(css: str) -> set[str]:
    """The files (inside ``_static``) that the bundle's ``url()``s name."""
    return {match[2].split("?")[0].split("#")[0] for match in _URL.finditer(css)
            if not match[2].startswith(("data:", "http:", "https:", "/", "#"))}


def remove_replaced(static: Path, style_sheets: list[str]) -> None:
    """Remove the style sheets the bundle carries (and those they import) and the fonts it no
    longer names; stop if the bundle names a file that is not there."""
    css = (static / BUNDLE).read_text(encoding="utf-8")
    targets = bundle_targets(css)
    missing = sorted(target for target in targets if not (static / target).exists())
    if missing:
        raise FileNotFoundError(f"{BUNDLE} names files that are not in _static: {missing}")
    replaced = set()
    for name in style_sheets:
        replaced.add(name)
        path = static / name
        if path.exists():
            folder = posixpath.dirname(name)
            replaced.update(posixpath.normpath(posixpath.join(folder, m[1]))
                            for m in _IMPORT.finditer(path.read_text(encoding="utf-8")))
    fonts = static / "vendor" / "fontawesome" / "webfonts"
    replaced.update(path.relative_to(static).as_posix() for path in fonts.glob("*")
                    if path.is_file())
    for name in sorted(replaced - targets):
        if (static / name).exists():
            (static / name).unlink()
