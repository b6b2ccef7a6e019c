#!/usr/bin/env bash
# Tansu 0.6.0 (a Kafka-compatible broker) with SQLite storage, for the test suite.
#
#   scripts/tansu.sh install      build and cache the binary if missing; print its path
#   scripts/tansu.sh start DIR    start it on a free loopback port with its data in DIR,
#                                 wait until it answers, print HOST:PORT
#   scripts/tansu.sh stop DIR     stop the broker started in DIR
#
# The binary is cached under ${KAFKAOPS_TOOLS_DIR:-~/.cache/kafkaops-tools}; building it
# takes about 10 minutes on 2 cores, once.
set -euo pipefail

TANSU_VERSION=0.6.0
TOOLS_DIR="${KAFKAOPS_TOOLS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/kafkaops-tools}"
ROOT="$TOOLS_DIR/tansu-$TANSU_VERSION"
BIN="$ROOT/bin/tansu"
PROBE="$(cd "$(dirname "$0")" && pwd)/lib/kafka_probe.py"

die() { echo "tansu.sh: $*" >&2; exit 1; }

install() {
  if [ -x "$BIN" ] && "$BIN" --version 2>/dev/null | grep -q "$TANSU_VERSION"; then
    echo "$BIN"
    return
  fi
  echo "tansu.sh: building tansu $TANSU_VERSION into $ROOT (about 10 minutes, once)" >&2
  mkdir -p "$ROOT"
  cargo install tansu --version "$TANSU_VERSION" --locked --no-default-features \
    --features libsql --root "$ROOT" >&2 || die "cargo install tansu failed"
  [ -x "$BIN" ] || die "tansu binary missing after install: $BIN"
  echo "$BIN"
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

answers() { python3 "$PROBE" "$1"; }

start() {
  local dir="$1"
  mkdir -p "$dir"
  dir="$(cd "$dir" && pwd)"
  local bin port
  bin="$(install)"
  port="$(free_port)"
  (
    cd "$dir"
    exec "$bin" broker \
      --listener-url "tcp://127.0.0.1:$port" \
      --advertised-listener-url "tcp://127.0.0.1:$port" \
      --storage-engine "sqlite://tansu.db" >"$dir/tansu.log" 2>&1
  ) &
  echo $! >"$dir/tansu.pid"
  echo "127.0.0.1:$port" >"$dir/tansu.addr"
  for _ in $(seq 1 150); do
    if answers "127.0.0.1:$port"; then
      echo "127.0.0.1:$port"
      return
    fi
    kill -0 "$(cat "$dir/tansu.pid")" 2>/dev/null || { cat "$dir/tansu.log" >&2; die "tansu exited during start-up"; }
    sleep 0.2
  done
  stop "$dir"
  die "tansu did not answer on 127.0.0.1:$port within 30s (log: $dir/tansu.log)"
}

stop() {
  local dir="$1"
  [ -f "$dir/tansu.pid" ] || return 0
  local pid
  pid="$(cat "$dir/tansu.pid")"
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 50); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -9 "$pid" 2>/dev/null || true
  rm -f "$dir/tansu.pid"
}

case "${1:-}" in
  install) install ;;
  start) [ $# -eq 2 ] || die "usage: tansu.sh start DIR"; start "$2" ;;
  stop) [ $# -eq 2 ] || die "usage: tansu.sh stop DIR"; stop "$2" ;;
  *) die "usage: tansu.sh install | start DIR | stop DIR" ;;
esac
