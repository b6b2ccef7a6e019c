//! A librdkafka client context that keeps the last error librdkafka reported
//! (e.g. "Connect to ipv4#127.0.0.1:9 failed: Connection refused"), so a timeout
//! can be explained, and the last authentication or TLS failure apart from it: a
//! rejected password is followed by "1/1 brokers are down", which would otherwise
//! hide the real cause. It keeps librdkafka's own log lines off the user's terminal
//! unless `KAFKAOPS_DEBUG` is set.

use std::sync::Mutex;

use rdkafka::client::ClientContext;
use rdkafka::config::RDKafkaLogLevel;
use rdkafka::consumer::ConsumerContext;
use rdkafka::error::KafkaError;
use rdkafka::types::RDKafkaErrorCode;

#[derive(Default)]
pub struct KafkaContext {
    last_error: Mutex<Option<String>>,
    auth_failure: Mutex<Option<String>>,
}

impl KafkaContext {
    pub fn last_error(&self) -> Option<String> {
        self.last_error.lock().ok().and_then(|g| g.clone())
    }

    /// The last SASL authentication or TLS handshake failure librdkafka reported.
    pub fn auth_failure(&self) -> Option<String> {
        self.auth_failure.lock().ok().and_then(|g| g.clone())
    }

    fn record(&self, text: String) {
        if let Ok(mut g) = self.last_error.lock() {
            *g = Some(text);
        }
    }

    fn record_auth_failure(&self, text: &str) {
        if let Ok(mut g) = self.auth_failure.lock() {
            *g = Some(text.to_string());
        }
    }
}

/// Whether a librdkafka log line reports a refused handshake (its error events say
/// the same, but they are queued behind the call that failed, while log lines of
/// the same failure are not always; a client speaking the wrong protocol to a
/// listener is told only in a warning or info line).
fn is_auth_failure_text(message: &str) -> bool {
    super::refusal::Refusal::is_refusal_text(message)
}

fn debug_enabled() -> bool {
    std::env::var_os("KAFKAOPS_DEBUG").is_some_and(|v| !v.is_empty())
}

impl ClientContext for KafkaContext {
    fn log(&self, level: RDKafkaLogLevel, fac: &str, message: &str) {
        if debug_enabled() {
            crate::output::stderr_line(&format!("librdkafka {level:?} {fac}: {message}"));
        }
        if is_auth_failure_text(message) {
            self.record_auth_failure(message);
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
            crate::output::stderr_line(&format!("librdkafka error: {error}: {reason}"));
        }
        let auth = matches!(
            error.rdkafka_error_code(),
            Some(RDKafkaErrorCode::Authentication | RDKafkaErrorCode::SSL)
        );
        if auth || is_auth_failure_text(reason) {
            self.record_auth_failure(reason);
        }
        self.record(reason.to_string());
    }
}

impl ConsumerContext for KafkaContext {}
