"""The theme's icons without its 1.5 MB icon script.

The page theme (pydata-sphinx-theme) draws its icons (menu, search, light and dark mode, arrows)
by loading Font Awesome's whole JavaScript library, about 1.5 MB with some 2,000 icons, on
every page, and running it on a phone's slow processor. The book uses about a dozen. At build
time :func:`write_subset` reads the theme's own ``fontawesome.js`` (no file fetched from
elsewhere), keeps the icons that the built pages and the theme's scripts name, and writes
``_static/book-icons.js``: a few kilobytes that replace each ``<i class="fa-…">`` by the
same inline SVG Font Awesome would draw. The theme's template then loads that file instead
(``summit_book/templates/layout.html``).
"""

from __future__ import annotations

import json
import re
from pathlib import Path


#: An icon in Font Awesome's packs: ``name:[width,height,[aliases],"unicode","path"]``.
_ICON = re.compile(r'(?:"([a-z0-9-]+)"|([a-z0-9]+)):\[(\d+),(\d+),\[([^\]]*)\],"[0-9a-f]+",'
                   r'"([^"]*)"\]')
#: The call after each pack that names it (``d("fas",p)``).
_PACK = re.compile(r'd\("(fa[bsr])",p\)')
#: Class names that choose a pack, as pages write them.
PREFIXES = {"fa-solid": "fas", "fas": "fas", "fa": "fas", "fa-regular": "far", "far": "far",
            "fa-brands": "fab", "fab": "fab"}
#: Classes that are Font Awesome modifiers, not icon names.
MODIFIERS = {"fa-lg", "fa-xs", "fa-sm", "fa-xl", "fa-fw", "fa-2x", "fa-spin", "fa-pulse"}
_CLASS_ATTR = re.compile(r'<i\b[^>]*\bclass="([^"]*)"')
_JS_CLASSES = re.compile(r'"((?:fa-[a-z-]+ )*fa-[a-z0-9-]+(?: fa-[a-z0-9-]+)*)"')


def theme_icon_script() -> Path:
    """The theme's Font Awesome script (in the installed pydata-sphinx-theme)."""
    import pydata_sphinx_theme

    return (Path(pydata_sphinx_theme.__file__).parent / "theme" / "pydata_sphinx_theme"
            / "static" / "scripts" / "fontawesome.js")


def icon_packs(script: str) -> dict[str, dict[str, list]]:
    """{"fas": {"bars": [448, 512, "M0 96…"], …}, "far": …, "fab": …}, aliases included."""
    packs: dict[str, dict[str, list]] = {}
    current: dict[str, list] = {}
    position = 0
    for pack in _PACK.finditer(script):
        for icon in _ICON.finditer(script, position, pack.start()):
            name = icon.group(1) or icon.group(2)
            entry = [int(icon.group(3)), int(icon.group(4)), icon.group(6)]
            current[name] = entry
            for alias in re.findall(r'"([a-z0-9-]+)"', icon.group(5)):
                current.setdefault(alias, entry)
        packs[pack.group(1)] = current
        current, position = {}, pack.end()
    if set(packs) != {"fas", "far", "fab"}:
        raise ValueError(f"the theme's fontawesome.js has packs {sorted(packs)}, not fab, far, fas")
    return packs


def class_lists(texts: list[str]) -> set[str]:
    """The class attributes of ``<i>`` elements in pages, and the class strings of icons that
    the theme's scripts create."""
    found = set()
    for text in texts:
        found.update(_CLASS_ATTR.findall(text))
        found.update(_JS_CLASSES.findall(text))
    return found


def icons_named(classes: set[str], packs: dict[str, dict[str, list]]) -> dict[str, list]:
    """{"fas bars": [448, 512, path], …} for every icon the class lists name."""
    used = {}
    for attribute in classes:
        names = attribute.split()
        prefix = next((PREFIXES[n] for n in names if n in PREFIXES), "fas")
        for name in names:
            icon = name[3:]
            if name.startswith("fa-") and name not in PREFIXES and name not in MODIFIERS \
                    and icon in packs[prefix]:
                used[f"{prefix} {icon}"] = packs[prefix][icon]
    return dict(sorted(used.items()))


SCRIPT = """/* The icons of the book's pages, from the theme's Font Awesome Free (icons CC BY 4.0,
   https://fontawesome.com/license/free), kept by summit_book.icons at build time. Each
   <i class="fa-..."> becomes the inline SVG Font Awesome would draw. */
(function () {
  "use strict";
  var ICONS = %(icons)s;
  var PREFIXES = %(prefixes)s;
  var SVG = "http://www.w3.org/2000/svg";
  function draw(i) {
    var names = (i.getAttribute("class") || "").split(/\\s+/), prefix = "fas", icon = null;
    names.forEach(function (n) { if (PREFIXES[n]) prefix = PREFIXES[n]; });
    names.forEach(function (n) {
      if (!icon && n.indexOf("fa-") === 0 && ICONS[prefix + " " + n.slice(3)]) icon = n.slice(3);
    });
    if (!icon) return;
    var data = ICONS[prefix + " " + icon];
    var svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("class", "svg-inline--fa " + names.filter(function (n) {
      return !PREFIXES[n];
    }).join(" "));
    svg.setAttribute("viewBox", "0 0 " + data[0] + " " + data[1]);
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    svg.setAttribute("data-prefix", prefix);
    svg.setAttribute("data-icon", icon);
    if (i.getAttribute("title")) svg.setAttribute("title", i.getAttribute("title"));
    var path = document.createElementNS(SVG, "path");
    path.setAttribute("fill", "currentColor");
    path.setAttribute("d", data[2]);
    svg.appendChild(path);
    i.parentNode.replaceChild(svg, i);
  }
  function drawAll(root) {
    if (root.querySelectorAll) root.querySelectorAll("i[class*='fa-']").forEach(draw);
  }
  function start() {
    drawAll(document);
    new MutationObserver(function (changes) {
      changes.forEach(function (change) {
        change.addedNodes.forEach(function (node) {
          if (node.nodeType !== 1) return;
          if (node.tagName === "I") draw(node); else drawAll(node);
        });
      });
    }).observe(document.body, { childList: true, subtree: true });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
"""


def subset_script(icons: dict[str, list]) -> str:
    return SCRIPT % {"icons": json.dumps(icons, separators=(",", ":")),
                     "prefixes": json.dumps(PREFIXES, separators=(",", ":"), sort_keys=True)}


_GLYPH_RULE = re.compile(r'((?:\.fa-[a-z0-9-]+:before,?)+)\{content:"([^"]*)"\}')


def trim_theme_css(css: str, names: set[str]) -> str:
    """The theme's style sheet without the glyph rules (``.fa-x:before{content:"…"}``, some
    1,900 of them, 86 KB that every page must load before it shows anything) of icons no
    page uses; the rules of the icons in ``names`` stay (a reader without scripts still sees
    them)."""
    def keep(rule: re.Match) -> str:
        selectors = [s for s in rule.group(1).split(",") if s and s[1:-len(":before")] in names]
        return f"{','.join(selectors)}{{content:\"{rule.group(2)}\"}}" if selectors else ""

    return _GLYPH_RULE.sub(keep, css)


def theme_style_sheet() -> Path:
    import pydata_sphinx_theme

    return (Path(pydata_sphinx_theme.__file__).parent / "theme" / "pydata_sphinx_theme"
            / "static" / "styles" / "pydata-sphinx-theme.css")


def write_subset(outdir: Path, theme_scripts: list[Path]) -> Path:
    """Write ``_static/book-icons.js`` with the icons that the site's pages and the theme's
    scripts name, and the theme's style sheet without the glyphs of the others (the rules no
    page can use go when the site's single style sheet is made, :mod:`summit_book.page_assets`);
    return the script's path."""
    from .page_assets import site_pages, write_if_changed

    texts = site_pages(outdir)
    texts += [path.read_text(encoding="utf-8") for path in theme_scripts if path.exists()]
    classes = class_lists(texts)
    icons = icons_named(classes, icon_packs(theme_icon_script().read_text(encoding="utf-8")))
    target = outdir / "_static" / "book-icons.js"
    write_if_changed(target, subset_script(icons))
    names = {name for attribute in classes for name in attribute.split()}
    write_if_changed(outdir / "_static" / "styles" / "pydata-sphinx-theme.css",
                     trim_theme_css(theme_style_sheet().read_text(encoding="utf-8"), names))
    return target
