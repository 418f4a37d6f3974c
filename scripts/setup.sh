#!/usr/bin/env bash
# Create .venv and install the project with its development tools. Idempotent, and quick when
# nothing changed: the install is skipped while pyproject.toml and constraints.txt are the same
# as at the last install (so running the tests never disturbs a portal served by dev.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3.11}
command -v "$PYTHON" >/dev/null || PYTHON=python3
if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
  echo "Python 3.11 or newer is needed (found: $("$PYTHON" --version 2>&1))." >&2
  echo "On Debian/Ubuntu: apt-get install python3.11 python3.11-venv" >&2
  exit 1
fi
if [ ! -x .venv/bin/python ]; then
  if ! "$PYTHON" -m venv .venv; then
    echo "Could not create .venv: install the venv module (apt-get install python3.11-venv)." >&2
    exit 1
  fi
fi
stamp=.venv/.kompetensi-installed
wanted=$(cat pyproject.toml constraints.txt | sha256sum | cut -d' ' -f1)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$wanted" ] && .venv/bin/python -c 'import kompetensi' 2>/dev/null; then
  exit 0
fi
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e '.[dev]' -c constraints.txt
echo "$wanted" > "$stamp"
