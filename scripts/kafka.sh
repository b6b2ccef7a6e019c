#!/usr/bin/env bash
# Apache Kafka (the real broker, one combined broker+controller in KRaft mode) for the
# test suite. See docs/apache-kafka.md for what was measured and why each setting is there.
#
#   scripts/kafka.sh install      collect the broker's jars from Maven Central (cached);
#                                 print the directory that holds them
#   scripts/kafka.sh start DIR    format DIR and start a broker on free loopback ports; wait
#                                 until it answers; print the PLAINTEXT bootstrap address as
#                                 the first line of stdout. DIR/env holds the other addresses
#                                 and credentials (KEY=value lines, listed below). On a DIR that
#                                 was started and stopped before (DIR/env present), restart on
#                                 the same log dir and the same ports, without formatting again.
#   scripts/kafka.sh stop DIR     SIGTERM the broker started in DIR, wait for a clean shutdown
#                                 (SIGKILL after 30 s)
#   scripts/kafka.sh tools [CLASS ARGS...]
#                                 collect kafka-tools (Kafka's command-line tools; Kafka
#                                 Connect's runtime comes with it, so kept apart from the
#                                 broker's jars); run CLASS with ARGS, or without a class print
#                                 the java command line for eval, e.g.
#                                 eval "$(scripts/kafka.sh tools) org.apache.kafka.tools.consumer.group.ConsumerGroupCommand --bootstrap-server H:P --describe --all-groups"
#
# DIR/env: BOOTSTRAP (PLAINTEXT), SASL_BOOTSTRAP (SASL_PLAINTEXT, SCRAM-SHA-512),
# SSL_BOOTSTRAP (SSL, server-authenticated only), SSL_CA (PEM file for ssl.ca.location),
# SASL_MECHANISM, SCRAM_USER/SCRAM_PASSWORD (a super user), LIMITED_USER/LIMITED_PASSWORD
# (a SCRAM user without ACLs: every authorised request it makes is denied), KAFKA_VERSION.
# Clients on the PLAINTEXT and SSL listeners are User:ANONYMOUS, a super user.
#
# Jars are cached under ${KAFKAOPS_TOOLS_DIR:-~/.cache/kafkaops-tools}/kafka-VERSION (the
# same root as scripts/tansu.sh). Java 17 and Maven are installed from Debian if missing.
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
POM="$HERE/kafka/pom.xml"
TOOLS_POM="$HERE/kafka/tools/pom.xml"
LOG4J_CONFIG="$HERE/kafka/log4j2.properties"
PROBE="$HERE/lib/kafka_probe.py"

pom_property() { sed -n "s:.*<$1>\(.*\)</$1>.*:\1:p" "$POM"; }
KAFKA_VERSION="$(pom_property kafka.version)"
LOG4J_VERSION="$(pom_property log4j.version)"
TOOLS_DIR="${KAFKAOPS_TOOLS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/kafkaops-tools}"
ROOT="$TOOLS_DIR/kafka-$KAFKA_VERSION"
LIBS="$ROOT/libs"
TOOLS_LIBS="$ROOT/tools-libs"

START_TIMEOUT_S=90
STOP_TIMEOUT_S=30
ADMIN_USER=kafkaops-admin
ADMIN_PASSWORD=kafkaops-admin-secret
LIMITED_USER=kafkaops-limited
LIMITED_PASSWORD=kafkaops-limited-secret
# Kafka's own scripts use 1 GB and these G1 settings; 512 MB is plenty for tests. Only the
# C1 compiler: on 2 shared cores C2's compile threads slow start-up by a third, and tests
# never run long enough for C2's code to pay off (docs/apache-kafka.md has the timings).
JVM_OPTS=(-Xmx512m -Xms512m -XX:+UseG1GC -XX:MaxGCPauseMillis=20
  -XX:InitiatingHeapOccupancyPercent=35 -XX:+ExplicitGCInvokesConcurrent
  -XX:TieredStopAtLevel=1 -Djava.awt.headless=true "-Dlog4j2.configurationFile=$LOG4J_CONFIG")
# A class-data-sharing archive of the broker's classes, dumped when the first broker that
# ran without one exits cleanly, and mapped by every later start (faster class loading).
# It lives beside the jars it was made from, so refilling them drops it too.
CDS_ARCHIVE="$LIBS/broker-cds.jsa"

die() { echo "kafka.sh: $*" >&2; exit 1; }

need_java_and_maven() {
  command -v java >/dev/null 2>&1 && command -v mvn >/dev/null 2>&1 && return
  command -v apt-get >/dev/null 2>&1 || die "java 17 and maven are needed (no apt-get to install them)"
  echo "kafka.sh: installing Java 17 and Maven from Debian" >&2
  apt-get install -y -qq openjdk-17-jre-headless maven >/dev/null 2>&1 ||
    { apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq openjdk-17-jre-headless maven >/dev/null 2>&1; } ||
    die "apt-get install openjdk-17-jre-headless maven failed"
}

# Copy the runtime dependencies of a pom into OUT, once: OUT/.pom-sha256 records the pom
# that filled it, so editing the pom (a version bump) refills it and nothing else does.
collect() {
  local pom="$1" out="$2" sum
  sum="$(sha256sum "$pom" | cut -d' ' -f1)"
  if [ "$(cat "$out/.pom-sha256" 2>/dev/null)" = "$sum" ]; then
    return
  fi
  need_java_and_maven
  echo "kafka.sh: collecting $(basename "$(dirname "$pom")")/$(basename "$pom") dependencies into $out" >&2
  local tmp="$out.tmp.$$"
  rm -rf "$tmp"
  mkdir -p "$ROOT"
  if ! mvn -B -q -f "$pom" "-Dkafka.version=$KAFKA_VERSION" "-Dlog4j.version=$LOG4J_VERSION" \
    org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy-dependencies \
    -DincludeScope=runtime "-DoutputDirectory=$tmp" >"$ROOT/mvn.log" 2>&1; then
    tail -n 30 "$ROOT/mvn.log" >&2
    rm -rf "$tmp"
    die "mvn copy-dependencies failed for $pom (log: $ROOT/mvn.log)"
  fi
  echo "$sum" >"$tmp/.pom-sha256"
  rm -rf "$out"
  mv "$tmp" "$out"
}

install() {
  collect "$POM" "$LIBS"
  echo "$LIBS"
}

TOOL_JVM_OPTS=(-Xmx512m -Djava.awt.headless=true "-Dlog4j2.configurationFile=$HERE/kafka/tools/log4j2.properties")

# With a class: run it. Without: print the java command line (classpath quoted, for eval).
tools() {
  collect "$TOOLS_POM" "$TOOLS_LIBS"
  if [ $# -gt 0 ]; then
    exec java "${TOOL_JVM_OPTS[@]}" -cp "$TOOLS_LIBS/*" "$@"
  fi
  echo "java ${TOOL_JVM_OPTS[*]} -cp '$TOOLS_LIBS/*'"
}

# Distinct free ports: all are bound at once before any is released.
free_ports() {
  python3 - "$1" <<'PY'
import socket, sys
socks = [socket.socket() for _ in range(int(sys.argv[1]))]
for s in socks:
    s.bind(("127.0.0.1", 0))
print(" ".join(str(s.getsockname()[1]) for s in socks))
PY
}

# A throwaway CA and a broker certificate for 127.0.0.1/localhost (librdkafka checks the
# host name by default), as PEM: the broker reads PEM key stores, librdkafka a PEM CA.
make_tls() {
  local tls="$1"
  mkdir -p "$tls"
  (
    cd "$tls"
    openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=kafkaops test CA" \
      -keyout ca.key -out ca.pem
    openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" -keyout broker.key -out broker.csr
    printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\n' >broker.ext
    openssl x509 -req -days 30 -in broker.csr -CA ca.pem -CAkey ca.key -CAcreateserial \
      -extfile broker.ext -out broker.crt
    # Kafka's PEM key store: the private key (PKCS#8) followed by the certificate chain.
    cat broker.key broker.crt ca.pem >broker-keystore.pem
  ) >/dev/null 2>&1 || die "openssl could not make the test CA in $tls"
}

write_config() {
  local dir="$1" plain="$2" sasl="$3" ssl="$4" controller="$5"
  cat >"$dir/server.properties" <<EOF
# Written by scripts/kafka.sh: a single combined broker+controller for tests.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$controller
controller.listener.names=CONTROLLER
listeners=PLAINTEXT://127.0.0.1:$plain,SASL_PLAINTEXT://127.0.0.1:$sasl,SSL://127.0.0.1:$ssl,CONTROLLER://127.0.0.1:$controller
advertised.listeners=PLAINTEXT://127.0.0.1:$plain,SASL_PLAINTEXT://127.0.0.1:$sasl,SSL://127.0.0.1:$ssl
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT,SSL:SSL,CONTROLLER:PLAINTEXT
inter.broker.listener.name=PLAINTEXT
log.dirs=$dir/data

sasl.enabled.mechanisms=SCRAM-SHA-512
listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;
ssl.keystore.type=PEM
ssl.keystore.location=$dir/tls/broker-keystore.pem
ssl.client.auth=none

# The broker reaches its controller, and itself, as User:ANONYMOUS over PLAINTEXT.
authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer
allow.everyone.if.no.acl.found=false
super.users=User:ANONYMOUS;User:$ADMIN_USER

# One node: the defaults assume three replicas and would leave the internal topics
# unavailable; one partition each makes them quick to create.
offsets.topic.replication.factor=1
offsets.topic.num.partitions=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
share.coordinator.state.topic.num.partitions=1
group.initial.rebalance.delay.ms=0

# Tests that set retention.ms or cleanup.policy=compact on a topic see the effect within
# seconds rather than after the five-minute and fifteen-second defaults.
log.retention.check.interval.ms=1000
log.cleaner.backoff.ms=1000
# Tests write records with fixed timestamps years in the past: Kafka's 7-day default would
# delete them within a second of the check above. Time retention is asked for per topic.
log.retention.ms=-1
# The cleaner's 128 MB default dedupe buffer would take a quarter of the heap.
log.cleaner.dedupe.buffer.size=16777216
EOF
}

write_env() {
  local dir="$1" plain="$2" sasl="$3" ssl="$4"
  cat >"$dir/env" <<EOF
BOOTSTRAP=127.0.0.1:$plain
SASL_BOOTSTRAP=127.0.0.1:$sasl
SSL_BOOTSTRAP=127.0.0.1:$ssl
SSL_CA=$dir/tls/ca.pem
SASL_MECHANISM=SCRAM-SHA-512
SCRAM_USER=$ADMIN_USER
SCRAM_PASSWORD=$ADMIN_PASSWORD
LIMITED_USER=$LIMITED_USER
LIMITED_PASSWORD=$LIMITED_PASSWORD
KAFKA_VERSION=$KAFKA_VERSION
EOF
}

# Kafka's cluster ids are 16 random bytes in URL-safe base64 without padding (what
# `StorageTool random-uuid` prints); made here to save a JVM start. Kafka never hands out
# an id starting with '-', which a command line would take for an option.
cluster_id() {
  python3 -c 'import base64, os
while True:
    u = base64.urlsafe_b64encode(os.urandom(16)).rstrip(b"=").decode()
    if not u.startswith("-"):
        print(u)
        break'
}

format() {
  local dir="$1" libs="$2"
  java -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 "-Dlog4j2.configurationFile=$LOG4J_CONFIG" -cp "$libs/*" kafka.tools.StorageTool format \
    -t "$(cluster_id)" -c "$dir/server.properties" \
    --add-scram "SCRAM-SHA-512=[name=$ADMIN_USER,password=$ADMIN_PASSWORD]" \
    --add-scram "SCRAM-SHA-512=[name=$LIMITED_USER,password=$LIMITED_PASSWORD]" \
    >>"$dir/kafka.log" 2>&1 || { tail -n 30 "$dir/kafka.log" >&2; die "formatting $dir/data failed"; }
}

env_value() { sed -n "s/^$2=//p" "$1/env"; }

start() {
  local dir="$1" libs
  mkdir -p "$dir"
  dir="$(cd "$dir" && pwd)"
  libs="$(install)"
  if [ -f "$dir/kafka.pid" ] && kill -0 "$(cat "$dir/kafka.pid")" 2>/dev/null; then
    die "a broker is already running in $dir (pid $(cat "$dir/kafka.pid"))"
  fi
  # env is written last, so a DIR without it was never fully set up: start it afresh.
  if [ ! -f "$dir/env" ]; then
    rm -rf "$dir/server.properties" "$dir/data" "$dir/tls"
    local plain sasl ssl controller
    read -r plain sasl ssl controller <<<"$(free_ports 4)"
    make_tls "$dir/tls"
    write_config "$dir" "$plain" "$sasl" "$ssl" "$controller"
    format "$dir" "$libs"
    write_env "$dir" "$plain" "$sasl" "$ssl"
  fi
  local bootstrap cds
  bootstrap="$(env_value "$dir" BOOTSTRAP)"
  rm -f "$dir/cds-pending"
  if [ -s "$CDS_ARCHIVE" ]; then
    cds="-XX:SharedArchiveFile=$CDS_ARCHIVE"
  else
    echo "$CDS_ARCHIVE.$$" >"$dir/cds-pending"
    cds="-XX:ArchiveClassesAtExit=$CDS_ARCHIVE.$$"
  fi
  echo "kafka.sh: starting Apache Kafka $KAFKA_VERSION in $dir at $(date +%T)" >>"$dir/kafka.log"
  # -Xlog keeps the archive's notes about classes it cannot hold out of the broker log.
  (exec java "${JVM_OPTS[@]}" "$cds" -Xlog:cds=off -Xlog:cds+dynamic=off -cp "$libs/*" \
    kafka.Kafka "$dir/server.properties" </dev/null >>"$dir/kafka.log" 2>&1) &
  local pid=$!
  echo "$pid" >"$dir/kafka.pid"
  local deadline=$((SECONDS + START_TIMEOUT_S))
  while [ "$SECONDS" -lt "$deadline" ]; do
    if python3 "$PROBE" "$bootstrap"; then
      echo "$bootstrap"
      return
    fi
    if ! kill -0 "$pid" 2>/dev/null; then
      rm -f "$dir/kafka.pid" "$(cat "$dir/cds-pending" 2>/dev/null || echo /nonexistent)" "$dir/cds-pending"
      tail -n 40 "$dir/kafka.log" >&2
      die "the Kafka JVM exited during start-up (log: $dir/kafka.log)"
    fi
    sleep 0.25
  done
  tail -n 40 "$dir/kafka.log" >&2
  stop "$dir"
  die "Kafka did not answer on $bootstrap within ${START_TIMEOUT_S}s (log: $dir/kafka.log)"
}

stop() {
  local dir="$1"
  [ -f "$dir/kafka.pid" ] || return 0
  local pid
  pid="$(cat "$dir/kafka.pid")"
  kill "$pid" 2>/dev/null || true
  local deadline=$((SECONDS + STOP_TIMEOUT_S))
  while kill -0 "$pid" 2>/dev/null && [ "$SECONDS" -lt "$deadline" ]; do
    sleep 0.1
  done
  local pending
  pending="$(cat "$dir/cds-pending" 2>/dev/null || true)"
  if kill -0 "$pid" 2>/dev/null; then
    echo "kafka.sh: broker $pid did not stop within ${STOP_TIMEOUT_S}s; killing it" >&2
    kill -9 "$pid" 2>/dev/null || true
    [ -z "$pending" ] || rm -f "$pending"
  elif [ -n "$pending" ] && [ -s "$pending" ]; then
    # Only an archive the JVM finished writing, i.e. after a clean exit.
    mv -f "$pending" "$CDS_ARCHIVE"
  fi
  rm -f "$dir/kafka.pid" "$dir/cds-pending"
}

case "${1:-}" in
  install) install ;;
  tools) shift; tools "$@" ;;
  start) [ $# -eq 2 ] || die "usage: kafka.sh start DIR"; start "$2" ;;
  stop) [ $# -eq 2 ] || die "usage: kafka.sh stop DIR"; stop "$2" ;;
  *) die "usage: kafka.sh install | start DIR | stop DIR | tools [CLASS ARGS...]" ;;
esac
