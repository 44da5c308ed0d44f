"""Provenance in the repository: the raw public extracts behind the generated tables are in
data/raw/ with their checksums, publishers, licences and retrieval dates; every generator in
scripts/make_*.py rebuilds its tables from them byte for byte; and no tracked file names a path
of somebody's machine."""

from __future__ import annotations

import csv
import datetime
import hashlib
import importlib.util
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from summit_book import build
from summit_book.paths import DATA_DIR, PROJECT_ROOT

RAW = DATA_DIR / "raw"
MANIFEST_FIELDS = ["path", "sha256", "bytes", "publisher", "licence", "retrieved", "origin", "used_by"]
GENERATORS = sorted(PROJECT_ROOT.glob("scripts/make_*.py"))


def manifest_rows(raw: Path = RAW) -> list[dict]:
    with (raw / "manifest.csv").open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        assert reader.fieldnames == MANIFEST_FIELDS, reader.fieldnames
        return list(reader)


def raw_files(raw: Path = RAW) -> set[str]:
    """Every file under the raw folder but its own manifest and README."""
    return {p.relative_to(raw).as_posix() for p in raw.rglob("*")
            if p.is_file() and p.relative_to(raw).as_posix() not in {"manifest.csv", "README.md"}}


def manifest_problems(raw: Path = RAW) -> list[str]:
    """What is wrong between the raw folder and its manifest, one line per problem."""
    rows = manifest_rows(raw)
    listed = [row["path"] for row in rows]
    problems = [f"listed twice: {p}" for p in sorted({p for p in listed if listed.count(p) > 1})]
    problems += [f"not in the manifest: {p}" for p in sorted(raw_files(raw) - set(listed))]
    for number, row in enumerate(rows, start=2):
        where = f"manifest.csv line {number} ({row['path']})"
        path = raw / row["path"]
        if not path.is_file():
            problems.append(f"{where}: file missing")
            continue
        content = path.read_bytes()
        if hashlib.sha256(content).hexdigest() != row["sha256"]:
            problems.append(f"{where}: sha256 differs")
        if len(content) != int(row["bytes"]):
            problems.append(f"{where}: size differs")
        problems += [f"{where}: empty {field}" for field in ("publisher", "licence", "origin",
                                                             "used_by") if not row[field].strip()]
        try:
            retrieved = datetime.date.fromisoformat(row["retrieved"])
        except ValueError:
            problems.append(f"{where}: retrieved is not a date (YYYY-MM-DD)")
        else:
            if not datetime.date(2000, 1, 1) <= retrieved <= datetime.date.today():
                problems.append(f"{where}: retrieved date out of range")
    return problems


def test_every_raw_file_is_in_the_manifest_with_its_checksum():
    assert raw_files(), "data/raw is empty"
    problems = manifest_problems()
    assert not problems, "data/raw/manifest.csv:\n" + "\n".join(problems)


def test_the_manifest_check_finds_a_changed_byte_and_an_unlisted_file(tmp_path):
    copy = tmp_path / "raw"
    shutil.copytree(RAW, copy)
    changed = next(r["path"] for r in manifest_rows() if r["path"].endswith(".csv"))
    content = bytearray((copy / changed).read_bytes())
    content[-2] ^= 1
    (copy / changed).write_bytes(bytes(content))
    (copy / "aral-sea-area" / "extra.csv").write_text("a\n1\n", encoding="utf-8")
    assert manifest_problems(copy) == [
        "not in the manifest: aral-sea-area/extra.csv",
        f"manifest.csv line {[r['path'] for r in manifest_rows()].index(changed) + 2} "
        f"({changed}): sha256 differs"]


def test_every_raw_folder_keeps_its_provenance_note():
    folders = {path.split("/")[0] for path in raw_files() if "/" in path}
    assert folders, "data/raw has no folders"
    assert all("/" in path for path in raw_files()), "a raw file outside a dataset folder"
    missing = sorted(f for f in folders if not (RAW / f / "PROVENANCE.md").is_file())
    assert not missing, f"raw folders without PROVENANCE.md: {missing}"


def load_generator(path: Path):
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_there_are_generators_for_the_four_generated_datasets():
    assert [p.name for p in GENERATORS] == [
        "make_aral_sea_area.py", "make_indicators.py", "make_mineral_production.py",
        "make_power_interconnectors.py"]


@pytest.mark.parametrize("script", GENERATORS, ids=lambda p: p.stem)
def test_generator_rebuilds_its_tables_from_the_repository_byte_for_byte(script, tmp_path):
    """Run on a copy of data/raw (so nothing outside it can be read), into an empty folder:
    every table the generator writes equals the committed one."""
    module = load_generator(script)
    raw_copy = tmp_path / "raw"
    out = tmp_path / "out"
    out.mkdir()
    shutil.copytree(RAW, raw_copy)
    assert module.main(["--raw", str(raw_copy), "--out", str(out)]) == 0
    written = sorted(p.name for p in out.iterdir())
    assert written == sorted(module.OUTPUTS), written
    for name in module.OUTPUTS:
        assert (out / name).read_bytes() == (DATA_DIR / name).read_bytes(), (
            f"data/{name} differs from what {script.name} makes of data/raw")


def test_generators_default_to_the_raw_folder_in_the_repository():
    for script in GENERATORS:
        module = load_generator(script)
        assert module.RAW == RAW and module.DATA == DATA_DIR, script.name


def test_the_raw_folder_is_not_part_of_the_site_or_of_the_build_hash():
    """Sphinx skips it (exclude_patterns in _config.yml), and the build's input hash leaves it
    out (the build never reads it; the tables made from it are hashed)."""
    from sphinx.util.matching import Matcher

    config = yaml.safe_load((PROJECT_ROOT / "_config.yml").read_text(encoding="utf-8"))
    excluded = Matcher(config["exclude_patterns"])
    for path in sorted(raw_files()) + ["manifest.csv", "README.md"]:
        assert excluded(f"data/raw/{path}"), f"data/raw/{path} would be read by Sphinx"
    inputs = {p.relative_to(PROJECT_ROOT).as_posix() for p in build.input_files()}
    assert not {p for p in inputs if p.startswith("data/raw/")}
    assert "data/indicators.csv" in inputs and "data/datapackage.json" in inputs


# A project path of some machine: /work/..., /root/..., /home/..., /tmp/..., /Users/... or a
# Windows user folder, not inside a URL or a longer path (so "https://x.org/home/" does not count).
MACHINE_PATH = re.compile(r"(?<![\w.~/\\-])(?:/(?:work|root|home|tmp|Users)/|[A-Za-z]:\\Users\\)")

#: Files allowed to contain such paths, each with its reason. Add one only for a real need.
ALLOWED = {"tests/test_provenance.py": "this check's own examples of what it must find"}


def tracked_files() -> list[str]:
    if (PROJECT_ROOT / ".git").exists():
        listed = subprocess.run(["git", "ls-files", "-z"], cwd=PROJECT_ROOT, check=True,
                                capture_output=True).stdout.decode().split("\0")
        return [name for name in listed if name and (PROJECT_ROOT / name).is_file()]
    skipped = {".git", ".venv", "_build", "__pycache__", ".pytest_cache", ".ipynb_checkpoints"}
    found = []
    for folder, subfolders, files in os.walk(PROJECT_ROOT):
        subfolders[:] = [d for d in subfolders if d not in skipped and not d.endswith(".egg-info")]
        found += [(Path(folder) / f).relative_to(PROJECT_ROOT).as_posix() for f in files]
    return found


def machine_paths(name: str, text: str) -> list[str]:
    hits = []
    for number, line in enumerate(text.splitlines(), start=1):
        for match in MACHINE_PATH.finditer(line):
            hits.append(f"{name}:{number}: {line[match.start():match.start() + 60]}")
    return hits


def test_no_tracked_file_names_a_path_of_some_machine():
    files = tracked_files()
    assert "README.md" in files and "scripts/env.sh" in files
    hits = []
    for name in files:
        if name in ALLOWED:
            continue
        try:
            text = (PROJECT_ROOT / name).read_text(encoding="utf-8")
        except UnicodeDecodeError:  # images and other binary files
            continue
        hits += machine_paths(name, text)
    assert not hits, "absolute paths of a machine in the project:\n" + "\n".join(hits[:40])


@pytest.mark.parametrize("line, found", [
    ('SOURCE = Path("/work/shared/sources/x.csv")', True),
    ("see /root/.pyenv/shims/python3.11", True),
    ("python3.11 -m venv /tmp/v", True),
    ("`/home/user/book`", True),
    (r"C:\Users\me\book", True),
    ("https://example.org/home/page and https://x.org/tmp/file", False),
    ("data/raw/tmp/file and ../shared/work/", False),
    ("/usr/bin/chromium and /usr/bin/python3.11", False),
])
def test_the_machine_path_check_finds_what_it_should(line, found):
    assert bool(machine_paths("example", line)) is found
