//! Why the brokers refused a connection, read from librdkafka's own words. A wrong
//! password, an unsupported SASL mechanism, a client speaking the wrong protocol to
//! a listener and a TLS handshake failure all end in "all brokers are down" or a
//! timeout; librdkafka says the real cause only in a log line or error event (kept
//! by [`super::KafkaContext`]). [`Refusal::parse`] names it, and [`Refusal::error`]
//! turns it into the error and the hint that name the setting to fix, so that none
//! of them is reported as "cannot reach the brokers".

use crate::error::Error;

/// What the brokers refused, from the client's side of the handshake.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// SASL authentication failed: wrong user name or password (or an unknown user).
    Credentials,
    /// The broker does not enable the SASL mechanism the client asked for.
    Mechanism { offered: Option<String> },
    /// The client spoke SASL to a listener without SASL (PLAINTEXT or SSL).
    SaslNotEnabled,
    /// The client did not authenticate and the listener requires SASL.
    SaslRequired,
    /// The client spoke plain Kafka to a listener that expects TLS.
    TlsExpected,
    /// The client started TLS with a listener that does not speak it.
    TlsNotSpoken,
    /// The TLS handshake failed: the broker's certificate could not be verified, or
    /// the client's own certificate was refused.
    Tls,
    /// Another SASL failure librdkafka reported.
    Sasl,
}

/// How the client connects (`security.protocol`): whether it starts with TLS and
/// whether it authenticates with SASL. A listener that closes the connection says
/// nothing else, so what the client spoke decides what the listener expected.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Protocol {
    pub tls: bool,
    pub sasl: bool,
}

impl Protocol {
    pub fn from_setting(security_protocol: Option<&str>) -> Protocol {
        let p = security_protocol
            .unwrap_or("plaintext")
            .to_ascii_lowercase();
        Protocol {
            tls: p.ends_with("ssl"),
            sasl: p.starts_with("sasl"),
        }
    }
}

/// A listener that closed the connection this soon after it came up refused the
/// client (a refusing listener closes within milliseconds of the first request it
/// cannot accept); later, it may have been an idle reap, a restart or an outage.
const CLOSED_AT_ONCE_MS: u64 = 1_000;

/// Whether librdkafka says the broker closed the connection: "connection closed by
/// peer" when it was reading, "Broken pipe" or "Connection reset by peer" when it
/// was sending (which one depends on timing).
pub fn closed_by_broker(text: &str) -> bool {
    ["closed by peer", "Broken pipe", "Connection reset by peer"]
        .iter()
        .any(|t| text.contains(t))
}

/// "closed by peer ... (after 3ms in state APIVERSION_QUERY)": the state the
/// connection was in, if it was closed by the broker within [`CLOSED_AT_ONCE_MS`].
fn closed_at_once_in(text: &str) -> Option<&str> {
    if !closed_by_broker(text) {
        return None;
    }
    let (_, after) = text.rsplit_once("(after ")?;
    let (ms, rest) = after.split_once("ms in state ")?;
    let ms: u64 = ms.trim().parse().ok()?;
    let state = rest.split([')', ',']).next()?.trim();
    (ms < CLOSED_AT_ONCE_MS).then_some(state)
}

impl Refusal {
    /// Whether a librdkafka log line or error text may report a refused handshake
    /// (for some client protocol): worth keeping until a call fails.
    pub fn is_refusal_text(text: &str) -> bool {
        let any = [
            Protocol {
                tls: false,
                sasl: false,
            },
            Protocol {
                tls: true,
                sasl: true,
            },
        ];
        any.iter().any(|p| Refusal::parse(text, *p).is_some())
    }

    /// The refusal a librdkafka text reports to a client speaking `protocol`.
    pub fn parse(text: &str, protocol: Protocol) -> Option<Refusal> {
        match closed_at_once_in(text) {
            // The first request (ApiVersions) went unanswered: a TLS listener
            // cannot read it. (librdkafka 2.12 no longer says so itself.)
            Some("APIVERSION_QUERY") if !protocol.tls => return Some(Refusal::TlsExpected),
            // A SASL listener answers ApiVersions, then closes on the first request
            // of a client that did not authenticate.
            Some("UP") if !protocol.sasl => return Some(Refusal::SaslRequired),
            _ => {}
        }
        if text.contains("Unsupported SASL mechanism") {
            let offered = text
                .split_once("broker's supported mechanisms: ")
                .map(|(_, rest)| {
                    rest.split(" (after")
                        .next()
                        .unwrap_or(rest)
                        .trim()
                        .to_string()
                })
                .filter(|m| !m.is_empty());
            return Some(Refusal::Mechanism { offered });
        }
        if text.contains("not valid in current SASL state") || text.contains("Illegal SASL state") {
            return Some(Refusal::SaslNotEnabled);
        }
        if text.contains("SASL authentication error") || text.contains("Authentication failed") {
            return Some(Refusal::Credentials);
        }
        if text.contains("broker might require SASL authentication") {
            return Some(Refusal::SaslRequired);
        }
        if text.contains("connecting to a SSL listener?") {
            return Some(Refusal::TlsExpected);
        }
        if text.contains("connecting to a PLAINTEXT broker listener?") {
            return Some(Refusal::TlsNotSpoken);
        }
        if text.contains("SSL handshake failed") {
            return Some(Refusal::Tls);
        }
        if text.contains("SASL") && text.contains("failed") {
            return Some(Refusal::Sasl);
        }
        None
    }

    /// The error for a call (`what`) the refusal made fail; `text` is librdkafka's
    /// (it names the mechanism and the user, never the password).
    pub fn error(&self, brokers: &str, what: &str, text: &str) -> Error {
        // librdkafka prefixes its log lines with the thread that wrote them.
        let text = match text.strip_prefix("[thrd:") {
            Some(rest) => rest.split_once("]: ").map_or(text, |(_, t)| t),
            None => text,
        };
        const WHERE: &str = "(-X, -F or the profile)";
        let (message, hint) = match self {
            Refusal::Credentials | Refusal::Sasl => (
                format!("authentication to {brokers} failed while trying to {what}"),
                format!("check sasl.username and sasl.password, and sasl.mechanism {WHERE}"),
            ),
            Refusal::Mechanism { offered } => (
                format!(
                    "the brokers at {brokers} do not accept this SASL mechanism{} (trying to {what})",
                    offered
                        .as_deref()
                        .map(|m| format!("; they offer {m}"))
                        .unwrap_or_default()
                ),
                match offered {
                    Some(m) => {
                        let first = m.split([',', ' ']).find(|s| !s.is_empty()).unwrap_or(m);
                        format!("set sasl.mechanism={first} {WHERE}")
                    }
                    None => format!("set sasl.mechanism to one the brokers enable {WHERE}"),
                },
            ),
            Refusal::SaslNotEnabled => (
                format!(
                    "the listener at {brokers} does not speak SASL (trying to {what})"
                ),
                format!(
                    "this port is a PLAINTEXT or SSL listener: use the brokers' SASL port, or set security.protocol to PLAINTEXT or SSL {WHERE}"
                ),
            ),
            Refusal::SaslRequired => (
                format!(
                    "the brokers at {brokers} require SASL authentication: they closed the connection to this unauthenticated client (trying to {what})"
                ),
                format!(
                    "set security.protocol=SASL_PLAINTEXT (or SASL_SSL) with sasl.mechanism, sasl.username and sasl.password {WHERE}"
                ),
            ),
            Refusal::TlsExpected => (
                format!(
                    "the listener at {brokers} expects TLS: it closed the connection at the first request (trying to {what})"
                ),
                format!(
                    "set security.protocol=SSL (or SASL_SSL) and ssl.ca.location, or use the brokers' PLAINTEXT port {WHERE}"
                ),
            ),
            Refusal::TlsNotSpoken => (
                format!(
                    "the TLS handshake with {brokers} failed: the listener does not speak TLS (trying to {what})"
                ),
                format!(
                    "set security.protocol to PLAINTEXT or SASL_PLAINTEXT to match this port, or use the brokers' SSL port {WHERE}"
                ),
            ),
            Refusal::Tls => (
                format!("the TLS handshake with {brokers} failed while trying to {what}"),
                format!(
                    "check ssl.ca.location (the CA that signed the brokers' certificates) and security.protocol {WHERE}"
                ),
            ),
        };
        Error::Auth {
            message: format!("{message} ({text})"),
            hint: Some(hint),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PLAIN: Protocol = Protocol {
        tls: false,
        sasl: false,
    };
    const SASL: Protocol = Protocol {
        tls: false,
        sasl: true,
    };

    /// librdkafka 2.12's words for each case, as seen against Apache Kafka 4.4.
    const CASES: &[(&str, Refusal)] = &[
        (
            "sasl_plaintext://127.0.0.1:1/bootstrap: SASL authentication error: Authentication failed during authentication due to invalid credentials with SASL mechanism SCRAM-SHA-512 (after 333ms in state AUTH_REQ)",
            Refusal::Credentials,
        ),
        (
            "[thrd:127.0.0.1:1/bootstrap]: 127.0.0.1:1/bootstrap: Disconnected: verify that security.protocol is correctly configured, broker might require SASL authentication (after 1ms in state UP)",
            Refusal::SaslRequired,
        ),
        (
            "127.0.0.1:1/bootstrap: Disconnected while requesting ApiVersion: might be caused by incorrect security.protocol configuration (connecting to a SSL listener?) or broker version is < 0.10 (see api.version.request) (after 3ms in state APIVERSION_QUERY)",
            Refusal::TlsExpected,
        ),
        (
            "sasl_plaintext://127.0.0.1:1/bootstrap: SASL SCRAM-SHA-512 mechanism handshake failed: Broker: Request not valid in current SASL state: broker's supported mechanisms:  (after 2ms in state AUTH_HANDSHAKE)",
            Refusal::SaslNotEnabled,
        ),
        (
            "ssl://127.0.0.1:1/bootstrap: SSL handshake failed: Disconnected: SSL connection closed by peer: connecting to a PLAINTEXT broker listener? (after 103ms in state SSL_HANDSHAKE)",
            Refusal::TlsNotSpoken,
        ),
        (
            "ssl://127.0.0.1:1/bootstrap: SSL handshake failed: error:0A000086:SSL routines::certificate verify failed: broker certificate could not be verified (after 66ms in state SSL_HANDSHAKE)",
            Refusal::Tls,
        ),
    ];

    #[test]
    fn each_refusal_is_recognised() {
        for (text, want) in CASES {
            assert_eq!(Refusal::parse(text, PLAIN).as_ref(), Some(want), "{text}");
        }
        let mechanism = "sasl_plaintext://127.0.0.1:1/bootstrap: SASL PLAIN mechanism handshake failed: Broker: Unsupported SASL mechanism: broker's supported mechanisms: SCRAM-SHA-512 (after 301ms in state AUTH_HANDSHAKE)";
        assert_eq!(
            Refusal::parse(mechanism, SASL),
            Some(Refusal::Mechanism {
                offered: Some("SCRAM-SHA-512".into())
            })
        );
        assert_eq!(
            Refusal::parse(
                "Connect to ipv4#127.0.0.1:9 failed: Connection refused",
                PLAIN
            ),
            None,
            "a broker that is down is not a refusal"
        );
        assert_eq!(Refusal::parse("1/1 brokers are down", PLAIN), None);
    }

    /// librdkafka 2.12 says only "closed by peer"; the client's protocol and the
    /// connection's state tell which listener it was.
    #[test]
    fn a_listener_closing_at_once_is_told_by_the_clients_protocol() {
        let at_first_request = "127.0.0.1:1/bootstrap: Disconnected: connection closed by peer: receive 0 after POLLIN (after 1ms in state APIVERSION_QUERY)";
        let once_up = "[thrd:127.0.0.1:1/bootstrap]: 127.0.0.1:1/bootstrap: Disconnected: connection closed by peer: receive 0 after POLLIN (after 0ms in state UP, 1 identical error(s) suppressed)";
        assert_eq!(
            Refusal::parse(at_first_request, PLAIN),
            Some(Refusal::TlsExpected)
        );
        assert_eq!(
            Refusal::parse(at_first_request, SASL),
            Some(Refusal::TlsExpected),
            "SASL_PLAINTEXT to a TLS listener"
        );
        assert_eq!(Refusal::parse(once_up, PLAIN), Some(Refusal::SaslRequired));
        let sending = "[thrd:127.0.0.1:1/bootstrap]: 127.0.0.1:1/bootstrap: Send failed: Broken pipe (after 0ms in state UP)";
        assert_eq!(Refusal::parse(sending, PLAIN), Some(Refusal::SaslRequired));
        assert_eq!(Refusal::parse(once_up, SASL), None, "it did authenticate");
        let idle = once_up.replace("after 0ms", "after 600000ms");
        assert_eq!(Refusal::parse(&idle, PLAIN), None, "an idle reap");
        let outage = once_up.replace("after 0ms", "after 2500ms");
        assert_eq!(Refusal::parse(&outage, PLAIN), None, "a broker going down");
        assert!(Refusal::is_refusal_text(once_up));
        assert_eq!(
            Protocol::from_setting(Some("SASL_SSL")),
            Protocol {
                tls: true,
                sasl: true
            }
        );
        assert_eq!(Protocol::from_setting(None), PLAIN);
    }

    #[test]
    fn each_refusal_names_its_setting_and_never_says_unreachable() {
        let want = [
            "sasl.password",
            "security.protocol=SASL_PLAINTEXT",
            "security.protocol=SSL",
            "PLAINTEXT or SSL",
            "PLAINTEXT or SASL_PLAINTEXT",
            "ssl.ca.location",
        ];
        for ((text, refusal), needle) in CASES.iter().zip(want) {
            let e = refusal.error("b:1", "fetch metadata", text);
            let hint = e.hint().unwrap();
            assert!(hint.contains(needle), "{refusal:?}: {hint}");
            assert!(!e.to_string().contains("cannot reach"), "{e}");
            assert!(!e.to_string().contains("[thrd:"), "{e}");
            assert_eq!(e.exit_code(), crate::exit::ExitCode::Broker);
        }
        let e = Refusal::Mechanism {
            offered: Some("SCRAM-SHA-512".into()),
        }
        .error("b:1", "fetch metadata", "x");
        assert!(e.to_string().contains("they offer SCRAM-SHA-512"), "{e}");
        assert_eq!(
            e.hint(),
            Some("set sasl.mechanism=SCRAM-SHA-512 (-X, -F or the profile)")
        );
    }
}
