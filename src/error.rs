//! Errors a user can act on. Every variant maps to one exit code and may carry a
//! hint that names the flag or the fix. Messages are lowercase fragments that read
//! after "error: ". Never put secret values into a message. [`print_error`] is how
//! `main` shows one: `error: ...`, its causes, and the hint, on stderr.

use std::error::Error as _;
use std::io::IsTerminal;
use std::path::PathBuf;

use crate::exit::ExitCode;
use crate::output::escape::escape_lines;
use crate::output::{paint_if, Style};

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Bad flags, bad values, bad input files, inverted ranges. Exit 2.
    #[error("{message}")]
    Usage {
        message: String,
        hint: Option<String>,
    },
    /// The connection configuration (profile file, -F file, -X pairs, env references). Exit 2.
    #[error("{message}")]
    Config {
        message: String,
        hint: Option<String>,
    },
    /// A topic named by the user does not exist on the cluster. Exit 2.
    #[error("topic '{topic}' does not exist on the cluster")]
    UnknownTopic { topic: String, hint: Option<String> },
    /// Brokers unreachable, timed out, or answered with an error. Exit 3.
    #[error("{message}")]
    Broker {
        message: String,
        hint: Option<String>,
    },
    /// Authentication or authorisation refused. Exit 3.
    #[error("{message}")]
    Auth {
        message: String,
        hint: Option<String>,
    },
    /// The broker does not implement an API the command needs. Exit 3.
    #[error("the broker does not support {api}: {detail}")]
    Unsupported {
        api: String,
        detail: String,
        hint: Option<String>,
    },
    /// A check ran and failed (thresholds, SLA, verification). Exit 1.
    #[error("{message}")]
    CheckFailed { message: String },
    /// Work started but did not finish. Exit 4.
    #[error("{message}")]
    Incomplete {
        message: String,
        hint: Option<String>,
    },
    /// Ctrl-C, after a consistent state was left behind. Exit 130.
    #[error("{message}")]
    Interrupted {
        message: String,
        hint: Option<String>,
    },
    /// A local file could not be read or written. Exit 2.
    #[error("cannot {action} {}: {source}", path.display())]
    File {
        action: &'static str,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// stdout was closed by the reader (`| head`): not an error, exit 0 quietly.
    #[error("broken pipe")]
    BrokenPipe,
}

impl Error {
    pub fn usage(message: impl Into<String>) -> Self {
        Error::Usage {
            message: message.into(),
            hint: None,
        }
    }

    pub fn usage_hint(message: impl Into<String>, hint: impl Into<String>) -> Self {
        Error::Usage {
            message: message.into(),
            hint: Some(hint.into()),
        }
    }

    pub fn config(message: impl Into<String>, hint: impl Into<String>) -> Self {
        Error::Config {
            message: message.into(),
            hint: Some(hint.into()),
        }
    }

    pub fn broker(message: impl Into<String>, hint: Option<String>) -> Self {
        Error::Broker {
            message: message.into(),
            hint,
        }
    }

    pub fn check_failed(message: impl Into<String>) -> Self {
        Error::CheckFailed {
            message: message.into(),
        }
    }

    pub fn file(action: &'static str, path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::File {
            action,
            path: path.into(),
            source,
        }
    }

    pub fn exit_code(&self) -> ExitCode {
        match self {
            Error::Usage { .. }
            | Error::Config { .. }
            | Error::UnknownTopic { .. }
            | Error::File { .. } => ExitCode::Usage,
            Error::Broker { .. } | Error::Auth { .. } | Error::Unsupported { .. } => {
                ExitCode::Broker
            }
            Error::CheckFailed { .. } => ExitCode::CheckFailed,
            Error::Incomplete { .. } => ExitCode::Incomplete,
            Error::Interrupted { .. } => ExitCode::Interrupted,
            Error::BrokenPipe => ExitCode::Success,
        }
    }

    pub fn hint(&self) -> Option<&str> {
        match self {
            Error::Usage { hint, .. }
            | Error::Config { hint, .. }
            | Error::UnknownTopic { hint, .. }
            | Error::Broker { hint, .. }
            | Error::Auth { hint, .. }
            | Error::Unsupported { hint, .. }
            | Error::Incomplete { hint, .. }
            | Error::Interrupted { hint, .. } => hint.as_deref(),
            Error::CheckFailed { .. } | Error::File { .. } | Error::BrokenPipe => None,
        }
    }

    /// Attach or replace the hint.
    pub fn with_hint(mut self, new: impl Into<String>) -> Self {
        match &mut self {
            Error::Usage { hint, .. }
            | Error::Config { hint, .. }
            | Error::UnknownTopic { hint, .. }
            | Error::Broker { hint, .. }
            | Error::Auth { hint, .. }
            | Error::Unsupported { hint, .. }
            | Error::Incomplete { hint, .. }
            | Error::Interrupted { hint, .. } => *hint = Some(new.into()),
            Error::CheckFailed { .. } | Error::File { .. } | Error::BrokenPipe => {}
        }
        self
    }
}

/// Print the error chain and return the exit code it maps to.
pub fn print_error(err: &Error) -> ExitCode {
    if matches!(err, Error::BrokenPipe) {
        return ExitCode::Success;
    }
    let color = std::io::stderr().is_terminal()
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    // Messages quote names and text from brokers and records: escaped.
    let shown = |e: &dyn std::fmt::Display| escape_lines(&e.to_string()).into_owned();
    let line = crate::output::stderr_line;
    line(&format!(
        "{} {}",
        paint_if(color, "error:", Style::Red),
        shown(err)
    ));
    let mut source = err.source();
    while let Some(cause) = source {
        line(&format!("  caused by: {}", shown(cause)));
        source = cause.source();
    }
    if let Some(hint) = err.hint() {
        line(&format!(
            "  {} {hint}",
            paint_if(color, "hint:", Style::Green)
        ));
    }
    err.exit_code()
}

/// Map an I/O error on stdout: a closed pipe ends the command quietly.
pub fn stdout_error(err: std::io::Error) -> Error {
    if err.kind() == std::io::ErrorKind::BrokenPipe {
        Error::BrokenPipe
    } else {
        Error::file("write to", "stdout", err)
    }
}
