"""Fast on a phone: the theme's 1.5 MB icon script replaced by the icons the pages use, the
glyph rules of the other icons out of the theme's style sheet, and the search index loaded on
the search page only. (Lighthouse's scores are measured by ``scripts/audit``, not here.)"""

from __future__ import annotations

import re

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
    css = (site / "_static/styles/pydata-sphinx-theme.css").read_text(encoding="utf-8")
    assert len(css) < len(theme_style_sheet().read_text(encoding="utf-8")) - 50_000
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
