"""The build's warm kernels (summit_book.warm_kernels): they start with the book's imports done,
they produce the same outputs as the cold kernels that made the committed outputs (which nbval
checks with cold kernels again), and they end with the process the kernel manager started."""

from __future__ import annotations

import os
import time

import nbformat
import pytest
from nbclient import NotebookClient

from conftest import PROJECT_ROOT
from summit_book.warm_kernels import (NEVER_WARM, SERVER_ENV, WarmKernelServer,
                                      warm_kernel_manager_class)

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def run_cells(*sources: str, folder=None) -> list[str]:
    """Run code cells in a kernel started as the build starts them (in ``folder``); return each
    cell's printed text."""
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(s) for s in sources])
    NotebookClient(notebook, kernel_manager_class=warm_kernel_manager_class(), timeout=60,
                   kernel_name="python3",
                   resources={"metadata": {"path": str(folder or PROJECT_ROOT)}}).execute()
    return ["".join(o.get("text", "") for o in cell.outputs) for cell in notebook.cells]


CHECK = ("import sys, os; print(sorted(m for m in ('pandas', 'matplotlib.pyplot', "
         "'summit_book.tables') if m in sys.modules), os.getcwd(), "
         "os.environ.get('MARK'))")
PATH = "import sys, json; print(json.dumps(sys.path))"


def test_a_warm_kernel_starts_with_the_imports_done_in_the_folder_and_environment_asked(
        tmp_path, monkeypatch):
    monkeypatch.setenv("MARK", "set-by-the-test")
    with WarmKernelServer():
        printed = run_cells(CHECK,
                            "import sys; print(sorted(set(sys.modules) & "
                            f"set({list(NEVER_WARM)!r})))", folder=tmp_path)
    assert printed[0].split() == ["['matplotlib.pyplot',", "'pandas',", "'summit_book.tables']",
                                  str(tmp_path), "set-by-the-test"]
    assert printed[1].strip() == "[]"  # the inline backend was not imported before the kernel


def test_without_a_server_the_launcher_becomes_a_cold_kernel_with_the_same_module_path(
        monkeypatch):
    monkeypatch.delenv(SERVER_ENV, raising=False)
    cold = run_cells(CHECK, PATH)
    assert cold[0].startswith("[] ")
    with WarmKernelServer():
        warm = run_cells(CHECK, PATH)
    assert not warm[0].startswith("[] ")
    assert warm[1] == cold[1]


def test_a_warm_kernel_ends_when_its_launcher_is_killed():
    with WarmKernelServer():
        manager = warm_kernel_manager_class()(kernel_name="python3")
        manager.start_kernel()
        client = manager.client()
        client.start_channels()
        client.wait_for_ready(timeout=30)
        found: list[dict] = []
        reply = client.execute_interactive("import os; print(os.getpid())", timeout=30,
                                           output_hook=lambda m: found.append(m))
        assert reply["content"]["status"] == "ok"
        kernel = int(next(m["content"]["text"] for m in found if m["msg_type"] == "stream"))
        assert kernel != manager.provisioner.process.pid  # the kernel is the forked child
        manager.provisioner.process.kill()
        client.stop_channels()
        for _ in range(50):
            if not os.path.exists(f"/proc/{kernel}"):
                break
            time.sleep(0.1)
        assert not os.path.exists(f"/proc/{kernel}"), "the kernel outlived its launcher"
        manager.cleanup_resources()


def comparable(cell) -> dict:
    """What a code cell's outputs say, as nbval compares them (after the replacements of
    tests/nbval_sanitize.cfg, which scripts/test gives nbval)."""
    import configparser
    import re

    sanitize = configparser.ConfigParser()
    sanitize.read(PROJECT_ROOT / "tests/nbval_sanitize.cfg", encoding="utf-8")
    rules = [(re.compile(section["regex"]), section["replace"])
             for section in map(sanitize.__getitem__, sanitize.sections())]

    def clean(value):
        if isinstance(value, list):
            value = "".join(value)
        if isinstance(value, str):
            for pattern, replacement in rules:
                value = pattern.sub(replacement, value)
        return value

    outputs = [{"output_type": output["output_type"], "name": output.get("name"),
                "text": clean(output.get("text")),
                "data": {key: clean(value) for key, value in output.get("data", {}).items()}}
               for output in cell.get("outputs", [])]
    return {"execution_count": cell.get("execution_count"), "outputs": outputs}


def test_the_builds_warm_outputs_are_the_committed_cold_outputs(built_book):
    """Every notebook executed by the build (in warm kernels) has, cell by cell, the outputs
    committed in the repository (made in cold kernels, and checked cold by nbval)."""
    from jupyter_cache import get_cache

    from summit_book.notebooks import BOOK_NOTEBOOK_GLOBS

    cache = get_cache(built_book / "_build" / ".jupyter_cache")
    notebooks = sorted(p for pattern in BOOK_NOTEBOOK_GLOBS for p in PROJECT_ROOT.glob(pattern))
    assert len(notebooks) >= 16
    for path in notebooks:
        committed = nbformat.read(path, as_version=4)
        _, executed = cache.merge_match_into_notebook(nbformat.read(path, as_version=4))
        pairs = [(c, e) for c, e in zip(committed.cells, executed.cells) if c.cell_type == "code"]
        assert pairs, path
        for index, (cold, warm) in enumerate(pairs):
            assert comparable(warm) == comparable(cold), \
                f"{path.relative_to(PROJECT_ROOT)}: code cell {index} differs"


def test_nbval_with_the_books_plugin_runs_notebooks_in_warm_kernels(tmp_path):
    """scripts/test runs nbval with ``-p summit_book.nbval_warm``: a notebook whose committed
    output says its kernel started with pandas imported passes with it and fails without."""
    import subprocess
    import sys

    cell = nbformat.v4.new_code_cell("import sys; print('pandas' in sys.modules)",
                                     execution_count=1)
    cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text="True\n")]
    nbformat.write(nbformat.v4.new_notebook(cells=[cell]), tmp_path / "warm.ipynb")
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--nbval",
               "--nbval-current-env", "warm.ipynb", "-c", "/dev/null"]
    env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT)}
    warm = subprocess.run([*command, "-p", "summit_book.nbval_warm"], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=300)
    assert warm.returncode == 0, warm.stdout[-2000:]
    cold = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True,
                          timeout=300)
    assert cold.returncode != 0 and "False" in cold.stdout, cold.stdout[-2000:]
