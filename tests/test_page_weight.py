"""Fast on a phone: the theme's 1.5 MB icon script replaced by the icons the pages use, the
glyph rules of the other icons out of the theme's style sheet, and the search index loaded on
the search page only. (Lighthouse's scores are measured by ``scripts/audit``, not here.)"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from summit_book.icons import (class_lists, icon_packs, icons_named, subset_script,
                               theme_icon_script, theme_style_sheet, trim_theme_css)


def test_the_theme_icon_packs_are_read_with_their_aliases():
    packs = icon_packs(theme_icon_script().read_text(encoding="utf-8"))
    assert len(packs["fas"]) > 1000 and len(packs["fab"]) > 400 and len(packs["far"]) > 100
    assert packs["fas"]["home"] == packs["fas"]["house"]  # an alias keeps the old name
    assert packs["fas"]["bars"][:2] == [448, 512]
    assert packs["far"]["sun"][2] != packs["fas"]["sun"][2]  # regular and solid differ


def test_only_the_named_icons_are_kept():
    packs = icon_packs(theme_icon_script().read_text(encoding="utf-8"))
    page = '<i class="fa-solid fa-bars"></i><i class="fa-brands fa-github fa-lg"></i>'
    script = 'const f=document.createElement("i");f.classList="fa-solid fa-xmark";'
    used = icons_named(class_lists([page, script]), packs)
    assert set(used) == {"fas bars", "fab github", "fas xmark"}
    text = subset_script(used)
    assert packs["fas"]["bars"][2] in text and packs["fas"]["house"][2] not in text
    assert len(text) < 20_000


def test_theme_css_keeps_only_the_glyph_rules_of_used_icons():
    css = theme_style_sheet().read_text(encoding="utf-8")
    trimmed = trim_theme_css(css, {"fa-bars", "fa-home"})
    assert len(trimmed) < len(css) - 50_000
    assert '.fa-bars:before{content:"\\f0c9"}' in trimmed
    assert ".fa-house:before" not in trimmed and ".fa-home:before" in trimmed
    assert ".fa-github:before" not in trimmed
    assert "@font-face" in trimmed  # the rest of the style sheet is untouched


@pytest.mark.build
def test_built_pages_load_neither_the_icon_library_nor_the_search_index(built_book):
    site = built_book / "_build/html"
    assert not (site / "_static/scripts/fontawesome.js").exists()
    icons = (site / "_static/book-icons.js").read_text(encoding="utf-8")
    for page in ("index.html", "chapters/01_format.html", "meetings/cm07.html"):
        html = (site / page).read_text(encoding="utf-8")
        assert "fontawesome.js" not in html and "searchindex.js" not in html, page
        assert re.search(r'<script defer="?[^>]*src="[./]*_static/book-icons\.js"', html) \
            or re.search(r'<script defer src="[./]*_static/book-icons\.js"', html), page
        for attribute in class_lists([html]):
            names = [n for n in attribute.split() if n.startswith("fa-")
                     and n not in ("fa-solid", "fa-regular", "fa-brands", "fa-lg")]
            assert all(f'"{name[3:]}' in icons or f' {name[3:]}"' in icons for name in names), \
                (page, attribute)
    assert "searchindex.js" in (site / "search.html").read_text(encoding="utf-8")


def test_css_trim_keeps_rules_whose_classes_are_used_and_at_rules():
    from summit_book.css_trim import known_classes, trim

    css = ('/*! licence */@font-face{font-family:x;src:url(a.woff2)}.used{color:red}'
           '.unused,.used .also{margin:0}@media (max-width:9px){.unused{x:y}.shown p{a:b}}'
           '.used:not(.unused){c:d}a[href="{"]{e:f}@keyframes k{from{g:h}to{g:i}}')
    known = known_classes(['<p class="used also">'], ['el.classList.add("shown")'])
    assert trim(css, known) == (
        '/*! licence */@font-face{font-family:x;src:url(a.woff2)}.used{color:red}'
        '.used .also{margin:0}@media (max-width:9px){.shown p{a:b}}'
        '.used:not(.unused){c:d}a[href="{"]{e:f}@keyframes k{from{g:h}to{g:i}}')


# ---- One style sheet, fonts cut to their icons, idle scripts left out ---------------------

def test_a_style_sheet_is_read_with_its_imports_and_addresses_rebased(tmp_path):
    from summit_book.page_assets import _read_with_imports

    (tmp_path / "styles").mkdir()
    (tmp_path / "fonts").mkdir()
    (tmp_path / "basic.css").write_text('p{background:url("img/a.png")}', encoding="utf-8")
    (tmp_path / "styles" / "theme.css").write_text(
        '@import "../basic.css";@font-face{src:url(../fonts/x.woff2)}'
        'a{background:url(data:image/png;base64,AA==)}', encoding="utf-8")
    text = _read_with_imports(tmp_path, "styles/theme.css", set())
    assert text == ('p{background:url("img/a.png")}@font-face{src:url(fonts/x.woff2)}'
                    'a{background:url(data:image/png;base64,AA==)}')
    (tmp_path / "loop.css").write_text('@import "loop.css";', encoding="utf-8")
    with pytest.raises(ValueError, match="imports itself"):
        _read_with_imports(tmp_path, "loop.css", set())
    with pytest.raises(FileNotFoundError, match="missing.css"):
        _read_with_imports(tmp_path, "missing.css", set())


def test_minify_keeps_licence_comments_only():
    from summit_book.page_assets import minify

    assert minify("/*! MIT */\n/* note */\na  {\n  color : red;\n}\n") == "/*! MIT */ a { color : red; }"


def test_a_page_with_a_style_sheet_of_its_own_stops_the_build():
    from types import SimpleNamespace

    from summit_book.page_assets import check_page_style_sheets

    expected = ["styles/theme.css", "book.css"]
    check_page_style_sheets("ok", [SimpleNamespace(filename="_static/book.css?v=1")], expected)
    with pytest.raises(ValueError, match=r"'chapters/x'.*extra\.css"):
        check_page_style_sheets("chapters/x", [SimpleNamespace(filename="_static/extra.css")],
                                expected)


def test_the_icon_font_is_cut_to_the_icons_the_style_sheet_draws():
    import io

    from fontTools.ttLib import TTFont

    from summit_book.page_assets import icon_characters, subset_font

    font = theme_style_sheet().parent.parent / "vendor/fontawesome/webfonts/fa-solid-900.ttf"
    characters = icon_characters('.fa-bars:before{content:"\\f0c9"}a:after{content:"\\f019"}')
    assert characters == {0xF0C9, 0xF019}
    data = subset_font(font, characters)
    cut = TTFont(io.BytesIO(data))
    assert set(cut.getBestCmap()) == characters
    assert len(data) < font.stat().st_size / 20
    assert subset_font(font, characters) == data  # no time stamp: builds stay identical


def test_removing_the_replaced_files_stops_if_the_bundle_names_a_missing_file(tmp_path):
    from summit_book.page_assets import BUNDLE, remove_replaced

    (tmp_path / "a.css").write_text("p{}", encoding="utf-8")
    (tmp_path / "fonts").mkdir()
    (tmp_path / "fonts" / "kept.woff").write_bytes(b"x")
    (tmp_path / BUNDLE).write_text("@font-face{src:url(fonts/kept.woff)}", encoding="utf-8")
    remove_replaced(tmp_path, ["a.css"])
    assert not (tmp_path / "a.css").exists() and (tmp_path / "fonts" / "kept.woff").exists()
    (tmp_path / BUNDLE).write_text("@font-face{src:url(fonts/gone.woff)}", encoding="utf-8")
    with pytest.raises(FileNotFoundError, match="gone.woff"):
        remove_replaced(tmp_path, [])


def test_the_table_paging_numbers_agree_with_the_script():
    from summit_book.paths import PROJECT_ROOT
    from summit_book.sphinx_ext import LONG_TABLE, PAGE_ROWS

    script = (PROJECT_ROOT / "summit_book/static/book.js").read_text(encoding="utf-8")
    assert re.search(rf"var PAGE_ROWS = {PAGE_ROWS};", script)
    assert re.search(rf"var LONG = {LONG_TABLE};", script)


def test_rows_after_a_long_tables_first_page_are_marked():
    from docutils import nodes

    from summit_book.sphinx_ext import mark_later_rows

    def table(rows: int, classes=()):
        body = nodes.tbody("", *[nodes.row() for _ in range(rows)])
        return nodes.table("", nodes.tgroup("", body), classes=list(classes))

    doctree = nodes.document(None, None)
    short, long, paged = table(12), table(13), table(6, ["table-page-5"])
    doctree += [short, long, paged]
    mark_later_rows(doctree)
    later = lambda t: [i for i, r in enumerate(t.findall(nodes.row))  # noqa: E731
                       if "table-row-later" in r["classes"]]
    assert later(short) == [] and later(long) == [10, 11, 12] and later(paged) == [5]


def test_an_svg_gives_its_size_in_css_pixels():
    from summit_book.sphinx_ext import svg_size

    assert svg_size('<svg width="300pt" height="150pt" viewBox="0 0 300 150">') == (400, 200)
    assert svg_size('<svg viewBox="0 0 120.5 60">') == (120, 60)
    assert svg_size("<svg>") is None


@pytest.mark.build
def test_pages_link_one_style_sheet_and_no_idle_script(built_book):
    site = built_book / "_build/html"
    bundle = site / "_static/book.bundle.css"
    css = bundle.read_text(encoding="utf-8")
    assert len(css) < 150_000
    assert ".table-tools" in css and ".bd-article" in css  # the book's and the theme's rules
    assert "fa-solid-900.woff2" not in css
    fonts = sorted((site / "_static/fonts").glob("*.woff"))
    assert fonts and all(font.stat().st_size < 10_000 for font in fonts)
    assert not list((site / "_static").rglob("*.woff2"))
    for page in ("index.html", "chapters/03_transport.html", "search.html", "meetings/cm07.html"):
        html = (site / page).read_text(encoding="utf-8")
        sheets = re.findall(r'<link[^>]*rel="stylesheet"[^>]*>', html)
        assert len(sheets) == 1 and "book.bundle.css" in sheets[0], (page, sheets)
        for idle in ("togglebutton.js", "copybutton.js", "design-tabs.js", "scripts/bootstrap.js"):
            assert idle not in html, (page, idle)
    chapter = (site / "chapters/03_transport.html").read_text(encoding="utf-8")
    assert re.search(r'<img loading="lazy" width="\d+" height="\d+" ', chapter)
    proposals = (site / "chapters/10_proposals.html").read_text(encoding="utf-8")
    assert "table-row-later" in proposals


def test_cells_that_may_break_inside_words_are_marked_as_the_script_would():
    from docutils import nodes

    from summit_book.sphinx_ext import is_long_cell, prepare_tables

    assert is_long_cell("renewable water (km³/year)", header=True) is False
    assert is_long_cell("interconnectorcapacities (MW)", header=True) is True
    assert is_long_cell("a short cell", header=False) is False
    assert is_long_cell("a cell that runs past twenty-four", header=False) is True
    assert is_long_cell("km/h", header=False) and is_long_cell("a_b", header=False)
    head = nodes.thead("", nodes.row("", nodes.entry("", nodes.paragraph(text="interconnectorcapacities"))))
    body = nodes.tbody("", nodes.row("", nodes.entry("", nodes.paragraph(text="short")),
                                     nodes.entry("", nodes.paragraph(text="x" * 30))))
    table = nodes.table("", nodes.tgroup("", head, body))
    doctree = nodes.document(None, None)
    doctree += table
    prepare_tables(None, doctree, "x")
    marked = [e["classes"] for e in table.findall(nodes.entry)]
    assert marked == [["cell-long"], [], ["cell-long"]]
    assert "cells-marked" in table["classes"]
    script = (Path(__file__).resolve().parents[1] / "summit_book/static/book.js").read_text(encoding="utf-8")
    assert "w.length > 16" in script and "text.length > 24" in script  # the same rule
