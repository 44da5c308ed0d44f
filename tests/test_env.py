"""The two commands on a fresh machine: scripts/env.sh (the Python it accepts, with one clear line
when it cannot make the environment) and ensure_chromium in scripts/chromium.sh (the exact
apt-get commands it runs when Chromium is missing, as root and through sudo), with stub commands
on a PATH that has no Chromium, so nothing is installed for real."""

from __future__ import annotations

import importlib.metadata
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet

from summit_book.paths import PROJECT_ROOT

BASH = shutil.which("bash") or "/bin/bash"
DEBIAN_PYTHON = Path("/usr/bin/python3.11")
#: Debian 12's python3.11, the oldest Python the README promises.
OLDEST_PYTHON = "3.11.2"
APT_OPTIONS = "-o DPkg::Lock::Timeout=300"


# --- ensure_chromium --------------------------------------------------------------------------

STUB = """#!{python}
import os, sys
name = os.path.basename(sys.argv[0])
args = sys.argv[1:]
with open(os.environ["STUB_LOG"], "a") as log:
    extra = ""
    if name == "apt-get":
        extra = " | DEBIAN_FRONTEND=" + os.environ.get("DEBIAN_FRONTEND", "(unset)")
    log.write(" ".join([name] + args) + extra + "\\n")
if name == "id":
    print(os.environ["STUB_UID"] if args == ["-u"] else "uid=" + os.environ["STUB_UID"])
elif name == "sudo":
    args = [a for a in args if a != "-n"]
    os.execvp(args[0], args)
elif name == "apt-get":
    if os.environ.get("STUB_APT_FAILS"):
        sys.exit(100)
    if "install" in args:  # what Debian's package does: a chromium on PATH
        chromium = os.path.join(os.path.dirname(sys.argv[0]), "chromium")
        with open(chromium, "w") as handle:
            handle.write("#!/bin/sh\\n")
        os.chmod(chromium, 0o755)
"""


def stub_bin(tmp_path: Path, *, sudo: bool = True) -> Path:
    """A PATH with no chromium: stubs for id, apt-get (and sudo) and the real env."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "env").symlink_to(shutil.which("env"))
    for name in ["id", "apt-get"] + (["sudo"] if sudo else []):
        path = bin_dir / name
        path.write_text(STUB.format(python=sys.executable))
        path.chmod(0o755)
    return bin_dir


def run_ensure_chromium(tmp_path: Path, uid: int, *, sudo: bool = True, apt_fails: bool = False,
                        chromium_on_path: bool = False):
    bin_dir = stub_bin(tmp_path, sudo=sudo)
    if chromium_on_path:
        (bin_dir / "chromium").write_text("#!/bin/sh\n")
        (bin_dir / "chromium").chmod(0o755)
    log = tmp_path / "commands.log"
    log.touch()
    env = {"PATH": str(bin_dir), "STUB_LOG": str(log), "STUB_UID": str(uid),
           "CHROMIUM_DEFAULT_PATH": str(tmp_path / "no" / "chromium"), "HOME": str(tmp_path)}
    if apt_fails:
        env["STUB_APT_FAILS"] = "1"
    result = subprocess.run(
        [BASH, "-c", 'source "$1"; ensure_chromium', "bash", str(PROJECT_ROOT / "scripts" / "chromium.sh")],
        env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=60)
    commands = [line for line in log.read_text().splitlines() if not line.startswith("id ")]
    return result, commands, bin_dir


def test_as_root_without_chromium_apt_get_runs_directly_with_noninteractive_frontend(tmp_path):
    result, commands, bin_dir = run_ensure_chromium(tmp_path, uid=0)
    assert result.returncode == 0, result.stderr
    assert commands == [
        f"apt-get -qq {APT_OPTIONS} update | DEBIAN_FRONTEND=noninteractive",
        f"apt-get -y -qq {APT_OPTIONS} install chromium | DEBIAN_FRONTEND=noninteractive",
    ]
    assert "command not found" not in result.stderr and result.stderr == ""
    assert (bin_dir / "chromium").exists()


def test_as_a_user_with_sudo_apt_get_runs_through_sudo_without_waiting_for_a_password(tmp_path):
    result, commands, _ = run_ensure_chromium(tmp_path, uid=1000)
    assert result.returncode == 0, result.stderr
    assert commands == [
        f"sudo -n env DEBIAN_FRONTEND=noninteractive apt-get -qq {APT_OPTIONS} update",
        f"apt-get -qq {APT_OPTIONS} update | DEBIAN_FRONTEND=noninteractive",
        f"sudo -n env DEBIAN_FRONTEND=noninteractive apt-get -y -qq {APT_OPTIONS} install chromium",
        f"apt-get -y -qq {APT_OPTIONS} install chromium | DEBIAN_FRONTEND=noninteractive",
    ]


def test_a_user_without_sudo_gets_one_clear_line_and_nothing_runs(tmp_path):
    result, commands, _ = run_ensure_chromium(tmp_path, uid=1000, sudo=False)
    assert result.returncode == 1
    assert commands == []
    assert result.stderr.count("\n") == 1
    assert "chromium is missing" in result.stderr and "not root and has no sudo" in result.stderr


def test_a_failed_apt_get_gives_a_clear_line(tmp_path):
    """A failed update (no network) still tries the lists on the machine; a failed install stops
    with one line naming the command."""
    result, commands, _ = run_ensure_chromium(tmp_path, uid=0, apt_fails=True)
    assert result.returncode == 1
    assert commands == [
        f"apt-get -qq {APT_OPTIONS} update | DEBIAN_FRONTEND=noninteractive",
        f"apt-get -y -qq {APT_OPTIONS} install chromium | DEBIAN_FRONTEND=noninteractive",
    ]
    assert result.stderr.splitlines() == [
        "env: apt-get update failed; trying the package lists already on this machine",
        "env: could not install chromium with: env DEBIAN_FRONTEND=noninteractive apt-get install "
        "chromium (run it as root, or with sudo)"]


def test_chromium_on_path_installs_nothing(tmp_path):
    result, commands, _ = run_ensure_chromium(tmp_path, uid=0, chromium_on_path=True)
    assert result.returncode == 0 and commands == [] and result.stdout == ""


def test_the_scripts_that_need_chromium_get_ensure_chromium_from_env_sh():
    env_sh = (PROJECT_ROOT / "scripts" / "env.sh").read_text()
    assert 'source "$PROJECT_ROOT/scripts/chromium.sh"' in env_sh
    for script in ("test", "pdf"):
        lines = (PROJECT_ROOT / "scripts" / script).read_text().splitlines()
        assert lines.index("ensure_chromium") > next(i for i, line in enumerate(lines) if "env.sh" in line)


# --- env.sh and the Python it accepts -------------------------------------------------------------

def scratch_project(tmp_path: Path, requirements: str | None = None) -> Path:
    """The files env.sh reads, in an empty project (so the real .venv is never touched)."""
    root = tmp_path / "project"
    (root / "scripts").mkdir(parents=True)
    for name in ("scripts/env.sh", "scripts/chromium.sh", "scripts/tool_env.sh", "pyproject.toml"):
        shutil.copy(PROJECT_ROOT / name, root / name)
    if requirements is None:
        shutil.copy(PROJECT_ROOT / "requirements.txt", root / "requirements.txt")
    else:
        (root / "requirements.txt").write_text(requirements)
    return root


def fake_python(tmp_path: Path, sitecustomize: str) -> Path:
    """The running Python, with a sitecustomize that makes it look older or strips a module."""
    site = tmp_path / "site"
    site.mkdir()
    (site / "sitecustomize.py").write_text(sitecustomize)
    wrapper = tmp_path / "python-fake"
    wrapper.write_text(f'#!/bin/sh\nPYTHONPATH="{site}" exec "{sys.executable}" "$@"\n')
    wrapper.chmod(0o755)
    return wrapper


def source_env(root: Path, python: str | None, timeout: int = 60):
    env = {k: v for k, v in os.environ.items() if k != "PYTHON"}
    if python is not None:
        env["PYTHON"] = python
    return subprocess.run([BASH, "-c", 'source "$1"', "bash", str(root / "scripts" / "env.sh")],
                          env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True,
                          timeout=timeout)


@pytest.mark.parametrize("sitecustomize, message", [
    ("import sys\nsys.version_info = (3, 10, 12, 'final', 0)\n",
     "env: Python 3.11 is required (any 3.11.x), found 3.10.12 at {python}; "
     "set PYTHON=/path/to/python3.11"),
    ("import sys\nsys.version_info = (3, 12, 1, 'final', 0)\n",
     "env: Python 3.11 is required (any 3.11.x), found 3.12.1 at {python}; "
     "set PYTHON=/path/to/python3.11"),
    ("import sys\nsys.modules['ensurepip'] = None\n",
     "env: Python {version} has no venv/ensurepip module (Debian: apt-get install python3.11-venv) "
     "at {python}; set PYTHON=/path/to/python3.11"),
], ids=["python-3.10", "python-3.12", "no-venv-module"])
def test_env_stops_at_once_with_one_line_for_a_python_it_cannot_use(tmp_path, sitecustomize, message):
    root = scratch_project(tmp_path)
    python = fake_python(tmp_path, sitecustomize)
    result = source_env(root, str(python))
    version = "%d.%d.%d" % sys.version_info[:3]
    assert result.returncode == 1
    assert result.stderr == message.format(python=python, version=version) + "\n"
    assert not (root / ".venv").exists()


def test_env_names_a_missing_python(tmp_path):
    root = scratch_project(tmp_path)
    result = source_env(root, str(tmp_path / "nowhere" / "python3.11"))
    assert result.returncode == 1
    assert result.stderr.startswith(f"env: no Python found at {tmp_path}/nowhere/python3.11: "
                                    "Python 3.11 is required")
    assert result.stderr.count("\n") == 1


def test_every_pin_accepts_debians_python_3_11_2():
    """Each pinned distribution, as installed in this environment (made from requirements.txt),
    declares a Requires-Python that 3.11.2 satisfies (soupsieve 4.x, for one, needs 3.11.5)."""
    refused = []
    for line in (PROJECT_ROOT / "requirements.txt").read_text().splitlines():
        line = line.split("#")[0].strip()
        if not line:
            continue
        requirement = Requirement(line)
        pinned = str(requirement.specifier).removeprefix("==")
        assert importlib.metadata.version(requirement.name) == pinned, requirement.name
        requires = importlib.metadata.metadata(requirement.name).get("Requires-Python") or ""
        if not SpecifierSet(requires).contains(OLDEST_PYTHON):
            refused.append(f"{requirement.name}=={pinned} requires Python {requires}")
    assert not refused, refused


def test_pyproject_states_the_python_env_sh_checks():
    import tomllib

    project = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text())["project"]
    accepted = SpecifierSet(project["requires-python"])
    assert OLDEST_PYTHON in accepted and "3.11.0" in accepted and "3.11.99" in accepted
    assert "3.10.12" not in accepted and "3.12.0" not in accepted


@pytest.mark.skipif(not DEBIAN_PYTHON.exists(), reason="Debian's python3.11 is not installed "
                    "(.ci/run installs it)")
def test_env_makes_the_environment_with_debians_python(tmp_path):
    """With Debian's own interpreter env.sh creates .venv, installs the project and records the
    stamp; sourcing it again, or without PYTHON, reuses the environment; PYTHON naming another
    interpreter would make it again (and one it cannot use stops before the old one is removed). (The full requirements.txt on this interpreter is what .ci/run
    proves: the whole suite runs in a .venv made from it.)"""
    wheel = next(line for line in (PROJECT_ROOT / "requirements.txt").read_text().splitlines()
                 if line.startswith("wheel=="))  # all the editable install needs
    root = scratch_project(tmp_path, requirements=wheel + "\n")
    (root / "summit_book").mkdir()
    (root / "summit_book" / "__init__.py").write_text("")
    first = source_env(root, str(DEBIAN_PYTHON), timeout=300)
    assert first.returncode == 0, first.stderr
    assert "with 3.11." in first.stdout and str(DEBIAN_PYTHON) in first.stdout
    venv_python = root / ".venv" / "bin" / "python"
    version = subprocess.run([venv_python, "-c", "import sys; print(sys.version.split()[0])"],
                             capture_output=True, text=True, check=True).stdout.strip()
    assert version == subprocess.run([DEBIAN_PYTHON, "-c", "import sys; print(sys.version.split()[0])"],
                                     capture_output=True, text=True, check=True).stdout.strip()
    assert (root / ".venv" / ".requirements.sha256").exists()
    again = source_env(root, str(DEBIAN_PYTHON))
    assert again.returncode == 0 and "creating" not in again.stdout
    unset = source_env(root, None)
    assert unset.returncode == 0 and "creating" not in unset.stdout
    # Another interpreter in PYTHON means a new .venv: here one env.sh must refuse, which it
    # does before touching the existing environment.
    older = fake_python(tmp_path, "import sys\nsys.version_info = (3, 10, 12, 'final', 0)\n")
    switched = source_env(root, str(older))
    assert switched.returncode == 1 and "found 3.10.12" in switched.stderr
    assert venv_python.exists()
