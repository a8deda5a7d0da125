#!/usr/bin/env bash
# Run every benchmark; each prints its figures beside a baseline measured in the same run.
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
scripts/bootstrap.sh
export DJANGO_SETTINGS_MODULE="${DJANGO_SETTINGS_MODULE:-config.settings.base}"
failed=()
for script in "${benchmarks[@]}"; do
    echo "== $script"
    if ! .venv/bin/python "$script"; then
        echo "!! $script failed" >&2
        failed+=("$script")
    fi
done
if [ ${#failed[@]} -gt 0 ]; then
    echo "benchmarks that failed: ${failed[*]}" >&2
    exit 1
fi
