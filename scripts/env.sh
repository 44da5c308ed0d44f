# Sourced by scripts/build and scripts/test: make sure .venv exists and matches requirements.txt.
# Needs only Python 3.11 with venv (Debian: python3.11, python3.11-venv); installs everything else.
set -euo pipefail
PROJECT_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$PROJECT_ROOT/.venv"
PYTHON_FOR_VENV="${PYTHON:-$(command -v python3.11 || command -v python3)}"
stamp="$VENV/.requirements.sha256"
wanted="$(cat "$PROJECT_ROOT/requirements.txt" "$PROJECT_ROOT/pyproject.toml" | sha256sum | cut -d' ' -f1)"
if [ ! -x "$VENV/bin/python" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$wanted" ]; then
  version="$("$PYTHON_FOR_VENV" -c 'import sys; print("%d.%d" % sys.version_info[:2])')"
  if [ "$version" != "3.11" ]; then
    echo "env: Python 3.11 is required (found $version at $PYTHON_FOR_VENV); set PYTHON=/path/to/python3.11" >&2
    exit 1
  fi
  echo "env: creating $VENV from requirements.txt (first run takes about a minute)"
  "$PYTHON_FOR_VENV" -m venv "$VENV"
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -r "$PROJECT_ROOT/requirements.txt"
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e "$PROJECT_ROOT"
  echo "$wanted" > "$stamp"
fi
export PATH="$VENV/bin:$PATH"
export PYDEVD_DISABLE_FILE_VALIDATION=1
cd "$PROJECT_ROOT"

# Debian's Chromium, for the browser tests (scripts/test calls this; the build does not need it).
ensure_chromium() {
  if command -v chromium >/dev/null 2>&1; then return 0; fi
  echo "env: installing Debian's chromium for the browser tests"
  local sudo=""
  if [ "$(id -u)" != "0" ]; then sudo="sudo"; fi
  $sudo apt-get update -qq && $sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null \
    || { echo "env: could not install chromium (apt-get install chromium, as root)" >&2; return 1; }
}
