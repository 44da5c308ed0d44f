"""Benchmark the book's build and tests on this machine: ``scripts/bench [--runs N]``.

Works on a scratch copy of the project (the working tree is never touched) and measures, with
several runs each, median (min-max):

- a clean build, a rebuild with no change, a rebuild after editing one chapter's prose, a
  rebuild after changing one CSV (and which notebooks were re-executed, against the ones that
  read that table);
- the nbval run over every notebook;
- the floor: one kernel start plus the book's imports, times the number of notebooks, plus the
  build's fixed cost (a rebuild that re-reads one Markdown page and executes nothing);
- the built site: total size, the shared theme assets, each chapter page with its images;
- reproducibility: files that differ between two clean builds made in different folders.

It prints a table, says for each target whether it holds, writes ``bench/results.md`` and
refreshes the figures quoted in the README (between the ``bench:start``/``bench:end`` marks).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))
from summit_book.paths import SCRATCH_COPY_IGNORE  # noqa: E402

IGNORE = shutil.ignore_patterns(*SCRATCH_COPY_IGNORE)
RESULTS = PROJECT_ROOT / "bench" / "results.md"
README = PROJECT_ROOT / "README.md"
CHANGED_TABLE = "variants"
PAGE_LIMIT_KB = 250
#: Pages that differ between builds by design: the execution report records run times.
EXPECTED_TO_DIFFER = {"appendices/execution.html"}


def copy_project(parent: Path, name: str) -> Path:
    root = parent / name
    shutil.copytree(PROJECT_ROOT, root, ignore=IGNORE)
    return root


def run(root: Path, *command: str, check: bool = True) -> tuple[float, str]:
    """Run a command in a project copy (its own package first on the path); return seconds
    and everything it printed."""
    env = {**os.environ, "PYTHONPATH": str(root), "PYDEVD_DISABLE_FILE_VALIDATION": "1"}
    started = time.perf_counter()
    result = subprocess.run(list(command), cwd=root, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    output = result.stdout + result.stderr
    if check and result.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed in {root}:\n{output[-3000:]}")
    return seconds, output


def build(root: Path) -> tuple[float, str]:
    return run(root, sys.executable, "-m", "summit_book.build")


def summary(values: list[float]) -> str:
    return f"{statistics.median(values):.2f} s ({min(values):.2f}–{max(values):.2f})"


def executed_by(output: str) -> list[str]:
    match = re.search(r"execute: \d+ notebook\(s\)[^:\n]*(?:: (.*))?", output)
    return sorted(match.group(1).split(", ")) if match and match.group(1) else []


def edit_prose(root: Path, sentence: str) -> None:
    path = root / "chapters" / "01_format.ipynb"
    notebook = json.loads(path.read_text(encoding="utf-8"))
    cell = next(c for c in notebook["cells"] if c["cell_type"] == "markdown")
    cell["source"] = "".join(cell["source"]) + f"\n\n{sentence}"
    path.write_text(json.dumps(notebook, indent=1, ensure_ascii=False), encoding="utf-8")


def edit_table(root: Path, marker: str) -> None:
    """Change the free-text notes of the table's first row."""
    path = root / "data" / f"{CHANGED_TABLE}.csv"
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    header = rows[0]
    rows[1][header.index("notes")] = f"benchmark edit {marker}"
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


def readers_of(root: Path, table: str) -> list[str]:
    code = ("import summit_book.freshness as f;"
            f"print(','.join(sorted(n for n in f.current_keys() "
            f"if '{table}' in f.tables_read(f.code_of(f.PROJECT_ROOT / n)))))")
    _, output = run(root, sys.executable, "-c", code)
    return sorted(output.strip().splitlines()[-1].split(","))


def kernel_and_imports() -> float:
    code = (
        "import time\n"
        "from jupyter_client.manager import start_new_kernel\n"
        "t = time.perf_counter()\n"
        "km, kc = start_new_kernel(kernel_name='python3')\n"
        "kc.execute_interactive('import summit_book, pandas, matplotlib.pyplot;"
        " summit_book.load_table(\"meetings\"); summit_book.use_book_style()')\n"
        "km.shutdown_kernel(now=True)\n"
        "print(time.perf_counter() - t)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    return float(result.stdout.strip().splitlines()[-1])


def page_weights(html: Path) -> dict[str, int]:
    """Each chapter page's bytes with the images it shows (not the shared theme assets)."""
    weights = {}
    for page in sorted((html / "chapters").glob("*.html")):
        text = page.read_text(encoding="utf-8")
        images = set(re.findall(r'<img [^>]*src="([^"]+)"', text))
        size = page.stat().st_size + sum((page.parent / src).stat().st_size for src in images
                                         if (page.parent / src).exists())
        weights[page.relative_to(html).as_posix()] = size
    return weights


def folder_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def differing_files(first: Path, second: Path) -> list[str]:
    names = {p.relative_to(first).as_posix() for p in first.rglob("*") if p.is_file()}
    names |= {p.relative_to(second).as_posix() for p in second.rglob("*") if p.is_file()}
    return sorted(n for n in names if not (first / n).exists() or not (second / n).exists()
                  or (first / n).read_bytes() != (second / n).read_bytes())


def machine() -> str:
    cpu = "unknown CPU"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        found = re.search(r"model name\s*:\s*(.*)", cpuinfo.read_text())
        cpu = found.group(1).strip() if found else cpu
    memory = ""
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        kb = int(re.search(r"MemTotal:\s*(\d+)", meminfo.read_text()).group(1))
        memory = f", {kb / 1024 / 1024:.0f} GiB memory"
    return (f"{os.cpu_count()} cores ({cpu}){memory}; {platform.system()} {platform.release()};"
            f" Python {platform.python_version()}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="runs per measurement")
    args = parser.parse_args(argv)
    runs = args.runs
    with tempfile.TemporaryDirectory(prefix="summit-bench-") as scratch:
        scratch = Path(scratch)
        root = copy_project(scratch, "book")
        notebooks = len(list(root.glob("chapters/*.ipynb")) + list(root.glob("front/*.ipynb"))
                        + list(root.glob("appendices/*.ipynb")))
        chapters = len(list(root.glob("chapters/*.ipynb")))
        print(f"benchmark: {runs} run(s) each, {notebooks} notebooks ({chapters} chapters)")

        clean = []
        for _ in range(runs):
            shutil.rmtree(root / "_build", ignore_errors=True)
            clean.append(build(root)[0])
        no_change = [build(root)[0] for _ in range(runs)]

        prose, prose_ok = [], True
        for index in range(runs):
            edit_prose(root, f"Benchmark sentence {index}.")
            seconds, output = build(root)
            prose.append(seconds)
            prose_ok &= executed_by(output) == [] and "0 added, 1 changed, 0 removed" in output

        expected = readers_of(root, CHANGED_TABLE)
        data, data_ok, data_executed = [], True, []
        for index in range(runs):
            edit_table(root, str(index))
            seconds, output = build(root)
            data.append(seconds)
            data_executed = executed_by(output)
            data_ok &= data_executed == expected

        fixed = []
        for index in range(runs):
            index_md = root / "index.md"
            index_md.write_text(index_md.read_text(encoding="utf-8") + "\n", encoding="utf-8")
            fixed.append(build(root)[0])
        kernels = [kernel_and_imports() for _ in range(runs)]
        floor = statistics.median(kernels) * notebooks + statistics.median(fixed)

        pristine = copy_project(scratch, "book-nbval")  # nbval compares with unedited data
        nbval_targets = [str(p.relative_to(pristine)) for pattern in
                         ("chapters/*.ipynb", "front/*.ipynb", "appendices/*.ipynb")
                         for p in sorted(pristine.glob(pattern))]
        nbval = [run(pristine, sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                     "-n", "2", "--dist", "loadfile", "--nbval", "--nbval-current-env",
                     "--nbval-sanitize-with", "tests/nbval_sanitize.cfg", *nbval_targets)[0]
                 for _ in range(runs)]

        html = root / "_build" / "html"
        weights = page_weights(html)
        total_size, theme_size = folder_size(html), folder_size(html / "_static")

        shutil.rmtree(root / "_build")
        edit_prose(root, "")  # leave the copy as a valid book; the sentences do not matter
        build(root)
        other = copy_project(scratch, "book-again")
        shutil.rmtree(other / "_build", ignore_errors=True)
        for name in ("chapters/01_format.ipynb", f"data/{CHANGED_TABLE}.csv", "index.md"):
            shutil.copy(root / name, other / name)
        build(other)
        different = differing_files(root / "_build" / "html", other / "_build" / "html")

    per_notebook_clean = statistics.median(clean) / notebooks
    per_notebook_nbval = statistics.median(nbval) / notebooks
    heaviest = max(weights.values())
    targets = [
        ("no-change rebuild under 2 s", statistics.median(no_change) < 2),
        ("a prose edit re-reads one page and executes nothing", prose_ok),
        (f"a change to {CHANGED_TABLE}.csv re-executes exactly its readers "
         f"({', '.join(expected)})", data_ok),
        ("clean build at most 0.9 s per notebook", per_notebook_clean <= 0.9),
        ("nbval at most 0.9 s per notebook", per_notebook_nbval <= 0.9),
        (f"each chapter page with its images at most {PAGE_LIMIT_KB} KB",
         heaviest <= PAGE_LIMIT_KB * 1000),
        ("two clean builds byte-identical (but the execution report, which records run times)",
         not set(different) - EXPECTED_TO_DIFFER),
    ]
    rows = [
        ("clean build", summary(clean), f"{per_notebook_clean:.2f} s per notebook"),
        ("rebuild, no change", summary(no_change), ""),
        ("rebuild after a prose edit (chapter 1)", summary(prose), "executes 0 notebooks"),
        (f"rebuild after a change to {CHANGED_TABLE}.csv", summary(data),
         f"executed: {', '.join(data_executed) or 'none'}"),
        ("nbval over all notebooks (2 workers)", summary(nbval),
         f"{per_notebook_nbval:.2f} s per notebook"),
        ("one kernel start + the book's imports", summary(kernels), ""),
        ("build fixed cost (re-read one Markdown page)", summary(fixed), ""),
        ("floor: kernels × notebooks + fixed cost", f"{floor:.2f} s",
         f"{floor / 2:.2f} s if the kernels run on both cores"),
    ]
    today = dt.date.today().isoformat()
    lines = [
        "# Benchmark results",
        "",
        f"Measured {today} with `scripts/bench --runs {runs}` on: {machine()}.",
        f"The book had {notebooks} notebooks ({chapters} chapters). Times are medians "
        "(min–max) of the runs.",
        "",
        "| measurement | time | note |",
        "|---|---|---|",
        *[f"| {name} | {value} | {note} |" for name, value, note in rows],
        "",
        "## Built site",
        "",
        f"- total: {total_size / 1000:,.0f} KB; shared theme assets (`_static`): "
        f"{theme_size / 1000:,.0f} KB",
        *[f"- `{page}` with its images: {size / 1000:,.0f} KB" for page, size in weights.items()],
        f"- files that differ between two clean builds in different folders: {len(different)}"
        + (f" ({', '.join(different[:8])})" if different else "")
        + (f"; expected: {', '.join(sorted(EXPECTED_TO_DIFFER))} records run times"
           if set(different) & EXPECTED_TO_DIFFER else ""),
        "",
        "## Targets",
        "",
        *[f"- {'holds' if ok else 'DOES NOT HOLD'}: {name}" for name, ok in targets],
        "",
        f"The per-notebook floor on both cores is {floor / 2 / notebooks:.2f} s "
        f"(kernel start and imports {statistics.median(kernels):.2f} s per notebook, halved by "
        f"the two cores, plus the fixed cost {statistics.median(fixed):.2f} s shared by "
        f"{notebooks} notebooks). A per-notebook target below that floor cannot hold until "
        "the fixed cost is shared by more chapters.",
        "",
    ]
    report = "\n".join(lines)
    RESULTS.write_text(report, encoding="utf-8")
    print(report)
    readme = README.read_text(encoding="utf-8")
    quoted = "\n".join(lines[2:4] + [""] + lines[5:5 + 2 + len(rows)] + [""]
                       + lines[-len(targets) - 3:-1])
    readme = re.sub(r"(<!-- bench:start -->\n).*?(<!-- bench:end -->)",
                    lambda m: m.group(1) + quoted + "\n" + m.group(2), readme, flags=re.S)
    README.write_text(readme, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
