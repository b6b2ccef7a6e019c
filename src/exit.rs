//! Process exit codes. This is the one place they are named; the README and the
//! man page (`kafkaops --help` epilogue) document the same table.

/// Exit status of a `kafkaops` invocation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExitCode {
    /// The command did what was asked and found nothing wrong.
    Success,
    /// A check ran and found a problem: threshold breached, SLA missed, verification
    /// mismatch, or a lag gate could not see a group or partition (no commits).
    CheckFailed,
    /// Usage error or bad input (flags, files, times, ranges, unknown topics).
    Usage,
    /// Broker, connectivity, timeout, authentication/TLS or authorisation error.
    Broker,
    /// Work started but did not complete (partial replay, aborted); resumable where stated.
    Incomplete,
    /// Interrupted by Ctrl-C after leaving a consistent state behind.
    Interrupted,
}

impl ExitCode {
    pub const fn code(self) -> i32 {
        match self {
            ExitCode::Success => 0,
            ExitCode::CheckFailed => 1,
            ExitCode::Usage => 2,
            ExitCode::Broker => 3,
            ExitCode::Incomplete => 4,
            ExitCode::Interrupted => 130,
        }
    }
}

/// The table shown in `--help` and rendered into the man page.
pub const EXIT_CODES_HELP: &str = "\
Exit codes:
  0    success
  1    a check found a problem (threshold breached, SLA missed, verification mismatch,
       a lag gate on a group or partition without committed offsets)
  2    usage error or bad input (flags, config, times, ranges, unknown topics, files)
  3    broker, connectivity, timeout, authentication/TLS or authorisation error
  4    work started but did not complete (partial replay, aborted); see `replay resume`
  130  interrupted by Ctrl-C after leaving a consistent state";

impl From<ExitCode> for std::process::ExitCode {
    fn from(code: ExitCode) -> Self {
        std::process::ExitCode::from(code.code() as u8)
    }
}
