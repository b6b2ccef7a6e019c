//! Table-driven bad-input checks: a named command line, the exit code it must end
//! with, and the fragments its stderr must hold. A failure names the case, so a table
//! of dozens of refusals still says which one broke.

use std::process::Output;

/// One command line kafkaops must refuse.
pub struct Refusal<'a> {
    /// Names the case in every failure message.
    pub case: &'a str,
    pub args: Vec<&'a str>,
    pub code: i32,
    /// Each of these must appear in stderr.
    pub stderr: Vec<&'a str>,
}

impl Refusal<'_> {
    /// Run `cmd` with this case's arguments and check the exit code and stderr;
    /// returns the output for checks particular to the table.
    pub fn check(&self, cmd: &mut assert_cmd::Command) -> Output {
        let out = cmd.args(&self.args).output().expect("run kafkaops");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(
            out.status.code(),
            Some(self.code),
            "{}: exit code of {:?}; stderr: {stderr}",
            self.case,
            self.args
        );
        for fragment in &self.stderr {
            assert!(
                stderr.contains(fragment),
                "{}: expected '{fragment}' in the stderr of {:?}: {stderr}",
                self.case,
                self.args
            );
        }
        out
    }
}
