#!/usr/bin/env python3
"""kafkaops benchmarks, side by side with kcat (and a confluent-kafka script for lag),
on one embedded broker in one run. Medians of --runs repetitions, run round-robin
(tool A, tool B, tool A, ...) so a slow phase of the machine hits every tool alike;
ratios are what count on a noisy machine.

    bench/run.py [--records 1000000] [--runs 3] [--groups 1000] [--json bench/results.json]
                 [--baseline OTHER/kafkaops]

With --baseline, another kafkaops binary (an earlier commit's release build) runs the
same replay, triage and lag commands in the same rounds, so a change is judged
before/after on one broker in one run.

Needs: a release build (built here), kcat, jq, python3 with confluent-kafka.
Every comparison is checked for completeness (records loaded, replayed, grouped
and categorised; lag totals equal to the script's), so a fast wrong answer fails
the run instead of winning it. The rate limit is measured from the records
themselves: the `kafkaops.replay.time` header each replayed record carries.
"""
import argparse
import datetime
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, "target", "release", "kafkaops")
PARTITIONS = 48
DLT_PARTITIONS = 96
# kcat with its librdkafka defaults pauses fetching for up to a second whenever its
# prefetch queue holds queued.min.messages (100,000); raising that shows what kcat
# itself could do. Reported for context; the targets use plain `kcat -C -e`.
KCAT_TUNED = "-X queued.min.messages=1000000"


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


def interleaved(runs, specs, broker=None):
    """Run the commands of `specs` ({name: dict(cmd, env, on_result, rss)}) round-robin,
    `runs` rounds, and summarise each by its median. Round-robin, because this machine
    has slow and fast phases lasting minutes: running one tool's repetitions back to
    back and then the other's let a phase change decide a comparison. With `broker`,
    also the CPU time the broker spent serving each run."""
    results = {name: [] for name in specs}
    cpu = {name: [] for name in specs}
    for _ in range(runs):
        for name, spec in specs.items():
            before = process_cpu_s(broker.proc.pid) if broker else None
            results[name].append(measure(spec["cmd"], spec.get("env"), rss=spec.get("rss", False)))
            if broker:
                cpu[name].append(process_cpu_s(broker.proc.pid) - before)
            if spec.get("on_result"):
                spec["on_result"](results[name][-1][2])
    return {name: summarize(results[name], specs[name].get("rss", False), cpu[name]) for name in specs}


class Broker:
    """`kafkaops sandbox` with empty benchmark topics."""

    def __init__(self, topics):
        self.address = free_address()
        args = [BIN, "sandbox", "--seed", "none", "--listen", self.address]
        for name, partitions in topics:
            args += ["--create-topic", f"{name}:{partitions}"]
        self.proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        for line in self.proc.stdout:
            if "Ctrl-C stops it" in line:
                break
        else:
            raise SystemExit("bench: sandbox did not start")

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=30)


def partition_ends(broker, topic):
    """{partition: log end} of a topic, from `kafkaops topic describe`."""
    out = subprocess.run([BIN, "-b", broker.address, "topic", "describe", "--topic", topic, "-o", "json"],
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


def kcat_headers(broker, topic):
    """The headers of every record of a topic as dicts (kcat `-f '%h'` prints them as
    `name=value,name=value`; our provenance values never contain commas)."""
    out = subprocess.run(["kcat", "-C", "-b", broker.address, "-t", topic, "-o", "beginning", "-e", "-q",
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


def topic_count(broker, topic):
    return sum(partition_ends(broker, topic).values())


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


def load_plain(broker, topic, n):
    """n keyed ~100-byte JSON records, produced by kcat with its default partitioner."""
    path = os.path.join(tempfile.gettempdir(), f"kafkaops-bench-{n}.tsv")
    if not os.path.exists(path):
        with open(path, "w") as f:
            for i in range(n):
                f.write('order-%07d\t{"order_id":"order-%07d","customer":"c-%04d","amount":%d.%02d,"currency":"EUR","status":"NEW"}\n'
                        % (i, i, i % 9973, i % 5000, i % 100))
    measure(f"kcat -P -b {broker.address} -t {topic} -K '\\t' -l {path}")


def load_dlq(broker, topic, n):
    """n dead letters with Spring Kafka headers (binary partition/offset/timestamp) in 8 categories."""
    script = r'''
import struct, sys, time
from confluent_kafka import Producer
addr, topic, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
p = Producer({"bootstrap.servers": addr, "linger.ms": 20, "batch.num.messages": 10000,
              "queue.buffering.max.messages": 500000})
causes = [("org.springframework.kafka.listener.ListenerExecutionFailedException", "Read timed out after %d ms"),
          ("org.springframework.dao.DuplicateKeyException", "duplicate key value violates unique constraint; Key (id)=(%d) already exists."),
          ("org.springframework.kafka.support.serializer.DeserializationException", "failed to deserialize; Unexpected character at column %d"),
          ("java.lang.IllegalStateException", "order %d has no customer"),
          ("java.lang.NullPointerException", "Cannot invoke String.length() because field %d is null"),
          ("org.apache.kafka.common.errors.RecordTooLargeException", "The message is %d bytes when serialized"),
          ("com.acme.ValidationException", "amount %d exceeds the limit"),
          ("java.net.ConnectException", "Connection refused to ledger-%d:8443")]
now = int(time.time() * 1000)
for i in range(n):
    exc, msg = causes[i % len(causes)]
    headers = [("kafka_dlt-original-topic", b"orders"),
               ("kafka_dlt-original-partition", struct.pack(">i", i % 48)),
               ("kafka_dlt-original-offset", struct.pack(">q", i)),
               ("kafka_dlt-original-timestamp", struct.pack(">q", now - 86400000 + i)),
               ("kafka_dlt-exception-fqcn", exc.encode()),
               ("kafka_dlt-exception-message", (msg % (i * 7919 % 100000)).encode())]
    while True:
        try:
            p.produce(topic, key=b"order-%07d" % i, value=b'{"order_id":"order-%07d","amount":%d}' % (i, i % 5000),
                      headers=headers, timestamp=now - 86400000 + i)
            break
        except BufferError:
            p.poll(0.05)
    if i % 10000 == 0:
        p.poll(0)
p.flush(120)
'''
    subprocess.run([sys.executable, "-c", script, broker.address, topic, str(n)], check=True)


def commit_groups(broker, topic, groups):
    script = r'''
import sys
from confluent_kafka import Consumer, TopicPartition
addr, topic, groups = sys.argv[1], sys.argv[2], int(sys.argv[3])
probe = Consumer({"bootstrap.servers": addr, "group.id": "bench-probe"})
highs = [probe.get_watermark_offsets(TopicPartition(topic, p), timeout=10)[1] for p in range(48)]
probe.close()
for g in range(groups):
    c = Consumer({"bootstrap.servers": addr, "group.id": "bench-g-%04d" % g, "enable.auto.commit": False})
    # Groups cluster on a few positions, as real consumers of one topic do.
    behind = (g % 10) * 100
    c.commit(offsets=[TopicPartition(topic, p, max(0, highs[p] - behind)) for p in range(48)], asynchronous=False)
    c.close()
'''
    subprocess.run([sys.executable, "-c", script, broker.address, topic, str(groups)], check=True)


LAG_SCRIPT = r'''
import sys
from confluent_kafka import TopicPartition, ConsumerGroupTopicPartitions
from confluent_kafka.admin import AdminClient, OffsetSpec
addr, topic, groups = sys.argv[1], sys.argv[2], int(sys.argv[3])
admin = AdminClient({"bootstrap.servers": addr})
parts = [TopicPartition(topic, p) for p in range(48)]
ends = admin.list_offsets({TopicPartition(topic, p): OffsetSpec.latest() for p in range(48)})
high = {tp.partition: f.result().offset for tp, f in ends.items()}
futures = []
for g in range(groups):
    futures += list(admin.list_consumer_group_offsets(
        [ConsumerGroupTopicPartitions("bench-g-%04d" % g, parts)]).values())
total = 0
for f in futures:
    for tp in f.result().topic_partitions:
        total += max(0, high[tp.partition] - tp.offset)
print(total)
'''


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--records", type=int, default=1_000_000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--groups", type=int, default=1000)
    ap.add_argument("--json", default=os.path.join(ROOT, "bench", "results.json"))
    ap.add_argument("--baseline", help="another kafkaops binary to run side by side (before/after)")
    args = ap.parse_args()
    base = os.path.abspath(args.baseline) if args.baseline else None
    for tool in ("kcat", "jq"):
        if not shutil.which(tool):
            raise SystemExit(f"bench: {tool} is required (apt-get install {tool})")
    log("building the release binary")
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    n, runs = args.records, args.runs
    results = {"records": n, "runs": runs, "partitions": PARTITIONS}
    state = tempfile.mkdtemp(prefix="kafkaops-bench-")
    env = dict(os.environ, XDG_STATE_HOME=state, NO_COLOR="1")
    # The mock broker keeps at most 5 MB per partition and silently drops older
    # batches beyond that: 1,000,000 dead letters (~350 bytes each with their
    # headers) need more than 48 partitions to stay whole. The loads are verified.
    broker = Broker([("bench", PARTITIONS), ("bench-dlt", DLT_PARTITIONS), ("sink-kcat", PARTITIONS),
                     ("sink-kafkaops", PARTITIONS), ("sink-rate", PARTITIONS),
                     ("sink-baseline", PARTITIONS)])
    try:
        a = broker.address
        log(f"loading {n} records into bench ({PARTITIONS} partitions)")
        load_plain(broker, "bench", n)
        if topic_count(broker, "bench") != n:
            raise SystemExit(f"bench: bench holds {topic_count(broker, 'bench')} records, expected {n}")

        # 1. Replay throughput.
        log("replay throughput")
        ends = partition_ends(broker, "bench")
        all_offsets, loaded = offsets_flags(ends, n)
        if loaded != n:
            raise SystemExit(f"bench: loaded {loaded} records into bench, expected {n}")
        before = topic_count(broker, "sink-kcat")
        sent = []

        def replay_cmd(binary=BIN, sink="sink-kafkaops"):
            return (f"{binary} -b {a} replay run --topic bench {all_offsets} --to {sink} "
                    f"--rate unlimited --max-records {n} --owner bench --reason benchmark --yes -o json")
        specs = {
            "raw": dict(cmd=f"kcat -C -b {a} -t bench -o beginning -e -q > /dev/null"),
            "tuned": dict(cmd=f"kcat -C -b {a} -t bench -o beginning -e -q {KCAT_TUNED} > /dev/null"),
            "pipe": dict(cmd=f"kcat -C -b {a} -t bench -o beginning -e -q -f '%k\\t%s\\n' | kcat -P -b {a} -t sink-kcat -K '\\t'"),
            "ours": dict(cmd=replay_cmd(), env=env, rss=True,
                         on_result=lambda out: sent.append(json.loads(out)["counts"]["sent"])),
        }
        if base:
            specs["baseline"] = dict(cmd=replay_cmd(base, "sink-baseline"), env=env, rss=True,
                                     on_result=lambda out: sent.append(json.loads(out)["counts"]["sent"]))
        m = interleaved(runs, specs)
        raw, tuned, pipe, ours = m["raw"], m["tuned"], m["pipe"], m["ours"]
        if topic_count(broker, "sink-kcat") - before != n * runs:
            raise SystemExit("bench: the kcat pipeline did not copy every record")
        if any(c != n for c in sent):
            raise SystemExit(f"bench: kafkaops replay sent {sent}, expected {n} each run")
        rps = lambda r: n / r["seconds"]
        results["replay"] = {
            "kafkaops_records_per_s": rps(ours), "kcat_pipeline_records_per_s": rps(pipe),
            "kcat_consume_records_per_s": rps(raw), "kcat_consume_tuned_records_per_s": rps(tuned),
            "vs_pipeline": rps(ours) / rps(pipe), "vs_raw_consume": rps(ours) / rps(raw),
            "kafkaops_peak_rss_mb": ours["peak_rss_mb"], "seconds": {"kafkaops": ours["all_seconds"],
            "kcat_pipeline": pipe["all_seconds"], "kcat_consume": raw["all_seconds"],
            "kcat_consume_tuned": tuned["all_seconds"]},
        }
        if base:
            results["replay"]["baseline"] = baseline_figures(m["baseline"], ours, n)

        # 2. Rate-limit accuracy, from the replay-time provenance header of every record
        # (kafkaops.replay.time, RFC 3339 with milliseconds, stamped as each record is sent).
        results["rate"] = {}
        for target, count in ((1000, 10_000), (20000, 200_000)):
            flags, count = offsets_flags(ends, min(count, n))
            log(f"rate limit {target}/s over {count} records")
            r = measure(f"{BIN} -b {a} replay run --topic bench {flags} --to sink-rate --rate {target}/s "
                        f"--max-records {count} --owner bench --reason rate --yes -o json", env)
            replay_id = json.loads(r[2])["id"]
            stamps = [int(datetime.datetime.fromisoformat(h["kafkaops.replay.time"]).timestamp() * 1000)
                      for h in kcat_headers(broker, "sink-rate") if h.get("kafkaops.replay.id") == replay_id]
            if len(stamps) != count:
                raise SystemExit(f"bench: found {len(stamps)} records of replay {replay_id} in sink-rate, expected {count}")
            results["rate"][str(target)] = rate_stats(stamps, target)
            results["rate"][str(target)]["wall_s"] = r[0]

        # 3. DLQ triage.
        log(f"loading {n} dead letters into bench-dlt")
        load_dlq(broker, "bench-dlt", n)
        if topic_count(broker, "bench-dlt") != n:
            raise SystemExit(f"bench: bench-dlt holds {topic_count(broker, 'bench-dlt')} records, expected {n}")
        log("dlq triage")
        jq_prog = r'''[.headers as $h | range(0; $h|length; 2) | select($h[.] == "kafka_dlt-exception-fqcn") | $h[.+1]][0]'''
        jq = median_of(max(1, runs - 1), f"kcat -C -b {a} -t bench-dlt -o beginning -e -q -J | jq -r '{jq_prog}' | sort | uniq -c")
        jq_total = sum(int(line.split()[0]) for line in jq["stdout"].splitlines() if line.strip())
        if jq_total != n:
            raise SystemExit(f"bench: the kcat+jq pipeline grouped {jq_total} records, expected {n}")
        read = []
        count_read = lambda out: read.append(sum(c["records"] for c in json.loads(out)["categories"]))
        specs = {
            "raw": dict(cmd=f"kcat -C -b {a} -t bench-dlt -o beginning -e -q > /dev/null"),
            "ours": dict(cmd=f"{BIN} -b {a} dlq triage --topic bench-dlt -o json", env=env, rss=True,
                         on_result=count_read),
        }
        if base:
            specs["baseline"] = dict(cmd=f"{base} -b {a} dlq triage --topic bench-dlt -o json", env=env, rss=True,
                                     on_result=count_read)
        m = interleaved(runs, specs)
        raw_d, tri = m["raw"], m["ours"]
        if any(r != n for r in read):
            raise SystemExit(f"bench: dlq triage categorised {read} records, expected {n} each run")
        results["triage"] = {
            "kafkaops_records_per_s": rps(tri), "kcat_jq_records_per_s": rps(jq), "kcat_consume_records_per_s": rps(raw_d),
            "vs_kcat_jq": rps(tri) / rps(jq), "vs_raw_consume": rps(tri) / rps(raw_d),
            "kafkaops_peak_rss_mb": tri["peak_rss_mb"],
            "seconds": {"kafkaops": tri["all_seconds"], "kcat_jq": jq["all_seconds"], "kcat_consume": raw_d["all_seconds"]},
        }
        if base:
            results["triage"]["baseline"] = baseline_figures(m["baseline"], tri, n)

        # 4. Lag for many groups.
        log(f"committing offsets for {args.groups} groups")
        commit_groups(broker, "bench", args.groups)
        groups = " ".join("--group bench-g-%04d" % g for g in range(args.groups))
        # More rounds than elsewhere: each run is short, and the broker's share of
        # it (the same for all three) is noisy.
        specs = {
            "script": dict(cmd=f"{sys.executable} -c '{LAG_SCRIPT}' {a} bench {args.groups}"),
            "no_age": dict(cmd=f"{BIN} -b {a} lag --topic bench {groups} --no-age -o json", env=env),
            "age": dict(cmd=f"{BIN} -b {a} lag --topic bench {groups} -o json", env=env),
        }
        if base:
            specs["baseline_no_age"] = dict(cmd=f"{base} -b {a} lag --topic bench {groups} --no-age -o json", env=env)
            specs["baseline_age"] = dict(cmd=f"{base} -b {a} lag --topic bench {groups} -o json", env=env)
        m = interleaved(max(runs, 5), specs, broker=broker)
        py, no_age, age = m["script"], m["no_age"], m["age"]
        py_total = int(py["stdout"].strip())
        for name, r in (("--no-age", no_age), ("with event age", age)):
            report = json.loads(r["stdout"])
            total = sum(g["total_lag"] for g in report["groups"])
            if len(report["groups"]) != args.groups or total != py_total:
                raise SystemExit(f"bench: kafkaops lag {name} reported {len(report['groups'])} groups and total lag "
                                 f"{total}; the confluent-kafka script says {py_total}")
        results["lag"] = {
            "groups": args.groups, "total_lag": py_total, "confluent_kafka_script_s": py["seconds"],
            "kafkaops_no_age_s": no_age["seconds"], "kafkaops_with_age_s": age["seconds"],
            "no_age_vs_script": py["seconds"] / no_age["seconds"],
            # The mock broker finds a committed offset by a linear scan over every
            # group's commits: serving either tool is mostly this broker CPU time.
            "broker_cpu_s": {"script": py["broker_cpu_s"], "kafkaops_no_age": no_age["broker_cpu_s"],
                             "kafkaops_with_age": age["broker_cpu_s"]},
            "seconds": {"script": py["all_seconds"], "kafkaops_no_age": no_age["all_seconds"],
                        "kafkaops_with_age": age["all_seconds"]},
        }
        if base:
            results["lag"]["baseline"] = {
                "no_age_s": m["baseline_no_age"]["seconds"], "with_age_s": m["baseline_age"]["seconds"],
                "no_age_speedup": m["baseline_no_age"]["seconds"] / no_age["seconds"],
                "with_age_speedup": m["baseline_age"]["seconds"] / age["seconds"],
            }
    finally:
        broker.stop()
        shutil.rmtree(state, ignore_errors=True)

    # 5. Start-up.
    help_runs = [measure(f"{BIN} --help > /dev/null")[0] for _ in range(21)]
    results["startup"] = {"help_ms": 1000 * statistics.median(help_runs)}

    results["machine"] = {"cpus": os.cpu_count(), "load_average_1m": os.getloadavg()[0]}
    with open(args.json, "w") as f:
        json.dump(results, f, indent=2)
    print_summary(results)


def baseline_figures(before, after, n):
    """Before/after of one command: records per second of each, and the speed-up."""
    return {"before_records_per_s": n / before["seconds"], "after_records_per_s": n / after["seconds"],
            "speedup": before["seconds"] / after["seconds"], "before_peak_rss_mb": before["peak_rss_mb"],
            "seconds": before["all_seconds"]}


def print_summary(r):
    rows = []
    rp = r["replay"]
    rows.append(("replay, unthrottled", f"{rp['kafkaops_records_per_s']:,.0f} rec/s",
                 f"{rp['vs_pipeline']:.2f}x kcat pipeline ({rp['kcat_pipeline_records_per_s']:,.0f}/s), "
                 f"{100 * rp['vs_raw_consume']:.0f}% of raw kcat consume ({rp['kcat_consume_records_per_s']:,.0f}/s; "
                 f"tuned kcat {rp['kcat_consume_tuned_records_per_s']:,.0f}/s)", ">=2x, >=80%"))
    for target, v in r["rate"].items():
        rows.append((f"rate limit {target}/s", f"mean {v['mean_rate']:,.0f}/s",
                     f"error {v['mean_error_pct']:+.1f}%, largest 1 s window {v['burst_pct_of_target']:.1f}% of target", "within 3%, <=110%"))
    t = r["triage"]
    rows.append(("dlq triage", f"{t['kafkaops_records_per_s']:,.0f} rec/s",
                 f"{t['vs_kcat_jq']:.1f}x kcat+jq, {100 * t['vs_raw_consume']:.0f}% of raw kcat consume, peak RSS {t['kafkaops_peak_rss_mb']:.0f} MB",
                 ">=10x, >=70%, <100 MB"))
    l = r["lag"]
    rows.append((f"lag, {l['groups']} groups x 48", f"{l['kafkaops_no_age_s']:.2f} s (no age)",
                 f"confluent-kafka script {l['confluent_kafka_script_s']:.2f} s; with event age {l['kafkaops_with_age_s']:.2f} s; "
                 f"broker CPU per run {l['broker_cpu_s']['script']:.2f} s (script), {l['broker_cpu_s']['kafkaops_no_age']:.2f} s (kafkaops)",
                 "<= script, age < 2 s"))
    rows.append(("start-up", f"{r['startup']['help_ms']:.1f} ms", "kafkaops --help", "< 20 ms"))
    if "baseline" in rp:
        b, tb, lb = rp["baseline"], t["baseline"], l["baseline"]
        rows.append(("vs --baseline", f"{b['speedup']:.2f}x replay",
                     f"triage {tb['speedup']:.2f}x; lag {lb['no_age_speedup']:.2f}x (no age), "
                     f"{lb['with_age_speedup']:.2f}x (age); replay RSS {rp['kafkaops_peak_rss_mb']:.0f} vs "
                     f"{b['before_peak_rss_mb']:.0f} MB, triage RSS {t['kafkaops_peak_rss_mb']:.0f} vs {tb['before_peak_rss_mb']:.0f} MB",
                     ">= 1x (not slower)"))
    w = [max(len(row[i]) for row in rows) for i in range(4)]
    head = ("benchmark", "kafkaops", "comparison", "target")
    w = [max(w[i], len(head[i])) for i in range(4)]
    print(" | ".join(h.ljust(w[i]) for i, h in enumerate(head)))
    print("-+-".join("-" * x for x in w))
    for row in rows:
        print(" | ".join(c.ljust(w[i]) for i, c in enumerate(row)))


if __name__ == "__main__":
    main()
