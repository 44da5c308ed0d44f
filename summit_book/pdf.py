"""Print the built chapters to PDF with Debian's Chromium: ``scripts/pdf`` writes
``_build/pdf/<chapter>.pdf`` for every chapter page (build the book first).

Why this way: the pages are already laid out, numbered and captioned for the web, and the
theme's print stylesheet drops the navigation, so printing them gives a faithful, citable
PDF of each chapter without a LaTeX tool chain (which Jupyter Book's PDF route needs and this
machine lacks). Readers can do the same from any page with the theme's download menu (PDF).
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from .paths import BOOK_READY, BUILD_DIR, CHROMIUM_ARGS, HTML_DIR, PROJECT_ROOT

PDF_DIR = BUILD_DIR / "pdf"


def chapter_pages() -> list[Path]:
    """The built pages of the chapters (one per chapter notebook)."""
    return [HTML_DIR / "chapters" / f"{p.stem}.html"
            for p in sorted((PROJECT_ROOT / "chapters").glob("*.ipynb"))]


def print_pages(pages: list[Path], out_dir: Path = PDF_DIR, browser=None) -> list[Path]:
    """Print each page to ``out_dir/<stem>.pdf`` (A4, backgrounds on); return the PDFs.

    ``browser``: a Playwright Chromium browser already open (tests pass theirs); by default
    Debian's Chromium is started for the job.
    """
    if browser is None:
        from playwright.sync_api import sync_playwright

        chromium = shutil.which("chromium") or "/usr/bin/chromium"
        with sync_playwright() as playwright:
            launched = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
            try:
                return print_pages(pages, out_dir, launched)
            finally:
                launched.close()
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    page = browser.new_page()
    for html in pages:
        page.goto(html.resolve().as_uri(), wait_until="load")
        page.wait_for_function(BOOK_READY, timeout=30000)  # tables set up, every image in
        target = out_dir / f"{html.stem}.pdf"
        page.pdf(path=str(target), format="A4", print_background=True,
                 margin={"top": "18mm", "bottom": "18mm", "left": "16mm", "right": "16mm"})
        written.append(target)
    page.close()
    return written


def main() -> int:
    missing = [p for p in chapter_pages() if not p.exists()]
    if missing:
        print(f"pdf: build the book first (missing {missing[0].relative_to(PROJECT_ROOT)})",
              file=sys.stderr)
        return 1
    for path in print_pages(chapter_pages()):
        print(f"pdf: wrote {path.relative_to(PROJECT_ROOT)} ({path.stat().st_size / 1000:,.0f} KB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
