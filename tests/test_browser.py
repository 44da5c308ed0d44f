"""The built site as a reader meets it: served on localhost and opened in Debian's Chromium.

Every page loads with no console error, no failed request and no request to another host;
every image loads; every internal link and anchor resolves; search finds a term of the book;
every chapter carries its citation and the data behind its figures, and the data downloads
match the repository; axe-core finds no serious or critical accessibility violation.
"""

from __future__ import annotations

import csv
import functools
import http.server
import io
import re
import shutil
import threading
import urllib.parse
import urllib.request
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import PROJECT_ROOT, open_page
from summit_book.paths import CHROMIUM_ARGS

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"



@pytest.fixture(scope="module")
def site(built_book):
    """The built site served on 127.0.0.1 (a free port), as (base URL, html folder)."""
    html = built_book / "_build" / "html"
    handler = functools.partial(_QuietHandler, directory=str(html))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/", html
    server.shutdown()
    server.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is not installed: scripts/test installs it")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def pages(html: Path) -> list[str]:
    return sorted(p.relative_to(html).as_posix() for p in html.rglob("*.html")
                  if not p.relative_to(html).as_posix().startswith(("_static/", "_sources/")))


def chapter_pages(html: Path) -> list[str]:
    """Pages made from notebooks of the chapters part."""
    return sorted(f"chapters/{p.stem}.html" for p in (PROJECT_ROOT / "chapters").glob("*.ipynb"))


def test_every_page_loads_cleanly_and_requests_nothing_from_other_hosts(site, browser):
    base, html = site
    host = urllib.parse.urlparse(base).netloc
    problems = []
    for name in pages(html):
        page = browser.new_page()
        errors, failed, external = [], [], []
        page.on("console", lambda m, errors=errors: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e, errors=errors: errors.append(str(e)))
        page.on("requestfailed", lambda r, failed=failed: failed.append(r.url))
        page.on("response", lambda r, failed=failed: failed.append(f"{r.status} {r.url}")
                if r.status >= 400 else None)
        page.on("request", lambda r, external=external: external.append(r.url)
                if urllib.parse.urlparse(r.url).netloc not in (host, "") else None)
        response = open_page(page, base + name)
        page.wait_for_timeout(300)  # let late requests (icons, fonts) finish before judging
        broken_images = page.evaluate(
            "Array.from(document.images).filter(i => !(i.complete && i.naturalWidth > 0))"
            ".map(i => i.getAttribute('src'))")
        for kind, items in [("console errors", errors), ("failed requests", failed),
                            ("requests to other hosts", external), ("broken images", broken_images)]:
            if items:
                problems.append(f"{name}: {kind}: {items[:3]}")
        if response is None or response.status != 200:
            problems.append(f"{name}: HTTP {response.status if response else 'no response'}")
        page.close()
    assert not problems, "\n".join(problems)


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links, self.ids = [], set()

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if "id" in attributes:
            self.ids.add(attributes["id"])
        if tag == "a" and attributes.get("href"):
            self.links.append(attributes["href"])


def test_every_internal_link_and_anchor_resolves(site):
    _, html = site
    parsed = {}
    for name in pages(html):
        parser = _Links()
        parser.feed((html / name).read_text(encoding="utf-8"))
        parsed[name] = parser
    broken = []
    for name, parser in parsed.items():
        for href in parser.links:
            if re.match(r"^[a-z]+:", href) or href.startswith("//"):
                continue  # links to other sites (the sources) are not followed
            path, _, anchor = href.partition("#")
            target = (Path(name).parent / urllib.parse.unquote(path)).as_posix() if path else name
            target = str(Path(target)).replace("\\", "/")
            resolved = (html / target).resolve()
            if not resolved.exists():
                broken.append(f"{name}: {href} (no file)")
                continue
            if anchor and target.endswith(".html"):
                ids = parsed.get(resolved.relative_to(html.resolve()).as_posix())
                if ids is not None and anchor not in ids.ids:
                    broken.append(f"{name}: {href} (no anchor)")
    assert not broken, "\n".join(broken[:20])


def test_search_finds_a_term_of_the_book(site, browser):
    base, _ = site
    page = browser.new_page()
    open_page(page, base + "search.html?q=Aral")
    page.wait_for_selector("ul.search li", timeout=15000)
    results = page.locator("ul.search li").count()
    page.close()
    assert results >= 1


def test_every_chapter_has_its_citation_and_figure_data(site, browser):
    base, html = site
    for name in chapter_pages(html):
        page = browser.new_page()
        open_page(page, base + name)
        citation = page.locator("section#how-to-cite-this-chapter")
        assert citation.count() == 1, f"{name}: no 'How to cite this chapter'"
        text = citation.inner_text()
        assert "@incollection{" in text and "data version" in text, name
        assert "data cut-off" in text, f"{name}: the citation must state the data cut-off"
        figures = page.locator("figure[id^='fig-']").count()
        csv_links = page.locator("figure[id^='fig-'] a.figure-data-csv")
        assert figures >= 1 and csv_links.count() == figures, f"{name}: a figure lacks its data"
        for index in range(csv_links.count()):
            url = urllib.parse.urljoin(base + name, csv_links.nth(index).get_attribute("href"))
            with urllib.request.urlopen(url) as response:
                rows = list(csv.reader(io.StringIO(response.read().decode("utf-8"))))
            assert len(rows) >= 2, url
        page.close()


def test_data_downloads_match_the_repository(site, browser):
    base, _ = site
    page = browser.new_page()
    open_page(page, base + "appendices/data.html")
    links = page.locator("a.download").evaluate_all("els => els.map(e => e.href)")
    page.close()
    downloaded = {}
    for url in links:
        if url.endswith(".csv"):
            with urllib.request.urlopen(url) as response:
                downloaded[url.rsplit("/", 1)[-1]] = response.read()
    expected = {p.name: p.read_bytes() for p in (PROJECT_ROOT / "data").glob("*.csv")}
    assert set(downloaded) == set(expected)
    assert all(downloaded[name] == expected[name] for name in expected)


def test_no_serious_accessibility_violation(site, browser):
    from axe_playwright_python.sync_playwright import Axe

    base, html = site
    axe = Axe()
    problems = []
    for name in pages(html):
        page = browser.new_page()
        open_page(page, base + name)
        result = axe.run(page)
        for violation in result.response["violations"]:
            if violation["impact"] in ("serious", "critical"):
                targets = [node["target"] for node in violation["nodes"][:3]]
                problems.append(f"{name}: {violation['id']} ({violation['impact']}): {targets}")
        page.close()
    assert not problems, "\n".join(problems)


def test_a_chapter_prints_to_pdf(built_book, browser, tmp_path):
    import summit_book.pdf as pdf

    pages = [built_book / "_build/html/chapters/01_format.html"]
    written = pdf.print_pages(pages, tmp_path, browser)
    data = written[0].read_bytes()
    assert data.startswith(b"%PDF-")
    assert len(data) > 50_000, "the chapter's text and figures should make a substantial PDF"


def test_every_chapter_offers_its_executed_notebook(site):
    import json

    base, html = site
    for name in chapter_pages(html):
        page_html = (html / name).read_text(encoding="utf-8")
        found = re.search(r'href="([^"]+\.ipynb)"', page_html)
        assert found, f"{name}: no download of the notebook"
        url = urllib.parse.urljoin(base + name, found.group(1))
        with urllib.request.urlopen(url) as response:
            notebook = json.loads(response.read())
        code = [c for c in notebook["cells"] if c["cell_type"] == "code"]
        assert code and all(c.get("execution_count") for c in code), f"{name}: not executed"
        assert any(c.get("outputs") for c in code), f"{name}: no outputs"


def meeting_ids() -> list[str]:
    from summit_book.tables import load_table

    return sorted(load_table("meetings")["meeting_id"])


def test_every_meeting_page_has_its_citation_downloads_and_data_numbers(site, browser):
    """Each meeting's page carries its citation with the data version, a CSV per section whose
    rows are the table rows behind it, and the counts the data give (documents, proposals)."""
    from summit_book.meeting_pages import DOWNLOADS, download_frames, load_page_tables

    base, _ = site
    tables = load_page_tables()
    for meeting_id in meeting_ids():
        name = f"meetings/{meeting_id}.html"
        page = browser.new_page()
        assert open_page(page, base + name).status == 200, name
        citation = page.locator("section#how-to-cite-this-page")
        assert citation.count() == 1, f"{name}: no 'How to cite this page'"
        text = citation.inner_text()
        assert "@incollection{" in text and "data version" in text and "data cut-off" in text, name
        links = page.locator("a.page-data-csv")
        assert links.count() == len(DOWNLOADS), f"{name}: a section lacks its download"
        frames = download_frames(meeting_id, tables)
        for index, (part, _) in enumerate(DOWNLOADS):
            url = urllib.parse.urljoin(base + name, links.nth(index).get_attribute("href"))
            with urllib.request.urlopen(url) as response:
                rows = list(csv.reader(io.StringIO(response.read().decode("utf-8"))))
            assert len(rows) - 1 == len(frames[part]), f"{url}: not the rows of the data"
        lead = page.locator("article p").first.inner_text()
        documents = len(tables["documents"].query("meeting_id == @meeting_id"))
        proposals = len(tables["proposals"].query("meeting_id == @meeting_id"))
        held = tables["meetings"].set_index("meeting_id").loc[meeting_id, "status"] == "held"
        if held:
            assert f"Documents adopted: {documents}." in lead, f"{name}: {lead}"
            if proposals:
                assert f"Proposals made by the leaders: {proposals};" in lead, f"{name}: {lead}"
        else:
            assert "Not known at the data cut-off" in lead, name
        page.close()


def test_home_page_reaches_the_seventh_meeting_in_one_click_and_it_answers_first(site, browser):
    """The journalist's test: from the home page one click to the seventh meeting; there, on
    the first two screens at 1366 px, the documents adopted and the proposals' statuses with
    the date of their latest evidence."""
    from summit_book.tables import load_table

    base, _ = site
    page = browser.new_page(viewport={"width": 1366, "height": 768})
    open_page(page, base + "index.html")
    page.locator("article a", has_text="The seventh meeting").first.click()
    page.wait_for_load_state("load")
    assert page.url.endswith("meetings/cm07.html"), page.url
    two_screens = 2 * 768
    documents = load_table("documents").query("meeting_id == 'cm07'")
    for title in documents["title"]:
        box = page.get_by_text(title, exact=True).first.bounding_box()
        assert box and box["y"] + box["height"] <= two_screens, f"not on the first two screens: {title}"
    statuses = page.locator("section#proposals-and-their-status > p > strong")
    assert statuses.count() >= 1
    for index in range(statuses.count()):
        box = statuses.nth(index).bounding_box()
        line = statuses.nth(index).locator("xpath=..").inner_text()
        assert "latest evidence" in line or "no step logged" in line, line
    first_group = statuses.first.bounding_box()
    assert first_group["y"] <= two_screens, "the proposals' statuses start below two screens"
    page.close()


@pytest.mark.parametrize(("query", "answers"), [
    ("seventh meeting", ["meetings/cm07.html"]),
    ("Tashkent 2025", ["meetings/cm07.html"]),
    ("security concept", ["meetings/cm07.html", "front/glossary.html"]),
    ("rotating secretariat", ["meetings/cm07.html", "front/glossary.html"]),
])
def test_search_puts_the_answering_page_in_the_first_three_results(site, browser, query, answers):
    base, _ = site
    page = browser.new_page()
    open_page(page, base + "search.html?q=" + urllib.parse.quote(query))
    page.wait_for_selector("ul.search li", timeout=15000)
    page.wait_for_timeout(500)
    hrefs = page.locator("ul.search li a").evaluate_all("els => els.map(e => e.getAttribute('href'))")
    page.close()
    top = [href.split("#")[0].split("?")[0] for href in hrefs][:3]
    assert any(answer in top for answer in answers), f"{query!r}: first results {top}"


#: What readers must not see: internal keys of rows, research notes.
INTERNAL_PATTERNS = [
    r"\bcm0\d-[a-z]{3}-[a-z0-9-]+",           # proposal and document keys (cm07-uzb-rotating-secretariat)
    r"\b[a-z]+-v\d\d\b",                      # variant keys (press-v05)
    r"\bAs [a-z-]+-v\d+",                     # notes pointing at another row
    r"truncated in stored copy", r"not found in the store", r"not in store",
    # One spelling across the book: "percent" in prose ("%" only in table headers and axes).
    r"\bper cent\b",
]
#: Pages where the names are the subject, so the rule does not apply to them.
EXEMPT_PAGES = {
    # The data appendix documents every table by its file name and its columns by their keys:
    # a reader who downloads a CSV needs exactly those names there.
    "appendices/data.html": "documents the tables by their file names",
    # Sphinx's generated index and search pages hold no article text of the book.
    "genindex.html": "generated by Sphinx",
    "search.html": "generated by Sphinx",
}
#: Pages that still show internal keys, table names or working notes (issue 13 part 5 not
#: finished). Strict: the test fails as soon as one of them is clean, so it must leave this list.
NOT_YET_CLEAN: set[str] = set()


def visible_text(page) -> str:
    """The article's visible text, without code blocks and cell inputs, the citation block (its
    keys are for reference managers) and the source labels. Inline code in prose stays: a table
    name in backticks in a paragraph is still read by the reader."""
    return page.evaluate("""() => {
        const article = document.querySelector('article').cloneNode(true);
        article.querySelectorAll('pre, .highlight, .cell_input, #how-to-cite-this-page, '
            + '#how-to-cite-this-chapter, .source-citation').forEach(e => e.remove());
        return article.innerText;
    }""")


def internal_words(text: str) -> list[str]:
    from summit_book.tables import table_names

    patterns = INTERNAL_PATTERNS + [rf"\b{name}\b" for name in table_names() if "_" in name]
    return [m for pattern in patterns for m in re.findall(pattern, text)]


def reader_pages(html: Path) -> list[str]:
    return [name for name in pages(html) if name not in EXEMPT_PAGES]


def test_reader_pages_show_no_internal_key_or_working_note(site, browser):
    base, html = site
    names = reader_pages(html)
    assert "chapters/10_proposals.html" in names and "meetings/cm07.html" in names, names
    problems, clean = [], []
    for name in names:
        page = browser.new_page()
        open_page(page, base + name)
        found = internal_words(visible_text(page))
        page.close()
        if name in NOT_YET_CLEAN:
            if not found:
                clean.append(name)
            continue
        problems += [f"{name}: {m}" for m in found]
    assert not problems, "\n".join(problems[:300])
    assert not clean, f"now clean, take them off NOT_YET_CLEAN: {clean}"


def test_internal_words_are_recognised():
    """The patterns catch what they are meant to catch, and leave reader words alone."""
    assert internal_words("see cm07-uzb-rotating-secretariat. As press-v05.") == [
        "cm07-uzb-rotating-secretariat", "press-v05", "As press-v05"]
    assert internal_words("Source: table `corridor_points`.") == ["corridor_points"]
    assert internal_words("this book's table of corridor points, 12 percent") == []
    assert internal_words("12 per cent") == ["per cent"]


@pytest.mark.parametrize("width", [390, 1366])
def test_the_menu_reaches_another_chapter(site, browser, width):
    """The visible menu button opens the chapter list (a drawer on a phone; on a wide screen the
    list is beside the text and the button folds it away), and a click there opens a chapter."""
    base, _ = site
    page = browser.new_page(viewport={"width": width, "height": 844 if width < 992 else 768})
    open_page(page, base + "chapters/01_format.html")
    toggle = page.locator(".bd-header-article .primary-toggle")
    assert toggle.is_visible(), "no visible menu button"
    if width < 992:
        assert not page.locator("#pst-primary-sidebar").is_visible(), "the list should start hidden"
        toggle.click()
        drawer = page.locator("#pst-primary-sidebar-modal")
        drawer.wait_for(state="visible", timeout=3000)
        drawer.get_by_role("link", name="Trade").first.click()
        page.wait_for_url("**/chapters/02_trade.html")
        page.locator(".bd-header-article .secondary-toggle").click()
        page.locator("#pst-secondary-sidebar-modal").wait_for(state="visible", timeout=3000)
    else:
        sidebar = page.locator("#pst-primary-sidebar")
        assert sidebar.is_visible()
        toggle.click()
        page.wait_for_timeout(400)  # the theme's fold-away transition
        assert not sidebar.is_visible(), "the menu button does not fold the chapter list"
        toggle.click()
        page.wait_for_timeout(400)
        sidebar.get_by_role("link", name="Trade").first.click()
        page.wait_for_url("**/chapters/02_trade.html")
    page.close()


#: What the browser measures in every table of the article: its own width, the width of the
#: column it sits in, and its rows.
_TABLE_WIDTHS = """() => [...document.querySelectorAll('article.bd-article table')].map(t => ({
    width: t.getBoundingClientRect().width,
    column: document.querySelector('article.bd-article').getBoundingClientRect().width,
    rows: t.tBodies.length ? t.tBodies[0].rows.length : 0,
    interactive: t.classList.contains('table-interactive'),
    caption: t.caption ? t.caption.textContent.trim().slice(0, 60) : ''}))"""

@pytest.mark.parametrize("name", [f"chapters/{p.stem}.html"
                                  for p in sorted((PROJECT_ROOT / "chapters").glob("*.ipynb"))])
def test_tables_fit_and_chapters_are_short_at_1366(site, browser, name):
    """At 1366 px no table is wider than the text column, every long table starts folded to
    its first page, and the page is at most 15 screens long."""
    base, _ = site
    page = browser.new_page(viewport={"width": 1366, "height": 768})
    open_page(page, base + name)
    tables = page.evaluate(_TABLE_WIDTHS)
    wide = [t for t in tables if t["width"] > t["column"] + 1]
    assert not wide, f"{name}: tables wider than the column: {wide}"
    visible = page.evaluate("""() => [...document.querySelectorAll('table.table-interactive')]
        .map(t => [...t.tBodies[0].rows].filter(r => r.offsetParent !== null).length)""")
    long_tables = [t for t in tables if t["rows"] > 12]
    assert all(t["interactive"] for t in long_tables), f"{name}: a long table is not interactive"
    assert all(0 < count <= 10 for count in visible), f"{name}: {visible}"
    screens = page.evaluate("document.documentElement.scrollHeight") / 768
    page.close()
    # Every chapter: long tables show short pages (table-page-3/5) or fold when the argument
    # only points to them (table-folded); long cells fold to three lines.
    assert screens <= 15, f"{name}: {screens:.1f} screens at 1366 px"


def test_a_long_table_sorts_filters_pages_and_downloads(site, browser):
    base, _ = site
    page = browser.new_page(viewport={"width": 1366, "height": 768})
    open_page(page, base + "chapters/10_proposals.html")
    tools = page.locator(".table-tools:has(.table-next)").last  # a folded table's tools: one button
    table = page.locator("table.table-interactive").last
    shown = lambda: table.evaluate(  # noqa: E731
        "t => [...t.tBodies[0].rows].filter(r => r.offsetParent !== null).map(r => r.textContent)")
    total = table.evaluate("t => t.tBodies[0].rows.length")
    first = shown()
    size = len(first)  # 10 rows a page, or the 3 or 5 a chapter asks for (page_rows)
    assert total > 15 and 0 < size <= 10
    label = tools.locator('input[type="search"]').get_attribute("aria-label")
    caption = table.locator("caption .caption-text").inner_text().strip()
    assert label == f"Filter the rows of {caption}", label  # the caption's words, no "#"
    tools.locator(".table-next").click()
    second = shown()
    assert len(second) == size and second != first
    tools.get_by_role("button", name="Show all rows").click()
    assert len(shown()) == total
    tools.locator(".table-all").click()
    first_column = lambda: table.evaluate(  # noqa: E731
        "t => [...t.tBodies[0].rows].filter(r => r.offsetParent !== null)"
        ".map(r => r.cells[0].textContent.trim())")
    table.locator("thead th button").first.click()
    ascending = first_column()
    table.locator("thead th button").first.click()
    descending = first_column()
    assert ascending != descending
    word = ascending[0].split()[0]
    tools.locator("input[type=search]").fill(word)
    matching = shown()
    assert matching and all(word.lower() in row.lower() for row in matching)
    with page.expect_download() as download:
        tools.locator(".table-csv").click()
    rows = list(csv.reader(io.StringIO(Path(download.value.path()).read_text(encoding="utf-8"))))
    assert len(rows) == total + 1, "the CSV holds the whole table, with its header"
    page.close()


def test_a_folded_table_shows_its_caption_and_opens_its_rows(site, browser):
    """A table the argument only points to shows its caption and a button; the button opens
    every row (and print shows them all, see the next test); a short page shows its top rows."""
    base, _ = site
    page = browser.new_page(viewport={"width": 1366, "height": 768})
    open_page(page, base + "chapters/04_minerals.html")
    table = page.locator("table.table-folded").first
    rows = table.evaluate("t => t.tBodies[0].rows.length")
    visible = lambda: table.evaluate(  # noqa: E731
        "t => [...t.tBodies[0].rows].filter(r => r.offsetParent !== null).length")
    assert rows > 0 and visible() == 0
    assert table.locator("caption").is_visible()
    opener = page.locator(f"button[aria-controls='{table.get_attribute('id')}']")
    assert opener.get_attribute("aria-expanded") == "false"
    opener.click()
    assert visible() == rows and opener.get_attribute("aria-expanded") == "true"
    open_page(page, base + "chapters/02_trade.html")
    short = page.locator("table.table-interactive[class*='table-page-5']").first
    assert short.evaluate(
        "t => [...t.tBodies[0].rows].filter(r => r.offsetParent !== null).length") == 5
    page.close()


def test_printed_tables_keep_every_column(site, browser):
    """In print (A4 with the PDF margins: about 670 CSS px of text) every table fits the page
    and every row of a folded table is printed."""
    base, _ = site
    page = browser.new_page(viewport={"width": 670, "height": 900})
    page.emulate_media(media="print")
    problems = []
    for name in chapter_pages(site[1]):
        open_page(page, base + name)
        for table in page.evaluate(_TABLE_WIDTHS):
            if table["width"] > table["column"] + 1:
                problems.append(f"{name}: {table}")
        hidden = page.evaluate("""() => [...document.querySelectorAll('article table tbody tr')]
            .filter(r => r.offsetParent === null).length""")
        if hidden:
            problems.append(f"{name}: {hidden} table rows not printed")
    page.close()
    assert not problems, "\n".join(problems[:10])


_FIGURE_TEXT = """async () => { const out = [];
  for (const img of document.querySelectorAll('article.bd-article figure img')) {
    if (!/\\.svg$/.test(img.getAttribute('src'))) continue;
    const text = await (await fetch(img.src)).text();
    const width = parseFloat(/viewBox="([^"]+)"/.exec(text)[1].split(/[\\s,]+/)[2]);
    const sizes = [...text.matchAll(/font(?:-size)?:\\s*(?:[a-z]+\\s+)*([\\d.]+)px/g)].map(m => +m[1]);
    out.push({figure: img.closest('figure').id, sizes: sizes.length,
              smallest: Math.min(...sizes) * img.getBoundingClientRect().width / width});
  }
  return out; }"""


def test_figure_text_is_legible_on_a_phone(site, browser):
    """At 390 px every chart's smallest text renders at 9 CSS px or more (its SVG keeps text
    as text: font size times the image's scale); each figure offers its image and a citation."""
    base, html = site
    page = browser.new_page(viewport={"width": 390, "height": 844})
    small, counted = [], 0
    for name in chapter_pages(html):
        open_page(page, base + name)
        page.wait_for_function("() => [...document.querySelectorAll('article figure img')]"
                               ".every(i => !/\\\\.svg$/.test(i.getAttribute('src'))"
                               " || i.classList.contains('figure-legible'))", timeout=10000)
        for figure in page.evaluate(_FIGURE_TEXT):
            counted += 1
            assert figure["sizes"], f"{name}: {figure['figure']} has no text to measure"
            if figure["smallest"] < 9:
                small.append(f"{name}: {figure['figure']} {figure['smallest']:.1f} px")
        figures = page.locator("figure[id^='fig-']")
        assert page.locator("figure[id^='fig-'] a.figure-image").count() == figures.count()
        assert page.locator("figure[id^='fig-'] details.figure-cite").count() == figures.count()
    page.close()
    assert counted >= 11 and not small, "\n".join(small)
