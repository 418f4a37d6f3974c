#!/usr/bin/env bash
# Install, migrate, load the demo data and start the portal on http://127.0.0.1:8000
# (embedded default: SQLite file, Celery tasks in-process, emails on the console).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
.venv/bin/python manage.py compilemessages --ignore=.venv -v0 || echo "gettext missing: pages stay in Indonesian"
.venv/bin/python manage.py migrate --noinput -v0
.venv/bin/python manage.py load_demo_data
# Tasks run in-process, but in a thread: long work never holds a page (progress bars move).
export KOMPETENSI_TASKS_IN_THREAD="${KOMPETENSI_TASKS_IN_THREAD:-true}"
# Links in e-mails and PDFs point at the address served here (unless set otherwise).
export KOMPETENSI_BASE_URL="${KOMPETENSI_BASE_URL:-http://${HOST:-127.0.0.1}:${PORT:-8000}}"
exec .venv/bin/python manage.py runserver "${HOST:-127.0.0.1}:${PORT:-8000}"
