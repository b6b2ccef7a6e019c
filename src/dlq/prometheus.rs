//! `dlq triage -o prometheus`: the triage report as gauges for the
//! node_exporter textfile collector (format helpers shared with `lag`). Per
//! category and per action: records, open and handled records, oldest ages (and
//! per category the records kafkaops already redriven, and the most redrives); per
//! topic: totals, `kafkaops_dlq_up` and the time of this successful run. A run
//! that fails writes nothing (with `--out` the previous file stays), so alert
//! on `time() - kafkaops_dlq_last_success_timestamp_seconds` for staleness.
//! Unknown ages are left out, never written as 0.

use chrono::{DateTime, Utc};

use super::triage::TriageReport;
use crate::lag::prometheus::{exposition, float, Family};

fn secs(ms: u64) -> String {
    float(ms as f64 / 1000.0)
}

pub fn render(r: &TriageReport, now: DateTime<Utc>) -> String {
    let mut up = Family::new(
        "kafkaops_dlq_up",
        "1 when the dead-letter topic was read completely by this run.",
    );
    let mut last_success = Family::new(
        "kafkaops_dlq_last_success_timestamp_seconds",
        "Unix time of the last complete triage of the topic.",
    );
    let t = [("topic", r.topic.as_str())];
    up.push(&t, (!r.scan.counts.interrupted as u8).to_string());
    last_success.push(&t, float(now.timestamp_millis() as f64 / 1000.0));
    exposition([up, last_success].into_iter().chain(families(r)))
}

/// The figures of one report (without the up and last-success gauges, which
/// `serve` keeps per collection).
pub(crate) fn families(r: &TriageReport) -> Vec<Family> {
    let mut marks_trusted = Family::new(
        "kafkaops_dlq_marks_trusted",
        "1 when the audit log verified and its handled marks were applied; 0 counts every record as open.",
    );
    let mut records = Family::new(
        "kafkaops_dlq_records",
        "Records in the dead-letter topic (in the triaged range).",
    );
    let mut open = Family::new(
        "kafkaops_dlq_open_records",
        "Records no handled mark covers.",
    );
    let mut oldest_open = Family::new(
        "kafkaops_dlq_oldest_open_age_seconds",
        "Age of the oldest open record.",
    );
    let mut cat_info = Family::new(
        "kafkaops_dlq_category_info",
        "Always 1: the category's most common exception and original topic, as labels.",
    );
    let mut cat_records = Family::new(
        "kafkaops_dlq_category_records",
        "Records of the failure category.",
    );
    let mut cat_open = Family::new(
        "kafkaops_dlq_category_open_records",
        "Open records of the failure category.",
    );
    let mut cat_handled = Family::new(
        "kafkaops_dlq_category_handled_records",
        "Records of the failure category covered by a handled mark.",
    );
    let mut cat_oldest = Family::new(
        "kafkaops_dlq_category_oldest_age_seconds",
        "Age of the category's oldest record.",
    );
    let mut cat_oldest_open = Family::new(
        "kafkaops_dlq_category_oldest_open_age_seconds",
        "Age of the category's oldest open record.",
    );
    let mut cat_redriven = Family::new(
        "kafkaops_dlq_category_redriven_records",
        "Records of the failure category that kafkaops already redriven at least once (they failed again).",
    );
    let mut cat_max_redrives = Family::new(
        "kafkaops_dlq_category_max_redrives",
        "Most redrives of one record of the failure category.",
    );
    let mut cat_breached = Family::new(
        "kafkaops_dlq_category_sla_breached",
        "1 when the category's oldest open record is older than --sla.",
    );
    let mut act_categories = Family::new(
        "kafkaops_dlq_action_categories",
        "Categories decided for the action by the rules (unreviewed without a rule).",
    );
    let mut act_records = Family::new(
        "kafkaops_dlq_action_records",
        "Records of the categories decided for the action.",
    );
    let mut act_open = Family::new(
        "kafkaops_dlq_action_open_records",
        "Open records of the categories decided for the action.",
    );
    let mut act_handled = Family::new(
        "kafkaops_dlq_action_handled_records",
        "Handled records of the categories decided for the action.",
    );

    let t = [("topic", r.topic.as_str())];
    marks_trusted.push(&t, (r.marks.trusted as u8).to_string());
    records.push(&t, r.records.to_string());
    open.push(&t, r.open.to_string());
    let oldest = r
        .categories
        .iter()
        .filter_map(|c| c.oldest_open_age_ms)
        .max();
    if let Some(a) = oldest {
        oldest_open.push(&t, secs(a));
    }
    for c in &r.categories {
        let l = [
            ("topic", r.topic.as_str()),
            ("category", c.id.as_str()),
            ("action", c.action.as_str()),
        ];
        let original = c.original_topics.first().map(|o| o.value.as_str());
        cat_info.push(
            &[
                ("topic", r.topic.as_str()),
                ("category", c.id.as_str()),
                ("action", c.action.as_str()),
                ("exception", c.exception.as_deref().unwrap_or("")),
                ("original_topic", original.unwrap_or("")),
            ],
            "1".into(),
        );
        cat_records.push(&l, c.records.to_string());
        cat_open.push(&l, c.open.to_string());
        cat_handled.push(&l, c.handled.to_string());
        cat_redriven.push(&l, c.redriven.to_string());
        cat_max_redrives.push(&l, c.max_redrives.to_string());
        if let Some(a) = c.oldest_age_ms {
            cat_oldest.push(&l, secs(a));
        }
        if let Some(a) = c.oldest_open_age_ms {
            cat_oldest_open.push(&l, secs(a));
        }
        if let Some(b) = c.sla_breached {
            cat_breached.push(&l, (b as u8).to_string());
        }
    }
    for a in &r.actions {
        let l = [("topic", r.topic.as_str()), ("action", a.action.as_str())];
        act_categories.push(&l, a.categories.to_string());
        act_records.push(&l, a.records.to_string());
        act_open.push(&l, a.open.to_string());
        act_handled.push(&l, a.handled.to_string());
    }
    vec![
        marks_trusted,
        records,
        open,
        oldest_open,
        cat_records,
        cat_open,
        cat_handled,
        cat_redriven,
        cat_max_redrives,
        cat_oldest,
        cat_oldest_open,
        cat_breached,
        act_categories,
        act_records,
        act_open,
        act_handled,
        cat_info,
    ]
}
