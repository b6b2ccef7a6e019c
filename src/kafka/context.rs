//! A librdkafka client context that keeps the last error librdkafka reported
//! (e.g. "Connect to ipv4#127.0.0.1:9 failed: Connection refused"), so a timeout
//! can be explained, and keeps librdkafka's own log lines off the user's terminal
//! unless `KAFKAOPS_DEBUG` is set.

use std::sync::Mutex;

use rdkafka::client::ClientContext;
use rdkafka::config::RDKafkaLogLevel;
use rdkafka::consumer::ConsumerContext;
use rdkafka::error::KafkaError;

#[derive(Default)]
pub struct KafkaContext {
    last_error: Mutex<Option<String>>,
}

impl KafkaContext {
    pub fn last_error(&self) -> Option<String> {
        self.last_error.lock().ok().and_then(|g| g.clone())
    }

    fn record(&self, text: String) {
        if let Ok(mut g) = self.last_error.lock() {
            *g = Some(text);
        }
    }
}

fn debug_enabled() -> bool {
    std::env::var_os("KAFKAOPS_DEBUG").is_some_and(|v| !v.is_empty())
}

impl ClientContext for KafkaContext {
    fn log(&self, level: RDKafkaLogLevel, fac: &str, message: &str) {
        if debug_enabled() {
            eprintln!("librdkafka {level:?} {fac}: {message}");
        }
        if matches!(
            level,
            RDKafkaLogLevel::Error
                | RDKafkaLogLevel::Critical
                | RDKafkaLogLevel::Alert
                | RDKafkaLogLevel::Emerg
        ) {
            self.record(message.to_string());
        }
    }

    fn error(&self, error: KafkaError, reason: &str) {
        if debug_enabled() {
            eprintln!("librdkafka error: {error}: {reason}");
        }
        self.record(reason.to_string());
    }
}

impl ConsumerContext for KafkaContext {}
