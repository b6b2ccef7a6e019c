#!/usr/bin/env python3
"""Independent lag figures for `kafkaops lag` tests, computed with confluent-kafka.

usage: lag_independent_check.py BOOTSTRAP GROUP TOPIC

Prints a JSON list, one object per partition of TOPIC:
{"partition", "committed" (null without a commit), "low", "high", "lag" (null without a commit)}.
Lag follows the usual definition: high watermark minus the committed offset, counted
from the low watermark when the commit is below it, never negative.
"""
import json
import sys

from confluent_kafka import Consumer, TopicPartition


def main():
    bootstrap, group, topic = sys.argv[1:4]
    consumer = Consumer({
        "bootstrap.servers": bootstrap,
        "group.id": group,
        "enable.auto.commit": False,
    })
    try:
        md = consumer.list_topics(topic, timeout=10)
        meta = md.topics[topic]
        if meta.error is not None:
            raise SystemExit(f"topic {topic}: {meta.error}")
        parts = sorted(meta.partitions)
        committed = consumer.committed([TopicPartition(topic, p) for p in parts], timeout=10)
        out = []
        for tp in sorted(committed, key=lambda t: t.partition):
            if tp.error is not None:
                raise SystemExit(f"committed offset of {topic}[{tp.partition}]: {tp.error}")
            low, high = consumer.get_watermark_offsets(TopicPartition(topic, tp.partition), timeout=10, cached=False)
            off = tp.offset if tp.offset >= 0 else None
            lag = None if off is None else max(0, high - max(off, low))
            out.append({"partition": tp.partition, "committed": off, "low": low, "high": high, "lag": lag})
        print(json.dumps(out))
    finally:
        consumer.close()


if __name__ == "__main__":
    main()
