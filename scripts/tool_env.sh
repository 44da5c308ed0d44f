# Sourced by scripts/env.sh: tool environments that the tests run beside .venv, each with its own
# pins because they conflict with the book's (cffconvert 2.0.0 needs jsonschema<4).
# ensure_tool_env DIR REQUIREMENTS PYTHON makes the virtual environment DIR with PYTHON's venv
# module and installs REQUIREMENTS into it. Like .venv, it is made again only when the
# requirements file changes: the hash of that file, written last, marks it complete. Runs that
# need it at the same time wait for the one that makes it (a lock beside DIR).
ensure_tool_env() {
  local dir="$1" requirements="$2" python="$3" wanted
  wanted="$(sha256sum < "$requirements" | cut -d' ' -f1)"
  mkdir -p "$(dirname "$dir")"
  (
    flock 9
    if [ -x "$dir/bin/python" ] && [ "$(cat "$dir/.requirements.sha256" 2>/dev/null)" = "$wanted" ]; then
      exit 0
    fi
    echo "env: creating $dir from $requirements"
    rm -rf "$dir"
    if ! { "$python" -m venv "$dir" \
           && "$dir/bin/python" -m pip install --quiet --disable-pip-version-check -r "$requirements"; }; then
      rm -rf "$dir"
      echo "env: could not create $dir from $requirements (pip's reason above)" >&2
      exit 1
    fi
    echo "$wanted" > "$dir/.requirements.sha256"
  ) 9> "$dir.lock"
}
