#!/usr/bin/env python3
"""Independent checks, with confluent-kafka, of what only a full broker has: topics
created and deleted, group state and members, offsets-for-times, DeleteRecords, the
offsets a compacted log still holds, and a live group member in a process of its own.

usage: full_broker_check.py COMMAND BOOTSTRAP ARGS...

  topics BOOTSTRAP PREFIX            {name: partition count} of the topics named PREFIX*
  groups BOOTSTRAP GROUP...          {group: {"state": "stable"|"empty"|..., "members": n}}
  offsets-for-times BOOTSTRAP TOPIC MS
                                     {partition: first offset at or after MS, or the log end}
  delete-records BOOTSTRAP TOPIC PARTITION OFFSET
                                     deletes the records before OFFSET; prints the new log start
  records BOOTSTRAP TOPIC            [[partition, offset, timestamp ms], ...] of every record held
  member BOOTSTRAP GROUP TOPIC       joins GROUP on TOPIC without committing, prints
                                     "assigned" once it owns partitions (or gives up after
                                     30 s), and leaves the group cleanly when its stdin closes
"""
import json
import sys
import threading
import time

from confluent_kafka import Consumer, KafkaError, TopicPartition
from confluent_kafka.admin import AdminClient


def admin(bootstrap):
    return AdminClient({"bootstrap.servers": bootstrap})


def reader(bootstrap, **extra):
    conf = {
        "bootstrap.servers": bootstrap,
        "group.id": "kafkaops-independent-check",
        "enable.auto.commit": False,
        "enable.partition.eof": True,
    }
    conf.update(extra)
    return Consumer(conf)


def partitions(client, topic):
    meta = client.list_topics(topic, timeout=10).topics[topic]
    if meta.error is not None:
        raise SystemExit(f"topic {topic}: {meta.error}")
    return sorted(meta.partitions)


# Each AdminClient is kept in a variable until its futures are done: a client that is
# garbage-collected with requests in flight never completes them.
def topics(bootstrap, prefix):
    client = admin(bootstrap)
    md = client.list_topics(timeout=10)
    print(json.dumps({n: len(t.partitions) for n, t in md.topics.items() if n.startswith(prefix)}))


def groups(bootstrap, *names):
    client = admin(bootstrap)
    futures = client.describe_consumer_groups(list(names), request_timeout=10)
    out = {}
    for name, f in futures.items():
        d = f.result()
        out[name] = {"state": d.state.name.lower(), "members": len(d.members)}
    print(json.dumps(out))


def offsets_for_times(bootstrap, topic, ms):
    c = reader(bootstrap)
    try:
        tps = [TopicPartition(topic, p, int(ms)) for p in partitions(c, topic)]
        out = {}
        for tp in c.offsets_for_times(tps, timeout=10):
            if tp.error is not None:
                raise SystemExit(f"offsets-for-times {topic}[{tp.partition}]: {tp.error}")
            off = tp.offset
            if off < 0:
                # No record at or after the time: the answer is the log end.
                off = c.get_watermark_offsets(TopicPartition(topic, tp.partition), timeout=10)[1]
            out[tp.partition] = off
        print(json.dumps(out))
    finally:
        c.close()


def delete_records(bootstrap, topic, partition, offset):
    tp = TopicPartition(topic, int(partition), int(offset))
    client = admin(bootstrap)
    for _, f in client.delete_records([tp], request_timeout=10).items():
        print(f.result().low_watermark)


def records(bootstrap, topic):
    c = reader(bootstrap)
    try:
        todo = set()
        assign = []
        for p in partitions(c, topic):
            low, high = c.get_watermark_offsets(TopicPartition(topic, p), timeout=10, cached=False)
            if high > low:
                assign.append(TopicPartition(topic, p, low))
                todo.add(p)
        out = []
        if todo:
            c.assign(assign)
        while todo:
            m = c.poll(10)
            if m is None:
                raise SystemExit(f"reading {topic} timed out")
            if m.error() is not None:
                if m.error().code() == KafkaError._PARTITION_EOF:
                    todo.discard(m.partition())
                    continue
                raise SystemExit(f"read {topic}: {m.error()}")
            out.append([m.partition(), m.offset(), m.timestamp()[1]])
        print(json.dumps(sorted(out)))
    finally:
        c.close()


def member(bootstrap, group, topic):
    c = Consumer({
        "bootstrap.servers": bootstrap,
        "group.id": group,
        "enable.auto.commit": False,
        "session.timeout.ms": 30000,
    })
    stop = threading.Event()
    threading.Thread(target=lambda: (sys.stdin.read(), stop.set()), daemon=True).start()
    said = False
    give_up = time.monotonic() + 30
    c.subscribe([topic])
    try:
        while not stop.is_set():
            c.poll(0.2)
            if not said and c.assignment():
                print("assigned", flush=True)
                said = True
            if not said and time.monotonic() > give_up:
                print("no partitions assigned within 30 s", flush=True)
                return
    finally:
        c.close()


COMMANDS = {
    "topics": topics,
    "groups": groups,
    "offsets-for-times": offsets_for_times,
    "delete-records": delete_records,
    "records": records,
    "member": member,
}

if __name__ == "__main__":
    COMMANDS[sys.argv[1]](*sys.argv[2:])
