#!/usr/bin/env bash
# Run every benchmark; each prints its figures beside a baseline measured in the same run.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh
export DJANGO_SETTINGS_MODULE="${DJANGO_SETTINGS_MODULE:-config.settings.base}"
status=0
for script in benchmarks/*.py; do
    [ "$(basename "$script")" = "__init__.py" ] && continue
    echo "== $script"
    .venv/bin/python "$script" || status=1
done
exit $status
