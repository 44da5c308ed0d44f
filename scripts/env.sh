# Sourced by scripts/build, scripts/test, scripts/pdf and scripts/bench: make sure .venv exists
# and matches requirements.txt. Needs only Python 3.11 (any 3.11.x, Debian 12's 3.11.2 included)
# with its venv module (Debian: python3.11, python3.11-venv); installs everything else.
# PYTHON=/path/to/python3.11 chooses the interpreter (default: python3.11, else python3 on PATH).
set -euo pipefail
PROJECT_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$PROJECT_ROOT/.venv"
PYTHON_FOR_VENV="${PYTHON:-$(command -v python3.11 || command -v python3 || true)}"
stamp="$VENV/.requirements.sha256"
made_with="$VENV/.python"   # the interpreter .venv was made with (its path and version)
wanted="$(cat "$PROJECT_ROOT/requirements.txt" "$PROJECT_ROOT/pyproject.toml" | sha256sum | cut -d' ' -f1)"
interpreter() { "$1" -c 'import sys; print(sys.executable, sys.version.split()[0])' 2>/dev/null || echo none; }

# One line on stderr and a non-zero exit if the interpreter cannot make the environment: the pins
# in requirements.txt are for Python 3.11 (pyproject.toml: requires-python), and venv needs ensurepip.
check_python_for_venv() {
  local python="$1" problem
  if [ -z "$python" ] || ! command -v "$python" >/dev/null 2>&1; then
    echo "env: no Python found${python:+ at $python}: Python 3.11 is required (Debian: apt-get install python3.11 python3.11-venv), or set PYTHON=/path/to/python3.11" >&2
    return 1
  fi
  if ! problem="$("$python" -c '
import sys
found = "%d.%d.%d" % sys.version_info[:3]
if sys.version_info[:2] != (3, 11):
    sys.exit("Python 3.11 is required (any 3.11.x), found " + found)
try:
    import ensurepip, venv
except ImportError:
    sys.exit("Python " + found + " has no venv/ensurepip module (Debian: apt-get install python3.11-venv)")
' 2>&1)"; then
    echo "env: ${problem##*$'\n'} at $python; set PYTHON=/path/to/python3.11" >&2
    return 1
  fi
}

# The environment is made again when the pins or pyproject.toml change, or when PYTHON names
# another interpreter than the one it was made with (without PYTHON, the existing one is kept).
if [ ! -x "$VENV/bin/python" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$wanted" ] \
   || { [ -n "${PYTHON:-}" ] && [ "$(cat "$made_with" 2>/dev/null)" != "$(interpreter "$PYTHON")" ]; }; then
  check_python_for_venv "$PYTHON_FOR_VENV" || exit 1
  echo "env: creating $VENV with $("$PYTHON_FOR_VENV" -c 'import sys; print(sys.version.split()[0])') at $PYTHON_FOR_VENV from requirements.txt (first run takes a minute or more)"
  rm -rf "$VENV"
  if ! { "$PYTHON_FOR_VENV" -m venv "$VENV" \
         && "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -r "$PROJECT_ROOT/requirements.txt" \
         && "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e "$PROJECT_ROOT"; }; then
    rm -rf "$VENV"
    echo "env: could not create .venv with $PYTHON_FOR_VENV from requirements.txt (pip's reason above)" >&2
    exit 1
  fi
  interpreter "$PYTHON_FOR_VENV" > "$made_with"
  echo "$wanted" > "$stamp"
fi
export PATH="$VENV/bin:$PATH"
export PYDEVD_DISABLE_FILE_VALIDATION=1
cd "$PROJECT_ROOT"

source "$PROJECT_ROOT/scripts/chromium.sh"
source "$PROJECT_ROOT/scripts/tool_env.sh"
