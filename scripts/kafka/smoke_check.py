"""Check a broker started by `scripts/kafka.sh start DIR` against what the tests rely on.

    python3 scripts/kafka/smoke_check.py DIR/env

Uses confluent-kafka (an independent client) on every listener: produce/consume over
PLAINTEXT, SCRAM and SSL; a wrong SCRAM password is refused; the limited user is denied
reads and group descriptions; ListGroups/DescribeGroups, CreateTopics/DeleteTopics,
DeleteRecords and offsets-for-times answer; transactions commit and abort. Prints one
line per check and exits 1 if any failed. docs/apache-kafka.md records a run.
"""
import sys
import time
import uuid

from confluent_kafka import (
    Consumer,
    ConsumerGroupState,
    KafkaError,
    KafkaException,
    Producer,
    TopicPartition,
)
from confluent_kafka.admin import AdminClient, NewTopic

TIMEOUT_S = 20


def read_env(path):
    env = {}
    with open(path) as f:
        for line in f:
            key, _, value = line.strip().partition("=")
            if key:
                env[key] = value
    return env


class Listeners:
    def __init__(self, env):
        self.env = env

    def plain(self):
        return {"bootstrap.servers": self.env["BOOTSTRAP"]}

    def scram(self, user_key="SCRAM_USER", password=None):
        user = self.env[user_key]
        secret = password or self.env[user_key.replace("USER", "PASSWORD")]
        return {
            "bootstrap.servers": self.env["SASL_BOOTSTRAP"],
            "security.protocol": "SASL_PLAINTEXT",
            "sasl.mechanism": self.env["SASL_MECHANISM"],
            "sasl.username": user,
            "sasl.password": secret,
        }

    def ssl(self):
        return {
            "bootstrap.servers": self.env["SSL_BOOTSTRAP"],
            "security.protocol": "SSL",
            "ssl.ca.location": self.env["SSL_CA"],
        }


def unique(prefix):
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def create_topic(admin, name, partitions=1):
    futures = admin.create_topics([NewTopic(name, partitions, 1)], operation_timeout=TIMEOUT_S)
    futures[name].result(TIMEOUT_S)


def produce(conf, topic, values, **extra):
    p = Producer({**conf, **extra})
    for v in values:
        p.produce(topic, v.encode())
    left = p.flush(TIMEOUT_S)
    if left:
        raise RuntimeError(f"{left} records not delivered")


def consume(conf, topic, count, **extra):
    c = Consumer({**conf, "group.id": unique("smoke"), "auto.offset.reset": "earliest", **extra})
    c.subscribe([topic])
    got = []
    deadline = time.time() + TIMEOUT_S
    try:
        while len(got) < count and time.time() < deadline:
            m = c.poll(0.5)
            if m is None:
                continue
            if m.error():
                raise KafkaException(m.error())
            got.append(m.value().decode())
    finally:
        c.close()
    return got


def round_trip(conf):
    admin = AdminClient(conf)
    topic = unique("smoke-rt")
    create_topic(admin, topic)
    produce(conf, topic, ["a", "b", "c"])
    got = consume(conf, topic, 3)
    assert got == ["a", "b", "c"], got


def wrong_password(listeners):
    # librdkafka reports the refusal through the error callback; the request itself only
    # sees the connection go down.
    errors = []
    conf = {**listeners.scram(password="not-the-password"), "error_cb": errors.append}
    admin = AdminClient(conf)
    try:
        admin.list_topics(timeout=3)
    except KafkaException:
        pass
    else:
        raise AssertionError("a wrong password was accepted")
    admin.poll(1)
    codes = {e.code() for e in errors}
    assert KafkaError._AUTHENTICATION in codes, errors


def limited_read_denied(listeners):
    topic = unique("smoke-acl")
    create_topic(AdminClient(listeners.plain()), topic)
    produce(listeners.plain(), topic, ["x"])
    conf = listeners.scram("LIMITED_USER")
    md = AdminClient(conf).list_topics(topic, timeout=TIMEOUT_S)
    err = md.topics[topic].error
    assert err is not None and err.code() == KafkaError.TOPIC_AUTHORIZATION_FAILED, err
    # A consumer needs a group in this client; the group's check fails first, before any
    # fetch (librdkafka never fetches an assigned partition it may not describe).
    c = Consumer({**conf, "group.id": unique("smoke-limited")})
    c.assign([TopicPartition(topic, 0, 0)])
    deadline = time.time() + TIMEOUT_S
    try:
        while time.time() < deadline:
            m = c.poll(0.5)
            if m is None:
                continue
            assert m.error() is not None, "the limited user read a record"
            assert m.error().code() == KafkaError.GROUP_AUTHORIZATION_FAILED, m.error()
            return
    finally:
        c.close()
    raise AssertionError("no authorisation error within the timeout")


def with_live_group(listeners, check):
    topic = unique("smoke-grp")
    group = unique("smoke-group")
    create_topic(AdminClient(listeners.plain()), topic, 2)
    produce(listeners.plain(), topic, ["g"])
    c = Consumer({**listeners.plain(), "group.id": group, "auto.offset.reset": "earliest"})
    c.subscribe([topic])
    deadline = time.time() + TIMEOUT_S
    try:
        while not c.assignment() and time.time() < deadline:
            c.poll(0.5)
        check(group)
    finally:
        c.close()


def groups_listed_and_described(listeners):
    admin = AdminClient(listeners.plain())

    def check(group):
        listed = admin.list_consumer_groups(request_timeout=TIMEOUT_S).result(TIMEOUT_S)
        ids = {g.group_id for g in listed.valid}
        assert group in ids, (group, ids)
        desc = admin.describe_consumer_groups([group])[group].result(TIMEOUT_S)
        assert desc.state == ConsumerGroupState.STABLE, desc.state
        assert len(desc.members) == 1, desc.members

    with_live_group(listeners, check)


def limited_describe_group_denied(listeners):
    limited = AdminClient(listeners.scram("LIMITED_USER"))

    def check(group):
        try:
            limited.describe_consumer_groups([group])[group].result(TIMEOUT_S)
        except KafkaException as e:
            code = e.args[0].code()
            assert code == KafkaError.GROUP_AUTHORIZATION_FAILED, e
            return
        raise AssertionError("the limited user described a group")

    with_live_group(listeners, check)


def create_delete_topics_and_records(listeners):
    conf = listeners.plain()
    admin = AdminClient(conf)
    topic = unique("smoke-del")
    create_topic(admin, topic)
    produce(conf, topic, [str(i) for i in range(10)])
    tp = TopicPartition(topic, 0, 4)
    result = admin.delete_records([tp], request_timeout=TIMEOUT_S)[tp].result(TIMEOUT_S)
    assert result.low_watermark == 4, result
    c = Consumer({**conf, "group.id": unique("smoke-wm")})
    low, high = c.get_watermark_offsets(TopicPartition(topic, 0), timeout=TIMEOUT_S)
    c.close()
    assert (low, high) == (4, 10), (low, high)
    admin.delete_topics([topic], operation_timeout=TIMEOUT_S)[topic].result(TIMEOUT_S)
    deadline = time.time() + TIMEOUT_S
    while topic in admin.list_topics(timeout=TIMEOUT_S).topics:
        assert time.time() < deadline, "the deleted topic is still listed"
        time.sleep(0.2)


def offsets_for_times(listeners):
    conf = listeners.plain()
    topic = unique("smoke-time")
    create_topic(AdminClient(conf), topic)
    p = Producer(conf)
    base = int(time.time() * 1000) - 60_000
    for i in range(5):
        p.produce(topic, str(i).encode(), timestamp=base + i * 1000)
    assert p.flush(TIMEOUT_S) == 0
    c = Consumer({**conf, "group.id": unique("smoke-oft")})
    try:
        found = c.offsets_for_times([TopicPartition(topic, 0, base + 2500)], timeout=TIMEOUT_S)
        assert found[0].offset == 3, found
        after = c.offsets_for_times([TopicPartition(topic, 0, base + 10_000)], timeout=TIMEOUT_S)
        assert after[0].offset == -1, after
    finally:
        c.close()


def transactions(listeners):
    conf = listeners.plain()
    topic = unique("smoke-txn")
    create_topic(AdminClient(conf), topic)
    p = Producer({**conf, "transactional.id": unique("smoke-tx")})
    p.init_transactions(TIMEOUT_S)
    p.begin_transaction()
    p.produce(topic, b"committed")
    p.commit_transaction(TIMEOUT_S)
    p.begin_transaction()
    p.produce(topic, b"aborted")
    # Flushed first: aborting purges records still queued in the producer, and the point
    # is an aborted batch on the broker.
    assert p.flush(TIMEOUT_S) == 0
    p.abort_transaction(TIMEOUT_S)
    p.begin_transaction()
    p.produce(topic, b"committed-2")
    p.commit_transaction(TIMEOUT_S)
    committed = consume(conf, topic, 2, **{"isolation.level": "read_committed"})
    assert committed == ["committed", "committed-2"], committed
    everything = consume(conf, topic, 3, **{"isolation.level": "read_uncommitted"})
    assert everything == ["committed", "aborted", "committed-2"], everything


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: smoke_check.py DIR/env")
    listeners = Listeners(read_env(sys.argv[1]))
    checks = [
        ("produce/consume over PLAINTEXT", lambda: round_trip(listeners.plain())),
        ("produce/consume over SASL_PLAINTEXT (SCRAM admin)", lambda: round_trip(listeners.scram())),
        ("produce/consume over SSL (test CA)", lambda: round_trip(listeners.ssl())),
        ("wrong SCRAM password refused", lambda: wrong_password(listeners)),
        ("limited user: metadata -> TOPIC_AUTHORIZATION_FAILED, consume -> GROUP_AUTHORIZATION_FAILED", lambda: limited_read_denied(listeners)),
        ("limited user: describe group -> GROUP_AUTHORIZATION_FAILED",
         lambda: limited_describe_group_denied(listeners)),
        ("ListGroups/DescribeGroups (Stable, one member)", lambda: groups_listed_and_described(listeners)),
        ("CreateTopics/DeleteRecords/DeleteTopics", lambda: create_delete_topics_and_records(listeners)),
        ("offsets_for_times", lambda: offsets_for_times(listeners)),
        ("transactions (commit, abort, read_committed)", lambda: transactions(listeners)),
    ]
    failed = 0
    for name, check in checks:
        start = time.time()
        try:
            check()
            print(f"ok    {name} ({time.time() - start:.1f}s)")
        except Exception as e:  # noqa: BLE001 - one line per failed check, then go on
            failed += 1
            print(f"FAIL  {name}: {type(e).__name__}: {e}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
