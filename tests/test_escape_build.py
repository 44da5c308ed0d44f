"""Data is text, never markup, in the built book: hostile values put into the columns an audit
found running as script (``proposals.summary`` and ``notes``, ``documents.title``,
``sources.publisher``), into notes of other tables, a source URL and a cell behind a figure;
ONE rebuild of a copy of the built book, then the pages opened in Debian's Chromium.

A value the validator rejects must be rejected naming file, row and column (then it is put
back and the rest is built). For every value it accepts: no dialog opens, no injected element,
attribute or script exists, the text shows literally, no file other than the data tables is
copied into ``_downloads``, ``references.bib`` parses with pybtex and gives the values back,
and the figure CSV carries the formula neutralised.
"""

from __future__ import annotations

import csv
import functools
import http.server
import json
import re
import shutil
import sys
import threading
import unicodedata
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import open_page, run_in
from summit_book.bibliography import publisher_of
from summit_book.paths import CHROMIUM_ARGS
from test_escape import latex_to_text, parse_bibtex, spaced

pytestmark = [pytest.mark.build, pytest.mark.browser]

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@dataclass
class Injection:
    table: str
    key_column: str
    key: str
    column: str
    value: str
    pages: tuple[str, ...]  # pages that show the value (relative to _build/html)
    shown: str | None = None  # the text a reader sees, if not the value itself
    row: int = 0  # 1-based data row, found when injected
    original: str = ""


INJECTIONS = [
    Injection("proposals", "proposal_id", "cm02-uzb-transport-council", "summary",
              "<script>alert('summary')</script> A transport council "
              "<img src=x onerror=alert('summary-img')> {{ substitution }}",
              ("chapters/03_transport.html", "chapters/10_proposals.html")),
    Injection("proposals", "proposal_id", "cm02-uzb-transport-council", "notes",
              "{download}`leaked <../../../../../../etc/passwd>` {raw}`html <b id=\"injected-raw\">b</b>` "
              "$$x^2$$ a | b [click](javascript:alert('notes-link'))",
              ("chapters/03_transport.html",)),
    Injection("documents", "document_id", "cm02-decision-honorary-chairman", "title",
              "Decision <img src=x onerror=alert('title')> on {braces} @comment{ 100% \\back",
              ("chapters/01_format.html",)),
    Injection("sources", "source_id", "timestengri-2025-11-18-tokayev", "publisher",
              "Times <script>alert('publisher')</script> {Tengri} @misc{x, } \\",
              ("chapters/11_press.html", "appendices/references.html")),
    Injection("sources", "source_id", "timestengri-2025-11-18-tokayev", "url",
              "https://tengrinews.kz/x}y{z", ("appendices/references.html",)),
    Injection("variants", "variant_id", "seed-v02", "notes",
              "```{raw} html <div id=\"injected-fence\"></div> ``` :::{eval-rst} "
              "{eval-rst}`.. raw:: html` {glue:}`proposals_status_variant_count`",
              ("chapters/10_proposals.html",)),
    Injection("quote_renderings", "source_id", "", "notes",
              "=HYPERLINK(\"http://x.example\") +cmd @SUM(1) # heading - item > quote",
              ("chapters/11_press.html",)),
    Injection("attendance", "person_id", "nazarbayev", "office",
              "=HYPERLINK(\"http://x.example\",\"click\")", ()),
]


def _read(path: Path) -> tuple[list[str], list[dict]]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames), list(reader)


def _write(path: Path, fields: list[str], rows: list[dict]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def inject(root: Path, injection: Injection, value: str | None = None) -> None:
    path = root / "data" / f"{injection.table}.csv"
    fields, rows = _read(path)
    index = next(i for i, row in enumerate(rows)
                 if not injection.key or row[injection.key_column] == injection.key)
    if value is None:
        injection.original = rows[index][injection.column]
        injection.row = index + 1
    rows[index][injection.column] = injection.value if value is None else value
    _write(path, fields, rows)


PROBLEM = re.compile(r"data/(?P<file>[a-z_]+)\.csv, row (?P<row>\d+) .*column '(?P<column>[a-z_]+)'")


def readable(text: str) -> str:
    """Page text as the data reads: typographic quotes back to straight ones (Sphinx's
    smartquotes), white space collapsed."""
    text = unicodedata.normalize("NFC", text)
    for curly, straight in {"‘": "'", "’": "'", "“": '"', "”": '"'}.items():
        text = text.replace(curly, straight)
    return " ".join(text.split())


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def hostile_book(built_copy):
    """A copy of the built project with the injections (those the validator accepts), built
    again (the pages that show the injected tables are executed and read afresh)."""
    root = built_copy("hostile")
    for injection in INJECTIONS:
        inject(root, injection)
    rejected = []
    for _ in range(len(INJECTIONS)):
        result = run_in(root, sys.executable, "-m", "summit_book.validate")
        problems = [line for line in result.stderr.splitlines() if line.startswith("error: data/")]
        if result.returncode == 0 or not problems:
            break
        for line in problems:
            located = PROBLEM.search(line)
            assert located, f"a rejection without file, row and column: {line}"
        for injection in [i for i in INJECTIONS if i not in rejected]:
            named = [line for line in problems if (m := PROBLEM.search(line))
                     and m["file"] == injection.table and int(m["row"]) == injection.row
                     and m["column"] == injection.column]
            if named:
                rejected.append(injection)
                inject(root, injection, injection.original)
    accepted = [i for i in INJECTIONS if i not in rejected]
    regenerated = run_in(root, sys.executable, "-m", "summit_book.bibliography")
    assert regenerated.returncode == 0, regenerated.stderr
    build = run_in(root, sys.executable, "-m", "summit_book.build")
    assert build.returncode == 0, (build.stdout + build.stderr)[-4000:]
    return root, accepted, rejected


@pytest.fixture(scope="module")
def hostile_site(hostile_book):
    root, accepted, rejected = hostile_book
    html = root / "_build" / "html"
    handler = functools.partial(_QuietHandler, directory=str(html))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/", html, accepted
    server.shutdown()
    server.server_close()


def test_pages_run_no_injected_script_and_show_the_values_literally(hostile_site):
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is not installed: scripts/test installs it")
    from playwright.sync_api import sync_playwright

    base, html, accepted = hostile_site
    pages = sorted({page for injection in accepted for page in injection.pages})
    problems = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for name in pages:
            page = browser.new_page()
            dialogs = []

            def on_dialog(dialog, dialogs=dialogs):
                dialogs.append(dialog.message)
                dialog.dismiss()

            page.on("dialog", on_dialog)
            open_page(page, base + name)
            page.wait_for_timeout(500)  # let any onerror or late script fire
            # a folded table shows its rows only when opened, and a paged one its first page
            # only: open them all, as a reader would ("Show its N rows", "Show all rows")
            page.evaluate("""() => {
                document.querySelectorAll('table.table-closed')
                    .forEach(t => t.classList.remove('table-closed'));
                document.querySelectorAll('.table-tools .table-all').forEach(b => b.click());
            }""")
            found = page.evaluate("""() => ({
                scripts: Array.from(document.scripts).filter(s => s.text.includes('alert(')).length,
                handlers: Array.from(document.querySelectorAll('*')).filter(e =>
                    Array.from(e.attributes).some(a => a.name.startsWith('on')
                                                       && a.value.includes('alert'))).length,
                injected: document.querySelectorAll('[id^="injected"], img[src="x"]').length,
                jsLinks: Array.from(document.querySelectorAll('a[href]')).filter(a =>
                    a.getAttribute('href').trim().toLowerCase().startsWith('javascript')).length,
                text: document.body.innerText,
            })""")
            for kind in ("scripts", "handlers", "injected", "jsLinks"):
                if found[kind]:
                    problems.append(f"{name}: {found[kind]} {kind} from the data")
            if dialogs:
                problems.append(f"{name}: dialogs opened: {dialogs}")
            text = readable(found["text"])
            for injection in accepted:
                if name in injection.pages:
                    expected = readable(injection.shown or injection.value)
                    if expected not in text:
                        problems.append(f"{name}: {injection.table}.{injection.column} not shown "
                                        f"literally: {expected!r}")
            page.close()
        browser.close()
    assert not problems, "\n".join(problems)


def test_no_file_but_the_data_tables_is_copied_into_the_site(hostile_book):
    root, accepted, _ = hostile_book
    package = json.loads((root / "data/datapackage.json").read_text(encoding="utf-8"))
    allowed = {entry["path"] for entry in package["resources"]}  # the data appendix's links
    for page in root.glob("**/*.md"):  # and what the book's own pages offer (references.bib)
        if not {"_build", ".venv", "data"} & set(page.relative_to(root).parts):
            allowed |= {Path(target).name for target in re.findall(
                r"\{download\}`[^`<]*<([^>`]+)>`", page.read_text(encoding="utf-8"))}
    downloads = root / "_build/html/_downloads"
    copied = sorted(p.name for p in downloads.rglob("*") if p.is_file()) if downloads.exists() else []
    assert copied and set(copied) <= allowed, sorted(set(copied) - allowed)
    assert not list((root / "_build/html").rglob("passwd"))


def test_references_bib_parses_and_gives_the_values_back(hostile_book):
    root, accepted, _ = hostile_book
    database = parse_bibtex((root / "references.bib").read_text(encoding="utf-8"))
    _, rows = _read(root / "data/sources.csv")
    assert sorted(database.entries) == sorted(row["source_id"] for row in rows)
    for injection in accepted:
        if injection.table != "sources":
            continue
        entry = database.entries[injection.key]
        if injection.column == "publisher":
            assert spaced(latex_to_text(publisher_of(entry))) == spaced(injection.value)
            assert spaced(latex_to_text(str(entry.persons["author"][0]))) == spaced(injection.value)
        if injection.column == "url":
            assert urllib.parse.unquote(entry.fields["url"]) == injection.value


def test_figure_csv_carries_the_formula_as_text(hostile_book):
    root, accepted, rejected = hostile_book
    office = next((i for i in accepted if i.column == "office"), None)
    if office is None:
        # the validator refuses formula-like text in data (rule formula-like), naming file,
        # row and column; the figure CSVs below must then carry no formula at all
        assert any(i.column == "office" for i in rejected)
    else:
        path = root / "_build/html/_figure-data/fig-format-attendance.csv"
        with path.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
        cells = [row["office"] for row in rows if row["person_id"] == "nazarbayev"]
        assert "'" + office.value in cells, cells[:3]
    formula = re.compile(r"[=+\-@\t\r]")
    number = re.compile(r"[+-]?(\d[\d,]*(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
    for figure_csv in (root / "_build/html/_figure-data").glob("*.csv"):
        with figure_csv.open(encoding="utf-8", newline="") as handle:
            for row in csv.reader(handle):
                for cell in row:
                    assert not (formula.match(cell) and not number.fullmatch(cell)), \
                        f"{figure_csv.name}: {cell!r}"
