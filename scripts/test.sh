#!/usr/bin/env bash
# The whole test suite, on a fresh machine: installs what the tests need (the Python
# client used as an independent check, the Tansu broker, cached after the first build),
# starts Tansu on a free loopback port, runs every test, and stops the broker.
#
# Set KAFKAOPS_TEST_BROKERS=host:port to run the broker-agnostic tests against another
# cluster (e.g. Apache Kafka) instead of the embedded mock cluster and Tansu.
# Extra arguments go to `cargo test` (e.g. scripts/test.sh --test dlq).
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

work="$(mktemp -d)"
cleanup() {
  scripts/tansu.sh stop "$work/tansu" || true
  rm -rf "$work"
}
trap cleanup EXIT

if [ -z "${KAFKAOPS_TEST_BROKERS:-}" ]; then
  KAFKAOPS_TANSU_BROKERS="$(scripts/tansu.sh start "$work/tansu")"
  export KAFKAOPS_TANSU_BROKERS
  echo "test.sh: tansu broker at $KAFKAOPS_TANSU_BROKERS" >&2
fi

log="$work/cargo-test.log"
status=0
cargo test --locked --no-fail-fast "$@" 2>&1 | tee "$log" || status=$?
# One closing line for the whole run: cargo prints one summary per test binary, and
# none for a binary that crashed (a signal, an abort), so count those separately.
awk '/^test result:/ { for (i = 1; i <= NF; i++) { if ($(i) ~ /^passed;?$/) p += $(i-1); if ($(i) ~ /^failed;?$/) f += $(i-1); if ($(i) ~ /^ignored;?$/) s += $(i-1) } }
     /process didn.t exit successfully: .*signal:/ { c++ }
     END { printf "summary: %d passed, %d failed, %d skipped", p, f, s; if (c) printf ", %d test binaries crashed", c; printf "\n" }' "$log"
exit "$status"
