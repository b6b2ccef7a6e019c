"""The Apache Kafka test broker's admin side, through confluent-kafka (the independent
client): ACLs and SCRAM users made as the super user, transactional records, and
read-committed counts. Called by tests/it/support/kafka_env.rs; one JSON line or
"ok" on stdout.

    kafka_admin.py ENV grant|revoke USER RESOURCE:NAME:OPERATION...
    kafka_admin.py ENV scram-user USER PASSWORD
    kafka_admin.py ENV transactions TOPIC PARTITIONS PLAN   (PLAN: e.g. "caca": one
        transaction per letter, c committed, a aborted, 5 records each over the partitions)
"""
import json
import sys

from confluent_kafka import Producer
from confluent_kafka.admin import (AclBinding, AclBindingFilter, AclOperation,
                                   AclPermissionType, AdminClient, ResourcePatternType,
                                   ResourceType, ScramCredentialInfo, ScramMechanism,
                                   UserScramCredentialUpsertion)


def env_of(path):
    with open(path) as f:
        return dict(line.strip().split("=", 1) for line in f if "=" in line)


def admin(env):
    return AdminClient({
        "bootstrap.servers": env["SASL_BOOTSTRAP"],
        "security.protocol": "SASL_PLAINTEXT",
        "sasl.mechanism": env["SASL_MECHANISM"],
        "sasl.username": env["SCRAM_USER"],
        "sasl.password": env["SCRAM_PASSWORD"],
    })


RESOURCES = {"topic": ResourceType.TOPIC, "group": ResourceType.GROUP}


def bindings(user, specs):
    out = []
    for spec in specs:
        kind, name, op = spec.split(":")
        out.append(AclBinding(RESOURCES[kind], name, ResourcePatternType.LITERAL,
                              "User:" + user, "*", getattr(AclOperation, op),
                              AclPermissionType.ALLOW))
    return out


def main():
    env = env_of(sys.argv[1])
    cmd, args = sys.argv[2], sys.argv[3:]
    # Kept for the whole call: futures fail once their client is collected.
    client = admin(env)
    if cmd == "grant":
        for f in client.create_acls(bindings(args[0], args[1:])).values():
            f.result(timeout=30)
    elif cmd == "revoke":
        filters = [AclBindingFilter(b.restype, b.name, b.resource_pattern_type, b.principal,
                                    b.host, b.operation, b.permission_type)
                   for b in bindings(args[0], args[1:])]
        for f in client.delete_acls(filters).values():
            f.result(timeout=30)
    elif cmd == "scram-user":
        user, password = args
        up = UserScramCredentialUpsertion(
            user, ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096), password.encode())
        for f in client.alter_user_scram_credentials([up]).values():
            f.result(timeout=30)
    elif cmd == "transactions":
        topic, partitions, plan = args[0], int(args[1]), args[2]
        p = Producer({"bootstrap.servers": env["BOOTSTRAP"], "transactional.id": topic + "-tx"})
        p.init_transactions(30)
        n = 0
        for t, kind in enumerate(plan):
            p.begin_transaction()
            for i in range(5):
                p.produce(topic, key=f"k{n}", value=f"{kind}-{t}-{i}", partition=n % partitions,
                          headers=[("x-error-message", f"failed {kind}")])
                n += 1
            p.flush(30)
            if kind == "a":
                p.abort_transaction(30)
            else:
                p.commit_transaction(30)
    else:
        sys.exit(f"unknown command {cmd}")
    print("ok")


main()
