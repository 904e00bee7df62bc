#!/usr/bin/env bash
# Install (from Debian's packages) and start PostgreSQL on 127.0.0.1:5432 with a test role and database,
# so the test suite runs its database tests on PostgreSQL too. Idempotent; used by .ci/run.
set -euo pipefail
if ! command -v pg_ctlcluster >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq postgresql >/dev/null
fi
version=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
if ! pg_lsclusters -h | grep -q "^$version main"; then
  pg_createcluster "$version" main >/dev/null
fi
pg_ctlcluster "$version" main start 2>/dev/null || true
for _ in $(seq 1 30); do
  pg_isready -h 127.0.0.1 -p 5432 -q && break
  sleep 1
done
run_psql() { runuser -u postgres -- psql -qtAX "$@"; }
run_psql -c "DO \$\$BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'kb') THEN CREATE ROLE kb LOGIN PASSWORD 'kb'; END IF; END\$\$;"
if [ "$(run_psql -c "SELECT 1 FROM pg_database WHERE datname = 'kb_test'")" != "1" ]; then
  run_psql -c "CREATE DATABASE kb_test OWNER kb"
fi
echo "PostgreSQL $version ready: postgresql+psycopg://kb:kb@127.0.0.1:5432/kb_test"
