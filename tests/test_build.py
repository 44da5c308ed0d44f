"""The book builds strictly, shows its figures, and never serves a stale page."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest

from conftest import PROJECT_ROOT, run_in

pytestmark = pytest.mark.build

BUILD = [sys.executable, "-m", "summit_book.build"]


def build(root: Path, *options: str) -> str:
    """Build a project copy as scripts/build does; return everything it printed."""
    result = run_in(root, *BUILD, *options)
    output = result.stdout + result.stderr
    assert result.returncode == 0, f"the build failed:\n{output[-4000:]}"
    return output


def test_build_script_runs_the_same_command_as_this_test():
    script = (PROJECT_ROOT / "scripts" / "build").read_text(encoding="utf-8")
    assert "python -m summit_book.build" in script


def test_home_page_says_what_the_book_is_and_how_to_cite_it(built_book):
    html = (built_book / "_build/html/index.html").read_text(encoding="utf-8")
    assert "Consultative Meeting" in html
    assert "How to cite" in html


def test_every_page_links_to_how_to_report_an_error(built_book):
    """The footer of every page (chapters, meeting pages, front matter, appendices) links to the
    section that says how to report an error, by an address that resolves from that page; the
    chapters' note for Jupyter readers stays off the pages."""
    site = built_book / "_build/html"
    pages = [p for p in site.rglob("*.html") if not p.relative_to(site).parts[0].startswith("_")]
    assert len(pages) > 20
    target = (site / "front/how_to_read.html").resolve()
    assert 'id="front-report-an-error"' in target.read_text(encoding="utf-8")
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert "Reading this notebook in Jupyter" not in text, page.relative_to(site)
        found = re.findall(r'<a href="([^"]*)">Found an error\? How to report it</a>', text)
        assert len(found) == 1, page.relative_to(site)
        path, _, anchor = found[0].partition("#")
        linked = (page.parent / path).resolve() if path else page.resolve()
        assert linked == target and anchor == "front-report-an-error", \
            (page.relative_to(site), found[0])


def test_chapter_figures_have_alt_text_captions_and_files(built_book):
    page = built_book / "_build/html/chapters/01_format.html"
    html = page.read_text(encoding="utf-8")
    images = re.findall(r"<img [^>]*>", html)
    assert len(images) >= 3
    for tag in images:
        alt = re.search(r'alt="([^"]*)"', tag).group(1)
        assert len(alt.split()) >= 12, f"alt text too thin: {alt!r}"
        src = re.search(r'src="([^"]*)"', tag).group(1)
        assert (page.parent / src).resolve().exists(), src
    assert len(re.findall(r'<span class="caption-number">Fig\. 1\.\d+ </span>', html)) >= 3


def test_no_unpasted_glue_or_raw_roles_in_pages(built_book):
    for page in (built_book / "_build/html").rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert "{glue:" not in html and "{source}" not in html, page


def test_invalid_date_stops_the_build_naming_file_row_and_column(project_copy_factory):
    root = project_copy_factory("bad-date")
    path = root / "data/meetings.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[7] = lines[7].replace("2025-11-16", "2025-13-40", 1)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run_in(root, *BUILD)
    assert result.returncode != 0
    assert "data/meetings.csv, row 7 (line 8) [cm07], column 'date_start'" in result.stderr


def test_a_data_change_re_executes_its_readers_and_updates_the_page(built_copy):
    root = built_copy("stale")
    assert "build: up to date" in build(root), "the copy must start as a built book"
    meetings = root / "data/meetings.csv"
    text = meetings.read_text(encoding="utf-8")
    assert ",Cholpon-Ata," in text
    meetings.write_text(text.replace(",Cholpon-Ata,", ",Cholpon-Ata Testville,"), encoding="utf-8")
    output = build(root)
    executed = re.search(r"freshness: (\d+) notebook\(s\) to execute afresh: (.*)", output)
    assert executed, output[-2000:]
    stale = executed.group(2).split(", ")
    assert "chapters/01_format.ipynb" in stale
    assert "front/how_to_cite.ipynb" not in stale, "a page that reads no table must not re-run"
    html = (root / "_build/html/chapters/01_format.html").read_text(encoding="utf-8")
    assert "Cholpon-Ata Testville" in html
    # The meeting page's title changed: a page that reads no table (and is not read again)
    # shows the new title in its navigation, and so does the search index.
    glossary = (root / "_build/html/front/glossary.html").read_text(encoding="utf-8")
    assert "The fourth meeting: Cholpon-Ata Testville, 21 July 2022" in glossary
    assert "Cholpon-Ata Testville" in (root / "_build/html/searchindex.js").read_text(
        encoding="utf-8")
    stamps = json.loads((root / "_build/.summit_book/execution-keys.json").read_text())
    assert set(stamps) >= {"chapters/01_format.ipynb", "appendices/data.ipynb"}


def test_a_no_change_rebuild_does_nothing(built_book):
    output = build(built_book)
    assert "build: up to date, nothing to do" in output


def test_a_prose_edit_re_reads_one_page_and_executes_nothing(built_copy):
    root = built_copy("prose")
    assert "execute: 0 notebook(s)" in build(root, "--force")  # a forced build executes nothing
    page = root / "chapters/01_format.ipynb"
    notebook = json.loads(page.read_text(encoding="utf-8"))
    markdown = next(cell for cell in notebook["cells"] if cell["cell_type"] == "markdown"
                    and "remove-cell" not in cell["metadata"].get("tags", []))  # on the page
    markdown["source"] = "".join(markdown["source"]) + "\n\nAn added sentence of prose."
    page.write_text(json.dumps(notebook, indent=1), encoding="utf-8")
    output = build(root)
    assert "execute: 0 notebook(s)" in output
    assert "0 added, 1 changed, 0 removed" in output
    html = (root / "_build/html/chapters/01_format.html").read_text(encoding="utf-8")
    assert "An added sentence of prose." in html

    # An input that is no page (the README) changes: Sphinx finds no page out of date and
    # stops before copying its static files; the build must still succeed and change nothing.
    site = {p: p.read_bytes() for p in (root / "_build/html").rglob("*") if p.is_file()}
    readme = root / "README.md"
    readme.write_text(readme.read_text(encoding="utf-8") + "\nA note.\n", encoding="utf-8")
    output = build(root)
    assert "no targets are out of date" in output
    assert {p: p.read_bytes() for p in (root / "_build/html").rglob("*") if p.is_file()} == site


def test_two_clean_builds_in_different_folders_are_byte_identical(project_copy_factory, request):
    """Reproducible: the chapter page, its figures and the data downloads do not depend on
    when or where the book was built. (This clean build comes first, so that it runs while
    the other worker makes the shared ``built_book``.)"""
    other = project_copy_factory("again")
    build(other)
    built_book = request.getfixturevalue("built_book")
    first, second = built_book / "_build/html", other / "_build/html"
    compared = ["chapters/01_format.html", "appendices/data.html", "appendices/references.html"]
    compared += [p.relative_to(first).as_posix() for p in (first / "_images").iterdir()]
    compared += [p.relative_to(first).as_posix() for p in (first / "_downloads").rglob("*.csv")]
    assert len(compared) > 10
    different = [name for name in compared
                 if (first / name).read_bytes() != (second / name).read_bytes()]
    assert not different, different


def test_published_figure_table_and_section_names_still_exist(built_book):
    html_dir = built_book / "_build/html"
    listed = [line.split("#") for line in
              (PROJECT_ROOT / "tests/published_names.txt").read_text(encoding="utf-8").splitlines()
              if line and not line.startswith("#")]
    missing = [f"{page}#{name}" for page, name in listed
               if f'id="{name}"' not in (html_dir / page).read_text(encoding="utf-8")]
    assert not missing, f"names readers may cite have disappeared: {missing}"


def test_every_figure_and_table_in_the_chapters_is_named_and_numbered(built_book):
    for page in (built_book / "_build/html/chapters").glob("*.html"):
        html = page.read_text(encoding="utf-8")
        for tag in re.findall(r"<figure[^>]*>", html):
            assert re.search(r'id="fig-', tag), f"{page.name}: unnamed figure {tag}"
        for tag in re.findall(r"<table[^>]*>", html):
            assert re.search(r'id="tbl-', tag), f"{page.name}: unnamed table {tag}"


def test_no_page_or_script_points_at_a_content_delivery_host(built_book):
    """Offline and private: nothing in the site refers to script, font or style hosts (the
    browser test checks the requests; this also covers code paths a page load does not run)."""
    hosts = ("unpkg.com", "jsdelivr.net", "cdnjs.", "googleapis.com", "gstatic.com",
             "binder-examples", "mybinder.org")
    html_dir = built_book / "_build/html"
    found = [f"{path.relative_to(html_dir)}: {host}"
             for path in list(html_dir.rglob("*.html")) + list(html_dir.rglob("*.js"))
             for host in hosts if host in path.read_text(encoding="utf-8", errors="ignore")]
    assert not found, found[:10]


def test_an_error_in_a_chapter_stops_the_build(built_copy):
    root = built_copy("raises")
    page = root / "chapters/01_format.ipynb"
    notebook = json.loads(page.read_text(encoding="utf-8"))
    notebook["cells"].append({"cell_type": "code", "execution_count": None, "id": "cell-raise",
                              "metadata": {}, "outputs": [],
                              "source": "raise RuntimeError('deliberate failure for the test')"})
    page.write_text(json.dumps(notebook, indent=1), encoding="utf-8")
    result = run_in(root, *BUILD)
    assert result.returncode != 0
    assert "deliberate failure for the test" in result.stdout + result.stderr
