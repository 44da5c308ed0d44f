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


def nu_checker(pages: list[Path]) -> list[str] | None:
    """Errors of the Nu HTML Checker (vnu.jar) over the pages, whole (the theme's template
    fragments included), as ``page:line: message``; None if it is not installed."""
    jar = vnu_jar()
    if not jar or not shutil.which("java"):
        return None
    result = subprocess.run(["java", "-jar", jar, "--format", "json", "--errors-only",
                             *map(str, pages)], capture_output=True, text=True, timeout=900)
    messages = json.loads(result.stderr or "{}").get("messages", [])
    errors = []
    for m in messages:
        if m.get("type") != "error":
            continue
        url = m.get("url", "")
        page = (Path(url.removeprefix("file:")).relative_to(HTML_DIR).as_posix()
                if url.startswith("file:") else url)
        errors.append(f"{page}:{m.get('lastLine')}: {m.get('message')}")
    return errors


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
        lines.append(f"W3C Nu HTML Checker (vnu.jar, errors only) over {len(pages)} pages, "
                     f"each checked whole, the theme's template fragments included (none is "
                     f"left out): {len(nu)} errors.")
        lines += [f"- {e}" for e in nu[:50]]
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"audit: wrote {OUT.relative_to(PROJECT_ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
