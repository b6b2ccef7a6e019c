//! `kafkaops sandbox`: an embedded Kafka-protocol broker (librdkafka's mock cluster,
//! inside this process) on a fixed loopback address, seeded with a realistic incident,
//! with live traffic so lag moves while you watch. `kafkaops demo` uses the same
//! sandbox for its guided tour.
//!
//! The mock cluster listens on ephemeral ports; a loopback forwarder on the fixed
//! address bootstraps clients, and the metadata they receive points them at the mock
//! brokers' own loopback ports. Its API gaps (no ListGroups, no offsets-for-times) are
//! left in place on purpose: the tool's degradations and fallbacks show on it.

pub mod incident;

use std::net::SocketAddr;
use std::time::Duration;

use crate::app::Context;
use crate::error::{Error, Result};
use crate::exit::ExitCode;
use crate::kafka::{MockRecord, SandboxCluster};
use crate::output::{Output, Style};
use crate::signal::Stop;
use incident::{Behind, GroupSeed, SeedRecord};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Seed {
    Incident,
    None,
}

#[derive(Clone, Debug)]
pub struct SandboxRequest {
    pub listen: SocketAddr,
    pub seed: Seed,
    /// Stop after seeding instead of serving (used by tests and scripts).
    pub live: bool,
    /// Extra empty topics (name, partitions).
    pub extra_topics: Vec<(String, i32)>,
}

/// A running sandbox. Dropping it stops the brokers.
pub struct Sandbox {
    // Field order matters: the forwarder stops before the cluster goes away.
    forwarder: tokio::task::JoinHandle<()>,
    cluster: SandboxCluster,
    /// The fixed address clients use.
    pub address: String,
    groups: Vec<GroupSeed>,
    tick: u64,
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        self.forwarder.abort();
    }
}

impl Sandbox {
    /// Start the brokers and the forwarder, and seed them.
    pub async fn start(
        listen: SocketAddr,
        seed: Seed,
        out: &Output,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<Sandbox> {
        let listener = tokio::net::TcpListener::bind(listen).await.map_err(|e| {
            let hint = if e.kind() == std::io::ErrorKind::AddrInUse {
                "another broker or sandbox is listening there; pick a free address with --listen 127.0.0.1:19092"
            } else {
                "choose a loopback address you may bind, e.g. --listen 127.0.0.1:19092"
            };
            Error::usage_hint(format!("cannot listen on {listen}: {e}"), hint)
        })?;
        let address = listener
            .local_addr()
            .map_err(|e| Error::file("read the address of", "the listener", e))?
            .to_string();
        let cluster = SandboxCluster::start(3)?;
        let direct = cluster.bootstrap_servers();
        let first = direct.split(',').next().unwrap_or_default().to_string();
        let forwarder = tokio::spawn(forward(listener, first));
        let mut sandbox = Sandbox {
            forwarder,
            cluster,
            address,
            groups: Vec::new(),
            tick: 0,
        };
        for topic in [incident::ORDERS, incident::PAYMENTS, incident::DLQ] {
            sandbox.create_topic(topic, incident::PARTITIONS)?;
        }
        if seed == Seed::Incident {
            let inc = incident::incident(now);
            let bar = out.progress(
                Some((inc.orders.len() + inc.payments.len() + inc.dlq.len()) as u64),
                "seeding",
            );
            for (topic, records) in [
                (incident::ORDERS, &inc.orders),
                (incident::PAYMENTS, &inc.payments),
                (incident::DLQ, &inc.dlq),
            ] {
                sandbox.produce(topic, records).await?;
                bar.inc(records.len() as u64);
            }
            bar.finish_and_clear();
            for g in &inc.groups {
                sandbox.commit_group(g, 0)?;
            }
            sandbox.groups = inc.groups;
        }
        Ok(sandbox)
    }

    pub fn create_topic(&self, name: &str, partitions: i32) -> Result<()> {
        self.cluster.create_topic(name, partitions)
    }

    async fn produce(&self, topic: &str, records: &[SeedRecord]) -> Result<()> {
        let records = records.iter().map(|r| MockRecord {
            partition: r.partition,
            key: &r.key,
            value: &r.value,
            headers: &r.headers,
            timestamp_ms: r.timestamp_ms,
        });
        self.cluster.produce(topic, records).await
    }

    /// Commit a group's offsets according to its seed; `extra` widens a lag.
    fn commit_group(&self, g: &GroupSeed, extra: i64) -> Result<()> {
        let kafka = self.cluster.kafka();
        let consumer = kafka.admin_client()?;
        let parts: Vec<i32> = (0..incident::PARTITIONS).collect();
        let offsets: Vec<(i32, i64)> = kafka
            .watermarks(&consumer, g.topic, &parts)?
            .into_iter()
            .map(|w| {
                let at = match g.behind {
                    Behind::CaughtUp => w.high,
                    Behind::Records(n) => (w.high - n - extra).max(w.low),
                };
                (w.partition, at)
            })
            .collect();
        self.cluster.commit(g.group, g.topic, &offsets)
    }

    /// One second of live traffic: new orders and payments; live groups commit, the
    /// stalled one does not; `fulfilment` falls a little further behind each tick.
    pub async fn traffic_tick(&mut self, now: chrono::DateTime<chrono::Utc>) -> Result<()> {
        if self.groups.is_empty() {
            return Ok(());
        }
        self.tick += 1;
        let mut rng = incident::Rng::new(self.tick.wrapping_mul(0x9E37_79B9));
        let ts = now.timestamp_millis();
        let mut orders = Vec::new();
        let mut payments = Vec::new();
        for i in 0..6u64 {
            let n = 900_000 + self.tick * 10 + i;
            let key = format!("order-{n}");
            let p = (rng.below(incident::PARTITIONS as u64)) as i32;
            orders.push(SeedRecord {
                partition: p,
                key: key.clone().into_bytes(),
                value: incident::order_json(n, "c-live", 1_000 + rng.below(9_000), now)
                    .into_bytes(),
                headers: vec![("source".into(), b"web-checkout".to_vec())],
                timestamp_ms: ts,
            });
            if i % 2 == 0 {
                payments.push(SeedRecord {
                    partition: p,
                    key: key.clone().into_bytes(),
                    value: format!(r#"{{"order_id":"{key}","status":"AUTHORIZED"}}"#).into_bytes(),
                    headers: Vec::new(),
                    timestamp_ms: ts,
                });
            }
        }
        self.produce(incident::ORDERS, &orders).await?;
        self.produce(incident::PAYMENTS, &payments).await?;
        let tick = self.tick as i64;
        for g in self.groups.iter().filter(|g| g.live) {
            self.commit_group(g, tick / 5)?;
        }
        Ok(())
    }
}

/// Accept on the fixed address and splice each connection to the first mock broker.
async fn forward(listener: tokio::net::TcpListener, target: String) {
    loop {
        let Ok((mut inbound, _)) = listener.accept().await else {
            continue;
        };
        let target = target.clone();
        tokio::spawn(async move {
            if let Ok(mut outbound) = tokio::net::TcpStream::connect(&target).await {
                let _ = inbound.set_nodelay(true);
                let _ = outbound.set_nodelay(true);
                let _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
            }
        });
    }
}

/// What to try from another shell.
pub fn banner(address: &str, seeded: bool, out: &Output) -> String {
    let mut s = format!(
        "{} embedded Kafka broker (librdkafka mock cluster, 3 brokers) at {}\n",
        out.paint("kafkaops sandbox:", Style::Bold),
        out.paint(address, Style::Green)
    );
    if seeded {
        s.push_str(
            "seeded: orders (6 partitions), payments (6), payments-dlt (3,750 dead letters in 4 categories)\n\
             groups: payments-service (caught up), fulfilment (lagging), analytics (stalled)\n\
             live traffic: 6 orders/s and 3 payments/s; fulfilment falls behind, analytics never commits\n",
        );
    } else {
        s.push_str("empty: topics orders, payments and payments-dlt exist with no records\n");
    }
    s.push_str(&format!(
        "\ntry, from another shell:\n\
         \x20 export KAFKAOPS_BROKERS={address}\n\
         \x20 kafkaops dlq triage --topic payments-dlt\n\
         \x20 kafkaops lag --group payments-service --group fulfilment --group analytics\n\
         \x20 kafkaops topic describe --topic orders\n\
         \x20 kcat -b {address} -L\n\
         \nthis broker has no ListGroups and no offsets-for-times: kafkaops says so and falls back.\n\
         Ctrl-C stops it.\n"
    ));
    s
}

pub async fn run(req: SandboxRequest, ctx: &Context) -> Result<ExitCode> {
    let mut sandbox = Sandbox::start(req.listen, req.seed, &ctx.out, ctx.now).await?;
    for (name, partitions) in &req.extra_topics {
        sandbox.create_topic(name, *partitions)?;
    }
    // Register for SIGINT/SIGTERM before announcing the address: a script that reads the
    // banner and stops us at once must get a clean stop, not the default signal death.
    let stop = Stop::install();
    ctx.out.write_stdout(&banner(
        &sandbox.address,
        req.seed == Seed::Incident,
        &ctx.out,
    ))?;
    if !req.live {
        return Ok(ExitCode::Success);
    }
    let mut ticker = tokio::time::interval(Duration::from_secs(1));
    ticker.tick().await;
    loop {
        tokio::select! {
            _ = stop.wait() => {
                ctx.out.note("sandbox stopped");
                return Ok(ExitCode::Success);
            }
            _ = ticker.tick() => {
                if let Err(e) = sandbox.traffic_tick(chrono::Utc::now()).await {
                    ctx.out.warn(&format!("live traffic paused: {e}"));
                }
            }
        }
    }
}
