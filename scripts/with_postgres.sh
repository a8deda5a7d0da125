#!/usr/bin/env bash
# Run a command with DATABASE_URL pointing at a throw-away PostgreSQL cluster, removed afterwards.
set -euo pipefail

pg_bin="${PG_BIN:-}"
if [ -z "$pg_bin" ]; then
    for candidate in /usr/lib/postgresql/*/bin; do
        [ -x "$candidate/initdb" ] && pg_bin="$candidate"
    done
fi
if [ -z "$pg_bin" ] && command -v initdb >/dev/null 2>&1; then
    pg_bin="$(dirname "$(command -v initdb)")"
fi
if [ -z "$pg_bin" ]; then
    if [ "$(id -u)" = 0 ]; then
        echo "Installing PostgreSQL server binaries"
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
        for candidate in /usr/lib/postgresql/*/bin; do pg_bin="$candidate"; done
    else
        echo "PostgreSQL 15 or newer is needed (initdb was not found)." >&2
        exit 1
    fi
fi

workdir="$(mktemp -d /tmp/sendmediation-pg.XXXXXX)"
as_owner=()
if [ "$(id -u)" = 0 ]; then
    # initdb refuses to run as root: the cluster belongs to an unprivileged system user.
    owner="sendmediation-test"
    id "$owner" >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin "$owner"
    chown "$owner" "$workdir"
    as_owner=(runuser -u "$owner" --)
fi

cleanup() {
    "${as_owner[@]}" "$pg_bin/pg_ctl" -D "$workdir/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$workdir"
}
trap cleanup EXIT

"${as_owner[@]}" "$pg_bin/initdb" -D "$workdir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
"${as_owner[@]}" "$pg_bin/pg_ctl" -D "$workdir/data" -l "$workdir/postgres.log" -w \
    -o "-c listen_addresses='' -k $workdir -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    start >/dev/null
echo "PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}') running in $workdir"

encoded="${workdir//\//%2F}"
export DATABASE_URL="postgres://postgres@${encoded}/postgres"
"$@"
