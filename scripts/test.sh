#!/usr/bin/env bash
# Lint, type-check, then the whole suite on SQLite and on PostgreSQL, browser tests included.
# PostgreSQL: DATABASE_URL when set, otherwise a throw-away cluster in a temporary directory.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh
scripts/ensure_chromium.sh

py=.venv/bin/python
export DJANGO_SETTINGS_MODULE=config.settings.test
export PYTHONHASHSEED=0

echo "== ruff"
.venv/bin/ruff check .
echo "== mypy"
.venv/bin/mypy .

pytest_args=("$@")

echo "== pytest on SQLite"
env -u DATABASE_URL "$py" -m pytest "${pytest_args[@]}"

echo "== pytest on PostgreSQL"
if [ -n "${DATABASE_URL:-}" ]; then
    "$py" -m pytest "${pytest_args[@]}"
else
    scripts/with_postgres.sh "$py" -m pytest "${pytest_args[@]}"
fi
echo "== all checks passed"
