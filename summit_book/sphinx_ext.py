"""The book's Sphinx extension: citations of its sources, straight from ``data/sources.csv``.

- The role ``{source}`id-1,id-2``` renders as ``[akorda 18, 24kg 25a]``, each label linking
  to the source's entry on the references page. An unknown id is a build warning (an error
  under ``-W``).
- The directive ``{source-list}`` renders that page: every source, grouped by kind, with an
  anchor per source_id.

Labels are the publisher part of the source_id and the year (``akorda 18``), made unique with
a, b, c: short enough for the sources column of a table. The list is read with the csv module
(cheap on every build); ``references.bib`` remains, generated from the same table, for
reference managers.
"""

from __future__ import annotations

import csv
import html
import posixpath
import re
import shutil
import string
from collections import Counter
import functools
from functools import lru_cache
from pathlib import Path

from docutils import nodes
from docutils.parsers.rst import Directive, directives
from sphinx.util import logging

from .escape import html_attribute, safe_url
from .paths import (CITATION_PATH, EXECUTING_ENV, FIGURE_DATA_DIR, SOURCES_CSV,
                    executed_mark)

REFERENCES_DOC = "appendices/references"
YEAR = re.compile(r"(19|20)\d\d")
KIND_HEADINGS = {"official": "Official releases", "press": "Press reports",
                 "analysis": "Analysis and opinion", "dataset": "Datasets"}
LANGUAGE_NAMES = {"en": "English", "ru": "Russian", "uz": "Uzbek", "kk": "Kazakh", "ky": "Kyrgyz",
                  "tg": "Tajik", "tk": "Turkmen", "az": "Azerbaijani", "fr": "French",
                  "es": "Spanish", "de": "German"}
logger = logging.getLogger(__name__)


def source_label(source_id: str) -> str:
    """'akorda-2018-03-15-working-meeting' -> 'akorda 18'; without a year, the publisher part."""
    parts = source_id.split("-")
    year = next((part for part in parts[1:] if YEAR.fullmatch(part)), None)
    return f"{parts[0]} {year[2:]}" if year else parts[0]


def unique_labels(source_ids: list[str]) -> dict[str, str]:
    """Labels for all sources, in source_id order, made unique with a, b, c ..."""
    ordered = sorted(source_ids)
    labels = [source_label(source_id) for source_id in ordered]
    totals, used = Counter(labels), Counter()
    result = {}
    for source_id, label in zip(ordered, labels):
        if totals[label] > 1:
            used[label] += 1
            count = used[label]
            label += string.ascii_lowercase[count - 1] if count <= 26 else str(count)
        result[source_id] = label
    return result


@lru_cache(maxsize=4)
def _read_sources(mtime_ns: int) -> dict[str, dict]:
    del mtime_ns
    with SOURCES_CSV.open(encoding="utf-8", newline="") as handle:
        return {row["source_id"]: row for row in csv.DictReader(handle)}


def read_sources() -> dict[str, dict]:
    """data/sources.csv as {source_id: row} (re-read when the file changes)."""
    return _read_sources(SOURCES_CSV.stat().st_mtime_ns)


@lru_cache(maxsize=4)
def _source_labels(mtime_ns: int) -> dict[str, str]:
    del mtime_ns
    return unique_labels(list(read_sources()))


def source_labels() -> dict[str, str]:
    """The label of every source (computed once per version of data/sources.csv: a page may
    cite hundreds of sources, and the book some 1,600 times)."""
    return _source_labels(SOURCES_CSV.stat().st_mtime_ns)


def anchor(source_id: str) -> str:
    return f"source-{source_id}"


def source_role(name, rawtext, text, lineno, inliner, options=None, content=None):
    """{source}`a,b`: bracketed labels, each a cross-reference to the source's entry."""
    sources = read_sources()
    labels = source_labels()
    ids = [part.strip() for part in text.split(",") if part.strip()]
    result: list[nodes.Node] = [nodes.Text("[")]
    messages = []
    for position, source_id in enumerate(ids):
        if position:
            result.append(nodes.Text(", "))
        if source_id not in sources:
            messages.append(inliner.reporter.warning(
                f"unknown source_id '{source_id}' (not in data/sources.csv)", line=lineno))
            result.append(nodes.Text(source_id))
            continue
        # A plain link (not a Sphinx cross-reference): pages cite hundreds of sources and
        # every byte counts; the link test checks that each anchor exists.
        here = posixpath.dirname(inliner.document.settings.env.docname)
        target = posixpath.relpath(f"{REFERENCES_DOC}.html", here or ".")
        result.append(nodes.reference("", labels[source_id], refuri=f"{target}#{anchor(source_id)}"))
    result.append(nodes.Text("]"))
    return [nodes.inline(rawtext, "", *result, classes=["source-citation"])], messages


class SourceListDirective(Directive):
    """Every source, grouped by kind, each entry with an anchor its citations link to."""

    has_content = False

    def run(self):
        sources = read_sources()
        labels = source_labels()
        document = self.state.document
        env = document.settings.env
        env.note_dependency(str(SOURCES_CSV))
        result = []
        for kind, heading in KIND_HEADINGS.items():
            rows = sorted((row for row in sources.values() if row["kind"] == kind),
                          key=lambda row: labels[row["source_id"]])
            if not rows:
                continue
            result.append(nodes.rubric("", f"{heading} ({len(rows)})"))
            entries = nodes.bullet_list(classes=["source-list"])
            for row in rows:
                item = nodes.list_item(ids=[anchor(row["source_id"])])
                paragraph = nodes.paragraph()
                paragraph += nodes.strong("", f"[{labels[row['source_id']]}] ")
                paragraph += nodes.Text(f"{row['publisher']}")
                paragraph += nodes.Text(f" ({row['date_published'] or 'n.d.'}). ")
                paragraph += nodes.emphasis("", row["title"])
                paragraph += nodes.Text(". ")
                # Docutils escapes text; only an http(s) address becomes a link.
                url = safe_url(row["url"])
                paragraph += (nodes.reference("", row["url"], refuri=url) if url
                              else nodes.Text(row["url"]))
                read = f"read {row['accessed']}" if row["accessed"] else "date of reading not recorded"
                paragraph += nodes.Text(f". {LANGUAGE_NAMES[row['language']]}; {read}. ")
                paragraph += nodes.literal("", row["source_id"])
                item += paragraph
                entries += item
            result.append(entries)
        return result


FIGURE_DATA_URL = "_figure-data"


def link_figure_data(app, doctree, docname):
    """Under every named figure, links to the data behind it (CSV) and its metadata note;
    a named figure without data is a warning, so a strict build fails."""
    for figure in doctree.findall(nodes.figure):
        names = [i for i in figure["ids"] if i.startswith("fig-")]
        if not names:
            continue
        name = names[0]
        if not (FIGURE_DATA_DIR / f"{name}.csv").exists():
            logger.warning(f"figure '{name}' has no data to download: glue it with "
                           f"summit_book.glue_figure(..., data=..., source=...)",
                           location=(docname, figure.line))
            continue
        base = posixpath.relpath(FIGURE_DATA_URL, posixpath.dirname(docname) or ".")
        links = nodes.paragraph(classes=["figure-data"])
        links += nodes.Text("Data behind this figure: ")
        links += nodes.reference("", "CSV", refuri=f"{base}/{name}.csv",
                                 classes=["figure-data-csv"])
        links += nodes.Text(" · ")
        links += nodes.reference("", "about the data", refuri=f"{base}/{name}.txt",
                                 classes=["figure-data-note"])
        image = figure.next_node(nodes.image)
        if image is not None and "://" not in image["uri"]:
            # The HTML builder copies the image to _images/ under its own (hashed) file name.
            target = posixpath.relpath(f"_images/{posixpath.basename(image['uri'])}",
                                       posixpath.dirname(docname) or ".")
            links += nodes.Text(" · Image: ")
            links += nodes.reference("", posixpath.splitext(target)[1].lstrip(".").upper(),
                                     refuri=target, classes=["figure-image"])
        figure += links
        figure += figure_citation(app, docname, name, figure)


def figure_citation(app, docname: str, name: str, figure) -> nodes.Node:
    """"Cite this figure": authors, year, figure number and caption, chapter and book, the
    figure's address (or "Address not yet published") and the date of reading."""
    from .cite import ACCESSED_PLACEHOLDER, NOT_PUBLISHED, address, book_facts, chapter_number

    facts = book_facts()
    number = app.env.toc_fignumbers.get(docname, {}).get("figure", {}).get(name)
    label = "Figure " + ".".join(map(str, number)) if number else "Figure"
    caption = figure.next_node(nodes.caption)
    caption_text = " ".join(caption.astext().split()) if caption is not None else name
    title = app.env.titles[docname].astext() if docname in app.env.titles else docname
    chapter = chapter_number(docname)
    chapter_title = f"{chapter}. {title}" if chapter else title
    url = address(docname, name)
    esc = html.escape
    where = f"{esc(url)}, accessed" if url else f"{NOT_PUBLISHED}; accessed"
    text = (f"{esc(facts['authors'])} ({esc(facts['year'])}). {esc(label)}: "
            f"{esc(caption_text)} In: &#8220;{esc(chapter_title)}&#8221;, {esc(facts['title'])}, "
            f"version {esc(facts['version'])} of {esc(facts['released'])}. "
            f"{esc(facts['publisher'])}. {where} "
            f'<span class="access-date">{ACCESSED_PLACEHOLDER}</span>.')
    return nodes.raw("", f'<details class="figure-cite"><summary>Cite this figure</summary>'
                         f'<p>{text}</p></details>', format="html")


class CiteThisDirective(Directive):
    """``{cite-this}`` (written by :func:`summit_book.cite.citation_markdown`): the page's
    citation, printed and in BibTeX, from CITATION.cff as it is at build time; with the tables
    the page read, their data version and the data cut-off. ``{cite-this} book`` cites the whole
    book. The reader's date of reading is left as a placeholder that ``book.js`` fills in."""

    required_arguments = 1
    option_spec = {"tables": directives.unchanged, "data-version": directives.unchanged}
    has_content = False

    def run(self):
        from .cite import book_citation, chapter_citation, data_cutoff

        document = self.state.document
        env = document.settings.env
        env.note_dependency(str(CITATION_PATH))
        target = self.arguments[0]
        if target == "book":
            citation, tables = book_citation(), []
        else:
            if target != env.docname:
                return [document.reporter.warning(
                    f"cite-this names '{target}' but is on page '{env.docname}'", line=self.lineno)]
            tables = self.options.get("tables", "").split()
            if not tables or not self.options.get("data-version"):
                return [document.reporter.warning(
                    "cite-this needs :tables: and :data-version:", line=self.lineno)]
            heading = next(iter(document.findall(nodes.title)), None)
            citation = chapter_citation(target, tables, heading.astext() if heading else None,
                                        data=self.options["data-version"])
        result = [_printed_citation(citation["plain"], citation["url"]),
                  _bibtex_block(citation["bibtex"])]
        if tables:
            from .tables import resource

            used = nodes.paragraph(classes=["cite-tables"])
            used += nodes.Text("Data tables used (by their titles in the data appendix): ")
            titles = sorted(resource(name).get("title") or name for name in tables)
            for position, title in enumerate(titles):
                if position:
                    used += nodes.Text(", ")
                used += nodes.emphasis("", title)
            used += nodes.Text("; data version ")
            used += nodes.literal("", citation["data_version"])
            used += nodes.Text(" (a fingerprint of their bytes: it changes whenever they change); "
                               f"data cut-off {data_cutoff()}.")
            result.append(used)
        return result


def _printed_citation(plain: str, url: str) -> nodes.paragraph:
    """The printed citation: its address a link, the date of reading a placeholder in a
    ``span.access-date`` (the reader's browser writes the day's date into it)."""
    from .cite import ACCESSED_PLACEHOLDER

    before, _, after = plain.rpartition(ACCESSED_PLACEHOLDER)
    paragraph = nodes.paragraph(classes=["cite-plain"])
    if url and url in before:
        head, _, tail = before.rpartition(url)
        paragraph += nodes.Text(head)
        paragraph += nodes.reference("", url, refuri=safe_url(url) or "")
        paragraph += nodes.Text(tail)
    else:
        paragraph += nodes.Text(before)
    paragraph += nodes.inline("", ACCESSED_PLACEHOLDER, classes=["access-date"])
    paragraph += nodes.Text(after)
    return paragraph


def _bibtex_block(bibtex: str) -> nodes.literal_block:
    """The BibTeX entry as a pre-formatted block whose ``urldate`` is filled in by the reader's
    browser, like the printed citation's date of reading."""
    from .cite import URLDATE_PLACEHOLDER

    block = nodes.literal_block("BibTeX", classes=["cite-bibtex"])
    before, found, after = bibtex.rpartition(URLDATE_PLACEHOLDER)
    if found:
        block += nodes.Text(before)
        block += nodes.inline("", URLDATE_PLACEHOLDER, classes=["access-date", "iso"])
        block += nodes.Text(after)
    else:
        block += nodes.Text(bibtex)
    return block


def data_download_role(name, rawtext, text, lineno, inliner, options=None, content=None):
    """{data-download}`meeting-cm07-documents`: links to the CSV and the note on it that the
    build wrote into the figure-data folder (``summit_book.meeting_pages``); a missing file is
    a build warning, so a strict build fails."""
    name_ = text.strip()
    messages = []
    if not (FIGURE_DATA_DIR / f"{name_}.csv").exists():
        messages.append(inliner.reporter.warning(
            f"no data file '{name_}.csv' to link: the build writes it (summit_book.meeting_pages)",
            line=lineno))
    docname = inliner.document.settings.env.docname
    base = posixpath.relpath(FIGURE_DATA_URL, posixpath.dirname(docname) or ".")
    node = nodes.inline(rawtext, "", classes=["page-data"])
    node += nodes.reference("", "CSV", refuri=f"{base}/{name_}.csv", classes=["page-data-csv"])
    node += nodes.Text(" · ")
    node += nodes.reference("", "about the data", refuri=f"{base}/{name_}.txt",
                            classes=["page-data-note"])
    return [node], messages


def data_release_role(name, rawtext, text, lineno, inliner, options=None, content=None):
    """{data-release}`zip` (or ``sqlite``, ``wheel``, ``sums``): a link, named by its file
    name, to that file of the data release in the site's ``data-release/`` folder
    (:mod:`summit_book.release`; the build stages it before Sphinx runs). A kind that is not
    staged is a build warning, so a strict build fails."""
    from . import release

    kind = text.strip()
    files = release.file_names()
    messages = []
    if kind not in files:
        messages.append(inliner.reporter.warning(
            f"unknown data release file '{kind}' (one of: {', '.join(files)})", line=lineno))
        return [nodes.inline(rawtext, rawtext)], messages
    if not (release.STAGE_DIR / files[kind]).exists():
        messages.append(inliner.reporter.warning(
            f"the data release has no '{files[kind]}': the build stages it "
            "(python -m summit_book.build)", line=lineno))
    docname = inliner.document.settings.env.docname
    base = posixpath.relpath(release.SITE_FOLDER, posixpath.dirname(docname) or ".")
    return [nodes.reference(rawtext, files[kind], refuri=f"{base}/{files[kind]}",
                            classes=["data-release"])], messages


def copy_data_release(app, exception):
    """Put the staged data release into the site's ``data-release/`` folder (exactly its files:
    one left from an older release is removed), only after a successful build."""
    from . import release

    if exception is not None or app.builder.format != "html" or not release.STAGE_DIR.exists():
        return
    target = Path(app.outdir) / release.SITE_FOLDER
    target.mkdir(parents=True, exist_ok=True)
    wanted = set(release.file_names().values())
    for name in sorted(wanted):
        if (release.STAGE_DIR / name).exists():
            _copy_if_changed(release.STAGE_DIR / name, target / name)
    for path in sorted(target.iterdir()):
        if path.name not in wanted:
            _remove(path)


#: Doctrees read back from disk while pages are written, by docname (see read_doctree).
_DOCTREES: dict[str, nodes.document] = {}


def read_doctree(env, docname: str) -> nodes.document:
    """A page's doctree as read, loaded from disk once per build for the lookups that only
    read it (numbered references, figure names). Sphinx unpickles the target page again for
    every ``{numref}``: with the book's 115 of them into pages holding long tables that was
    a fifth of the whole build."""
    if docname not in _DOCTREES:
        _DOCTREES[docname] = type(env).get_doctree(env, docname)
    return _DOCTREES[docname]


def forget_doctrees(*args) -> None:
    """Drop the kept doctrees (once the pages are read, and when the build ends)."""
    _DOCTREES.clear()


def _executing() -> dict | None:
    """The notebooks the build is executing while Sphinx runs (summit_book.build), or None."""
    import json
    import os

    text = os.environ.get(EXECUTING_ENV)
    return json.loads(text) if text else None


def read_executing_notebooks_last(app, env, docnames) -> None:
    """``env-before-read-docs``: the pages the build is not executing first, then the notebooks
    it is executing, in the order it executes them."""
    executing = _executing()
    if executing:
        order = {name: i for i, name in enumerate(executing["docnames"])}
        docnames.sort(key=lambda name: (name in order, order.get(name, 0)))


def wait_for_execution(app, docname, source) -> None:
    """``source-read``: before a notebook the build is executing is read, wait until the
    executor has marked it done (then its outputs are in the execution cache, or it failed
    and myst-nb executes it again to show the error), or has ended."""
    import time

    import psutil

    executing = _executing()
    if not executing or docname not in executing["docnames"]:
        return
    mark = executed_mark(docname)
    while not mark.exists():
        try:
            if psutil.Process(executing["executor"]).status() == psutil.STATUS_ZOMBIE:
                return
        except psutil.NoSuchProcess:
            return
        time.sleep(0.02)


#: Titles of the pages about to be read again, as they were (see rewrite_if_titles_changed).
_TITLES_BEFORE: dict[str, str] = {}


def note_titles_before_reading(app, env, docnames) -> None:
    """``env-before-read-docs``: the titles of the pages Sphinx is about to read again."""
    _TITLES_BEFORE.clear()
    _TITLES_BEFORE.update({d: env.titles[d].astext() for d in docnames if d in env.titles})


def rewrite_if_titles_changed(app, env):
    """``env-get-updated``: every page shows the titles of the others (the navigation, the
    search index, links), and Sphinx writes only the pages it read again. When a page's
    title changed (a meeting's city in the data, say), every page is written again, from
    the doctrees it has, so that no page keeps the old title."""
    changed = [d for d, title in _TITLES_BEFORE.items()
               if d in env.titles and env.titles[d].astext() != title]
    _TITLES_BEFORE.clear()
    return sorted(env.found_docs) if changed else []


def note_book_dependencies(app, doctree) -> None:
    """``doctree-read``: every page carries the book's citation and address (meta tags,
    canonical link, citation boxes) from CITATION.cff: a change to it reads every page again."""
    app.env.note_dependency(str(CITATION_PATH))


def use_kept_doctrees(app, env):
    """``env-get-updated``, before Sphinx's own collectors: Sphinx walks every page's doctree
    to number the figures; it reads them through :func:`read_doctree`, which keeps them for
    the numbered references resolved while the pages are written."""
    env.get_doctree = functools.partial(read_doctree, env)
    return []


def stop_using_kept_doctrees(app, env):
    """``env-get-updated``, after Sphinx's own collectors."""
    env.__dict__.pop("get_doctree", None)
    return []


def _search_english():
    from sphinx.search.en import SearchEnglish

    class SearchEnglishStemmedOnce(SearchEnglish):
        """Sphinx's English search index, stemming each distinct word once (it stemmed every
        occurrence: some 25,000 calls for the book's pages)."""

        def init(self, options):
            super().init(options)
            self._stems: dict[str, str] = {}

        def stem(self, word: str) -> str:
            stem = self._stems.get(word)
            if stem is None:
                stem = self._stems[word] = super().stem(word)
            return stem

    return SearchEnglishStemmedOnce


def _numref_domain():
    from sphinx.domains.std import StandardDomain

    class NumrefOnceDomain(StandardDomain):
        """Sphinx's standard domain, resolving ``{numref}`` from doctrees read once."""

        def _resolve_numref_xref(self, env, *args, **kwargs):
            env.get_doctree = functools.partial(read_doctree, env)
            try:
                return super()._resolve_numref_xref(env, *args, **kwargs)
            finally:
                del env.get_doctree

    return NumrefOnceDomain


#: Per page, the names of the data files it links (kept in Sphinx's environment).
FIGURE_NAMES = "summit_book_figure_names"


def collect_figure_names(app, doctree) -> None:
    """``doctree-read``: note the data files the page links, those of its named figures
    (``fig-...``) and those of its ``{data-download}`` links."""
    names = set()
    for figure in doctree.findall(nodes.figure):
        names.update(i for i in figure["ids"] if i.startswith("fig-"))
    for link in doctree.findall(nodes.reference):
        if "page-data-csv" in link.get("classes", []):
            names.add(posixpath.basename(link["refuri"])[:-len(".csv")])
    _figure_names_of(app.env)[app.env.docname] = names


def _figure_names_of(env) -> dict[str, set[str]]:
    if not hasattr(env, FIGURE_NAMES):
        setattr(env, FIGURE_NAMES, {})
    return getattr(env, FIGURE_NAMES)


def purge_figure_names(app, env, docname) -> None:
    _figure_names_of(env).pop(docname, None)


def merge_figure_names(app, env, docnames, other) -> None:
    """``env-merge-info``: the names noted by a parallel reader."""
    for docname in docnames:
        _figure_names_of(env)[docname] = _figure_names_of(other).get(docname, set())


def figure_names(env) -> set[str]:
    """The data files the pages of the book link, as noted while each page was read."""
    noted = _figure_names_of(env)
    return set().union(*(noted.get(docname, set()) for docname in env.all_docs))


def copy_figure_data(app, exception):
    """Copy the data and note of every figure and page download of the book (and of no other)
    into the site."""
    if exception is not None or app.builder.format != "html" or not FIGURE_DATA_DIR.exists():
        return
    target = Path(app.outdir) / FIGURE_DATA_URL
    target.mkdir(parents=True, exist_ok=True)
    wanted = {f"{name}{suffix}" for name in figure_names(app.env) for suffix in (".csv", ".txt")}
    for name in sorted(wanted):
        if (FIGURE_DATA_DIR / name).exists():
            _copy_if_changed(FIGURE_DATA_DIR / name, target / name)
    for path in sorted(target.iterdir()):
        if path.name not in wanted:
            _remove(path)


def _copy_if_changed(source: Path, target: Path) -> None:
    data = source.read_bytes()
    if not target.exists() or target.read_bytes() != data:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)


def _remove(path: Path) -> None:
    if path.is_dir():
        shutil.rmtree(path)
    elif path.exists():
        path.unlink()


def publish_executed_notebooks(app, exception):
    """The ``.ipynb`` download of every notebook page (the theme links ``_sources/<page>.ipynb``,
    which Sphinx copies from the committed source) becomes the notebook with the outputs this
    build executed, from the execution cache (the copy myst-nb writes to ``jupyter_execute``
    lacks the glued values)."""
    if exception is not None or app.builder.format != "html":
        return
    import nbformat
    from jupyter_cache import get_cache

    cache = get_cache(app.config.nb_execution_cache_path or
                      str(Path(app.outdir).parent / ".jupyter_cache"))
    sources = Path(app.outdir) / "_sources"
    for docname in sorted(app.env.all_docs):
        path = Path(app.env.doc2path(docname))
        if path.suffix != ".ipynb":
            continue
        try:
            _, executed = cache.merge_match_into_notebook(nbformat.read(path, as_version=4))
        except KeyError:
            logger.warning(f"no executed notebook for '{docname}' to publish as its download",
                           location=docname)
            continue
        target = sources / f"{docname}.ipynb"
        data = nbformat.writes(executed).encode("utf-8")
        if not target.exists() or target.read_bytes() != data:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)


#: Folders of the site holding files that belong to pages, which the builder re-creates for
#: the pages it writes but never clears.
PAGE_FILE_FOLDERS = ("_images", "_downloads", "_sources")


def remove_orphans(app, exception):
    """An incremental build leaves behind what pages no longer use (the images of a removed
    figure, the downloads of a removed link, the pages and sources of a removed chapter, the
    error reports of a failed build). Remove every such file, so that the site holds exactly
    what a clean build of the same sources writes."""
    if exception is not None or app.builder.format != "html":
        return
    env, outdir = app.env, Path(app.outdir)
    kept = {f"_images/{entry[1]}" for entry in env.images.values()}
    kept |= {f"_downloads/{entry[1]}" for entry in env.dlfiles.values()}
    pages = set(env.all_docs) | {"genindex", "search"} | set(app.config.html_additional_pages)
    pages |= {entry[0] for entry in getattr(app.builder, "domain_indices", [])}
    for docname in env.all_docs:
        suffix = Path(env.doc2path(docname)).suffix
        kept |= {f"_sources/{docname}{suffix}", f"_sources/{docname}{suffix}{app.config.html_sourcelink_suffix}"}
    for folder in PAGE_FILE_FOLDERS:
        for path in sorted((outdir / folder).rglob("*"), reverse=True):
            name = path.relative_to(outdir).as_posix()
            if path.is_file() and name not in kept:
                path.unlink()
            elif path.is_dir() and not any(path.iterdir()):
                path.rmdir()
    for path in sorted(outdir.rglob("*.html")):
        name = path.relative_to(outdir).as_posix()
        if not name.startswith("_") and name[:-len(".html")] not in pages:
            path.unlink()
    _remove(outdir / "reports")  # tracebacks of failed executions: a build that succeeds has none


def provide_mystnb_css_before_writing(app):
    """myst-nb copies its style sheet into ``_static`` only when the build finishes, after the
    pages are written; Sphinx adds a checksum to a style sheet's link only when the file is
    already there. So every page of a clean build linked it without the checksum and every page
    of a later build with it. Copy it before writing: every build links it the same way."""
    if app.builder.format != "html":
        return
    from myst_nb.sphinx_ext import add_global_html_resources

    (Path(app.outdir) / "_static").mkdir(parents=True, exist_ok=True)
    add_global_html_resources(app, None)


def _prune_empty_search_terms() -> None:
    """Sphinx's search index, loaded again by an incremental build, drops the pages being
    rewritten from each word's page set but keeps the words left with none: a clean build has
    no such entries. Drop them too."""
    from sphinx.search import IndexBuilder

    if getattr(IndexBuilder.prune, "_summit_book", False):
        return
    prune = IndexBuilder.prune

    def prune_and_drop_empty(self, docnames):
        prune(self, docnames)
        for mapping in (self._mapping, self._title_mapping):
            for word in [word for word, names in mapping.items() if not names]:
                del mapping[word]

    prune_and_drop_empty._summit_book = True
    IndexBuilder.prune = prune_and_drop_empty


def _meta(name: str, content: str, attribute: str = "name") -> str:
    return f'<meta {attribute}="{html_attribute(name)}" content="{html_attribute(content)}" />\n'


def page_description(doctree, book: dict, is_home: bool, limit: int = 160) -> str:
    """A page's meta description: the book's abstract on the home page, else the page's first
    paragraph of prose (cut at a word, at most ``limit`` characters)."""
    abstract = " ".join(str(book.get("abstract", "")).split())
    if is_home or doctree is None:
        text = abstract
    else:
        paragraphs = (" ".join(p.astext().split()) for p in doctree.findall(nodes.paragraph))
        text = next((p for p in paragraphs if len(p) > 40), "") or abstract
    if len(text) > limit:
        text = text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:") + "…"
    return text


def add_error_report_link(app, pagename, templatename, context, doctree):
    """Every page's footer links to how to report an error (the section of "How to read this
    book"), with the address relative to the page."""
    if app.builder.format != "html":
        return
    page = "" if pagename == "front/how_to_read" else context["pathto"]("front/how_to_read")
    target = page + "#front-report-an-error"
    link = (f'<p><a href="{html.escape(target, quote=True)}">Found an error? How to report '
            "it</a></p>")
    context["theme_extra_footer"] = str(context.get("theme_extra_footer") or "") + link


def add_meta_tags(app, pagename, templatename, context, doctree):
    """Scholarly ``citation_*`` tags (read by reference managers and Google Scholar), a
    canonical address and Open Graph cards, from CITATION.cff through the same helpers as the
    page's printed citation (:mod:`summit_book.cite`): the same title (a chapter with its
    number), authors, date, publisher and address. Chapters are described as parts of the book.
    No ``citation_pdf_url``: the site carries no PDF of a chapter (``scripts/pdf`` prints them
    outside it)."""
    from .cite import address, book_facts, chapter_number

    if app.builder.format != "html":
        return
    facts = book_facts()
    # Sphinx gives the title as HTML: drop its tags and entities, _meta escapes it once.
    page_title = html.unescape(re.sub(r"<[^>]+>", "", context.get("title") or facts["title"]))
    is_home = pagename == app.config.root_doc
    number = None if is_home else chapter_number(pagename)
    if number and not page_title.startswith(f"{number}. "):  # the theme may number it already
        page_title = f"{number}. {page_title}"
    title = facts["title"] if is_home else page_title
    description = page_description(doctree, {"abstract": facts["abstract"]}, is_home)
    url = address("" if is_home else pagename)
    tags = [_meta("citation_title", title)]
    if not is_home:
        tags.append(_meta("citation_inbook_title", facts["title"]))
    tags += [_meta("citation_author", author) for author in facts["author_list"]]
    tags += [
        _meta("citation_publication_date", facts["released"].replace("-", "/")),
        _meta("citation_publisher", facts["publisher"]),
        _meta("citation_language", "en"),
        _meta("citation_keywords", "; ".join(facts["keywords"])),
        _meta("citation_technical_report_number", f"version {facts['version']}"),
        _meta("citation_abstract", description),
        _meta("og:title", title if is_home else f"{title} | {facts['title']}", "property"),
        _meta("og:site_name", facts["title"], "property"),
        _meta("og:type", "book" if is_home else "article", "property"),
        _meta("og:description", description, "property"),
        _meta("og:locale", "en_GB", "property"),
        _meta("twitter:card", "summary"),
    ]
    if url:
        tags += [_meta("citation_public_url", url), _meta("og:url", url, "property"),
                 f'<link rel="canonical" href="{html_attribute(url)}" />\n']
    tags.append(_meta("description", description))
    context["metatags"] = context.get("metatags", "") + "".join(tags)


#: Scripts that must run before the page's inline scripts (which use what they define).
BLOCKING_SCRIPTS = ("documentation_options.js",)


def defer_scripts(app, pagename, templatename, context, doctree):
    """Every script file of the page loads without holding up its first paint (``defer``:
    fetched in parallel, run in order once the page is parsed), but those the page's inline
    scripts use at once. The search page keeps its scripts as they are: its search index
    and inline scripts call Sphinx's search scripts as they load."""
    if pagename == "search":
        return
    deferred = []
    for script in context.get("script_files", []):
        attributes = getattr(script, "attributes", None)
        if (attributes is None or not getattr(script, "filename", None) or "body" in attributes
                or "async" in attributes or "defer" in attributes
                or str(script.filename).split("?")[0].endswith(BLOCKING_SCRIPTS)):
            deferred.append(script)
            continue
        # A new asset, not the shared one changed: the search page keeps the original.
        deferred.append(type(script)(script.filename, priority=getattr(script, "priority", 500),
                                     **{**attributes, "defer": "defer"}))
    context["script_files"] = deferred


#: Scripts of extensions that act on one kind of element: a page without that element does
#: not load them (the code cells are off the pages, so most pages have none).
SCRIPTS_FOR = {
    "togglebutton.js": re.compile(r'class="[^"]*\b(?:toggle|dropdown)\b'),
    "copybutton.js": re.compile(r'class="[^"]*\bhighlight\b'),
    "clipboard.min.js": re.compile(r'class="[^"]*\bhighlight\b'),
    "design-tabs.js": re.compile(r'class="[^"]*\bsd-tab-set\b'),
}


#: Sphinx's scripts that mark the searched words on a page reached from the search results:
#: only the search page loads them with the page; elsewhere the book's script loads them when
#: the address asks for it (``?highlight=``).
SEARCH_HIGHLIGHT_SCRIPTS = ("doctools.js", "sphinx_highlight.js")


def inline_documentation_options(app, context, script):
    """Sphinx's ``documentation_options.js`` (half a kilobyte of settings that the page's
    inline scripts use at once, so it cannot wait) written into the page itself: one request
    less that holds up the first paint. Rendered from Sphinx's own template with the page's
    context, as Sphinx renders the file."""
    import sphinx

    template = (Path(sphinx.__file__).parent / "themes" / "basic" / "static"
                / "documentation_options.js.jinja")
    text = app.builder.templates.render_string(template.read_text(encoding="utf-8"), context)
    if "</" in text:
        raise ValueError("documentation_options.js would close its <script> element early")
    return type(script)(None, body=text, priority=getattr(script, "priority", 200))


def drop_idle_scripts(app, pagename, templatename, context, doctree):
    """Leave out the scripts of :data:`SCRIPTS_FOR` on a page without their elements, and
    check that the page asks for no style sheet beyond the site's single one."""
    from .page_assets import check_page_style_sheets, site_style_sheets

    if app.builder.format != "html":
        return
    check_page_style_sheets(pagename, context.get("css_files", []),
                            site_style_sheets(app.builder))
    body = context.get("body") or ""
    kept = []
    for script in context.get("script_files", []):
        name = str(getattr(script, "filename", "") or "").split("?")[0].rsplit("/", 1)[-1]
        if name in SCRIPTS_FOR and not SCRIPTS_FOR[name].search(body):
            continue
        if name in SEARCH_HIGHLIGHT_SCRIPTS and pagename != "search":
            continue  # book.js loads them when the reader comes from a search (?highlight=)
        if name == "documentation_options.js" and pagename != "search":
            script = inline_documentation_options(app, context, script)
        kept.append(script)
    context["script_files"] = kept


_IMG_TAG = re.compile(r'<img\b[^>]*>')
_IMG_SRC = re.compile(r'\bsrc="([^"]*_images/([^"/]+\.svg))"')
_SVG_BOX = re.compile(r'<svg\b[^>]*?\bviewBox="\s*[-\d.]+[\s,]+[-\d.]+[\s,]+([\d.]+)[\s,]+([\d.]+)')
_SVG_SIZE = re.compile(r'<svg\b[^>]*?\bwidth="([\d.]+)(pt|px)?"[^>]*?\bheight="([\d.]+)(pt|px)?"')


def svg_size(text: str) -> tuple[int, int] | None:
    """The drawing size of an SVG in CSS pixels (its width and height, or its viewBox)."""
    size = _SVG_SIZE.search(text)
    if size:
        scale = 4 / 3 if size[2] == "pt" else 1  # matplotlib writes points
        return round(float(size[1]) * scale), round(float(size[3]) * scale)
    box = _SVG_BOX.search(text)
    return (round(float(box[1])), round(float(box[2]))) if box else None


def size_images(app, pagename, templatename, context, doctree):
    """Give each figure image (SVG) its width and height, and let it load lazily: the browser
    reserves its box before the file arrives and shows the text first (in Chromium a chart
    that arrived with the page postponed the first paint by one or two seconds). The style
    sheet keeps the image within the column (height follows the width); the book's script
    loads every image once the page has loaded, so that printing finds them all."""
    if app.builder.format != "html" or "body" not in context:
        return
    sources = {name: path for path, name in app.builder.images.items()}

    def sized(match: re.Match) -> str:
        tag = match[0]
        src = _IMG_SRC.search(tag)
        if not src or " width=" in tag or src[2] not in sources:
            return tag
        path = Path(app.srcdir) / sources[src[2]]
        size = svg_size(path.read_text(encoding="utf-8", errors="replace")[:4000])
        if size is None:
            return tag
        return tag.replace("<img ", f'<img loading="lazy" width="{size[0]}" height="{size[1]}" ',
                           1)

    context["body"] = _IMG_TAG.sub(sized, context["body"])


#: Rows per page of a long table and the length from which a table is paged: the same numbers
#: as ``PAGE_ROWS`` and ``LONG`` in ``static/book.js`` (a test compares them).
PAGE_ROWS, LONG_TABLE = 10, 12
_PAGE_CLASS = re.compile(r"table-page-(\d)$")


def is_long_cell(text: str, header: bool) -> bool:
    """A cell that may break inside words (class ``cell-long``): a header with a word of more
    than 16 letters ("renewable water (km³/year)" must not become "rene / wabl / e"), a data
    cell of more than 24 characters or with a slash or an underscore."""
    text = " ".join(text.split())
    if header:
        return any(len(word) > 16 for word in text.split(" "))
    return len(text) > 24 or "/" in text or "_" in text


def prepare_tables(app, doctree, docname):
    """Work the book's script would otherwise do on a phone as the page opens:

    - each cell that may break inside words gets the class ``cell-long`` (:func:`is_long_cell`;
      the table gets ``cells-marked``, so the script does not measure its cells again);
    - the rows after a long table's first page get the class ``table-row-later``: with the
      script on, the style sheet keeps them out of the first layout (a phone then lays out one
      page of rows, not all), and the script takes over paging as it starts. Without the
      script, and in print, every row shows."""
    for table in doctree.findall(nodes.table):
        for part, header in ((nodes.thead, True), (nodes.tbody, False)):
            for group in table.findall(part):
                for entry in group.findall(nodes.entry):
                    if is_long_cell(entry.astext(), header):
                        entry["classes"].append("cell-long")
        table["classes"].append("cells-marked")
    mark_later_rows(doctree)


def mark_later_rows(doctree):
    """The rows after each long table's first page get the class ``table-row-later``."""
    for table in doctree.findall(nodes.table):
        pages = [int(m[1]) for c in table.get("classes", []) if (m := _PAGE_CLASS.match(c))]
        for body in table.findall(nodes.tbody):
            rows = [row for row in body.children if isinstance(row, nodes.row)]
            if not pages and len(rows) <= LONG_TABLE:
                continue
            for row in rows[(pages[0] if pages else PAGE_ROWS):]:
                row["classes"].append("table-row-later")


def drop_live_code_assets(app, pagename, templatename, context, doctree):
    """Remove sphinx-thebe's assets (Jupyter Book adds them, twice): live code would load its
    engine from another host, and the book must read the same offline and leak nothing."""
    for key in ("script_files", "css_files"):
        if key in context:
            context[key] = [asset for asset in context[key]
                            if "thebe" not in str(getattr(asset, "filename", asset) or "")
                            and "THEBE" not in str(getattr(asset, "attributes", {}).get("body", ""))]


def drop_live_code_config(app, doctree, docname):
    """Remove the live-code configuration sphinx-thebe writes into every page (it names a
    demonstration repository on another host and serves no purpose without live code)."""
    for node in list(doctree.findall(nodes.raw)):
        if "x-thebe-config" in node.astext():
            node.parent.remove(node)


#: Theme files copied into _static that no page loads: source maps (read only by developer
#: tools), the theme's translation catalogues (used while building, not by browsers) and the
#: live-code assets removed from the pages.
UNUSED_STATIC = ("locales", "**/*.map", "sphinx-thebe.js", "sphinx-thebe.css",
                 "scripts/fontawesome.js", "scripts/fontawesome.js.LICENSE.txt")


def trim_static(app, exception):
    """Write the icons the pages use (:mod:`summit_book.icons`) and the site's single style
    sheet (:mod:`summit_book.page_assets`), and remove the theme files no page loads, among
    them the 1.5 MB icon script, the style sheets and the fonts they replace."""
    if exception is not None or app.builder.format != "html":
        return
    from .icons import write_subset
    from .page_assets import remove_replaced, site_style_sheets, write_bundle

    static = Path(app.outdir) / "_static"
    sheets = site_style_sheets(app.builder)
    # When no page was out of date, Sphinx stopped before copying the theme's static files:
    # the bundle and icons of the last build stand (what extensions put into _static when
    # the builder started is removed all the same).
    if getattr(app, STATIC_COPIED, False):
        write_subset(Path(app.outdir), [static / "scripts" / "pydata-sphinx-theme.js",
                                        static / "scripts" / "sphinx-book-theme.js"])
        write_bundle(Path(app.outdir), sheets)
    remove_replaced(static, sheets)
    for pattern in UNUSED_STATIC:
        for path in sorted(static.glob(pattern)):
            if path.is_dir():
                shutil.rmtree(path)
            elif path.exists():
                path.unlink()


#: Set on the application once Sphinx has reached the end of writing (and copied the theme's
#: static files into _static): it stops before that when no page is out of date.
STATIC_COPIED = "summit_book_static_copied"


def note_static_copied(app, *args):
    """``html-collect-pages``: Sphinx is finishing the site, its static files are copied."""
    setattr(app, STATIC_COPIED, True)
    return []


STATIC_DIR = Path(__file__).resolve().parent / "static"
TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"


def add_templates(app):
    """The book's template overrides (``summit_book/templates``: the theme's layout without
    its icon script and without the search index outside the search page), searched before
    the theme's. Put into the builder's template loader rather than ``templates_path``, so
    that the configuration's fingerprint carries no absolute path of this machine."""
    from sphinx.jinja2glue import SphinxFileSystemLoader

    templates = getattr(app.builder, "templates", None)
    if templates is None or not hasattr(templates, "loaders"):
        return
    templates.loaders.insert(0, SphinxFileSystemLoader(str(TEMPLATES_DIR)))
    templates.pathchain.insert(0, str(TEMPLATES_DIR))
    templates.templatepathlen += 1


def add_static_path(app):
    """The book's own CSS and JS (``summit_book/static``) are copied into ``_static``.

    Added once the builder exists: Sphinx has then already fingerprinted the configuration
    (``.buildinfo``), which must not carry this machine's absolute path, so that builds of the
    book in different folders are byte-identical."""
    app.config.html_static_path.append(str(STATIC_DIR))


def repository_url() -> str:
    """``repository-code`` of CITATION.cff ('' while the repository is not published)."""
    import yaml

    book = yaml.safe_load(CITATION_PATH.read_text(encoding="utf-8"))
    return str(book.get("repository-code") or "").rstrip("/")


def link_chapter_code(app, doctree, docname):
    """Beside "How to cite this chapter": the chapter's code, one click away (the executed
    notebook to download, and the notebook in the repository when its address is published).
    The page itself shows prose, figures and tables only (``nb_remove_code_source``)."""
    if not docname.startswith("chapters/"):
        return
    sections = [s for s in doctree.findall(nodes.section) if "how-to-cite-this-chapter" in s["ids"]]
    if not sections:
        return
    source = f"{docname}.ipynb"
    here = posixpath.dirname(docname) or "."
    download = posixpath.relpath(f"_sources/{source}", here)
    paragraph = nodes.paragraph(classes=["chapter-code"])
    paragraph += nodes.strong("", "View and run this chapter's code: ")
    paragraph += nodes.reference("", "the executed notebook (.ipynb)", refuri=download,
                                 classes=["chapter-notebook"])
    repository = repository_url()
    if repository:
        paragraph += nodes.Text(" · ")
        paragraph += nodes.reference("", "the notebook in the repository",
                                     refuri=f"{repository}/blob/main/{source}",
                                     classes=["chapter-repository"])
        paragraph += nodes.Text(". ")
    else:
        paragraph += nodes.Text(f" (in the book's source: {source}; the repository's address "
                                "is not yet published). ")
    paragraph += nodes.Text("Open it in Jupyter with the book's environment (scripts/build "
                            "creates it) to run every cell again.")
    sections[0].insert(1, paragraph)


def setup(app):
    app.add_domain(_numref_domain(), override=True)
    app.add_search_language(_search_english())
    app.connect("env-get-updated", use_kept_doctrees, priority=100)
    app.connect("env-before-read-docs", note_titles_before_reading)
    app.connect("env-before-read-docs", read_executing_notebooks_last)
    app.connect("source-read", wait_for_execution)
    app.connect("env-get-updated", rewrite_if_titles_changed)
    app.connect("doctree-read", note_book_dependencies)
    app.connect("env-get-updated", stop_using_kept_doctrees, priority=900)
    app.connect("env-updated", forget_doctrees)
    app.connect("build-finished", forget_doctrees, priority=999)
    app.connect("builder-inited", add_static_path)
    app.connect("builder-inited", add_templates)
    app.add_css_file("book.css")
    app.add_js_file("book.js", loading_method="defer")
    app.connect("doctree-resolved", link_chapter_code)
    app.connect("html-collect-pages", note_static_copied)
    app.connect("build-finished", trim_static, priority=700)  # after the theme rewrites pygments.css
    app.connect("doctree-resolved", drop_live_code_config, priority=900)
    app.connect("html-page-context", add_meta_tags)
    app.connect("html-page-context", add_error_report_link)
    app.connect("html-page-context", drop_live_code_assets, priority=900)
    app.connect("html-page-context", defer_scripts, priority=950)
    app.connect("html-page-context", drop_idle_scripts, priority=960)
    app.connect("html-page-context", size_images)
    app.connect("doctree-resolved", prepare_tables)
    app.add_role("source", source_role)
    app.add_role("data-download", data_download_role)
    app.add_role("data-release", data_release_role)
    app.add_directive("source-list", SourceListDirective)
    app.add_directive("cite-this", CiteThisDirective)
    app.connect("doctree-resolved", link_figure_data)
    app.connect("doctree-read", collect_figure_names)
    app.connect("env-purge-doc", purge_figure_names)
    app.connect("env-merge-info", merge_figure_names)
    app.connect("build-finished", copy_figure_data)
    app.connect("build-finished", copy_data_release)
    app.connect("build-finished", publish_executed_notebooks)
    app.connect("build-finished", remove_orphans, priority=900)
    app.connect("builder-inited", provide_mystnb_css_before_writing)
    _prune_empty_search_terms()
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1"}
