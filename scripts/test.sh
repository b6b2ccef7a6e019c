#!/usr/bin/env bash
# The whole test suite, on a fresh machine: installs what the tests need (the Python
# client used as an independent check, the Tansu broker and Apache Kafka's jars, both
# cached after the first run), starts Tansu and an Apache Kafka broker on free loopback
# ports while the tests build, runs every test, and stops both brokers.
#
# The tests find the brokers through:
#   KAFKAOPS_TANSU_BROKERS  Tansu's HOST:PORT
#   KAFKAOPS_KAFKA_BROKERS  Apache Kafka's PLAINTEXT HOST:PORT
#   KAFKAOPS_KAFKA_ENV      Apache Kafka's env file: the SASL and SSL listeners, the CA,
#                           the SCRAM users (see scripts/kafka.sh)
#   KAFKAOPS_KAFKA_DIR      its directory, for `scripts/kafka.sh stop|start DIR` (restarts)
# Either broker failing to start fails the run, with the tail of its log.
#
# Set KAFKAOPS_TEST_BROKERS=host:port to run the broker-agnostic tests against another
# cluster instead of the embedded mock cluster and Tansu (no broker is started then).
# Extra arguments go to `cargo test` (e.g. scripts/test.sh --test it dlq::).
set -euo pipefail
cd "$(dirname "$0")/.."

if ! python3 -c 'import confluent_kafka' 2>/dev/null; then
  echo "test.sh: installing confluent-kafka (independent Kafka client used by the tests)" >&2
  python3 -m pip install --quiet 'confluent-kafka>=2.5'
fi

# kcat is the reference client for the sandbox test and the benchmarks.
if ! command -v kcat >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  echo "test.sh: installing kcat" >&2
  (apt-get install -y -qq kcat >/dev/null 2>&1 || { apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq kcat >/dev/null 2>&1; }) ||
    echo "test.sh: could not install kcat; the kcat checks will be skipped" >&2
fi

# Debian's prometheus package: the real Prometheus and promtool the serve tests use.
if ! command -v promtool >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  echo "test.sh: installing prometheus" >&2
  (apt-get install -y -qq prometheus >/dev/null 2>&1 || { apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq prometheus >/dev/null 2>&1; }) ||
    echo "test.sh: could not install prometheus; the serve Prometheus checks will be skipped" >&2
fi

work="$(mktemp -d)"
starting=()
cleanup() {
  # A broker still starting writes its pid file before it answers: let the start finish
  # (it gives up after 90 s) so that stop finds the process.
  [ ${#starting[@]} -eq 0 ] || wait "${starting[@]}" 2>/dev/null || true
  scripts/kafka.sh stop "$work/kafka" || true
  scripts/tansu.sh stop "$work/tansu" || true
  rm -rf "$work"
}
trap cleanup EXIT

# Start NAME's broker in the background: its address goes to $work/NAME.addr, its
# diagnostics to $work/NAME.err.
start_broker() {
  local name="$1"
  scripts/"$name".sh start "$work/$name" >"$work/$name.addr" 2>"$work/$name.err" &
  starting+=($!)
}

# Wait for NAME's start (PID), in this shell, whose child it is; fail the run with its
# diagnostics if the broker did not start.
await_broker() {
  local name="$1" pid="$2"
  wait "$pid" && return
  cat "$work/$name.err" >&2
  echo "test.sh: the $name broker did not start; the suite needs it" >&2
  exit 1
}

status=0
if [ -z "${KAFKAOPS_TEST_BROKERS:-}" ]; then
  # The JVM's start-up and the test build overlap: both take tens of seconds.
  start_broker tansu
  start_broker kafka
  cargo test --locked --no-run "$@" || status=$?
  await_broker tansu "${starting[0]}"
  await_broker kafka "${starting[1]}"
  starting=()
  KAFKAOPS_TANSU_BROKERS="$(head -n 1 "$work/tansu.addr")"
  KAFKAOPS_KAFKA_BROKERS="$(head -n 1 "$work/kafka.addr")"
  KAFKAOPS_KAFKA_DIR="$work/kafka"
  KAFKAOPS_KAFKA_ENV="$KAFKAOPS_KAFKA_DIR/env"
  export KAFKAOPS_TANSU_BROKERS KAFKAOPS_KAFKA_BROKERS KAFKAOPS_KAFKA_DIR KAFKAOPS_KAFKA_ENV
  echo "test.sh: tansu broker at $KAFKAOPS_TANSU_BROKERS" >&2
  echo "test.sh: apache kafka $(sed -n 's/^KAFKA_VERSION=//p' "$KAFKAOPS_KAFKA_ENV") at $KAFKAOPS_KAFKA_BROKERS" >&2
  [ "$status" -eq 0 ] || exit "$status"
fi

log="$work/cargo-test.log"
cargo test --locked --no-fail-fast "$@" 2>&1 | tee "$log" || status=$?
# One closing line for the whole run: cargo prints one summary per test binary, and
# none for a binary that crashed (a signal, an abort), so count those separately.
awk '/^test result:/ { for (i = 1; i <= NF; i++) { if ($(i) ~ /^passed;?$/) p += $(i-1); if ($(i) ~ /^failed;?$/) f += $(i-1); if ($(i) ~ /^ignored;?$/) s += $(i-1) } }
     /process didn.t exit successfully: .*signal:/ { c++ }
     END { printf "summary: %d passed, %d failed, %d skipped", p, f, s; if (c) printf ", %d test binaries crashed", c; printf "\n" }' "$log"
exit "$status"
