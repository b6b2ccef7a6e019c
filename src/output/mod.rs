//! Output policy shared by every command: the `-o` format, colour, tables that
//! fit the terminal ([`table`]), text from records made safe to print
//! ([`escape`]), and progress bars. Data goes to stdout, diagnostics to stderr;
//! a closed stdout pipe ends the command quietly (see
//! [`crate::error::stdout_error`]). A command with `--out FILE` sends its data
//! to a [`Capture`] instead, which replaces the file only when the whole
//! document is there.

pub mod escape;
pub mod table;

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde::Serialize;

use crate::error::{stdout_error, Error, Result};

pub use table::{Cell, Column, Table};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum OutputFormat {
    /// Tables for people.
    Table,
    /// One JSON document.
    Json,
    /// JSON Lines: one JSON object per line.
    Jsonl,
    /// Prometheus text exposition format (`kafkaops lag` and `dlq triage`).
    Prometheus,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    Bold,
    Red,
    Yellow,
    Green,
    Dim,
}

#[derive(Clone, Debug)]
pub struct Output {
    pub format: OutputFormat,
    /// Colour on stdout tables.
    pub color: bool,
    /// Colour on stderr diagnostics.
    pub color_stderr: bool,
    /// stderr is a terminal: progress bars are drawn.
    pub stderr_tty: bool,
    /// stdin and stderr are terminals: prompts are allowed.
    pub interactive: bool,
    /// Width tables are fitted to; `None` with `--wide` (every column in full).
    pub table_width: Option<usize>,
    /// Data written while a [`Capture`] is open, instead of stdout.
    captured: Arc<Mutex<Option<Vec<u8>>>>,
    /// Notes about fitted tables already given: `dlq inspect` prints one
    /// table per record and says it once.
    fitted: Arc<Mutex<Vec<String>>>,
}

/// Data of one command bound for `--out FILE`: nothing reaches the file unless
/// [`Capture::commit`] is called, so a failed command (broker down, bad input)
/// leaves the previous file as it was, never truncated.
#[must_use = "a capture writes nothing until it is committed"]
pub struct Capture<'a> {
    out: &'a Output,
    path: PathBuf,
}

impl Capture<'_> {
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Replace the file with everything written since the capture began (or
    /// since the last commit), readable as the umask allows.
    pub fn commit(&self) -> Result<()> {
        let bytes = self
            .out
            .captured
            .lock()
            .expect("capture lock")
            .as_mut()
            .map(std::mem::take)
            .unwrap_or_default();
        crate::files::write_atomic_as(&self.path, &bytes, crate::files::Access::Shared)
    }
}

impl Drop for Capture<'_> {
    fn drop(&mut self) {
        *self.out.captured.lock().expect("capture lock") = None;
    }
}

impl Output {
    pub fn new(format: OutputFormat, color: ColorChoice) -> Self {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        let decide = |tty: bool| match color {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => tty && !no_color,
        };
        let stderr_tty = std::io::stderr().is_terminal();
        Output {
            format,
            color: decide(std::io::stdout().is_terminal()),
            color_stderr: decide(stderr_tty),
            stderr_tty,
            interactive: stderr_tty && std::io::stdin().is_terminal(),
            table_width: Some(table::terminal_width()),
            captured: Arc::default(),
            fitted: Arc::default(),
        }
    }

    /// `--wide`: tables show every column unabridged, whatever the width.
    pub fn wide(mut self, wide: bool) -> Self {
        if wide {
            self.table_width = None;
        }
        self
    }

    /// Send data to `path` instead of stdout until the capture is dropped.
    pub fn capture_to(&self, path: &Path) -> Capture<'_> {
        *self.captured.lock().expect("capture lock") = Some(Vec::new());
        Capture {
            out: self,
            path: path.to_path_buf(),
        }
    }

    /// Ask `question` on a terminal (yes/no); without one, refuse with
    /// `refusal` and `hint` unless `yes` was given.
    pub fn confirm(&self, yes: bool, question: &str, refusal: &str, hint: &str) -> Result<bool> {
        if yes {
            return Ok(true);
        }
        if !self.interactive {
            return Err(Error::usage_hint(refusal, hint));
        }
        // A closed stderr loses the question, not the command: the answer decides.
        let mut err = std::io::stderr().lock();
        let _ = write!(err, "{question} [y/N] ");
        let _ = err.flush();
        drop(err);
        let mut answer = String::new();
        std::io::stdin()
            .read_line(&mut answer)
            .map_err(|e| Error::file("read", "stdin", e))?;
        Ok(matches!(
            answer.trim().to_ascii_lowercase().as_str(),
            "y" | "yes"
        ))
    }

    /// Reject formats a command does not produce.
    pub fn require(&self, allowed: &[OutputFormat], command: &str) -> Result<()> {
        if allowed.contains(&self.format) {
            return Ok(());
        }
        let names: Vec<_> = allowed.iter().map(|f| format_name(*f)).collect();
        Err(Error::usage_hint(
            format!("`{command}` cannot write -o {}", format_name(self.format)),
            format!("use -o {}", names.join(" or -o ")),
        ))
    }

    pub fn paint(&self, text: &str, style: Style) -> String {
        paint_if(self.color, text, style)
    }

    /// A table in the house style, fitted to the terminal (see [`table`]).
    /// Plain-text headers are essential columns that are never cut; declare a
    /// [`Column`] to let a column be shortened or hidden.
    pub fn table<I, C>(&self, columns: I) -> Table
    where
        I: IntoIterator<Item = C>,
        C: Into<Column>,
    {
        Table::new(
            columns.into_iter().map(Into::into).collect(),
            self.color,
            self.table_width,
        )
    }

    /// Print a table, and on stderr which columns it hid or shortened.
    pub fn print_table(&self, table: &Table) -> Result<()> {
        let r = table.render();
        self.write_stdout(&r.text)?;
        if let Some(note) = r.note() {
            let mut given = self.fitted.lock().expect("fitted lock");
            if !given.contains(&note) {
                self.note(&note);
                given.push(note);
            }
        }
        Ok(())
    }

    /// One pretty-printed JSON document.
    pub fn print_json<T: Serialize + ?Sized>(&self, value: &T) -> Result<()> {
        let mut s = serde_json::to_string_pretty(value).expect("output types serialise");
        s.push('\n');
        self.write_stdout(&s)
    }

    /// One JSON Lines record.
    pub fn print_jsonl<T: Serialize + ?Sized>(&self, value: &T) -> Result<()> {
        let mut s = serde_json::to_string(value).expect("output types serialise");
        s.push('\n');
        self.write_stdout(&s)
    }

    pub fn write_stdout(&self, text: &str) -> Result<()> {
        if let Some(buf) = self.captured.lock().expect("capture lock").as_mut() {
            buf.extend_from_slice(text.as_bytes());
            return Ok(());
        }
        let mut out = std::io::stdout().lock();
        out.write_all(text.as_bytes()).map_err(stdout_error)?;
        out.flush().map_err(stdout_error)
    }

    /// A diagnostic line on stderr: `warning: ...`.
    pub fn warn(&self, message: &str) {
        let tag = paint_if(self.color_stderr, "warning:", Style::Yellow);
        stderr_line(&format!("{tag} {}", escape::escape_lines(message)));
    }

    /// An informational line on stderr: `note: ...`.
    pub fn note(&self, message: &str) {
        let tag = paint_if(self.color_stderr, "note:", Style::Dim);
        stderr_line(&format!("{tag} {}", escape::escape_lines(message)));
    }

    /// A counting progress bar, drawn only when stderr is a terminal.
    pub fn progress(&self, total: Option<u64>, what: &str) -> ProgressBar {
        if !self.stderr_tty {
            return ProgressBar::hidden();
        }
        let bar = match total {
            Some(n) => ProgressBar::with_draw_target(Some(n), ProgressDrawTarget::stderr()),
            None => ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr()),
        };
        let template = if total.is_some() {
            "{spinner} {msg} [{bar:30}] {human_pos}/{human_len} ({rate}, eta {eta})"
        } else {
            "{spinner} {msg} {human_pos} ({rate})"
        };
        bar.set_style(
            ProgressStyle::with_template(template)
                .expect("static template")
                // indicatif's own `{per_sec}` shows four decimals of records per second.
                .with_key(
                    "rate",
                    |s: &indicatif::ProgressState, w: &mut dyn std::fmt::Write| {
                        let _ =
                            write!(w, "{}/s", indicatif::HumanCount(s.per_sec().round() as u64));
                    },
                )
                .progress_chars("=> "),
        );
        bar.set_message(what.to_string());
        bar
    }
}

/// One diagnostic line on stderr. A closed stderr (`2>&1 | head`) loses the
/// line rather than panicking as `eprintln!` does: diagnostics never change the
/// outcome of a command.
pub fn stderr_line(line: &str) {
    let mut err = std::io::stderr().lock();
    let _ = writeln!(err, "{line}");
}

pub fn format_name(f: OutputFormat) -> &'static str {
    match f {
        OutputFormat::Table => "table",
        OutputFormat::Json => "json",
        OutputFormat::Jsonl => "jsonl",
        OutputFormat::Prometheus => "prometheus",
    }
}

pub fn paint_if(on: bool, text: &str, style: Style) -> String {
    if !on {
        return text.to_string();
    }
    let code = match style {
        Style::Bold => "1",
        Style::Red => "1;31",
        Style::Yellow => "1;33",
        Style::Green => "32",
        Style::Dim => "2",
    };
    format!("\x1b[{code}m{text}\x1b[0m")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn capture_writes_only_on_commit() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("lag.prom");
        std::fs::write(&path, "previous\n").unwrap();
        let out = Output::new(OutputFormat::Prometheus, ColorChoice::Never);
        {
            let cap = out.capture_to(&path);
            out.write_stdout("half a doc").unwrap();
            drop(cap);
        }
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "previous\n");
        let cap = out.capture_to(&path);
        out.write_stdout("a 1\n").unwrap();
        cap.commit().unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "a 1\n");
        out.write_stdout("a 2\n").unwrap();
        cap.commit().unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "a 2\n");
    }
}
