# Sourced by scripts/env.sh: ensure_chromium, which installs Debian's Chromium for the browser
# tests and the PDF print if it is missing (scripts/test and scripts/pdf call it; the build does
# not need it). Kept in its own file so that tests/test_env.py can run it with stub commands.
#
# As root it runs apt-get directly; as another user through sudo (which asks for a password
# only on a terminal; without one, `sudo -n` fails at once instead of hanging). Otherwise, or
# if apt-get fails, it stops with one line saying what to do.

CHROMIUM_DEFAULT_PATH="${CHROMIUM_DEFAULT_PATH:-/usr/bin/chromium}"   # where Debian's package puts it

chromium_present() {
  command -v chromium >/dev/null 2>&1 || [ -x "$CHROMIUM_DEFAULT_PATH" ]
}

ensure_chromium() {
  if chromium_present; then return 0; fi
  local as_root=()
  if [ "$(id -u)" = "0" ]; then
    as_root=(env)
  elif command -v sudo >/dev/null 2>&1; then
    if [ -t 0 ]; then as_root=(sudo env); else as_root=(sudo -n env); fi
  else
    echo "env: chromium is missing and this user is not root and has no sudo: install it as root (apt-get install chromium) or put a chromium on PATH" >&2
    return 1
  fi
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "env: chromium is missing and there is no apt-get here: install Chromium and put it on PATH as 'chromium'" >&2
    return 1
  fi
  echo "env: installing Debian's chromium for the browser tests"
  # env sets the variable for apt-get whether or not sudo is used (a bare VAR=value after an
  # empty "$sudo" would be run as a command); the lock timeout waits for another apt instead of failing.
  "${as_root[@]}" DEBIAN_FRONTEND=noninteractive apt-get -qq -o DPkg::Lock::Timeout=300 update \
    || echo "env: apt-get update failed; trying the package lists already on this machine" >&2
  "${as_root[@]}" DEBIAN_FRONTEND=noninteractive apt-get -y -qq -o DPkg::Lock::Timeout=300 install chromium >/dev/null \
    || { echo "env: could not install chromium with: ${as_root[*]} DEBIAN_FRONTEND=noninteractive apt-get install chromium (run it as root, or with sudo)" >&2; return 1; }
  if ! chromium_present; then
    echo "env: apt-get installed chromium but no chromium is on PATH or at $CHROMIUM_DEFAULT_PATH" >&2
    return 1
  fi
}
