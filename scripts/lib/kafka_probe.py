"""Exit 0 when HOST:PORT answers a Kafka ApiVersions request, 1 otherwise.

The readiness probe of scripts/tansu.sh and scripts/kafka.sh: a full ApiVersions round
trip proves the broker serves requests, not just that its port accepts TCP connections.
Version 0 of the request is used because every broker (Kafka 4.x included) still serves it.

    python3 scripts/lib/kafka_probe.py 127.0.0.1:9092
"""
import socket
import struct
import sys

API_VERSIONS = 18
CORRELATION_ID = 1


def answers(address: str) -> bool:
    host, port = address.rsplit(":", 1)
    try:
        with socket.create_connection((host, int(port)), timeout=2) as s:
            s.settimeout(2)
            client = b"kafkaops-probe"
            body = struct.pack(">hhih", API_VERSIONS, 0, CORRELATION_ID, len(client)) + client
            s.sendall(struct.pack(">i", len(body)) + body)
            data = read_exactly(s, 4)
            size = struct.unpack(">i", data)[0]
            data = read_exactly(s, size)
    except (OSError, ValueError, struct.error):
        return False
    corr, err = struct.unpack(">ih", data[:6])
    return corr == CORRELATION_ID and err == 0


def read_exactly(s: socket.socket, size: int) -> bytes:
    data = b""
    while len(data) < size:
        chunk = s.recv(size - len(data))
        if not chunk:
            raise ValueError("connection closed mid-response")
        data += chunk
    return data


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: kafka_probe.py HOST:PORT")
    sys.exit(0 if answers(sys.argv[1]) else 1)
