//! The seeded incident: an order pipeline whose payment consumer has been dead-lettering
//! for three days. Pure and deterministic (a fixed-seed generator), so the demo tells the
//! same story every run and tests can rely on its shape.
//!
//! - `orders` (6 partitions): keyed JSON orders spread over the last 6 hours.
//! - `payments` (6 partitions): payments keyed by order id.
//! - `payments-dlt` (6 partitions): dead letters from a Spring Kafka listener
//!   (`kafka_dlt-*` headers with binary partition/offset/timestamp) and a Kafka Connect
//!   JDBC sink (`__connect.errors.*` text headers) in four failure categories.
//! - groups: `payments-service` caught up, `fulfilment` lagging, `analytics` stalled.

use chrono::{DateTime, Utc};

pub const ORDERS: &str = "orders";
pub const PAYMENTS: &str = "payments";
pub const DLQ: &str = "payments-dlt";
pub const PARTITIONS: i32 = 6;

#[derive(Clone, Debug)]
pub struct SeedRecord {
    pub partition: i32,
    pub key: Vec<u8>,
    pub value: Vec<u8>,
    pub headers: Vec<(String, Vec<u8>)>,
    pub timestamp_ms: i64,
}

/// How far behind a group's committed offsets sit, per partition.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Behind {
    /// Committed at the log end.
    CaughtUp,
    /// Committed this many records before the log end.
    Records(i64),
}

#[derive(Clone, Debug)]
pub struct GroupSeed {
    pub group: &'static str,
    pub topic: &'static str,
    pub behind: Behind,
    /// Whether the live traffic loop keeps committing for this group.
    pub live: bool,
}

pub struct Incident {
    pub orders: Vec<SeedRecord>,
    pub payments: Vec<SeedRecord>,
    pub dlq: Vec<SeedRecord>,
    pub groups: Vec<GroupSeed>,
}

/// xorshift64*: deterministic, dependency-free, good enough for seeding.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed.max(1))
    }

    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }
}

const CUSTOMERS: [&str; 8] = [
    "c-1042", "c-2210", "c-3381", "c-4007", "c-5120", "c-6699", "c-7313", "c-8850",
];

pub fn order_json(order: u64, customer: &str, cents: u64, ts: DateTime<Utc>) -> String {
    format!(
        r#"{{"order_id":"order-{order}","customer":"{customer}","amount":{}.{:02},"currency":"EUR","created_at":"{}"}}"#,
        cents / 100,
        cents % 100,
        crate::timespec::format_time(ts)
    )
}

/// Java's String.hashCode-free stand-in for "the producer's partitioner": stable per key.
fn partition_of(key: &str) -> i32 {
    (crc32fast::hash(key.as_bytes()) % PARTITIONS as u32) as i32
}

/// Where a dead letter came from, as Spring's recoverer records it.
struct Origin<'a> {
    topic: &'a str,
    partition: i32,
    offset: i64,
    timestamp_ms: i64,
    group: &'a str,
}

fn spring_headers(
    origin: &Origin<'_>,
    exception: &str,
    cause: &str,
    message: &str,
) -> Vec<(String, Vec<u8>)> {
    let Origin {
        topic: original_topic,
        partition,
        offset,
        timestamp_ms,
        group,
    } = *origin;
    let stack = format!(
        "{exception}: {message}\n\tat org.springframework.kafka.listener.KafkaMessageListenerContainer$ListenerConsumer.decorateException(KafkaMessageListenerContainer.java:2961)\n\tat org.springframework.kafka.listener.KafkaMessageListenerContainer$ListenerConsumer.doInvokeOnMessage(KafkaMessageListenerContainer.java:2905)\nCaused by: {cause}\n\tat com.acme.payments.PaymentListener.onPayment(PaymentListener.java:88)\n"
    );
    vec![
        (
            "kafka_dlt-original-topic".into(),
            original_topic.as_bytes().to_vec(),
        ),
        (
            "kafka_dlt-original-partition".into(),
            partition.to_be_bytes().to_vec(),
        ),
        (
            "kafka_dlt-original-offset".into(),
            offset.to_be_bytes().to_vec(),
        ),
        (
            "kafka_dlt-original-timestamp".into(),
            timestamp_ms.to_be_bytes().to_vec(),
        ),
        (
            "kafka_dlt-original-timestamp-type".into(),
            b"CreateTime".to_vec(),
        ),
        (
            "kafka_dlt-original-consumer-group".into(),
            group.as_bytes().to_vec(),
        ),
        (
            "kafka_dlt-exception-fqcn".into(),
            exception.as_bytes().to_vec(),
        ),
        (
            "kafka_dlt-exception-cause-fqcn".into(),
            cause.as_bytes().to_vec(),
        ),
        (
            "kafka_dlt-exception-message".into(),
            message.as_bytes().to_vec(),
        ),
        ("kafka_dlt-exception-stacktrace".into(), stack.into_bytes()),
    ]
}

fn connect_headers(partition: i32, offset: i64, message: &str) -> Vec<(String, Vec<u8>)> {
    let text = |s: &str| s.as_bytes().to_vec();
    vec![
        ("__connect.errors.topic".into(), text(PAYMENTS)),
        ("__connect.errors.partition".into(), text(&partition.to_string())),
        ("__connect.errors.offset".into(), text(&offset.to_string())),
        ("__connect.errors.connector.name".into(), text("payments-jdbc-sink")),
        ("__connect.errors.task.id".into(), text("0")),
        ("__connect.errors.stage".into(), text("VALUE_CONVERTER")),
        ("__connect.errors.class.name".into(), text("io.confluent.connect.avro.AvroConverter")),
        ("__connect.errors.exception.class.name".into(), text("org.apache.kafka.connect.errors.DataException")),
        ("__connect.errors.exception.message".into(), text(message)),
        (
            "__connect.errors.exception.stacktrace".into(),
            text(&format!("org.apache.kafka.connect.errors.DataException: {message}\n\tat io.confluent.connect.avro.AvroConverter.toConnectData(AvroConverter.java:148)\n")),
        ),
    ]
}

/// Build the incident relative to `now`.
pub fn incident(now: DateTime<Utc>) -> Incident {
    let mut rng = Rng::new(0x6b61_666b_616f_7073);
    let now_ms = now.timestamp_millis();
    const HOUR: i64 = 3_600_000;

    let mut orders = Vec::new();
    let n_orders = 3_000u64;
    for i in 0..n_orders {
        // Spread over six hours, oldest first, with a little jitter.
        let ts =
            now_ms - 6 * HOUR + (i as i64 * 6 * HOUR) / n_orders as i64 + rng.below(1_000) as i64;
        let key = format!("order-{}", 100_000 + i);
        let customer = CUSTOMERS[rng.below(CUSTOMERS.len() as u64) as usize];
        let cents = 500 + rng.below(49_500);
        let t = DateTime::from_timestamp_millis(ts).unwrap_or(now);
        orders.push(SeedRecord {
            partition: partition_of(&key),
            value: order_json(100_000 + i, customer, cents, t).into_bytes(),
            key: key.into_bytes(),
            headers: vec![("source".into(), b"web-checkout".to_vec())],
            timestamp_ms: ts,
        });
    }

    let mut payments = Vec::new();
    for (i, o) in orders.iter().enumerate().filter(|(i, _)| i % 3 != 2) {
        let key = String::from_utf8_lossy(&o.key).to_string();
        let ts = o.timestamp_ms + 2_000 + rng.below(8_000) as i64;
        payments.push(SeedRecord {
            partition: partition_of(&key),
            value: format!(r#"{{"payment_id":"pay-{i}","order_id":"{key}","status":"AUTHORIZED","psp":"stripe"}}"#).into_bytes(),
            key: key.into_bytes(),
            headers: vec![("traceparent".into(), format!("00-{:032x}-{:016x}-01", rng.next_u64() as u128, rng.next_u64()).into_bytes())],
            timestamp_ms: ts,
        });
    }

    // Dead letters: (count, window start hours ago, window length hours, kind).
    let mut dlq = Vec::new();
    let plan: [(u64, i64, i64, u8); 4] = [
        (1_500, 6, 6, 0),
        (700, 72, 70, 1),
        (1_100, 48, 40, 2),
        (450, 20, 19, 3),
    ];
    let mut original_offset = [0i64; PARTITIONS as usize];
    for (count, start_h, len_h, kind) in plan {
        for j in 0..count {
            // Jittered, but never in the future.
            let ts = (now_ms - start_h * HOUR
                + (j as i64 * len_h * HOUR) / count as i64
                + rng.below(60_000) as i64)
                .min(now_ms - 1_000);
            let order = 100_000 + rng.below(n_orders);
            let key = format!("order-{order}");
            let p = partition_of(&key);
            original_offset[p as usize] += 1 + rng.below(40) as i64;
            let off = original_offset[p as usize];
            let orig_ts = ts - 1_000 - rng.below(30_000) as i64;
            let origin = Origin {
                topic: PAYMENTS,
                partition: p,
                offset: off,
                timestamp_ms: orig_ts,
                group: "payments-service",
            };
            let (value, headers) = match kind {
                0 => (
                    format!(r#"{{"payment_id":"pay-{j}","order_id":"{key}","status":"AUTHORIZED"}}"#).into_bytes(),
                    spring_headers(
                        &origin,
                        "org.springframework.kafka.listener.ListenerExecutionFailedException",
                        "java.net.SocketTimeoutException",
                        &format!(
                            "Listener method 'public void com.acme.payments.PaymentListener.onPayment(org.apache.kafka.clients.consumer.ConsumerRecord)' threw exception; Read timed out after {} ms calling ledger-{}.internal:8443",
                            [30_000, 15_000, 45_000][rng.below(3) as usize],
                            rng.below(4)
                        ),
                    ),
                ),
                1 => {
                    let col = 20 + rng.below(80);
                    (
                        format!(r#"{{"payment_id":"pay-{j}","order_id":"{key}",,"status":}}"#).into_bytes(),
                        spring_headers(
                        &origin,
                        "org.springframework.kafka.support.serializer.DeserializationException",
                            "com.fasterxml.jackson.core.JsonParseException",
                            &format!("failed to deserialize; Unexpected character (',' (code 44)): was expecting double-quote to start field name at [Source: (byte[]); line: 1, column: {col}]"),
                        ),
                    )
                }
                2 => (
                    format!(r#"{{"payment_id":"pay-{j}","order_id":"{key}","status":"CAPTURED"}}"#).into_bytes(),
                    spring_headers(
                        &origin,
                        "org.springframework.dao.DuplicateKeyException",
                        "org.postgresql.util.PSQLException",
                        &format!(
                            "PreparedStatementCallback; ERROR: duplicate key value violates unique constraint \"payments_pkey\"; Detail: Key (id)=({}) already exists.",
                            10_000 + rng.below(90_000)
                        ),
                    ),
                ),
                _ => (
                    // Confluent wire format with a schema id the registry does not know.
                    {
                        let mut v = vec![0u8];
                        v.extend_from_slice(&(9_000 + rng.below(3) as u32).to_be_bytes());
                        v.extend_from_slice(&rng.next_u64().to_le_bytes());
                        v
                    },
                    connect_headers(
                        p,
                        off,
                        &format!(
                            "Failed to deserialize data for topic payments to Avro: Error retrieving Avro value schema for id {}",
                            9_000 + rng.below(3)
                        ),
                    ),
                ),
            };
            dlq.push(SeedRecord {
                partition: p,
                key: key.into_bytes(),
                value,
                headers,
                timestamp_ms: ts,
            });
        }
    }
    dlq.sort_by_key(|r| r.timestamp_ms);

    let groups = vec![
        GroupSeed {
            group: "payments-service",
            topic: PAYMENTS,
            behind: Behind::CaughtUp,
            live: true,
        },
        GroupSeed {
            group: "fulfilment",
            topic: ORDERS,
            behind: Behind::Records(70),
            live: true,
        },
        GroupSeed {
            group: "analytics",
            topic: ORDERS,
            behind: Behind::Records(260),
            live: false,
        },
    ];
    Incident {
        orders,
        payments,
        dlq,
        groups,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn incident_is_deterministic_and_realistic() {
        let now = Utc.with_ymd_and_hms(2026, 11, 21, 12, 0, 0).unwrap();
        let a = incident(now);
        let b = incident(now);
        assert_eq!(a.dlq.len(), 3_750);
        assert_eq!(a.orders.len(), 3_000);
        assert_eq!(
            a.dlq.iter().map(|r| r.value.clone()).collect::<Vec<_>>(),
            b.dlq.iter().map(|r| r.value.clone()).collect::<Vec<_>>()
        );
        // Everything is in the past and spread out.
        assert!(a
            .dlq
            .iter()
            .all(|r| r.timestamp_ms <= now.timestamp_millis()));
        let oldest = a.dlq.first().unwrap().timestamp_ms;
        assert!(now.timestamp_millis() - oldest > 60 * 3_600_000);
        assert!(a
            .orders
            .iter()
            .all(|r| (0..PARTITIONS).contains(&r.partition)));
        // Spring binary headers are exact widths.
        let spring = a
            .dlq
            .iter()
            .find(|r| {
                r.headers
                    .iter()
                    .any(|(n, _)| n == "kafka_dlt-original-partition")
            })
            .unwrap();
        let width = |n: &str| spring.headers.iter().find(|(h, _)| h == n).unwrap().1.len();
        assert_eq!(width("kafka_dlt-original-partition"), 4);
        assert_eq!(width("kafka_dlt-original-offset"), 8);
        assert_eq!(width("kafka_dlt-original-timestamp"), 8);
        assert!(a
            .dlq
            .iter()
            .any(|r| r.headers.iter().any(|(n, _)| n == "__connect.errors.stage")));
    }
}
