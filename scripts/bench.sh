#!/usr/bin/env bash
# Run every benchmark; each prints its figures beside a baseline measured in the same run. The
# casework pages and the load of families and staff at once are measured on SQLite and again on
# PostgreSQL, in the same throw-away cluster the tests use. --growth also measures casework at twice
# the cases (see benchmarks/casework.py).
# Files whose names start with "_" are helpers the benchmarks import, not benchmarks.
set -euo pipefail
cd "$(dirname "$0")/.."
benchmarks=()
for script in benchmarks/*.py; do
    case "$(basename "$script")" in
        _*) continue ;;
    esac
    benchmarks+=("$script")
done
if [ "${1:-}" = "--list" ]; then
    printf '%s\n' "${benchmarks[@]}"
    exit 0
fi
casework_options=()
for option in "$@"; do
    case "$option" in
        --growth) casework_options+=(--growth) ;;
        *) echo "unknown option: $option (use --growth or --list)" >&2; exit 2 ;;
    esac
done
scripts/bootstrap.sh
export DJANGO_SETTINGS_MODULE="${DJANGO_SETTINGS_MODULE:-config.settings.base}"
started=$SECONDS
failed=()
for script in "${benchmarks[@]}"; do
    run=(.venv/bin/python "$script")
    if [ "$script" = benchmarks/casework.py ]; then
        run=(env -u DATABASE_URL .venv/bin/python "$script" ${casework_options[@]+"${casework_options[@]}"})
        echo "== $script (SQLite)"
    elif [ "$script" = benchmarks/reports.py ] || [ "$script" = benchmarks/load.py ]; then
        run=(env -u DATABASE_URL .venv/bin/python "$script")
        echo "== $script (SQLite)"
    else
        echo "== $script"
    fi
    if ! "${run[@]}"; then
        echo "!! $script failed" >&2
        failed+=("$script")
    fi
done
# Casework, reports and load on PostgreSQL, in one throw-away cluster: the reports read the data the
# casework benchmark built (or restored from today's dump) there; the load benchmark makes a database
# of its own there.
echo "== benchmarks/casework.py, benchmarks/reports.py and benchmarks/load.py (PostgreSQL)"
postgres_failed=$(mktemp)
scripts/with_postgres.sh bash -c '
    failed=0
    .venv/bin/python benchmarks/casework.py "$@" || { echo "!! benchmarks/casework.py on PostgreSQL failed" >&2; echo casework >> "'"$postgres_failed"'"; }
    echo "== benchmarks/reports.py (PostgreSQL)"
    .venv/bin/python benchmarks/reports.py || { echo "!! benchmarks/reports.py on PostgreSQL failed" >&2; echo reports >> "'"$postgres_failed"'"; }
    echo "== benchmarks/load.py (PostgreSQL)"
    .venv/bin/python benchmarks/load.py || { echo "!! benchmarks/load.py on PostgreSQL failed" >&2; echo load >> "'"$postgres_failed"'"; }
' bench ${casework_options[@]+"${casework_options[@]}"} || true
while read -r name; do
    failed+=("benchmarks/$name.py on PostgreSQL")
done < "$postgres_failed"
rm -f "$postgres_failed"
echo "benchmarks took $((SECONDS - started)) s"
if [ ${#failed[@]} -gt 0 ]; then
    printf 'benchmarks that failed: %s\n' "${failed[*]}" >&2
    exit 1
fi
