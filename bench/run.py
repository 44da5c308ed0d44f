"""Benchmark the book's build and tests on this machine:
``scripts/bench [--runs N] [--with-tests] [--scale 10,100] [--scale-builds 10]``.

Works on scratch copies of the project (the working tree is never touched) and measures, with
several runs each, median (min-max):

- interleaved, run by run: a clean ``scripts/build`` (``python -m summit_book.build``) and a
  clean stock ``jupyter-book build .`` of the same sources, each in its own copy;
- a rebuild with no change, a rebuild after editing one chapter's prose, a rebuild after
  changing one CSV (and which notebooks were re-executed, against the ones that read that
  table);
- the floor: one kernel start plus the book's imports per notebook, shared by the cores, plus
  the build's fixed cost (a rebuild that re-reads one Markdown page and executes nothing);
  the kernel start is that of an ordinary (cold) kernel; the same in the warm kernels the
  build forks (summit_book.warm_kernels) is reported beside it;
- each chapter's table loading (its tables, in a new process, once the build has validated
  them) and the same without the validated tables kept (validation in every kernel);
- the nbval run over every notebook, and with ``--with-tests`` the whole ``scripts/test``
  suite once (its pytest command, in a clean copy, with the slowest tests named);
- a scale run: the proposals and statements tables grown 10x and 100x by a generator of
  synthetic rows (in scratch copies only), timing validation, loading and each build stage;
- the built site: total size, the shared theme assets, each chapter page with its images;
- reproducibility: files that differ between two clean builds made in different folders.

It prints a table, says for each target of issue 16 whether it holds (with the ratio),
writes ``bench/results.md`` and refreshes the figures quoted in the README (between the
``bench:start``/``bench:end`` marks).
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


def stock_build(root: Path) -> tuple[float, str]:
    """Jupyter Book's own command, as a reader of its documentation would run it."""
    return run(root, str(Path(sys.executable).with_name("jupyter-book")), "build", ".")


def stages_of(output: str) -> dict[str, float]:
    """The build's own timing of its stages (its line ``build: stages: ...``)."""
    found = re.search(r"build: stages: (.*)", output)
    return {name: float(seconds) for name, seconds in
            re.findall(r"([a-z][a-z ]*?) ([0-9.]+) s", found.group(1))} if found else {}


def summary(values: list[float]) -> str:
    return f"{statistics.median(values):.2f} s ({min(values):.2f}–{max(values):.2f})"


def executed_by(output: str) -> list[str]:
    match = re.search(r"execute: \d+ notebook\(s\)[^:\n]*(?:: (.*))?", output)
    return sorted(match.group(1).split(", ")) if match and match.group(1) else []


def edit_prose(root: Path, sentence: str) -> None:
    path = root / "chapters" / "01_format.ipynb"
    notebook = json.loads(path.read_text(encoding="utf-8"))
    cell = next(c for c in notebook["cells"] if c["cell_type"] == "markdown"
                and "remove-cell" not in c["metadata"].get("tags", []))  # a cell on the page
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


def table_loading(root: Path, chapters: list[str], keep: bool) -> dict[str, float]:
    """Seconds each chapter's tables take to load in a new process that has imported pandas
    and the package (what the chapter's loading cell does after the kernel's imports): with
    the validated tables the build kept (``keep``), or validating them as if none were kept."""
    code = (
        "import json, sys, time\n"
        "import pandas, summit_book.freshness as f, summit_book.tables as t\n"
        + ("" if keep else "import tempfile, summit_book.paths as p\n"
           "p.TABLE_CACHE_DIR = __import__('pathlib').Path(tempfile.mkdtemp())\n")
        + "names = f.tables_read(f.code_of(f.PROJECT_ROOT / sys.argv[1]))\n"
        "started = time.perf_counter()\n"
        "for name in names: t.load_table(name)\n"
        "print(time.perf_counter() - started)\n"
    )
    return {chapter: float(run(root, sys.executable, "-c", code, chapter)[1].split()[-1])
            for chapter in chapters}


#: What a chapter's first cell pays for in a new kernel: the book's imports and style.
BOOK_IMPORTS = ("import summit_book, summit_book.tables, pandas, matplotlib.pyplot; "
                "summit_book.use_book_style()")


def kernel_and_imports() -> float:
    code = (
        "import time\n"
        "from jupyter_client.manager import start_new_kernel\n"
        "t = time.perf_counter()\n"
        "km, kc = start_new_kernel(kernel_name='python3')\n"
        f"kc.execute_interactive({BOOK_IMPORTS!r})\n"
        "km.shutdown_kernel(now=True)\n"
        "print(time.perf_counter() - t)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    return float(result.stdout.strip().splitlines()[-1])


def warm_kernel_and_imports(root: Path) -> float:
    """The same in a kernel the build starts: forked from the build's kernel server (which
    is started, and imports, while the build validates the data; not counted here)."""
    code = (
        "import time\n"
        "from summit_book.warm_kernels import WarmKernelServer, warm_kernel_manager_class\n"
        "with WarmKernelServer():\n"
        "    t = time.perf_counter()\n"
        "    km = warm_kernel_manager_class()(kernel_name='python3')\n"
        "    km.start_kernel()\n"
        "    kc = km.client()\n"
        "    kc.start_channels()\n"
        "    kc.wait_for_ready(timeout=60)\n"
        f"    kc.execute_interactive({BOOK_IMPORTS!r})\n"
        "    seconds = time.perf_counter() - t\n"
        "    km.shutdown_kernel(now=True)\n"
        "print('SECONDS', seconds)\n"
    )
    return float(re.search(r"SECONDS ([0-9.]+)", run(root, sys.executable, "-c", code)[1])[1])


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


#: The tables the scale run grows, and the pattern-safe suffix of the synthetic keys.
GROWN_TABLES = {"proposals": "proposal_id", "statements": "statement_id"}
TARGET_STOCK_RATIO, TARGET_FLOOR_RATIO, TARGET_NBVAL_RATIO = 0.45, 1.3, 1.2
TARGET_LOADING, TARGET_TESTS, TARGET_NO_CHANGE = 0.1, 180.0, 1.0


def grow(root: Path, factor: int) -> dict[str, int]:
    """Synthetic rows for the scale run, in a scratch copy only: each row of the grown tables
    repeated ``factor`` times in all, with a new primary key (``-x1``, ``-x2``...). Returns the
    rows per table."""
    sizes = {}
    for table, key in GROWN_TABLES.items():
        path = root / "data" / f"{table}.csv"
        rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
        grown = list(rows)
        for copy in range(1, factor):
            grown += [{**row, key: f"{row[key]}-x{copy}"} for row in rows]
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(grown)
        path.write_text(out.getvalue(), encoding="utf-8")
        sizes[table] = len(grown)
    return sizes


def validation_and_loading(root: Path) -> dict[str, float]:
    """Seconds to validate the whole package, to load the grown tables validating them (no
    table kept) and to load them again in a new process from what was kept."""
    code = (
        "import sys, tempfile, time, pathlib\n"
        "import pandas, summit_book.paths as p, summit_book.tables as t\n"
        "p.TABLE_CACHE_DIR = pathlib.Path(sys.argv[1])\n"
        "names = sys.argv[2].split(',')\n"
        "s = time.perf_counter(); problems = t.validate_all(); v = time.perf_counter() - s\n"
        "assert not problems, problems[:3]\n"
        "t._parsed_cached.cache_clear()\n"
        "s = time.perf_counter()\n"
        "for n in names: t.load_table(n)\n"
        "print(v, time.perf_counter() - s)\n"
    )
    warm = ("import sys, time, pathlib\n"
            "import pandas, summit_book.paths as p, summit_book.tables as t\n"
            "p.TABLE_CACHE_DIR = pathlib.Path(sys.argv[1])\n"
            "s = time.perf_counter()\n"
            "for n in sys.argv[2].split(','): t.load_table(n)\n"
            "print(time.perf_counter() - s)\n")
    with tempfile.TemporaryDirectory(prefix="summit-bench-cache-") as cache:
        names = ",".join(GROWN_TABLES)
        validation, cold = map(float, run(root, sys.executable, "-c", code, cache, names)[1]
                               .split()[-2:])
        loaded = float(run(root, sys.executable, "-c", warm, cache, names)[1].split()[-1])
    return {"validation": validation, "loading, validated afresh": cold,
            "loading, kept": loaded}


def run_suite(root: Path) -> tuple[float, str]:
    """The whole suite as scripts/test runs it (its pytest command, in this environment), with
    the slowest tests listed."""
    script = (PROJECT_ROOT / "scripts" / "test").read_text(encoding="utf-8")
    command = re.search(r"^python -m pytest (.*?) \"\$@\"$", script, re.M).group(1).split()
    # The environment is counted as created (issue 16): the tests' tool environment too.
    run(root, "bash", "-c", 'source "$0" && ensure_tool_env "$@"', str(root / "scripts/tool_env.sh"),
        str(root / ".venv/tools/cffconvert"), str(root / "tests/cffconvert-requirements.txt"),
        sys.executable)
    seconds, output = run(root, sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                          "--durations=12", *command, check=False)
    if not re.search(r"\d+ passed", output) or re.search(r"\d+ (failed|error)", output):
        print(f"benchmark: scripts/test did not pass:\n{output[-3000:]}", file=sys.stderr)
    return seconds, output


def progress(name: str, seconds: float) -> None:
    """One line as each measurement ends (a long run shows where it is)."""
    print(f"benchmark: {name}: {seconds:.2f} s", flush=True)


def verdict(ok: bool) -> str:
    return "holds" if ok else "DOES NOT HOLD"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="runs per measurement")
    parser.add_argument("--with-tests", action="store_true",
                        help="also run the whole test suite once (long)")
    parser.add_argument("--scale", default="10,100",
                        help="factors of the scale run, comma-separated ('' for none)")
    parser.add_argument("--no-reproducibility", action="store_true",
                        help="skip the two extra clean builds that compare folders")
    parser.add_argument("--scale-builds", default=None,
                        help="factors whose grown copy is also built (default: all of --scale)")
    args = parser.parse_args(argv)
    runs = args.runs
    factors = [int(f) for f in args.scale.split(",") if f.strip()]
    built_factors = factors if args.scale_builds is None else [
        int(f) for f in args.scale_builds.split(",") if f.strip()]
    cores = os.cpu_count() or 1
    with tempfile.TemporaryDirectory(prefix="summit-bench-") as scratch:
        scratch = Path(scratch)
        root = copy_project(scratch, "book")
        stock_root = copy_project(scratch, "book-stock")
        notebook_paths = [p.relative_to(root).as_posix() for pattern in
                          ("index.ipynb", "chapters/*.ipynb", "front/*.ipynb",
                           "appendices/*.ipynb") for p in sorted(root.glob(pattern))]
        chapter_paths = [n for n in notebook_paths if n.startswith("chapters/")]
        notebooks, chapters = len(notebook_paths), len(chapter_paths)
        print(f"benchmark: {runs} run(s) each, {notebooks} notebooks ({chapters} chapters)")

        clean, stock, stages = [], [], {}
        for _ in range(runs):  # interleaved: both see the same machine load
            shutil.rmtree(root / "_build", ignore_errors=True)
            seconds, output = build(root)
            clean.append(seconds)
            stages = stages_of(output)
            progress("clean build", seconds)
            shutil.rmtree(stock_root / "_build", ignore_errors=True)
            stock.append(stock_build(stock_root)[0])
            progress("clean stock jupyter-book build", stock[-1])
        no_change = [build(root)[0] for _ in range(runs)]
        kept = table_loading(root, chapter_paths, keep=True)
        validated = table_loading(root, chapter_paths, keep=False)
        progress("slowest table loading, kept", max(kept.values()))
        progress("slowest table loading, validated", max(validated.values()))

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
            page = root / "front" / "how_to_read.md"
            page.write_text(page.read_text(encoding="utf-8") + "\n", encoding="utf-8")
            fixed.append(build(root)[0])
        kernels = [kernel_and_imports() for _ in range(runs)]
        warm_kernels = [warm_kernel_and_imports(root) for _ in range(runs)]
        kernel = statistics.median(kernels)
        floor = kernel * notebooks / cores + statistics.median(fixed)
        progress("floor", floor)

        pristine = copy_project(scratch, "book-nbval")  # nbval compares with unedited data
        nbval = [run(pristine, sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                     "-p", "summit_book.nbval_warm",
                     "-n", str(cores), "--dist", "loadfile", "--nbval", "--nbval-current-env",
                     "--nbval-sanitize-with", "tests/nbval_sanitize.cfg",
                     *[n for n in notebook_paths if "/" in n])[0]  # as scripts/test does
                 for _ in range(runs)]
        progress("nbval", statistics.median(nbval))
        suite, slowest = None, []
        if args.with_tests:
            suite, output = run_suite(pristine)
            slowest = re.findall(r"^\s*([0-9.]+)s (call|setup|teardown)\s+(\S+)", output, re.M)

        html = root / "_build" / "html"
        weights = page_weights(html)
        total_size, theme_size = folder_size(html), folder_size(html / "_static")

        different = None
        if not args.no_reproducibility:
            shutil.rmtree(root / "_build")
            edit_prose(root, "")  # leave the copy a valid book; the sentences do not matter
            build(root)
            other = copy_project(scratch, "book-again")
            shutil.rmtree(other / "_build", ignore_errors=True)
            for name in ("chapters/01_format.ipynb", f"data/{CHANGED_TABLE}.csv",
                         "front/how_to_read.md"):
                shutil.copy(root / name, other / name)
            build(other)
            different = differing_files(root / "_build" / "html", other / "_build" / "html")
            shutil.rmtree(other)

        scale = {1: {"rows": grow(pristine, 1), **validation_and_loading(pristine),
                     **{f"build: {k}": v for k, v in stages.items()},
                     "build": statistics.median(clean)}}
        for factor in factors:
            grown = copy_project(scratch, f"book-x{factor}")
            scale[factor] = {"rows": grow(grown, factor), **validation_and_loading(grown)}
            if factor not in built_factors:
                shutil.rmtree(grown)
                continue
            run(grown, sys.executable, "-m", "summit_book.bibliography")
            try:
                seconds, output = build(grown)
                scale[factor].update({f"build: {k}": v for k, v in stages_of(output).items()},
                                     build=seconds)
            except RuntimeError as error:
                scale[factor]["build failed"] = str(error).splitlines()[-1][:200]
            shutil.rmtree(grown)

    median_clean, median_stock = statistics.median(clean), statistics.median(stock)
    median_nbval = statistics.median(nbval)
    slowest_chapter = max(kept, key=kept.get)
    heaviest = max(weights.values())
    scale_ok, scale_notes = True, []
    if factors:
        top = max(factors)
        for stage in ("validation", "loading, validated afresh", "loading, kept"):
            ratio = scale[top][stage] / scale[1][stage]
            scale_ok &= ratio <= top
            scale_notes.append(f"{stage} {ratio:.1f}×")
    targets = [
        (f"clean build ≤ {TARGET_STOCK_RATIO} × stock `jupyter-book build` "
         f"(ratio {median_clean / median_stock:.2f})", median_clean <= TARGET_STOCK_RATIO * median_stock),
        (f"clean build ≤ {TARGET_FLOOR_RATIO} × the floor (ratio {median_clean / floor:.2f})",
         median_clean <= TARGET_FLOOR_RATIO * floor),
        (f"a chapter's table loading ≤ {TARGET_LOADING} s (slowest: {slowest_chapter}, "
         f"{kept[slowest_chapter] * 1000:.0f} ms)", kept[slowest_chapter] <= TARGET_LOADING),
        (f"nbval over all notebooks ≤ {TARGET_NBVAL_RATIO} × the floor "
         f"(ratio {median_nbval / floor:.2f})", median_nbval <= TARGET_NBVAL_RATIO * floor),
        (f"`scripts/test` ≤ {TARGET_TESTS / 60:.0f} minutes "
         + (f"({suite:.0f} s)" if suite is not None else "(not run: `--with-tests`)"),
         suite is not None and suite <= TARGET_TESTS),
        (f"no-change rebuild < {TARGET_NO_CHANGE:.0f} s "
         f"({statistics.median(no_change):.2f} s)", statistics.median(no_change) < TARGET_NO_CHANGE),
        (f"a change to {CHANGED_TABLE}.csv re-executes exactly its readers "
         f"({', '.join(expected)})", data_ok),
        ("a prose edit re-reads one page and executes nothing", prose_ok),
    ]
    if factors:
        targets.append((f"validation and loading grow at most linearly ({max(factors)}× rows: "
                        + ", ".join(scale_notes) + ")", scale_ok))
    targets += [
        (f"each chapter page with its images at most {PAGE_LIMIT_KB} KB",
         heaviest <= PAGE_LIMIT_KB * 1000),
    ]
    if different is not None:
        targets.append(("two clean builds byte-identical (but the execution report, which "
                        "records run times)", not set(different) - EXPECTED_TO_DIFFER))
    rows = [
        ("clean build (`scripts/build`)", summary(clean),
         ", ".join(f"{k} {v:.1f} s" for k, v in stages.items())),
        ("clean stock `jupyter-book build .`", summary(stock),
         f"build/stock = {median_clean / median_stock:.2f}"),
        ("rebuild, no change", summary(no_change), ""),
        ("rebuild after a prose edit (chapter 1)", summary(prose), "executes 0 notebooks"),
        (f"rebuild after a change to {CHANGED_TABLE}.csv", summary(data),
         f"executed: {len(data_executed)} notebook(s)"),
        ("a chapter's table loading, validated tables kept", f"{max(kept.values()) * 1000:.0f} ms",
         f"slowest of {chapters} chapters ({slowest_chapter}); median "
         f"{statistics.median(kept.values()) * 1000:.0f} ms"),
        ("the same, validating in every kernel (before)", f"{max(validated.values()) * 1000:.0f} ms",
         f"median {statistics.median(validated.values()) * 1000:.0f} ms"),
        (f"nbval over all notebooks ({cores} workers)", summary(nbval),
         f"nbval/floor = {median_nbval / floor:.2f}"),
        ("one kernel start + the book's imports", summary(kernels), "a cold kernel, as the floor counts it"),
        ("the same in the build's warm kernels", summary(warm_kernels),
         "forked from a server that imported once (summit_book.warm_kernels)"),
        ("build fixed cost (re-read one Markdown page)", summary(fixed), ""),
        (f"floor: kernel × {notebooks} notebooks / {cores} cores + fixed cost", f"{floor:.2f} s",
         f"build/floor = {median_clean / floor:.2f}"),
    ]
    if suite is not None:
        rows.append(("`scripts/test` (whole suite, once)", f"{suite:.1f} s", ""))
    today = dt.date.today().isoformat()
    options = f"--runs {runs}" + (" --with-tests" if args.with_tests else "") \
        + (f" --scale {args.scale}" if factors else " --scale ''") \
        + (f" --scale-builds '{args.scale_builds}'" if args.scale_builds is not None else "") \
        + (" --no-reproducibility" if args.no_reproducibility else "")
    lines = [
        "# Benchmark results",
        "",
        f"Measured {today} with `scripts/bench {options}` on: {machine()}.",
        f"The book had {notebooks} notebooks ({chapters} chapters). Times are medians "
        "(min–max) of the runs; the two clean builds ran interleaved.",
        "",
        "| measurement | time | note |",
        "|---|---|---|",
        *[f"| {name} | {value} | {note} |" for name, value, note in rows],
        "",
        "## Targets (issue 16)",
        "",
        *[f"- {verdict(ok)}: {name}" for name, ok in targets],
        "",
        f"The floor is {floor:.2f} s: one kernel start with the book's imports "
        f"({kernel:.2f} s) for each of {notebooks} notebooks, shared by {cores} cores, plus "
        f"the build's fixed cost ({statistics.median(fixed):.2f} s).",
        "",
    ]
    if factors:
        stage_names = sorted({k for v in scale.values() for k in v if k != "rows"},
                             key=lambda k: (not k.startswith(("validation", "loading")), k))
        lines += [
            "## Scale run",
            "",
            "The proposals and statements tables grown by synthetic rows (each row repeated "
            "with a new key, in a scratch copy only). Seconds:",
            "",
            "| stage | " + " | ".join(
                f"{f}× ({', '.join(f'{n:,} {t}' for t, n in scale[f]['rows'].items())})"
                for f in scale) + " |",
            "|---|" + "---|" * len(scale),
            *[f"| {stage} | " + " | ".join(
                (f"{scale[f][stage]:.2f}" if isinstance(scale[f].get(stage), float)
                 else str(scale[f].get(stage, "–"))) for f in scale) + " |"
              for stage in stage_names],
            "",
        ]
    if slowest:
        lines += ["## Slowest tests", "",
                  *[f"- {seconds} s {phase} `{name}`" for seconds, phase, name in slowest], ""]
    lines += [
        "## Built site",
        "",
        f"- total: {total_size / 1000:,.0f} KB; shared theme assets (`_static`): "
        f"{theme_size / 1000:,.0f} KB",
        *[f"- `{page}` with its images: {size / 1000:,.0f} KB" for page, size in weights.items()],
        ("- files that differ between two clean builds in different folders: not measured "
         "(`--no-reproducibility`; tests/test_build.py checks it)" if different is None else
         f"- files that differ between two clean builds in different folders: {len(different)}"
         + (f" ({', '.join(different[:8])})" if different else "")
         + (f"; expected: {', '.join(sorted(EXPECTED_TO_DIFFER))} records run times"
            if set(different) & EXPECTED_TO_DIFFER else "")),
        "",
    ]
    report = "\n".join(lines)
    old = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else ""
    kept_sections = old[old.index("\n## The reader's page"):] if "\n## The reader's page" in old else ""
    RESULTS.write_text(report + kept_sections, encoding="utf-8")
    print(report)
    readme = README.read_text(encoding="utf-8")
    targets_start = lines.index("## Targets (issue 16)")
    quoted = "\n".join(lines[2:4] + [""] + lines[5:5 + 2 + len(rows)] + [""]
                       + lines[targets_start + 2:targets_start + 2 + len(targets) + 2])
    readme = re.sub(r"(<!-- bench:start -->\n).*?(<!-- bench:end -->)",
                    lambda m: m.group(1) + quoted + "\n" + m.group(2), readme, flags=re.S)
    README.write_text(readme, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
