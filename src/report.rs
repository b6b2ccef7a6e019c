//! How a failed command is reported: `error: ...`, its causes, and a hint, on stderr.

use std::error::Error as _;
use std::io::IsTerminal;

use crate::error::Error;
use crate::exit::ExitCode;
use crate::output::{paint_if, Style};

/// Print the error chain and return the exit code it maps to.
pub fn print_error(err: &Error) -> ExitCode {
    if matches!(err, Error::BrokenPipe) {
        return ExitCode::Success;
    }
    let color = std::io::stderr().is_terminal()
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    eprintln!("{} {err}", paint_if(color, "error:", Style::Red));
    let mut source = err.source();
    while let Some(cause) = source {
        eprintln!("  caused by: {cause}");
        source = cause.source();
    }
    if let Some(hint) = err.hint() {
        eprintln!("  {} {hint}", paint_if(color, "hint:", Style::Green));
    }
    err.exit_code()
}
