#!/usr/bin/env python3
"""kafkaops benchmarks, side by side with kcat (and a confluent-kafka script for lag),
on one embedded broker in one run. Medians of --runs repetitions; ratios are what count
on a noisy machine.

    bench/run.py [--records 1000000] [--runs 3] [--json bench/results.json]

Needs: a release build (built here), kcat, jq, python3 with confluent-kafka.
"""
import argparse
import json
import os
import re
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


def log(msg):
    print(f"bench: {msg}", file=sys.stderr, flush=True)


def free_address():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    addr = "127.0.0.1:%d" % s.getsockname()[1]
    s.close()
    return addr


def measure(cmd, env=None, stdin=None):
    """Run a shell command; return (wall seconds, peak RSS in MB of the process tree, stdout)."""
    out = tempfile.TemporaryFile()
    start = time.perf_counter()
    proc = subprocess.Popen(["bash", "-o", "pipefail", "-c", cmd], stdout=out, stderr=subprocess.PIPE,
                            env=env, stdin=stdin)
    # wait4 reports the child's own usage, including its waited-for descendants (max RSS).
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode(errors="replace")
    out.seek(0)
    stdout = out.read().decode(errors="replace")
    if proc.returncode != 0:
        raise SystemExit(f"bench: command failed ({proc.returncode}): {cmd}\n{err[-2000:]}")
    return wall, usage.ru_maxrss / 1024.0, stdout


def median_of(runs, cmd, env=None):
    results = [measure(cmd, env) for _ in range(runs)]
    return {
        "seconds": statistics.median(r[0] for r in results),
        "all_seconds": [round(r[0], 4) for r in results],
        "peak_rss_mb": max(r[1] for r in results),
        "stdout": results[-1][2],
    }


class Broker:
    """`kafkaops sandbox` with empty benchmark topics."""

    def __init__(self, topics):
        self.address = free_address()
        args = [BIN, "sandbox", "--seed", "none", "--listen", self.address]
        for name in topics:
            args += ["--create-topic", f"{name}:{PARTITIONS}"]
        self.proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        for line in self.proc.stdout:
            if "Ctrl-C stops it" in line:
                break
        else:
            raise SystemExit("bench: sandbox did not start")

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=30)


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
    args = ap.parse_args()
    for tool in ("kcat", "jq"):
        if not shutil.which(tool):
            raise SystemExit(f"bench: {tool} is required (apt-get install {tool})")
    log("building the release binary")
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    n, runs = args.records, args.runs
    results = {"records": n, "runs": runs, "partitions": PARTITIONS}
    state = tempfile.mkdtemp(prefix="kafkaops-bench-")
    env = dict(os.environ, XDG_STATE_HOME=state, NO_COLOR="1")
    broker = Broker(["bench", "bench-dlt", "sink-kcat", "sink-kafkaops", "sink-rate"])
    try:
        a = broker.address
        log(f"loading {n} records into bench ({PARTITIONS} partitions)")
        load_plain(broker, "bench", n)

        # 1. Replay throughput.
        log("replay throughput")
        raw = median_of(runs, f"kcat -C -b {a} -t bench -o beginning -e -q > /dev/null")
        pipe = median_of(runs, f"kcat -C -b {a} -t bench -o beginning -e -q -f '%k\\t%s\\n' | kcat -P -b {a} -t sink-kcat -K '\\t'")
        ours = median_of(runs, f"{BIN} -b {a} replay run --topic bench --partitions 0-{PARTITIONS - 1} --to sink-kafkaops "
                               f"--rate unlimited --max-records {n * 2} --owner bench --reason benchmark --yes -o json", env)
        rps = lambda r: n / r["seconds"]
        results["replay"] = {
            "kafkaops_records_per_s": rps(ours), "kcat_pipeline_records_per_s": rps(pipe),
            "kcat_consume_records_per_s": rps(raw),
            "vs_pipeline": rps(ours) / rps(pipe), "vs_raw_consume": rps(ours) / rps(raw),
            "kafkaops_peak_rss_mb": ours["peak_rss_mb"], "seconds": {"kafkaops": ours["all_seconds"],
            "kcat_pipeline": pipe["all_seconds"], "kcat_consume": raw["all_seconds"]},
        }

        # 2. Rate-limit accuracy, from the replay-time provenance header of every record.
        results["rate"] = {}
        for target, count in ((1000, 10_000), (20000, 200_000)):
            log(f"rate limit {target}/s over {count} records")
            per_part = count // 10
            offsets = " ".join(f"--offsets {p}:0-{per_part - 1}" for p in range(10))
            r = measure(f"{BIN} -b {a} replay run --topic bench {offsets} --to sink-rate --rate {target}/s "
                        f"--max-records {count} --owner bench --reason rate --yes -o json", env)
            summary = json.loads(r[2])
            replay_id = summary.get("replay_id") or summary.get("id")
            times = subprocess.run(
                f"kcat -C -b {a} -t sink-rate -o beginning -e -q -f '%h\\n'", shell=True, check=True,
                capture_output=True, text=True).stdout
            stamps = sorted(int(m.group(2)) for m in re.finditer(r"kafkaops\.replay\.id=([^,\n]+).*?kafkaops\.replay\.time_ms=(\d+)", times)
                            if m.group(1) == replay_id)
            if not stamps:
                raise SystemExit("bench: no kafkaops.replay.time_ms headers found in sink-rate")
            span = (stamps[-1] - stamps[0]) / 1000.0
            burst, j = 0, 0
            for i in range(len(stamps)):
                while stamps[i] - stamps[j] >= 1000:
                    j += 1
                burst = max(burst, i - j + 1)
            results["rate"][str(target)] = {
                "records": len(stamps), "mean_rate": (len(stamps) - 1) / span if span > 0 else None,
                "max_one_second_burst": burst, "mean_error_pct": 100.0 * ((len(stamps) - 1) / span - target) / target,
                "burst_pct_of_target": 100.0 * burst / target,
            }

        # 3. DLQ triage.
        log(f"loading {n} dead letters into bench-dlt")
        load_dlq(broker, "bench-dlt", n)
        log("dlq triage")
        raw_d = median_of(runs, f"kcat -C -b {a} -t bench-dlt -o beginning -e -q > /dev/null")
        jq_prog = r'''[.headers as $h | range(0; $h|length; 2) | select($h[.] == "kafka_dlt-exception-fqcn") | $h[.+1]][0]'''
        jq = median_of(max(1, runs - 1), f"kcat -C -b {a} -t bench-dlt -o beginning -e -q -J | jq -r '{jq_prog}' | sort | uniq -c")
        tri = median_of(runs, f"{BIN} -b {a} dlq triage --topic bench-dlt -o json", env)
        results["triage"] = {
            "kafkaops_records_per_s": rps(tri), "kcat_jq_records_per_s": rps(jq), "kcat_consume_records_per_s": rps(raw_d),
            "vs_kcat_jq": rps(tri) / rps(jq), "vs_raw_consume": rps(tri) / rps(raw_d),
            "kafkaops_peak_rss_mb": tri["peak_rss_mb"], "kcat_jq_peak_rss_mb": jq["peak_rss_mb"],
        }

        # 4. Lag for many groups.
        log(f"committing offsets for {args.groups} groups")
        commit_groups(broker, "bench", args.groups)
        groups = " ".join("--group bench-g-%04d" % g for g in range(args.groups))
        py = median_of(runs, f"{sys.executable} -c '{LAG_SCRIPT}' {a} bench {args.groups}")
        no_age = median_of(runs, f"{BIN} -b {a} lag --topic bench {groups} --no-age -o json > /dev/null", env)
        age = median_of(runs, f"{BIN} -b {a} lag --topic bench {groups} -o json > /dev/null", env)
        results["lag"] = {
            "groups": args.groups, "confluent_kafka_script_s": py["seconds"], "kafkaops_no_age_s": no_age["seconds"],
            "kafkaops_with_age_s": age["seconds"], "no_age_vs_script": py["seconds"] / no_age["seconds"],
        }
    finally:
        broker.stop()
        shutil.rmtree(state, ignore_errors=True)

    # 5. Start-up.
    help_runs = [measure(f"{BIN} --help > /dev/null")[0] for _ in range(21)]
    results["startup"] = {"help_ms": 1000 * statistics.median(help_runs)}

    for section in results.values():
        if isinstance(section, dict):
            section.pop("stdout", None)
    with open(args.json, "w") as f:
        json.dump(results, f, indent=2)
    print_summary(results)


def print_summary(r):
    rows = []
    rp = r["replay"]
    rows.append(("replay, unthrottled", f"{rp['kafkaops_records_per_s']:,.0f} rec/s",
                 f"{rp['vs_pipeline']:.2f}x kcat pipeline ({rp['kcat_pipeline_records_per_s']:,.0f}/s), "
                 f"{100 * rp['vs_raw_consume']:.0f}% of raw kcat consume ({rp['kcat_consume_records_per_s']:,.0f}/s)", ">=2x, >=80%"))
    for target, v in r["rate"].items():
        rows.append((f"rate limit {target}/s", f"mean {v['mean_rate']:,.0f}/s",
                     f"error {v['mean_error_pct']:+.1f}%, largest 1 s burst {v['burst_pct_of_target']:.0f}% of target", "within 3%, <=110%"))
    t = r["triage"]
    rows.append(("dlq triage", f"{t['kafkaops_records_per_s']:,.0f} rec/s",
                 f"{t['vs_kcat_jq']:.1f}x kcat+jq, {100 * t['vs_raw_consume']:.0f}% of raw kcat consume, peak RSS {t['kafkaops_peak_rss_mb']:.0f} MB",
                 ">=10x, >=70%, <100 MB"))
    l = r["lag"]
    rows.append((f"lag, {l['groups']} groups x 48", f"{l['kafkaops_no_age_s']:.2f} s (no age)",
                 f"confluent-kafka script {l['confluent_kafka_script_s']:.2f} s; with event age {l['kafkaops_with_age_s']:.2f} s",
                 "<= script, age < 2 s"))
    rows.append(("start-up", f"{r['startup']['help_ms']:.1f} ms", "kafkaops --help", "< 20 ms"))
    w = [max(len(row[i]) for row in rows) for i in range(4)]
    head = ("benchmark", "kafkaops", "comparison", "target")
    w = [max(w[i], len(head[i])) for i in range(4)]
    print(" | ".join(h.ljust(w[i]) for i, h in enumerate(head)))
    print("-+-".join("-" * x for x in w))
    for row in rows:
        print(" | ".join(c.ljust(w[i]) for i, c in enumerate(row)))


if __name__ == "__main__":
    main()
