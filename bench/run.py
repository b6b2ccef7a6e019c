#!/usr/bin/env python3
"""kafkaops benchmarks, side by side with kcat, jq, a confluent-kafka script and
Kafka's own kafka-consumer-groups tool, on the embedded mock cluster and on Apache
Kafka in one run. Medians of --runs repetitions, run round-robin (tool A, tool B,
tool A, ...) so a slow phase of the machine hits every tool alike; ratios are what
count on a noisy machine.

    bench/run.py [--records 1000000] [--runs 3] [--groups 1000] [--json bench/results.json]
                 [--baseline OTHER/kafkaops] [--kafka-bootstrap HOST:PORT | --no-kafka]
                 [--quick]

Apache Kafka: by default a broker is started for the run with `scripts/kafka.sh start`
in a temporary directory and stopped at the end; `--kafka-bootstrap` uses a running
one instead (PLAINTEXT), with every topic and group named with `--kafka-prefix` and
deleted afterwards. On a shared broker `kafka-consumer-groups --describe --all-groups`
also describes other users' groups; the harness counts only its own rows, but the
tool's time includes the rest.

With --baseline, another kafkaops binary (an earlier commit's release build) runs the
same replay, triage and lag commands in the same rounds, so a change is judged
before/after on one broker in one run.

Scale curves (mock cluster): triage time and RSS at 10k/100k/1M dead letters, lag
time at 10/100/1,000/5,000 groups, replay plan time at 10k/100k/1M records.

Needs: a release build (built here), kcat, jq, python3 with confluent-kafka, and for
Apache Kafka Java 17 (scripts/kafka.sh installs it and the jars if missing).
Every comparison is checked for completeness (records loaded, replayed, grouped
and categorised; lag totals equal to the other tool's), so a fast wrong answer fails
the run instead of winning it. The rate limit is measured from the records
themselves: the `kafkaops.replay.time` header each replayed record carries.
"""
import argparse
import datetime
import json
import os
import shlex
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, "target", "release", "kafkaops")
KAFKA_SH = os.path.join(ROOT, "scripts", "kafka.sh")
PARTITIONS = 48
# The mock broker keeps at most 5 MB per partition and silently drops older
# batches beyond that (its log end still counts them): 1,000,000 dead letters
# (~600 bytes each with their headers and a short stack trace, 2.3 MB per
# partition) plus a 2 MB stack trace on 8 of the partitions need 256 partitions
# to stay whole (at 192 and 3 MB, 12,615 were dropped). Every tool's count of
# the dead letters is checked.
DLT_PARTITIONS = 256
# Dead letters carrying a multi-megabyte stack trace, each on a partition of its own.
BIG_TRACES = 8
BIG_TRACE_BYTES = 2 * 1024 * 1024
# Distinct exception classes among the dead letters (thousands of distinct reasons).
DISTINCT_CLASSES = 3000
# kcat with its librdkafka defaults pauses fetching for up to a second whenever its
# prefetch queue holds queued.min.messages (100,000); raising that shows what kcat
# itself could do. Reported for context; the targets use plain `kcat -C -e`.
KCAT_TUNED = "-X queued.min.messages=1000000"
CONSUMER_GROUP_COMMAND = "org.apache.kafka.tools.consumer.group.ConsumerGroupCommand"


# What `--only` can choose; a part left out leaves its rows out of the table.
PARTS = ("replay", "triage", "lag", "scale", "serve")


def log(msg):
    print(f"bench: {msg}", file=sys.stderr, flush=True)


def free_address():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    addr = "127.0.0.1:%d" % s.getsockname()[1]
    s.close()
    return addr


def measure(cmd, env=None, rss=False):
    """Run a shell command; return (wall seconds, peak RSS in MB or None, stdout).

    With rss=True the command must be one program (plus redirections): it runs under
    GNU time, which reports that program's own peak RSS. (The rusage of the shell
    is no use: a child forked from this Python process inherits Python's RSS
    high-water mark across exec.)"""
    out = tempfile.TemporaryFile()
    err = tempfile.TemporaryFile()
    rss_file = None
    if rss:
        fd, rss_file = tempfile.mkstemp(prefix="kafkaops-bench-rss-")
        os.close(fd)
        cmd = f"/usr/bin/time -f %M -o {rss_file} {cmd}"
    start = time.perf_counter()
    proc = subprocess.Popen(["bash", "-o", "pipefail", "-c", cmd], stdout=out, stderr=err, env=env)
    proc.wait()
    wall = time.perf_counter() - start
    err.seek(0)
    errors = err.read().decode(errors="replace")
    out.seek(0)
    stdout = out.read().decode(errors="replace")
    peak = None
    if rss_file:
        with open(rss_file) as f:
            lines = [l for l in f.read().split() if l.isdigit()]
        os.unlink(rss_file)
        peak = int(lines[-1]) / 1024.0 if lines else None
    if proc.returncode != 0:
        raise SystemExit(f"bench: command failed ({proc.returncode}): {cmd}\n{errors[-2000:]}")
    return wall, peak, stdout


def summarize(results, rss=False, broker_cpu=None):
    out = {
        "seconds": statistics.median(r[0] for r in results),
        "all_seconds": [round(r[0], 4) for r in results],
        "peak_rss_mb": max(r[1] for r in results) if rss else None,
        "stdout": results[-1][2],
    }
    if broker_cpu:
        out["broker_cpu_s"] = statistics.median(broker_cpu)
    return out


def median_of(runs, cmd, env=None, on_result=None, rss=False):
    return interleaved(runs, {"only": dict(cmd=cmd, env=env, on_result=on_result, rss=rss)})["only"]


def process_cpu_s(pid):
    """User + system CPU seconds a process has used so far."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def interleaved(runs, specs, cluster=None):
    """Run the commands of `specs` ({name: dict(cmd, env, on_result, rss)}; a callable
    cmd is given the round's number) round-robin,
    `runs` rounds, and summarise each by its median. Round-robin, because this machine
    has slow and fast phases lasting minutes: running one tool's repetitions back to
    back and then the other's let a phase change decide a comparison. With a `cluster`
    whose broker process is ours, also the CPU time the broker spent serving each run."""
    pid = cluster.pid if cluster else None
    results = {name: [] for name in specs}
    cpu = {name: [] for name in specs}
    for _ in range(runs):
        for name, spec in specs.items():
            before = process_cpu_s(pid) if pid else None
            cmd = spec["cmd"](len(results[name])) if callable(spec["cmd"]) else spec["cmd"]
            results[name].append(measure(cmd, spec.get("env"), rss=spec.get("rss", False)))
            if pid:
                cpu[name].append(process_cpu_s(pid) - before)
            if spec.get("on_result"):
                spec["on_result"](results[name][-1][2])
    return {name: summarize(results[name], specs[name].get("rss", False), cpu[name]) for name in specs}


class Mock:
    """`kafkaops sandbox` (librdkafka's mock cluster) with empty benchmark topics."""

    name = "mock"

    def __init__(self, topics):
        self.address = free_address()
        self.prefix = ""
        args = [BIN, "sandbox", "--seed", "none", "--listen", self.address]
        for name, partitions in topics:
            args += ["--create-topic", f"{name}:{partitions}"]
        self.proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        self.pid = self.proc.pid
        for line in self.proc.stdout:
            if "Ctrl-C stops it" in line:
                break
        else:
            raise SystemExit("bench: sandbox did not start")

    def topic(self, name):
        return name

    def create_topics(self, topics):
        """The sandbox's topics were made at its start."""

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=30)


ADMIN_SCRIPT = r'''
import sys, json
from confluent_kafka.admin import AdminClient, NewTopic
addr, op, arg = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
admin = AdminClient({"bootstrap.servers": addr})
if op == "create":
    fs = admin.create_topics([NewTopic(t, p, 1, config=c) for t, p, c in arg], operation_timeout=60)
elif op == "delete-topics":
    have = set(admin.list_topics(timeout=30).topics)
    fs = admin.delete_topics([t for t in arg if t in have], operation_timeout=60) if any(t in have for t in arg) else {}
else:
    prefix = arg
    groups = [g.group_id for g in admin.list_consumer_groups().result(60).valid if g.group_id.startswith(prefix)]
    fs = {}
    for i in range(0, len(groups), 200):
        fs.update(admin.delete_consumer_groups(groups[i:i + 200], request_timeout=60))
for f in fs.values():
    f.result()
'''


class Kafka:
    """Apache Kafka: a broker started for the run with scripts/kafka.sh, or a running
    one (`--kafka-bootstrap`). Topics and groups carry `prefix` and are deleted at
    the end."""

    name = "kafka"

    def __init__(self, bootstrap, prefix):
        self.prefix = prefix
        self.dir = None
        self.pid = None
        self.topics = []
        if bootstrap:
            self.address = bootstrap
        else:
            self.dir = tempfile.mkdtemp(prefix="kafkaops-bench-kafka-")
            log(f"starting Apache Kafka in {self.dir}")
            out = subprocess.run([KAFKA_SH, "start", self.dir], check=True, capture_output=True, text=True).stdout
            self.address = out.splitlines()[0].strip()
            with open(os.path.join(self.dir, "kafka.pid")) as f:
                self.pid = int(f.read().strip())

    def topic(self, name):
        return self.prefix + name

    def admin(self, op, arg):
        subprocess.run([sys.executable, "-c", ADMIN_SCRIPT, self.address, op, json.dumps(arg)], check=True)

    def create_topics(self, topics):
        """topics: [(name, partitions, {config})]; names already prefixed."""
        self.admin("delete-topics", [t for t, _, _ in topics])
        self.topics += [t for t, _, _ in topics]
        # A deletion takes a moment to finish on the broker; a create right after it
        # can find the topic still there.
        for attempt in range(20):
            try:
                self.admin("create", topics)
                return
            except subprocess.CalledProcessError:
                if attempt == 19:
                    raise
                time.sleep(1)

    def stop(self):
        try:
            if self.topics:
                self.admin("delete-topics", self.topics)
            self.admin("delete-groups", self.prefix + "bench-")
        finally:
            if self.dir:
                subprocess.run([KAFKA_SH, "stop", self.dir], check=False)
                shutil.rmtree(self.dir, ignore_errors=True)


def partition_ends(cluster, topic):
    """{partition: log end} of a topic, from `kafkaops topic describe`."""
    out = subprocess.run([BIN, "-b", cluster.address, "topic", "describe", "--topic", topic, "-o", "json"],
                         check=True, capture_output=True, text=True).stdout
    return {p["partition"]: p["log_end"] for p in json.loads(out)["partitions"]}


def offsets_flags(ends, count):
    """`--offsets P:0-LAST` flags selecting `count` records spread over the partitions
    (all of them when count >= the topic's size)."""
    total = sum(ends.values())
    count = min(count, total)
    flags, taken = [], 0
    parts = sorted(p for p in ends if ends[p] > 0)
    for i, p in enumerate(parts):
        want = count - taken if i == len(parts) - 1 else min(ends[p], round(count * ends[p] / total))
        want = min(want, ends[p])
        if want > 0:
            flags.append(f"--offsets {p}:0-{want - 1}")
            taken += want
    return " ".join(flags), taken


def kcat_headers(cluster, topic):
    """The headers of every record of a topic as dicts (kcat `-f '%h'` prints them as
    `name=value,name=value`; our provenance values never contain commas)."""
    out = subprocess.run(["kcat", "-C", "-b", cluster.address, "-t", topic, "-o", "beginning", "-e", "-q",
                          "-f", "%h\n"], check=True, capture_output=True).stdout
    rows = []
    for line in out.decode(errors="replace").splitlines():
        h = {}
        for part in line.split(","):
            k, sep, v = part.partition("=")
            if sep:
                h[k] = v
        rows.append(h)
    return rows


def topic_count(cluster, topic):
    return sum(partition_ends(cluster, topic).values())


def rate_stats(stamps_ms, target):
    """Mean rate over the whole run and the most records in any one-second window
    [t, t + 1 s) that starts at a record, both from per-record replay times."""
    stamps_ms = sorted(stamps_ms)
    span = (stamps_ms[-1] - stamps_ms[0]) / 1000.0
    burst, j = 0, 0
    for i in range(len(stamps_ms)):
        while stamps_ms[i] - stamps_ms[j] >= 1000:
            j += 1
        burst = max(burst, i - j + 1)
    mean = (len(stamps_ms) - 1) / span if span > 0 else float("inf")
    return {
        "records": len(stamps_ms), "span_s": span, "mean_rate": mean,
        "mean_error_pct": 100.0 * (mean - target) / target,
        "max_one_second_window": burst, "burst_pct_of_target": 100.0 * burst / target,
    }


def load_plain(cluster, topic, n):
    """n keyed ~100-byte JSON records, produced by kcat with its default partitioner."""
    path = os.path.join(tempfile.gettempdir(), f"kafkaops-bench-{n}.tsv")
    if not os.path.exists(path):
        with open(path + ".tmp", "w") as f:
            for i in range(n):
                f.write('order-%07d\t{"order_id":"order-%07d","customer":"c-%04d","amount":%d.%02d,"currency":"EUR","status":"NEW"}\n'
                        % (i, i, i % 9973, i % 5000, i % 100))
        os.rename(path + ".tmp", path)
    measure(f"kcat -P -b {cluster.address} -t {topic} -K '\\t' -l {path}")
    if topic_count(cluster, topic) != n:
        raise SystemExit(f"bench: {topic} holds {topic_count(cluster, topic)} records, expected {n}")


LOAD_DLQ_SCRIPT = r'''
import struct, sys, time
from confluent_kafka import Producer
addr, topic, n, partitions, big, big_bytes, classes = sys.argv[1], sys.argv[2], *map(int, sys.argv[3:])
p = Producer({"bootstrap.servers": addr, "linger.ms": 20, "batch.num.messages": 10000,
              "queue.buffering.max.messages": 500000, "message.max.bytes": 2 * big_bytes})
causes = [("org.springframework.kafka.listener.ListenerExecutionFailedException", "Read timed out after %d ms"),
          ("org.springframework.dao.DuplicateKeyException", "duplicate key value violates unique constraint; Key (id)=(%d) already exists."),
          ("org.springframework.kafka.support.serializer.DeserializationException", "failed to deserialize; Unexpected character at column %d"),
          ("java.lang.IllegalStateException", "order %d has no customer"),
          ("java.lang.NullPointerException", "Cannot invoke String.length() because field %d is null"),
          ("org.apache.kafka.common.errors.RecordTooLargeException", "The message is %d bytes when serialized"),
          (None, "amount %d exceeds the limit"),
          ("java.net.ConnectException", "Connection refused to ledger-%d:8443")]
frame = b"\tat com.acme.orders.OrderListener.onMessage(OrderListener.java:42)\n"
trace = b"java.lang.IllegalStateException: order has no customer\n" + frame * 3
big_trace = b"java.lang.StackOverflowError\n" + frame * (big_bytes // len(frame))
# Thousands of distinct reasons: one exception class per letter word (no digits,
# nothing a normaliser folds together).
word = lambda k: "".join("ghijklmnop"[int(d)] for d in "%04d" % k)
big_every = max(1, n // big) if big else 0
now = int(time.time() * 1000)
for i in range(n):
    exc, msg = causes[i % len(causes)]
    if exc is None:
        exc = "com.acme.validation.%sException" % word(i % classes).capitalize()
    stack, part = trace, -1
    if big_every and i % big_every == big_every // 2 and i // big_every < big:
        # Each big trace on a partition of its own, so no mock partition outgrows 5 MB.
        stack, part = big_trace, (i // big_every) * (partitions // big)
    headers = [("kafka_dlt-original-topic", b"orders"),
               ("kafka_dlt-original-partition", struct.pack(">i", i % 48)),
               ("kafka_dlt-original-offset", struct.pack(">q", i)),
               ("kafka_dlt-original-timestamp", struct.pack(">q", now - 86400000 + i)),
               ("kafka_dlt-exception-fqcn", exc.encode()),
               ("kafka_dlt-exception-message", (msg % (i * 7919 % 100000)).encode()),
               ("kafka_dlt-exception-stacktrace", stack)]
    while True:
        try:
            p.produce(topic, key=b"order-%07d" % i, value=b'{"order_id":"order-%07d","amount":%d}' % (i, i % 5000),
                      headers=headers, timestamp=now - 86400000 + i, partition=part)
            break
        except BufferError:
            p.poll(0.05)
    if i % 10000 == 0:
        p.poll(0)
if p.flush(300):
    sys.exit("dead letters left unsent")
'''


def load_dlq(cluster, topic, n, partitions, big=BIG_TRACES):
    """n dead letters with Spring Kafka headers (binary partition/offset/timestamp, a
    short stack trace), 7 fixed causes plus DISTINCT_CLASSES exception classes, and
    `big` of them with a multi-megabyte stack trace."""
    subprocess.run([sys.executable, "-c", LOAD_DLQ_SCRIPT, cluster.address, topic, str(n), str(partitions),
                    str(big), str(BIG_TRACE_BYTES), str(DISTINCT_CLASSES)], check=True)
    if topic_count(cluster, topic) != n:
        raise SystemExit(f"bench: {topic} holds {topic_count(cluster, topic)} records, expected {n}")


COMMIT_SCRIPT = r'''
import sys
from confluent_kafka import Consumer, TopicPartition, ConsumerGroupTopicPartitions
from confluent_kafka.admin import AdminClient
addr, topic, prefix, first, last = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
probe = Consumer({"bootstrap.servers": addr, "group.id": prefix + "probe"})
highs = [probe.get_watermark_offsets(TopicPartition(topic, p), timeout=10)[1] for p in range(48)]
probe.close()
admin = AdminClient({"bootstrap.servers": addr})
pending = []
for g in range(first, last):
    # Groups cluster on a few positions, as real consumers of one topic do.
    behind = (g % 10) * 100
    parts = [TopicPartition(topic, p, max(0, highs[p] - behind)) for p in range(48)]
    pending += list(admin.alter_consumer_group_offsets(
        [ConsumerGroupTopicPartitions(prefix + "%04d" % g, parts)], request_timeout=60).values())
    if len(pending) >= 200:
        for f in pending:
            f.result()
        pending = []
for f in pending:
    f.result()
'''


def commit_groups(cluster, topic, first, last):
    """Committed offsets for groups `first..last` (exclusive) of `{prefix}bench-g-NNNN`."""
    subprocess.run([sys.executable, "-c", COMMIT_SCRIPT, cluster.address, topic, group_prefix(cluster),
                    str(first), str(last)], check=True)


def group_prefix(cluster):
    return cluster.prefix + "bench-g-"


LAG_SCRIPT = r'''
import sys
from confluent_kafka import TopicPartition, ConsumerGroupTopicPartitions
from confluent_kafka.admin import AdminClient, OffsetSpec
addr, topic, prefix, groups = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
admin = AdminClient({"bootstrap.servers": addr})
parts = [TopicPartition(topic, p) for p in range(48)]
ends = admin.list_offsets({TopicPartition(topic, p): OffsetSpec.latest() for p in range(48)})
high = {tp.partition: f.result().offset for tp, f in ends.items()}
futures = []
for g in range(groups):
    futures += list(admin.list_consumer_group_offsets(
        [ConsumerGroupTopicPartitions(prefix + "%04d" % g, parts)]).values())
total = 0
for f in futures:
    for tp in f.result().topic_partitions:
        total += max(0, high[tp.partition] - tp.offset)
print(total)
'''


def lag_groups_flags(cluster, groups):
    return " ".join(f"--group {group_prefix(cluster)}%04d" % g for g in range(groups))


def check_lag(name, stdout, groups, total):
    report = json.loads(stdout)
    got = sum(g["total_lag"] for g in report["groups"])
    if len(report["groups"]) != groups or got != total:
        raise SystemExit(f"bench: kafkaops lag {name} reported {len(report['groups'])} groups and total lag "
                         f"{got}; expected {groups} groups and {total}")


def consumer_groups_total(stdout, prefix, topic):
    """Groups and total lag of our groups in `kafka-consumer-groups --describe` output."""
    groups, total = set(), 0
    for line in stdout.splitlines():
        cols = line.split()
        if len(cols) >= 6 and cols[0].startswith(prefix) and cols[1] == topic and cols[5].isdigit():
            groups.add(cols[0])
            total += int(cols[5])
    return len(groups), total


def rps(n, r):
    return n / r["seconds"]


def replay_sinks(runs, base):
    """The destination topics of the replay comparison: one per tool and round."""
    tools = ("kafkaops", "baseline") if base else ("kafkaops",)
    return ["sink-kcat"] + [f"sink-{tool}-{i}" for tool in tools for i in range(runs)]


def replay_bench(cluster, args, env, base, n, src, sinks, with_tuned):
    """Unthrottled replay of the whole of `src` vs raw kcat consume and a kcat pipe."""
    a = cluster.address
    ends = partition_ends(cluster, src)
    all_offsets, loaded = offsets_flags(ends, n)
    if loaded != n:
        raise SystemExit(f"bench: loaded {loaded} records into {src}, expected {n}")
    before = topic_count(cluster, sinks["kcat"])
    sent = []
    count_sent = lambda out: sent.append(json.loads(out)["counts"]["sent"])

    # Each round replays into an empty topic of its own: into a destination that
    # already holds copies, `replay run` first looks for them (its duplicate guard)
    # and refuses, which is another measurement. --skip-oversized: no record can
    # then stop the run half-written, so the plan is counted from offsets and the
    # source read once (on default topic limits a record could be too large, and
    # only a reading plan would find it).
    def replay_cmd(binary, sink):
        return lambda i: (f"{binary} -b {a} replay run --topic {src} {all_offsets} --to {sink}-{i} "
                f"--rate unlimited --max-records {n} --skip-oversized --owner bench --reason benchmark --yes -o json")
    specs = {"raw": dict(cmd=f"kcat -C -b {a} -t {src} -o beginning -e -q > /dev/null")}
    if with_tuned:
        specs["tuned"] = dict(cmd=f"kcat -C -b {a} -t {src} -o beginning -e -q {KCAT_TUNED} > /dev/null")
    specs["pipe"] = dict(cmd=f"kcat -C -b {a} -t {src} -o beginning -e -q -f '%k\\t%s\\n' | kcat -P -b {a} -t {sinks['kcat']} -K '\\t'")
    specs["ours"] = dict(cmd=replay_cmd(BIN, sinks["kafkaops"]), env=env, rss=True, on_result=count_sent)
    if base:
        specs["baseline"] = dict(cmd=replay_cmd(base, sinks["baseline"]), env=env, rss=True, on_result=count_sent)
    m = interleaved(args.runs, specs)
    if topic_count(cluster, sinks["kcat"]) - before != n * args.runs:
        raise SystemExit("bench: the kcat pipeline did not copy every record")
    if any(c != n for c in sent):
        raise SystemExit(f"bench: kafkaops replay sent {sent}, expected {n} each run")
    raw, pipe, ours = m["raw"], m["pipe"], m["ours"]
    out = {
        "kafkaops_records_per_s": rps(n, ours), "kcat_pipeline_records_per_s": rps(n, pipe),
        "kcat_consume_records_per_s": rps(n, raw),
        "vs_pipeline": rps(n, ours) / rps(n, pipe), "vs_raw_consume": rps(n, ours) / rps(n, raw),
        "kafkaops_peak_rss_mb": ours["peak_rss_mb"],
        "seconds": {"kafkaops": ours["all_seconds"], "kcat_pipeline": pipe["all_seconds"],
                    "kcat_consume": raw["all_seconds"]},
    }
    if with_tuned:
        out["kcat_consume_tuned_records_per_s"] = rps(n, m["tuned"])
        out["vs_tuned_consume"] = rps(n, ours) / rps(n, m["tuned"])
        out["seconds"]["kcat_consume_tuned"] = m["tuned"]["all_seconds"]
    if base:
        out["baseline"] = baseline_figures(m["baseline"], ours, n)
    return out, ends


def rate_bench(cluster, env, ends, n, src, sink):
    """Rate-limit accuracy, from the replay-time provenance header of every record
    (kafkaops.replay.time, RFC 3339 with milliseconds, stamped as each record is sent)."""
    out = {}
    a = cluster.address
    for target, count in ((1000, 10_000), (20000, 200_000)):
        flags, count = offsets_flags(ends, min(count, n))
        log(f"rate limit {target}/s over {count} records")
        r = measure(f"{BIN} -b {a} replay run --topic {src} {flags} --to {sink}-{target} --rate {target}/s "
                    f"--max-records {count} --owner bench --reason rate --yes -o json", env)
        replay_id = json.loads(r[2])["id"]
        stamps = [int(datetime.datetime.fromisoformat(h["kafkaops.replay.time"]).timestamp() * 1000)
                  for h in kcat_headers(cluster, f"{sink}-{target}") if h.get("kafkaops.replay.id") == replay_id]
        if len(stamps) != count:
            raise SystemExit(f"bench: found {len(stamps)} records of replay {replay_id} in {sink}-{target}, expected {count}")
        out[str(target)] = rate_stats(stamps, target)
        out[str(target)]["wall_s"] = r[0]
    return out


JQ_PROG = r'''[.headers as $h | range(0; $h|length; 2) | select($h[.] == "kafka_dlt-exception-fqcn") | $h[.+1]][0]'''


def triaged(stdout):
    """Dead letters a triage report accounts for (its categories and overflow row)."""
    report = json.loads(stdout)
    overflow = report.get("overflow") or {}
    return sum(c["records"] for c in report["categories"]) + (overflow.get("records", 0) if isinstance(overflow, dict) else 0)


def triage_bench(cluster, args, env, base, n, dlt):
    a = cluster.address
    jq = median_of(max(1, args.runs - 1),
                   f"kcat -C -b {a} -t {dlt} -o beginning -e -q -J | jq -r '{JQ_PROG}' | sort | uniq -c")
    jq_total = sum(int(line.split()[0]) for line in jq["stdout"].splitlines() if line.strip())
    if jq_total != n:
        raise SystemExit(f"bench: the kcat+jq pipeline grouped {jq_total} records, expected {n}")
    read = []
    count_read = lambda out: read.append(triaged(out))
    specs = {
        "raw": dict(cmd=f"kcat -C -b {a} -t {dlt} -o beginning -e -q > /dev/null"),
        "ours": dict(cmd=f"{BIN} -b {a} dlq triage --topic {dlt} -o json", env=env, rss=True, on_result=count_read),
    }
    if base:
        specs["baseline"] = dict(cmd=f"{base} -b {a} dlq triage --topic {dlt} -o json", env=env, rss=True,
                                 on_result=count_read)
    m = interleaved(args.runs, specs)
    raw_d, tri = m["raw"], m["ours"]
    if any(r != n for r in read):
        raise SystemExit(f"bench: dlq triage accounted for {read} records, expected {n} each run")
    out = {
        "kafkaops_records_per_s": rps(n, tri), "kcat_jq_records_per_s": rps(n, jq),
        "kcat_consume_records_per_s": rps(n, raw_d),
        "vs_kcat_jq": rps(n, tri) / rps(n, jq), "vs_raw_consume": rps(n, tri) / rps(n, raw_d),
        "kafkaops_peak_rss_mb": tri["peak_rss_mb"], "categories": len(json.loads(tri["stdout"])["categories"]),
        "seconds": {"kafkaops": tri["all_seconds"], "kcat_jq": jq["all_seconds"], "kcat_consume": raw_d["all_seconds"]},
    }
    if base:
        out["baseline"] = baseline_figures(m["baseline"], tri, n)
    return out


def lag_bench(cluster, args, env, base, src, other):
    """kafkaops lag (without and with event age) for --groups groups vs `other`:
    "script" (the confluent-kafka script) or "kcg" (Kafka's ConsumerGroupCommand)."""
    a = cluster.address
    groups = lag_groups_flags(cluster, args.groups)
    specs = {}
    if other == "script":
        specs["other"] = dict(cmd=f"{sys.executable} -c '{LAG_SCRIPT}' {a} {src} {group_prefix(cluster)} {args.groups}")
    else:
        specs["other"] = dict(cmd=f"{args.kafka_tools} {CONSUMER_GROUP_COMMAND} --bootstrap-server {a} "
                                  f"--describe --all-groups")
    specs["no_age"] = dict(cmd=f"{BIN} -b {a} lag --topic {src} {groups} --no-age -o json", env=env)
    specs["age"] = dict(cmd=f"{BIN} -b {a} lag --topic {src} {groups} -o json", env=env)
    if base:
        specs["baseline_no_age"] = dict(cmd=f"{base} -b {a} lag --topic {src} {groups} --no-age -o json", env=env)
        specs["baseline_age"] = dict(cmd=f"{base} -b {a} lag --topic {src} {groups} -o json", env=env)
    # More rounds than elsewhere: each run is short, and the broker's share of it
    # (the same for all) is noisy.
    m = interleaved(max(args.runs, 5), specs, cluster=cluster)
    oth, no_age, age = m["other"], m["no_age"], m["age"]
    if other == "script":
        total = int(oth["stdout"].strip())
    else:
        seen, total = consumer_groups_total(oth["stdout"], group_prefix(cluster), src)
        if seen != args.groups:
            raise SystemExit(f"bench: kafka-consumer-groups described {seen} of our groups, expected {args.groups}")
    check_lag("--no-age", no_age["stdout"], args.groups, total)
    check_lag("with event age", age["stdout"], args.groups, total)
    out = {
        "groups": args.groups, "total_lag": total,
        "other": "confluent-kafka script" if other == "script" else "kafka-consumer-groups --describe --all-groups",
        "other_s": oth["seconds"], "kafkaops_no_age_s": no_age["seconds"], "kafkaops_with_age_s": age["seconds"],
        "no_age_vs_other": oth["seconds"] / no_age["seconds"],
        "seconds": {"other": oth["all_seconds"], "kafkaops_no_age": no_age["all_seconds"],
                    "kafkaops_with_age": age["all_seconds"]},
    }
    if cluster.pid:
        out["broker_cpu_s"] = {"other": oth["broker_cpu_s"], "kafkaops_no_age": no_age["broker_cpu_s"],
                               "kafkaops_with_age": age["broker_cpu_s"]}
    if base:
        out["baseline"] = {
            "no_age_s": m["baseline_no_age"]["seconds"], "with_age_s": m["baseline_age"]["seconds"],
            "no_age_speedup": m["baseline_no_age"]["seconds"] / no_age["seconds"],
            "with_age_speedup": m["baseline_age"]["seconds"] / age["seconds"],
        }
    return out


# `kafkaops serve`: collections of the RSS run (fewer with --quick), its group
# count (a tenth of --groups: at 1,000 groups x 48 a collection takes 1-2 s, so
# 1,000 of them would take over 20 minutes), and how often it is scraped there.
SERVE_RSS_COLLECTIONS = 1000
SERVE_RSS_SCRAPE_S = 1.0


def serve_health(addr):
    """(collections, last duration in s, errors) of serve's lag source, or None while
    it does not answer. The health families come first in the exposition, so only
    its head is read (at 1,000 groups x 48 the whole text is ~26 MB)."""
    import urllib.request
    try:
        resp = urllib.request.urlopen(f"http://{addr}/metrics", timeout=10)
    except OSError:
        return None
    got = {}
    with resp:
        for raw in resp:
            line = raw.decode()
            for key, name in (("n", "kafkaops_collections_total"), ("d", "kafkaops_collection_duration_seconds"),
                              ("e", "kafkaops_collection_errors_total")):
                if line.startswith(name + '{source="lag"} '):
                    got[key] = float(line.split()[-1])
            if len(got) == 3 or line.startswith("kafkaops_consumergroup"):
                break
    if "n" not in got:
        return None
    return int(got["n"]), got.get("d"), int(got.get("e", 0))


def scrape_all(addr):
    """A whole scrape, as Prometheus makes it: the bytes read."""
    import urllib.request
    try:
        with urllib.request.urlopen(f"http://{addr}/metrics", timeout=30) as resp:
            return len(resp.read())
    except OSError:
        return 0


def vm_rss_mb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024.0
    return None


def run_serve(cluster, env, selection, interval, until, on_collection, scrape_every=None):
    """Start `kafkaops serve` on a free port; call on_collection(n, duration, pid) once per
    collection seen (n counts them) until `until` collections; then stop it."""
    addr = free_address()
    err = tempfile.TemporaryFile()
    cmd = [BIN, "-b", cluster.address, "serve", "--listen", addr, "--interval", interval] + selection
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err, env=env)
    seen, last_scrape, began = 0, 0.0, time.perf_counter()
    try:
        while seen < until:
            if proc.poll() is not None:
                err.seek(0)
                raise SystemExit(f"bench: kafkaops serve exited ({proc.returncode}):\n"
                                 f"{err.read().decode(errors='replace')[-2000:]}")
            if time.perf_counter() - began > 3600:
                raise SystemExit(f"bench: kafkaops serve made {seen} of {until} collections in an hour")
            h = serve_health(addr)
            if h and h[2] > 0:
                raise SystemExit(f"bench: a kafkaops serve collection failed ({h[2]} errors)")
            if h and h[0] > seen:
                seen = h[0]
                on_collection(seen, h[1], proc.pid)
            if scrape_every and time.perf_counter() - last_scrape >= scrape_every:
                scrape_all(addr)
                last_scrape = time.perf_counter()
            time.sleep(0.02)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    return time.perf_counter() - began


def serve_bench(cluster, args, env, src):
    """One collection of `kafkaops serve` (event age on) vs one-shot `kafkaops lag` with
    event age, on the same --groups groups; then VmRSS over many collections of a
    smaller set, scraped as Prometheus would."""
    groups = lag_groups_flags(cluster, args.groups)
    one_shot = median_of(max(args.runs, 5), f"{BIN} -b {cluster.address} lag --topic {src} {groups} -o json",
                         env=env, rss=True)
    reported = len(json.loads(one_shot["stdout"])["groups"])
    if reported != args.groups:
        raise SystemExit(f"bench: kafkaops lag reported {reported} groups, expected {args.groups}")
    # The first collection is left out: it comes right after the start's checks.
    timed = max(args.runs, 5) + 1
    durations, rss_timing = [], []

    def timing(n, d, pid):
        durations.append(d)
        rss_timing.append(vm_rss_mb(pid))

    selection = ["--topic", src] + groups.split()
    # An interval shorter than a collection: the next starts as soon as one ends.
    run_serve(cluster, env, selection, "100ms", timed, timing)
    collection = statistics.median(durations[1:])

    total = SERVE_RSS_COLLECTIONS if not args.quick else 100
    rss_groups = max(1, args.groups // 10)
    marks = sorted({10, 100, total} & set(range(1, total + 1)))
    samples = []

    def sample(n, d, pid):
        samples.append((n, vm_rss_mb(pid)))

    names = [f"--group={group_prefix(cluster)}%04d" % g for g in range(rss_groups)]
    wall = run_serve(cluster, env, ["--topic", src] + names, "100ms", total, sample,
                     scrape_every=SERVE_RSS_SCRAPE_S)
    # RSS swings by ~10 MB within a cycle (the exposition is rebuilt beside the old
    # one), so each mark is the median of the samples over its last fifth
    # (collections 8-10, 80-100, 800-1000), not one sample that may catch a swing.
    # (A poll can miss collections: then the first sample after the mark.)
    at = {m: statistics.median([v for n, v in samples if 0.8 * m <= n <= m]
                               or [next(v for n, v in samples if n >= m)]) for m in marks}
    first, last = at[marks[1]] if len(marks) > 2 else at[marks[0]], at[marks[-1]]
    return {
        "groups": args.groups, "one_shot_s": one_shot["seconds"], "one_shot_peak_rss_mb": one_shot["peak_rss_mb"],
        "collection_s": collection, "collection_vs_one_shot": collection / one_shot["seconds"],
        "collections_timed": durations[1:], "rss_after_timing_mb": rss_timing[-1],
        "rss_groups": rss_groups, "rss_collections": total, "rss_interval": "100ms",
        "rss_scrape_every_s": SERVE_RSS_SCRAPE_S, "rss_wall_s": wall,
        "rss_mb": {str(m): at[m] for m in marks}, "rss_peak_mb": max(v for _, v in samples),
        "rss_growth_pct": 100.0 * (last - first) / first,
        "seconds": {"one_shot": one_shot["all_seconds"], "collections": durations[1:]},
    }


def scale_bench(cluster, args, env, ends, n, src, dlts, committed):
    """How cost grows with work (mock cluster): triage, lag and replay plan."""
    a = cluster.address
    out = {"triage": [], "lag": [], "plan": []}
    for size, dlt in dlts:
        read = []
        r = median_of(args.runs, f"{BIN} -b {a} dlq triage --topic {dlt} -o json", env=env, rss=True,
                      on_result=lambda o: read.append(triaged(o)))
        if any(x != size for x in read):
            raise SystemExit(f"bench: triage of {dlt} accounted for {read}, expected {size}")
        out["triage"].append({"records": size, "seconds": r["seconds"], "peak_rss_mb": r["peak_rss_mb"],
                              "all_seconds": r["all_seconds"]})
    for size in args.scale_plan:
        if size > n:
            continue
        flags, count = offsets_flags(ends, size)
        planned = []
        r = median_of(args.runs, f"{BIN} -b {a} replay plan --topic {src} {flags} --to bench-sink -o json",
                      env=env, rss=True, on_result=lambda o: planned.append(o))
        out["plan"].append({"records": count, "seconds": r["seconds"], "peak_rss_mb": r["peak_rss_mb"],
                            "all_seconds": r["all_seconds"]})
    for groups in sorted(args.scale_groups):
        if groups > committed:
            log(f"committing offsets for groups {committed}..{groups}")
            commit_groups(cluster, src, committed, groups)
            committed = groups
        flags = lag_groups_flags(cluster, groups)
        seen = []
        r = median_of(args.runs, f"{BIN} -b {a} lag --topic {src} {flags} --no-age -o json", env=env,
                      on_result=lambda o: seen.append(len(json.loads(o)["groups"])))
        if any(s != groups for s in seen):
            raise SystemExit(f"bench: lag reported {seen} groups, expected {groups}")
        out["lag"].append({"groups": groups, "seconds": r["seconds"], "all_seconds": r["all_seconds"]})
    return out


def mock_suite(args, env, base, results):
    n = args.records
    scale_dlts = [(s, f"bench-dlt-{s}") for s in args.scale_triage if s < n]
    cluster = Mock([("bench", PARTITIONS), ("bench-dlt", DLT_PARTITIONS),
                    ("sink-rate-1000", PARTITIONS), ("sink-rate-20000", PARTITIONS),
                    ("bench-sink", PARTITIONS)] + [(t, PARTITIONS) for t in replay_sinks(args.runs, base)]
                   + [(t, DLT_PARTITIONS) for _, t in scale_dlts])
    r = results["mock"] = {}
    try:
        log(f"mock: loading {n} records into bench ({PARTITIONS} partitions)")
        load_plain(cluster, "bench", n)
        ends = partition_ends(cluster, "bench")
        if wanted(args, "replay"):
            log("mock: replay throughput")
            sinks = {"kcat": "sink-kcat", "kafkaops": "sink-kafkaops", "baseline": "sink-baseline"}
            r["replay"], ends = replay_bench(cluster, args, env, base, n, "bench", sinks, with_tuned=True)
            if not args.quick:
                r["rate"] = rate_bench(cluster, env, ends, n, "bench", "sink-rate")
        if wanted(args, "triage", "scale"):
            log(f"mock: loading {n} dead letters into bench-dlt")
            load_dlq(cluster, "bench-dlt", n, DLT_PARTITIONS)
        if wanted(args, "triage"):
            log("mock: dlq triage")
            r["triage"] = triage_bench(cluster, args, env, base, n, "bench-dlt")
        if wanted(args, "lag", "scale"):
            log(f"mock: committing offsets for {args.groups} groups")
            commit_groups(cluster, "bench", 0, args.groups)
        if wanted(args, "lag"):
            log("mock: lag")
            r["lag"] = lag_bench(cluster, args, env, base, "bench", "script")
        if not wanted(args, "scale"):
            return
        for size, dlt in scale_dlts:
            log(f"mock: loading {size} dead letters into {dlt}")
            load_dlq(cluster, dlt, size, DLT_PARTITIONS, big=0 if size < 100_000 else 1)
        log("mock: scale curves")
        dlts = scale_dlts + [(n, "bench-dlt")]
        results["scale"] = scale_bench(cluster, args, env, ends, n, "bench", dlts, args.groups)
    finally:
        cluster.stop()


def kafka_suite(args, env, base, results):
    n = args.records
    cluster = Kafka(args.kafka_bootstrap, args.kafka_prefix)
    r = results["kafka"] = {"bootstrap": "started by the bench" if cluster.dir else "given (--kafka-bootstrap)"}
    t = cluster.topic
    try:
        big = {"max.message.bytes": str(4 * BIG_TRACE_BYTES)}
        cluster.create_topics([(t("bench"), PARTITIONS, {}), (t("bench-dlt"), PARTITIONS, big)]
                              + [(t(s), PARTITIONS, {}) for s in replay_sinks(args.runs, base)])
        log(f"kafka: loading {n} records into {t('bench')}")
        load_plain(cluster, t("bench"), n)
        if wanted(args, "replay"):
            log("kafka: replay throughput")
            sinks = {"kcat": t("sink-kcat"), "kafkaops": t("sink-kafkaops"), "baseline": t("sink-baseline")}
            r["replay"], _ = replay_bench(cluster, args, env, base, n, t("bench"), sinks, with_tuned=True)
        if wanted(args, "triage"):
            log(f"kafka: loading {n} dead letters into {t('bench-dlt')}")
            load_dlq(cluster, t("bench-dlt"), n, PARTITIONS)
            log("kafka: dlq triage")
            r["triage"] = triage_bench(cluster, args, env, base, n, t("bench-dlt"))
        if wanted(args, "lag"):
            log(f"kafka: committing offsets for {args.groups} groups")
            commit_groups(cluster, t("bench"), 0, args.groups)
            log("kafka: lag")
            r["lag"] = lag_bench(cluster, args, env, base, t("bench"), "kcg")
        if wanted(args, "serve"):
            if not wanted(args, "lag"):
                log(f"kafka: committing offsets for {args.groups} groups")
                commit_groups(cluster, t("bench"), 0, args.groups)
            log("kafka: serve")
            r["serve"] = serve_bench(cluster, args, env, t("bench"))
    finally:
        cluster.stop()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--records", type=int, default=1_000_000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--groups", type=int, default=1000)
    ap.add_argument("--json", default=os.path.join(ROOT, "bench", "results.json"))
    ap.add_argument("--baseline", help="another kafkaops binary to run side by side (before/after)")
    ap.add_argument("--kafka-bootstrap", help="a running Apache Kafka (PLAINTEXT) instead of starting one")
    ap.add_argument("--kafka-prefix", default="kafkaops-bench-",
                    help="prefix of the topics and groups made on Apache Kafka (deleted at the end)")
    ap.add_argument("--no-kafka", action="store_true", help="the mock cluster only")
    ap.add_argument("--no-mock", action="store_true", help="Apache Kafka only (no scale curves)")
    ap.add_argument("--quick", action="store_true",
                    help="for development: 50,000 records, 50 groups, 1 run, no rate-limit runs, small curves")
    ap.add_argument("--only", type=lambda v: set(v.split(",")), default=set(PARTS),
                    help=f"comma-separated parts to run, of {','.join(PARTS)} (default: all)")
    args = ap.parse_args()
    unknown = args.only - set(PARTS)
    if unknown:
        ap.error(f"--only: unknown part(s) {','.join(sorted(unknown))}; choose from {','.join(PARTS)}")
    if args.quick:
        given = set(a.split("=")[0] for a in sys.argv[1:])
        if "--records" not in given:
            args.records = 50_000
        if "--groups" not in given:
            args.groups = 50
        if "--runs" not in given:
            args.runs = 1
        args.scale_triage, args.scale_groups, args.scale_plan = [5_000, 20_000], [10, 50, 100], [5_000, 50_000]
    else:
        args.scale_triage, args.scale_groups, args.scale_plan = [10_000, 100_000], [10, 100, 1000, 5000], \
            [10_000, 100_000, 1_000_000]
    base = os.path.abspath(args.baseline) if args.baseline else None
    for tool in ("kcat", "jq"):
        if not shutil.which(tool):
            raise SystemExit(f"bench: {tool} is required (apt-get install {tool})")
    log("building the release binary")
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    if not args.no_kafka:
        args.kafka_tools = subprocess.run([KAFKA_SH, "tools"], check=True, capture_output=True,
                                          text=True).stdout.strip()
    results = {"records": args.records, "runs": args.runs, "partitions": PARTITIONS,
               "date": datetime.date.today().isoformat(),
               "machine": {"cpus": os.cpu_count(), "load_average_at_start": os.getloadavg()}}
    state = tempfile.mkdtemp(prefix="kafkaops-bench-")
    env = dict(os.environ, XDG_STATE_HOME=state, NO_COLOR="1")
    started = time.perf_counter()
    try:
        if not args.no_mock:
            mock_suite(args, env, base, results)
        if not args.no_kafka:
            kafka_suite(args, env, base, results)
    finally:
        shutil.rmtree(state, ignore_errors=True)

    help_runs = [measure(f"{BIN} --help > /dev/null")[0] for _ in range(21)]
    results["startup"] = {"help_ms": 1000 * statistics.median(help_runs)}
    results["machine"]["load_average_at_end"] = os.getloadavg()
    results["wall_s"] = time.perf_counter() - started
    for suite in ("mock", "kafka"):
        for part in (results.get(suite) or {}).values():
            if isinstance(part, dict):
                part.pop("stdout", None)
    with open(args.json, "w") as f:
        json.dump(results, f, indent=2)
    print_summary(results)


def wanted(args, *parts):
    """Whether any of these parts of the benchmark was asked for (`--only`)."""
    return any(p in args.only for p in parts)


def baseline_figures(before, after, n):
    """Before/after of one command: records per second of each, and the speed-up."""
    return {"before_records_per_s": n / before["seconds"], "after_records_per_s": n / after["seconds"],
            "speedup": before["seconds"] / after["seconds"], "before_peak_rss_mb": before["peak_rss_mb"],
            "seconds": before["all_seconds"]}


def verdict(ok):
    return "met" if ok else "NOT MET"


def replay_rows(suite, rp, target, met):
    """The unthrottled replay and its peak RSS, as table rows."""
    return [(f"{suite}: replay, unthrottled", f"{rp['kafkaops_records_per_s']:,.0f} rec/s",
             f"{rp['vs_pipeline']:.2f}x kcat pipe ({rp['kcat_pipeline_records_per_s']:,.0f}/s), "
             f"{rp['vs_raw_consume']:.2f}x raw kcat consume ({rp['kcat_consume_records_per_s']:,.0f}/s), "
             f"{rp['vs_tuned_consume']:.2f}x tuned kcat ({rp['kcat_consume_tuned_records_per_s']:,.0f}/s)",
             target, verdict(met)),
            (f"{suite}: replay peak RSS", f"{rp['kafkaops_peak_rss_mb']:.0f} MB", "", "< 128 MB",
             verdict(rp["kafkaops_peak_rss_mb"] < 128))]


def triage_rows(suite, t):
    """Triage against kcat and kcat+jq, and its peak RSS, as table rows."""
    return [(f"{suite}: dlq triage", f"{t['kafkaops_records_per_s']:,.0f} rec/s",
             f"{t['vs_kcat_jq']:.1f}x kcat+jq, {t['vs_raw_consume']:.2f}x raw kcat consume; "
             f"{t['categories']} categories", ">=20x, >=1.0x",
             verdict(t["vs_kcat_jq"] >= 20 and t["vs_raw_consume"] >= 1.0)),
            (f"{suite}: triage peak RSS", f"{t['kafkaops_peak_rss_mb']:.0f} MB", "", "< 64 MB",
             verdict(t["kafkaops_peak_rss_mb"] < 64))]


def print_summary(r):
    rows = []
    m, k = r.get("mock"), r.get("kafka")
    if m and "replay" in m:
        rp = m["replay"]
        rows += replay_rows("mock", rp, ">=1.0x raw", rp["vs_raw_consume"] >= 1.0)
        for target, v in m.get("rate", {}).items():
            rows.append((f"mock: rate limit {target}/s", f"mean {v['mean_rate']:,.0f}/s",
                         f"error {v['mean_error_pct']:+.1f}%, largest 1 s window {v['burst_pct_of_target']:.1f}% of target",
                         "within 3%, <=110%",
                         verdict(abs(v["mean_error_pct"]) <= 3 and v["burst_pct_of_target"] <= 110)))
    if m and "triage" in m:
        rows += triage_rows("mock", m["triage"])
    if m and "lag" in m:
        lg = m["lag"]
        cpu = lg.get("broker_cpu_s", {})
        rows.append((f"mock: lag, {lg['groups']} groups x 48", f"{lg['kafkaops_no_age_s']:.2f} s (no age)",
                     f"confluent-kafka script {lg['other_s']:.2f} s; with event age {lg['kafkaops_with_age_s']:.2f} s; "
                     f"broker CPU per run {cpu.get('other', 0):.2f} s (script), {cpu.get('kafkaops_no_age', 0):.2f} s (kafkaops)",
                     "<= script, age < 2 s",
                     verdict(lg["no_age_vs_other"] >= 1.0 and lg["kafkaops_with_age_s"] < 2)))
    if k and "replay" in k:
        rp = k["replay"]
        rows += replay_rows("kafka", rp, ">=3x pipe, >=1.0x raw",
                            rp["vs_pipeline"] >= 3 and rp["vs_raw_consume"] >= 1.0)
    if k and "triage" in k:
        rows += triage_rows("kafka", k["triage"])
    if k and "lag" in k:
        lg = k["lag"]
        rows.append((f"kafka: lag, {lg['groups']} groups x 48", f"{lg['kafkaops_no_age_s']:.2f} s (no age)",
                     f"{lg['no_age_vs_other']:.1f}x faster than kafka-consumer-groups --describe --all-groups "
                     f"({lg['other_s']:.2f} s); with event age {lg['kafkaops_with_age_s']:.2f} s",
                     ">=10x, age < 2 s", verdict(lg["no_age_vs_other"] >= 10 and lg["kafkaops_with_age_s"] < 2)))
    if k and "serve" in k:
        sv = k["serve"]
        rss = sv["rss_mb"]
        rows.append((f"kafka: serve, {sv['groups']} groups x 48", f"{sv['collection_s']:.2f} s a collection",
                     f"{sv['collection_vs_one_shot']:.2f}x one-shot lag with event age ({sv['one_shot_s']:.2f} s, "
                     f"peak RSS {sv['one_shot_peak_rss_mb']:.0f} MB); serve RSS {sv['rss_after_timing_mb']:.0f} MB",
                     "<= 1.5x", verdict(sv["collection_vs_one_shot"] <= 1.5)))
        marks = sorted(rss, key=int)
        rows.append((f"kafka: serve RSS, {sv['rss_groups']} groups x 48", f"{sv['rss_growth_pct']:+.1f}% "
                     f"{marks[1] if len(marks) > 2 else marks[0]}->{marks[-1]}",
                     "; ".join(f"{m} collections: {rss[m]:.0f} MB" for m in marks)
                     + f", peak {sv['rss_peak_mb']:.0f} MB (every {sv['rss_interval']}, scraped every "
                     f"{sv['rss_scrape_every_s']:.0f} s)",
                     "flat (< 10%)", verdict(sv["rss_growth_pct"] < 10)))
    s = r.get("scale")
    if s:
        rows.append(("scale: triage", "", "; ".join(f"{p['records']:,}: {p['seconds']:.2f} s, {p['peak_rss_mb']:.0f} MB"
                                                   for p in s["triage"]), "linear or better", ""))
        rows.append(("scale: lag (no age)", "", "; ".join(f"{p['groups']:,} groups: {p['seconds']:.2f} s"
                                                         for p in s["lag"]), "linear or better", ""))
        rows.append(("scale: replay plan", "", "; ".join(f"{p['records']:,}: {p['seconds']:.2f} s, {p['peak_rss_mb']:.0f} MB"
                                                        for p in s["plan"]), "linear or better", ""))
    rows.append(("start-up", f"{r['startup']['help_ms']:.1f} ms", "kafkaops --help", "< 20 ms",
                 verdict(r["startup"]["help_ms"] < 20)))
    for name, suite in (("mock", m), ("kafka", k)):
        if suite and all(p in suite for p in ("replay", "triage", "lag")) and "baseline" in suite["replay"]:
            b, tb, lb = suite["replay"]["baseline"], suite["triage"]["baseline"], suite["lag"]["baseline"]
            rows.append((f"{name}: vs --baseline", f"{b['speedup']:.2f}x replay",
                         f"triage {tb['speedup']:.2f}x; lag {lb['no_age_speedup']:.2f}x (no age), "
                         f"{lb['with_age_speedup']:.2f}x (age); replay RSS {suite['replay']['kafkaops_peak_rss_mb']:.0f} vs "
                         f"{b['before_peak_rss_mb']:.0f} MB, triage RSS {suite['triage']['kafkaops_peak_rss_mb']:.0f} vs "
                         f"{tb['before_peak_rss_mb']:.0f} MB", ">= 0.9x replay", verdict(b["speedup"] >= 0.9)))
    head = ("benchmark", "kafkaops", "comparison", "target", "")
    w = [max(len(row[i]) for row in rows + [head]) for i in range(5)]
    load = r["machine"]
    print(f"{r['date']}, {r['records']:,} records, {r['runs']} runs, {load['cpus']} CPUs, load average "
          f"{load['load_average_at_start'][0]:.2f} at start, {load['load_average_at_end'][0]:.2f} at end; "
          f"{r['wall_s']:.0f} s")
    print(" | ".join(h.ljust(w[i]) for i, h in enumerate(head)).rstrip())
    print("-+-".join("-" * x for x in w))
    for row in rows:
        print(" | ".join(c.ljust(w[i]) for i, c in enumerate(row)).rstrip())


if __name__ == "__main__":
    main()
