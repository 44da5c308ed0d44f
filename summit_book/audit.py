"""``scripts/audit``: Lighthouse mobile scores and W3C Nu HTML Checker errors of the built
site, written to ``bench/audit.md`` with the commands that produced them."""

from __future__ import annotations

import datetime
import functools
import http.server
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

from .paths import HTML_DIR, PROJECT_ROOT

PAGES = ["index.html", "chapters/01_format.html", "chapters/03_transport.html",
         "chapters/10_proposals.html"]
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
CHROME = shutil.which("chromium") or "/usr/bin/chromium"
OUT = PROJECT_ROOT / "bench" / "audit.md"


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def serve(directory: Path):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0),
                                             functools.partial(_Quiet, directory=str(directory)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def lighthouse(url: str) -> dict:
    """Lighthouse's default mobile run (simulated slow 4G, 4x CPU slow-down)."""
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "report.json"
        command = ["lighthouse", url, "--output=json", f"--output-path={report}", "--quiet",
                   "--chrome-flags=--headless --no-sandbox --disable-gpu",
                   f"--only-categories={','.join(CATEGORIES)}"]
        subprocess.run(command, check=True, env={**os.environ, "CHROME_PATH": CHROME},
                       capture_output=True, text=True, timeout=300)
        data = json.loads(report.read_text())
    audits = data["audits"]
    return {"scores": {c: round(100 * (data["categories"][c]["score"] or 0)) for c in CATEGORIES},
            "fcp": audits["first-contentful-paint"]["displayValue"],
            "lcp": audits["largest-contentful-paint"]["displayValue"],
            "tbt": audits["total-blocking-time"]["displayValue"],
            "cls": audits["cumulative-layout-shift"]["displayValue"],
            "weight": audits["total-byte-weight"]["displayValue"],
            "cpu": data.get("environment", {}).get("benchmarkIndex")}


def vnu_jar() -> str | None:
    """vnu.jar of the npm package vnu-jar (``npm install -g vnu-jar``), or $VNU_JAR."""
    if os.environ.get("VNU_JAR"):
        return os.environ["VNU_JAR"]
    roots = [Path("/usr/local/lib/node_modules"), Path("/usr/lib/node_modules")]
    if shutil.which("npm"):
        found = subprocess.run(["npm", "root", "-g"], capture_output=True, text=True)
        roots.insert(0, Path(found.stdout.strip()))
    return next((str(root / "vnu-jar/build/dist/vnu.jar") for root in roots
                 if (root / "vnu-jar/build/dist/vnu.jar").exists()), None)


#: Errors that come from the page theme's own templates (pydata-sphinx-theme and
#: sphinx-book-theme, installed packages the book does not edit), each with why it is left:
#: (text the message contains, text the offending markup contains, reason).
THEME_FRAGMENTS = [
]


def theme_reason(message: dict) -> str | None:
    """Why an error is the theme's (a reason from :data:`THEME_FRAGMENTS`), or None: the
    book's own."""
    for text, extract, reason in THEME_FRAGMENTS:
        if text in message.get("message", "") and extract in message.get("extract", ""):
            return reason
    return None


def nu_checker(pages: list[Path]) -> tuple[list[str], list[str]] | None:
    """The Nu HTML Checker (vnu.jar) over the pages: (the book's errors, the theme's errors
    with the reason they are left), or None if it is not installed."""
    jar = vnu_jar()
    if not jar or not shutil.which("java"):
        return None
    result = subprocess.run(["java", "-jar", jar, "--format", "json", "--errors-only",
                             *map(str, pages)], capture_output=True, text=True, timeout=900)
    messages = [m for m in json.loads(result.stderr or "{}").get("messages", [])
                if m.get("type") == "error"]
    book, theme = [], []
    for m in messages:
        page = Path(m.get("url", "").removeprefix("file:")).relative_to(HTML_DIR).as_posix() \
            if m.get("url", "").startswith("file:") else m.get("url", "")
        line = f"{page}:{m.get('lastLine')}: {m.get('message')}"
        reason = theme_reason(m)
        if reason:
            theme.append(f"{line} (theme: {reason})")
        else:
            book.append(line)
    return book, theme


def main() -> int:
    if not (HTML_DIR / "index.html").exists():
        print("audit: build the book first (scripts/build)", file=sys.stderr)
        return 1
    lines = [f"# Audit of the built site ({datetime.date.today().isoformat()})", "",
             "Command: `scripts/audit` (site served by Python's http.server on 127.0.0.1; "
             "Lighthouse default mobile settings, Debian's Chromium).", ""]
    if shutil.which("lighthouse"):
        server = serve(HTML_DIR)
        base = f"http://127.0.0.1:{server.server_address[1]}/"
        lines += ["| page | performance | accessibility | best practices | SEO | first paint | "
                  "largest paint | blocking time | layout shift | weight | CPU index |",
                  "|---|---|---|---|---|---|---|---|---|---|---|"]
        for page in PAGES:
            result = lighthouse(base + page)
            s = result["scores"]
            lines.append(f"| {page} | {s['performance']} | {s['accessibility']} | "
                         f"{s['best-practices']} | {s['seo']} | {result['fcp']} | "
                         f"{result['lcp']} | {result['tbt']} | {result['cls']} | "
                         f"{result['weight']} | {result['cpu']} |")
            print(lines[-1])
        server.shutdown()
        lines += ["", "CPU index: Lighthouse's benchmark of the machine at the time of the run "
                  "(a typical desktop scores 1,000 to 2,000); Lighthouse slows the CPU four times "
                  "on top of it, so blocking time depends on how busy the machine was."]
    else:
        lines.append("Lighthouse: not installed (npm install -g lighthouse).")
    pages = sorted(p for p in HTML_DIR.rglob("*.html")
                   if not p.relative_to(HTML_DIR).as_posix().startswith(("_static/", "_sources/")))
    nu = nu_checker(pages)
    lines.append("")
    if nu is None:
        lines.append("Nu HTML Checker: not installed (npm install -g vnu-jar; needs Java).")
    else:
        book, theme = nu
        lines.append(f"W3C Nu HTML Checker (vnu.jar, errors only) over {len(pages)} pages: "
                     f"{len(book)} errors in the book's own markup.")
        lines += [f"- {e}" for e in book[:50]]
        lines += ["", f"Left out as the theme's template fragments: {len(theme)} errors "
                  "(in the installed theme's templates, which the book does not edit; the "
                  "reason is given for each)."]
        lines += [f"- {e}" for e in theme[:50]]
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"audit: wrote {OUT.relative_to(PROJECT_ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
