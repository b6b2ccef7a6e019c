//! What a scrape sees: each source's last complete figures and its health, and
//! the exposition rendered from them. A source's figures are replaced whole
//! when its collection completes; the text is rendered then and swapped in
//! as shared [`Bytes`], so a scrape sends it without copying it (at 1,000
//! groups x 48 partitions it is 26 MB) and never waits on a collection, let
//! alone a broker.
//!
//! A failed collection drops that source's figures (Prometheus marks them
//! stale, as for a target that is down) and sets its `up` gauge to 0 and counts
//! an error: lag the exporter cannot see is absent, never 0 and never a stale
//! value that looks current.

use std::sync::{Mutex, RwLock};

use axum::body::Bytes;

use chrono::{DateTime, Utc};

use super::ServeRequest;
use crate::dlq::triage::TriageReport;
use crate::lag::model::GroupLag;
use crate::lag::prometheus::{exposition, float, merge, Family};

/// The figures of one source.
pub enum Figures {
    Lag(Vec<GroupLag>),
    Dlq(Box<TriageReport>),
}

/// Health and figures of one source (`lag`, or one DLQ topic).
pub struct Source {
    /// `None` for lag; the topic for a DLQ.
    pub topic: Option<String>,
    pub figures: Option<Figures>,
    pub up: bool,
    pub last_success: Option<DateTime<Utc>>,
    pub last_duration: Option<f64>,
    pub collections: u64,
    pub errors: u64,
    pub last_error: Option<String>,
}

impl Source {
    pub fn label(&self) -> String {
        match &self.topic {
            None => "lag".into(),
            Some(t) => format!("dlq {t}"),
        }
    }
}

pub struct Board {
    pub started: DateTime<Utc>,
    pub interval: std::time::Duration,
    sources: Mutex<Vec<Source>>,
    text: RwLock<Bytes>,
}

impl Board {
    pub fn new(req: &ServeRequest, started: DateTime<Utc>) -> Board {
        let topics = req
            .lag
            .as_ref()
            .map(|_| None)
            .into_iter()
            .chain(req.dlq.iter().map(|d| Some(d.topic.clone())));
        let sources = topics
            .map(|topic| Source {
                topic,
                figures: None,
                up: false,
                last_success: None,
                last_duration: None,
                collections: 0,
                errors: 0,
                last_error: None,
            })
            .collect();
        let b = Board {
            started,
            interval: req.interval,
            sources: Mutex::new(sources),
            text: RwLock::new(Bytes::new()),
        };
        b.publish(&b.sources.lock().expect("not poisoned"));
        b
    }

    /// The exposition of the last complete figures.
    pub fn metrics(&self) -> Bytes {
        self.text.read().expect("not poisoned").clone()
    }

    /// Look at every source (the index page, `/healthz`).
    pub fn with_sources<T>(&self, f: impl FnOnce(&[Source]) -> T) -> T {
        f(&self.sources.lock().expect("not poisoned"))
    }

    /// Record the outcome of one collection of source `i` and publish.
    pub fn record(
        &self,
        i: usize,
        outcome: std::result::Result<Figures, String>,
        took: f64,
        at: DateTime<Utc>,
    ) {
        let mut sources = self.sources.lock().expect("not poisoned");
        let s = &mut sources[i];
        s.collections += 1;
        s.last_duration = Some(took);
        match outcome {
            Ok(f) => {
                s.figures = Some(f);
                s.up = true;
                s.last_success = Some(at);
                s.last_error = None;
            }
            Err(e) => {
                s.figures = None;
                s.up = false;
                s.errors += 1;
                s.last_error = Some(e);
            }
        }
        self.publish(&sources);
    }

    fn publish(&self, sources: &[Source]) {
        let text = Bytes::from(render(sources));
        *self.text.write().expect("not poisoned") = text;
    }
}

/// The exposition: health per source, then the figures of `lag -o prometheus`
/// and `dlq triage -o prometheus` under the same names.
pub fn render(sources: &[Source]) -> String {
    let mut lag_up = Family::new(
        "kafkaops_lag_up",
        "1 when the last lag collection completed; 0 while it fails (its figures are then absent).",
    );
    let mut lag_last = Family::new(
        "kafkaops_lag_last_success_timestamp_seconds",
        "When the lag figures served were collected (Unix time).",
    );
    let mut dlq_up = Family::new(
        "kafkaops_dlq_up",
        "1 when the last collection of the dead-letter topic completed; 0 while it fails.",
    );
    let mut dlq_last = Family::new(
        "kafkaops_dlq_last_success_timestamp_seconds",
        "Unix time of the last complete triage of the topic.",
    );
    let mut duration = Family::new(
        "kafkaops_collection_duration_seconds",
        "How long the last collection of the source took.",
    );
    let mut collections = Family::counter(
        "kafkaops_collections_total",
        "Collections of the source since the exporter started.",
    );
    let mut errors = Family::counter(
        "kafkaops_collection_errors_total",
        "Collections of the source that failed since the exporter started.",
    );
    let mut lag_figures = Vec::new();
    let mut dlq_figures = Vec::new();
    for s in sources {
        let source: Vec<(&str, &str)> = match &s.topic {
            None => vec![("source", "lag")],
            Some(t) => vec![("source", "dlq"), ("topic", t.as_str())],
        };
        let (up, last) = match s.topic {
            None => (&mut lag_up, &mut lag_last),
            Some(_) => (&mut dlq_up, &mut dlq_last),
        };
        let topic = &source[1..];
        up.push(topic, (s.up as u8).to_string());
        if let Some(at) = s.last_success {
            last.push(topic, float(at.timestamp_millis() as f64 / 1000.0));
        }
        if let Some(d) = s.last_duration {
            duration.push(&source, float(d));
        }
        collections.push(&source, s.collections.to_string());
        errors.push(&source, s.errors.to_string());
        match &s.figures {
            Some(Figures::Lag(groups)) => {
                lag_figures.push(crate::lag::prometheus::families(groups))
            }
            Some(Figures::Dlq(r)) => dlq_figures.push(crate::dlq::prometheus::families(r)),
            None => {}
        }
    }
    // A family without samples (lag's under `--no-lag`, the DLQ's without
    // `--dlq-topic`, a last success not yet had) is left out, HELP and TYPE too.
    let health: Vec<Family> = [
        lag_up,
        lag_last,
        dlq_up,
        dlq_last,
        duration,
        collections,
        errors,
    ]
    .into_iter()
    .filter(|f| !f.is_empty())
    .collect();
    exposition(merge(
        std::iter::once(health)
            .chain(lag_figures)
            .chain(dlq_figures),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source(topic: Option<&str>) -> Source {
        Source {
            topic: topic.map(String::from),
            figures: None,
            up: false,
            last_success: None,
            last_duration: None,
            collections: 0,
            errors: 0,
            last_error: None,
        }
    }

    #[test]
    fn families_of_a_source_not_served_are_left_out() {
        let dlq_only = render(&[source(Some("orders.DLT"))]);
        assert!(dlq_only.contains("kafkaops_dlq_up{topic=\"orders.DLT\"} 0"));
        assert!(!dlq_only.contains("kafkaops_lag_"), "{dlq_only}");
        // Not yet collected: no last-success line, and no HELP or TYPE for it.
        assert!(
            !dlq_only.contains("kafkaops_dlq_last_success"),
            "{dlq_only}"
        );

        let mut lag = source(None);
        lag.up = true;
        lag.last_success = Some(Utc::now());
        let both = render(&[lag, source(Some("orders.DLT"))]);
        assert!(
            both.contains("# TYPE kafkaops_lag_up gauge\nkafkaops_lag_up 1\n"),
            "{both}"
        );
        assert!(both.contains("kafkaops_lag_last_success_timestamp_seconds "));
        for line in both.lines().filter(|l| l.starts_with("# TYPE ")) {
            let name = line.split(' ').nth(2).unwrap();
            assert!(
                both.lines()
                    .any(|l| l.starts_with(name) && !l.starts_with('#')),
                "{name} has a TYPE and no sample"
            );
        }
    }
}
