#!/usr/bin/env bash
# Makes sure PostgreSQL (127.0.0.1:5432, database `test`, passwordless for local TCP) and
# NATS with JetStream (127.0.0.1:4222) run, for the cluster tests and `npm run cluster`.
# Installs Debian's postgresql and nats-server when missing and starts what is not running;
# leaves running services alone. The embedded product needs neither (see docs/deployment.md).
set -euo pipefail

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
as_postgres() { if [ "$(id -u)" -eq 0 ]; then su postgres -c "$1"; else sudo -u postgres sh -c "$1"; fi; }
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
wait_port() {
  for _ in $(seq 1 60); do port_open "$1" && return 0; sleep 0.5; done
  echo "test-services: nothing answers on 127.0.0.1:$1 after 30 s ($2)." >&2
  exit 1
}

missing=()
if ! port_open 5432 && ! command -v pg_ctlcluster >/dev/null 2>&1; then missing+=(postgresql); fi
if ! port_open 4222 && ! command -v nats-server >/dev/null 2>&1 && [ ! -x /usr/sbin/nats-server ]; then missing+=(nats-server); fi
if [ ${#missing[@]} -gt 0 ]; then
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "test-services: install ${missing[*]} with your package manager, or point TEST_DATABASE_URL / TEST_NATS_URL at running servers." >&2
    exit 1
  fi
  echo "test-services: installing ${missing[*]}"
  $SUDO apt-get update
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends "${missing[@]}"
fi

if ! port_open 5432; then
  version=$(ls /etc/postgresql | sort -V | tail -1)
  echo "test-services: starting PostgreSQL $version"
  $SUDO pg_ctlcluster --skip-systemctl-redirect "$version" main start
  wait_port 5432 PostgreSQL
fi
if ! psql -h 127.0.0.1 -U postgres -d postgres -Atqc 'select 1' >/dev/null 2>&1; then
  # A fresh install asks for a password over TCP; the tests connect without one.
  hba=$(as_postgres "psql -Atqc 'show hba_file'")
  echo "test-services: allowing passwordless local TCP connections in $hba"
  $SUDO sed -i '1i host all all 127.0.0.1/32 trust' "$hba"
  as_postgres "psql -Atqc 'select pg_reload_conf()'" >/dev/null
fi
if [ "$(psql -h 127.0.0.1 -U postgres -d postgres -Atqc "select 1 from pg_database where datname = 'test'")" != "1" ]; then
  psql -h 127.0.0.1 -U postgres -d postgres -qc 'create database test'
fi

if ! port_open 4222; then
  echo "test-services: starting nats-server with JetStream"
  $SUDO mkdir -p /var/lib/nats-server
  $SUDO start-stop-daemon --start --oknodo --background --exec /usr/sbin/nats-server -- -a 127.0.0.1 -p 4222 -js -sd /var/lib/nats-server -l /var/log/nats-server.log
  wait_port 4222 NATS
fi
echo "test-services: PostgreSQL on 127.0.0.1:5432 (database test) and NATS on 127.0.0.1:4222 are up"
