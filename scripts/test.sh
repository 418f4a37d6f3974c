#!/usr/bin/env bash
# Run the whole test suite (unit, integration, end-to-end in Chromium).
# Uses DATABASE_URL when set (CI runs it on SQLite and on PostgreSQL), else SQLite.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
.venv/bin/python manage.py compilemessages --ignore=.venv -v0
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/lint-imports --no-cache  # the layers contract in pyproject.toml
.venv/bin/python manage.py makemigrations --check --dry-run -v0
exec .venv/bin/python -m pytest "$@"
