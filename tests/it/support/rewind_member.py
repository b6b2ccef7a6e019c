#!/usr/bin/env python3
"""A live member of a consumer group for `replay rewind` tests, with either group
protocol (confluent-kafka): classic (JoinGroup) or consumer (KIP-848).

usage: rewind_member.py BOOTSTRAP GROUP TOPIC classic|consumer

Prints "assigned" once it owns partitions (or gives up after 30 s), keeps polling,
and leaves the group cleanly when its stdin closes. It never commits.
"""
import sys
import threading
import time

from confluent_kafka import Consumer


def main():
    bootstrap, group, topic, protocol = sys.argv[1:5]
    conf = {
        "bootstrap.servers": bootstrap,
        "group.id": group,
        "enable.auto.commit": False,
        "group.protocol": protocol,
    }
    if protocol == "classic":
        conf["session.timeout.ms"] = 10000
    c = Consumer(conf)
    c.subscribe([topic])
    done = threading.Event()
    threading.Thread(target=lambda: (sys.stdin.read(), done.set()), daemon=True).start()
    deadline = time.time() + 30
    while not c.assignment() and time.time() < deadline:
        c.poll(0.2)
    print("assigned" if c.assignment() else "unassigned", flush=True)
    while not done.is_set():
        c.poll(0.2)
    c.close()


if __name__ == "__main__":
    main()
