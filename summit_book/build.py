"""Build the book into ``_build/html``: ``python -m summit_book.build`` (what scripts/build runs).

In one process:

1. **Up to date?** A hash of every input file of the book (sources, data, configuration, this
   package, requirements) is compared with the one recorded after the last successful build;
   if nothing changed, the build stops here.
2. **Validate** every table (a bad row stops the build, naming file, row and column), and keep
   each validated table under a hash of its content (``_build/.summit_book/tables``), from
   which the kernels load it without validating it again.
3. **Freshness**: drop the execution-cache entries of notebooks whose data changed
   (:mod:`summit_book.freshness`), so no page is stale.
4. **Execute** every notebook that has no valid cache entry, on all cores at once, into the
   execution cache (one kernel per notebook, forked warm from a process that has already
   imported what the notebooks import: :mod:`summit_book.warm_kernels`), in a child process
   that an interruption stops with everything it started.
5. **Sphinx**, at the same time: a strict Jupyter Book build (warnings are errors, execution
   errors raised). It reads the pages that are not being executed first, then each notebook
   being executed once the executor has marked it done, so it only reads outputs from the
   cache (:func:`summit_book.sphinx_ext.wait_for_execution`). The book's extension then removes from
   ``_build/html`` what a clean build would not produce and puts this build's executed
   notebooks behind the pages' ``.ipynb`` downloads.
6. Record the execution keys and the input hash.

**A build is a transaction.** Before it changes anything (step 3) it marks the build folder as
in progress and removes the input hash; only a build that succeeds records the new state and
clears the mark. After a failed or interrupted build (or a revert of what it carried), the next
build re-executes every notebook the abandoned build could have executed
(:func:`summit_book.freshness.prepare`) and re-reads every page, so that it publishes the same
bytes as a clean build. Ctrl-C (or SIGTERM) stops the build within seconds, with exit status
130 (143), and stops every process it started (execution workers, kernels).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from . import freshness
from .paths import BUILD_DIR, EXECUTED_DIR, EXECUTING_ENV, PROJECT_ROOT, executed_mark
from .warm_kernels import SERVER_ENV
STATE_DIR = BUILD_DIR / ".summit_book"
INPUTS_STAMP = STATE_DIR / "inputs.sha256"
EXTENSION_STAMP = STATE_DIR / "extension.sha256"
#: Present from the moment a build starts changing the build folder until it succeeds.
IN_PROGRESS = STATE_DIR / "build-in-progress"
EXTENSION_PATH = Path(__file__).resolve().parent / "sphinx_ext.py"
SKIPPED_DIRS = {".git", ".venv", "_build", "__pycache__", ".pytest_cache", ".ipynb_checkpoints",
                "bench", "tests", ".ci"}
#: Folders (relative to the project root) that cannot change the book: the raw public extracts
#: are read only by scripts/make_*.py, whose output tables in data/ are hashed like any input.
SKIPPED_PATHS = {"data/raw"}
STRICT_OPTIONS = ["--warningiserror", "--nitpick", "--keep-going"]
#: Seconds an interrupted child process gets to end before it is killed.
GRACE_SECONDS = 1.0


class Interrupted(KeyboardInterrupt):
    """Ctrl-C or a termination signal: stop now, record nothing."""

    def __init__(self, signum: int = signal.SIGINT):
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


_received: list[int] = []


def _on_signal(signum, frame):
    _received.append(signum)
    raise Interrupted(signum)


def input_files(root: Path = PROJECT_ROOT) -> list[Path]:
    """Every file that can change the built book (all but builds, caches, tests, benchmarks)."""
    found = []
    for folder, subfolders, files in os.walk(root):
        here = Path(folder).relative_to(root)
        subfolders[:] = sorted(d for d in subfolders
                               if d not in SKIPPED_DIRS and not d.endswith(".egg-info")
                               and (here / d).as_posix() not in SKIPPED_PATHS)
        found.extend(Path(folder) / name for name in sorted(files))
    return found


def inputs_digest(root: Path = PROJECT_ROOT) -> str:
    digest = hashlib.sha256()
    for path in input_files(root):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def is_up_to_date(digest: str) -> bool:
    return (INPUTS_STAMP.exists() and INPUTS_STAMP.read_text().strip() == digest
            and not IN_PROGRESS.exists() and (BUILD_DIR / "html" / "index.html").exists())


def uncached_notebooks() -> list[Path]:
    """Notebooks whose current code has no entry in the execution cache."""
    import nbformat
    from jupyter_cache import get_cache

    cache = get_cache(freshness.CACHE_PATH)
    missing = []
    for path in freshness.notebooks():
        try:
            cache.match_cache_notebook(nbformat.read(path, as_version=4))
        except KeyError:
            missing.append(path)
    return missing


#: What the kernels need in their environment: this checkout's package first on the path.
KERNEL_ENV = {"PYTHONPATH": os.pathsep.join(filter(None, [str(PROJECT_ROOT),
                                                          os.environ.get("PYTHONPATH")]))}


def start_execution(paths: list[Path], server=None) -> subprocess.Popen | None:
    """Start executing notebooks in parallel into the execution cache, in a child process (one
    thread per core, one warm kernel per notebook) that an interruption can stop whole, and
    return it (None if there is nothing to execute). As each notebook is done, the child
    leaves a mark in :data:`EXECUTED_DIR`, from which Sphinx, reading the other pages
    meanwhile, knows it may read that notebook (:func:`summit_book.sphinx_ext.wait_for_execution`).

    A failed notebook is left out of the cache, so that the Sphinx step executes it again and
    shows the full error. ``server`` is the build's :class:`~.warm_kernels.WarmKernelServer`,
    started earlier (without one, the child starts its own).
    """
    shutil.rmtree(EXECUTED_DIR, ignore_errors=True)
    if not paths:
        return None
    EXECUTED_DIR.mkdir(parents=True)
    cold = {}
    if server is not None:
        try:
            server.wait()  # names itself in the environment the child gets
        except RuntimeError as error:
            print(f"{error}; the notebooks run in kernels started cold", file=sys.stderr)
            cold = {SERVER_ENV: ""}  # no server: each launcher becomes an ordinary kernel
    child = subprocess.Popen([sys.executable, "-m", "summit_book.build", "--execute-only",
                              *map(str, paths)], cwd=PROJECT_ROOT,
                             env={**os.environ, **KERNEL_ENV, **cold})
    os.environ[EXECUTING_ENV] = json.dumps({"docnames": [docname(path) for path in paths],
                                            "executor": child.pid})
    return child


def docname(path) -> str:
    """A notebook's page name, as Sphinx names it (``chapters/01_format``)."""
    return freshness.relative_path(Path(path)).removesuffix(".ipynb")


def _execute_only(paths: list[str]) -> int:
    """The child process of :func:`start_execution`. It ignores Ctrl-C: the parent, which
    receives it too, stops this process, its kernel server and its kernels.

    Notebooks run on all cores at once, each in a kernel of its own forked warm from one
    server process (:mod:`summit_book.warm_kernels`), and are stored in the execution cache as
    jupyter-cache's own executor stores them."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    import threading
    from concurrent.futures import ThreadPoolExecutor

    from jupyter_cache import get_cache
    from jupyter_cache.base import CacheBundleIn
    from jupyter_cache.cache.db import NbProjectRecord
    from jupyter_cache.executors.utils import single_nb_execution

    from .warm_kernels import WarmKernelServer, warm_kernel_manager_class

    cache = get_cache(freshness.CACHE_PATH)
    records = [cache.add_nb_to_project(path) for path in paths]
    database = threading.Lock()  # one writer of the cache's database at a time

    def execute(uri: str) -> str | None:
        try:
            return _execute(uri)
        finally:
            executed_mark(docname(uri)).touch()  # done (cached, or failed): Sphinx may read it

    def _execute(uri: str) -> str | None:
        with database:
            notebook = cache.get_project_notebook(uri).nb
        result = single_nb_execution(notebook, cwd=str(Path(uri).parent), timeout=180,
                                     allow_errors=False,
                                     kernel_manager_class=warm_kernel_manager_class())
        with database:
            if result.err:
                NbProjectRecord.set_traceback(uri, result.exc_string, cache.db)
                return f"{type(result.err).__name__}: {result.err}".splitlines()[0]
            cache.cache_notebook_bundle(
                CacheBundleIn(result.nb, uri, data={"execution_seconds": result.time}),
                check_validity=False, overwrite=True)
        return None

    started = time.perf_counter()
    server = WarmKernelServer().start() if SERVER_ENV not in os.environ else None
    try:
        with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
            if server is not None:
                server.wait()
            uris = [record.uri for record in records]
            for uri, error in zip(uris, pool.map(execute, uris)):
                if error:
                    print(f"execute: {uri}: execution failed (the build will show the error): "
                          f"{error}", file=sys.stderr)
    finally:
        for path in paths:  # whatever happened, Sphinx must not wait for more
            executed_mark(docname(path)).touch()
        if server is not None:
            server.stop()
    (EXECUTED_DIR / "seconds").write_text(f"{time.perf_counter() - started:.3f}\n")
    return 0


def stop_children() -> int:
    """Stop every process this one started, and what those started (kernels run in sessions of
    their own, so a process group is not enough): terminate, then kill what is left. Returns
    how many were stopped."""
    import psutil

    stopped = 0
    for _ in range(5):
        found = psutil.Process().children(recursive=True)
        if not found:
            break
        for process in found:
            try:
                process.terminate()
            except psutil.NoSuchProcess:
                pass
        _, alive = psutil.wait_procs(found, timeout=GRACE_SECONDS)
        for process in alive:
            try:
                process.kill()
            except psutil.NoSuchProcess:
                pass
        psutil.wait_procs(alive, timeout=GRACE_SECONDS)
        stopped += len(found)
    return stopped


def _adopt_orphans() -> None:
    """Become the 'subreaper' of the processes started below (Linux): a kernel whose parent
    worker ends is re-parented to this process, not to init, so :func:`stop_children` still
    finds it."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER
    except (OSError, AttributeError):
        pass


def run_sphinx(extra: list[str]) -> int:
    """Jupyter Book's own build command, in this process."""
    from jupyter_book.cli.main import build as jupyter_book_build

    try:
        jupyter_book_build.main([str(PROJECT_ROOT), *STRICT_OPTIONS, *extra], standalone_mode=False)
    except SystemExit as exit_:
        # Jupyter Book exits with the exception Sphinx stopped on (KeyboardInterrupt
        # included) rather than with a number.
        if isinstance(exit_.code, KeyboardInterrupt):
            raise Interrupted(_received[-1] if _received else signal.SIGINT) from exit_.code
        if isinstance(exit_.code, BaseException):
            print(f"build: Sphinx stopped: {exit_.code!r}", file=sys.stderr)
            return 1
        return int(exit_.code or 0)
    return 0


def build(args: argparse.Namespace, extra: list[str]) -> int:
    started = time.perf_counter()
    digest = inputs_digest()
    if not args.force and is_up_to_date(digest):
        print(f"build: up to date, nothing to do ({time.perf_counter() - started:.2f} s)")
        return 0

    # The kernels' server imports what the notebooks import while the data is validated and
    # the pages are written (on another core); it is stopped when the build ends.
    from .warm_kernels import WarmKernelServer

    server = WarmKernelServer(KERNEL_ENV).start()
    try:
        return _build(digest, started, extra, server)
    finally:
        server.stop()


def _build(digest: str, started: float, extra: list[str], server) -> int:
    from .validate import main as validate

    stages = {}  # seconds per stage, printed at the end (the benchmark reads them)
    mark = time.perf_counter()
    if validate() != 0:
        return 1

    # The meeting pages are generated from the data, once it is valid (nothing is written
    # from data the validator refuses); only pages whose text changes are written, so
    # Sphinx re-reads only those.
    from .meeting_pages import load_page_tables, write_downloads, write_pages

    # Each table is validated once per content, here, and kept for the kernels
    # (summit_book.tables.load_table reads it back in milliseconds).
    from .tables import store_validated_tables

    store_validated_tables()
    stages["validation"] = time.perf_counter() - mark
    mark = time.perf_counter()
    tables = load_page_tables()
    written = write_pages(tables)
    if written:
        print(f"meeting pages: {len(written)} written: "
              + ", ".join(p.relative_to(PROJECT_ROOT).as_posix() for p in written))
        digest = inputs_digest()
    # From here on the build changes the build folder: until it succeeds, the folder is marked
    # as in progress and no input hash claims it up to date.
    STATE_DIR.mkdir(parents=True, exist_ok=True)
    resumed = IN_PROGRESS.exists()
    IN_PROGRESS.write_text("a build started and has not yet succeeded\n")
    INPUTS_STAMP.unlink(missing_ok=True)
    if resumed:
        print("build: the previous build did not finish; re-reading every page")
    write_downloads(tables)  # after validation: the tables are valid here
    from .release import stage as stage_release

    stage_release()  # the data release, which the site gets only if Sphinx succeeds
    stale = freshness.prepare()
    print(f"freshness: {len(stale)} notebook(s) to execute afresh"
          + (f": {', '.join(stale)}" if stale else ""))
    to_execute = uncached_notebooks()
    print(f"execute: {len(to_execute)} notebook(s) on up to {os.cpu_count()} process(es)" + (": " + ", ".join(p.relative_to(PROJECT_ROOT).as_posix()
                                             for p in to_execute) if to_execute else ""))
    sys.stdout.flush()
    stages["pages and freshness"] = time.perf_counter() - mark
    mark = time.perf_counter()
    # The notebooks execute while Sphinx reads the other pages; Sphinx reads each notebook
    # once it is executed (the extension waits for it).
    executor = start_execution(to_execute, server)

    # Sphinx rewrites only pages whose sources changed; when the book's own extension changes
    # (how citations, figure links or meta tags render), or a build was abandoned half-way,
    # every page must be read and written again.
    extension = hashlib.sha256(EXTENSION_PATH.read_bytes()).hexdigest()
    if resumed or not EXTENSION_STAMP.exists() or EXTENSION_STAMP.read_text().strip() != extension:
        extra = ["--all", *extra]
    try:
        status = run_sphinx(extra)
    finally:
        os.environ.pop(EXECUTING_ENV, None)
    if executor is not None:
        executor.wait()
        stages["execution alongside sphinx"] = float(
            (EXECUTED_DIR / "seconds").read_text() if (EXECUTED_DIR / "seconds").exists() else 0)
    if _received:
        raise Interrupted(_received[-1])
    if status != 0:
        print("build: FAILED (see the messages above); the next build will redo what this one "
              "started", file=sys.stderr)
        return status
    stages["sphinx"] = time.perf_counter() - mark
    shutil.rmtree(EXECUTED_DIR, ignore_errors=True)
    freshness.record()
    EXTENSION_STAMP.write_text(extension + "\n")
    INPUTS_STAMP.write_text(digest + "\n")
    IN_PROGRESS.unlink()
    print(f"build: done in {time.perf_counter() - started:.1f} s; open _build/html/index.html")
    print("build: stages: " + ", ".join(f"{name} {seconds:.2f} s" for name, seconds in stages.items()))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Build the book into _build/html.")
    parser.add_argument("--force", action="store_true", help="build even if nothing changed")
    parser.add_argument("--execute-only", nargs="+", metavar="NOTEBOOK", help=argparse.SUPPRESS)
    args, extra = parser.parse_known_args(argv)
    if args.execute_only:
        return _execute_only(args.execute_only)

    _adopt_orphans()
    previous = {signum: signal.signal(signum, _on_signal)
                for signum in (signal.SIGINT, signal.SIGTERM)}
    try:
        return build(args, extra)
    except KeyboardInterrupt as stop:
        for signum in previous:  # a second Ctrl-C must not cut the clean-up short
            signal.signal(signum, signal.SIG_IGN)
        signum = getattr(stop, "signum", signal.SIGINT)
        stopped = stop_children()
        print(f"\nbuild: interrupted ({signal.Signals(signum).name}); stopped {stopped} "
              "process(es); nothing was recorded, and the next build redoes what this one "
              "started", file=sys.stderr)
        return 128 + signum
    except BaseException:
        stop_children()
        raise
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


if __name__ == "__main__":
    sys.exit(main())
