//! Tables for people that fit the terminal: the one layout policy of every
//! command. Each column declares what it is worth ([`Priority`]) and how it may
//! give up width ([`Fit`]). A table too wide for the terminal hides detail
//! columns and then useful ones, right to left, until the rest fits with its
//! free text at the declared minimum widths (an essential column's at twice its
//! minimum); then it shortens free text, least valuable columns first and the
//! widest first, only as far as needed. [`Rendered::note`] says what was left
//! out. An identifier, offset or number a person must copy ([`Fit::Whole`]) is
//! never cut or split across lines. `--wide` shows every column unabridged.
//!
//! The width is the `COLUMNS` environment variable when set, else the width of
//! the terminal stdout is, else [`DEFAULT_WIDTH`] (stdout is a file or a pipe).
//! Widths count visible characters only (colour is applied after the layout;
//! wide characters count for two). Cell text is escaped here for the terminal
//! ([`super::escape::escape_lines`]), whatever the caller did.

use std::io::IsTerminal;

use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{CellAlignment, ContentArrangement};
use unicode_width::UnicodeWidthChar;

use super::escape::{escape_lines, visible_width};
use super::Style;

/// Width of a table when stdout is not a terminal and `COLUMNS` is not set:
/// wide enough for the essential columns of every table, narrow enough to read
/// in a pager or a ticket.
pub const DEFAULT_WIDTH: usize = 120;

/// The width tables are laid out for (see the module docs).
pub fn terminal_width() -> usize {
    if let Some(n) = std::env::var("COLUMNS")
        .ok()
        .and_then(|v| v.trim().parse::<usize>().ok())
        .filter(|n| *n > 0)
    {
        return n;
    }
    let stdout = std::io::stdout();
    if stdout.is_terminal() {
        if let Some((terminal_size::Width(w), _)) = terminal_size::terminal_size_of(&stdout) {
            if w > 0 {
                return usize::from(w);
            }
        }
    }
    DEFAULT_WIDTH
}

/// What a column is worth when space is short: detail columns are hidden
/// first, then useful ones; essential columns are always shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Priority {
    Detail,
    Useful,
    Essential,
}

/// How a column gives up width.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fit {
    /// Never cut nor split: IDs, offsets, numbers, `topic:partition`, times.
    Whole,
    /// Cut with `…` (free text: reasons, class names, topic lists).
    Shorten,
    /// Split over several lines (free text where every character matters).
    Wrap,
}

/// A shortening of a cell's text to a width (in characters) smarter than
/// cutting its end, e.g. keeping the root cause of a wrapped exception.
pub type Shortener = fn(&str, usize) -> String;

/// One column of a table: its header and how it behaves when space is short.
#[derive(Clone, Debug)]
pub struct Column {
    name: String,
    priority: Priority,
    fit: Fit,
    min: usize,
    right: bool,
    shortener: Option<Shortener>,
}

impl Column {
    fn new(name: impl Into<String>, fit: Fit, min: usize) -> Column {
        Column {
            // One header style for every command, whatever case the caller wrote.
            name: name.into().to_uppercase(),
            priority: Priority::Essential,
            fit,
            min,
            right: false,
            shortener: None,
        }
    }

    /// A column that is never cut (IDs, offsets, numbers, times).
    pub fn whole(name: impl Into<String>) -> Column {
        Column::new(name, Fit::Whole, 0)
    }

    /// A number: never cut, aligned right.
    pub fn number(name: impl Into<String>) -> Column {
        Column::whole(name).right()
    }

    /// Free text that may be cut with `…`, down to `min` characters (or the
    /// header's width, whichever is more).
    pub fn shorten(name: impl Into<String>, min: usize) -> Column {
        Column::new(name, Fit::Shorten, min)
    }

    /// Free text that may be wrapped onto more lines, down to `min` characters.
    pub fn wrap(name: impl Into<String>, min: usize) -> Column {
        Column::new(name, Fit::Wrap, min)
    }

    pub fn useful(mut self) -> Column {
        self.priority = Priority::Useful;
        self
    }

    pub fn detail(mut self) -> Column {
        self.priority = Priority::Detail;
        self
    }

    pub fn right(mut self) -> Column {
        self.right = true;
        self
    }

    /// Shorten this column's cells with `f` instead of cutting their end.
    pub fn shorten_with(mut self, f: Shortener) -> Column {
        self.shortener = Some(f);
        self
    }
}

/// A header given as plain text: an essential column that is never cut, the
/// safe default for a column nobody declared.
impl From<&str> for Column {
    fn from(name: &str) -> Column {
        Column::whole(name)
    }
}

impl From<String> for Column {
    fn from(name: String) -> Column {
        Column::whole(name)
    }
}

/// One cell: its text (escaped for the terminal when laid out) and a colour.
#[derive(Clone, Debug, Default)]
pub struct Cell {
    text: String,
    style: Option<Style>,
}

impl Cell {
    pub fn new(text: impl Into<String>) -> Cell {
        Cell {
            text: text.into(),
            style: None,
        }
    }

    /// Colour the cell (only when colour is on).
    pub fn style(mut self, style: Style) -> Cell {
        self.style = Some(style);
        self
    }

    pub fn style_if(self, on: bool, style: Style) -> Cell {
        if on {
            self.style(style)
        } else {
            self
        }
    }
}

impl From<String> for Cell {
    fn from(text: String) -> Cell {
        Cell::new(text)
    }
}

impl From<&str> for Cell {
    fn from(text: &str) -> Cell {
        Cell::new(text)
    }
}

impl From<&String> for Cell {
    fn from(text: &String) -> Cell {
        Cell::new(text.as_str())
    }
}

/// A table being filled; [`Table::render`] lays it out.
#[derive(Clone, Debug)]
pub struct Table {
    columns: Vec<Column>,
    rows: Vec<Vec<Cell>>,
    color: bool,
    /// `None`: `--wide`, every column unabridged.
    width: Option<usize>,
}

/// A laid-out table and what the layout left out.
#[derive(Clone, Debug)]
pub struct Rendered {
    /// The table, ending with a newline.
    pub text: String,
    pub width: usize,
    pub hidden: Vec<String>,
    pub shortened: Vec<String>,
}

impl Rendered {
    /// A line for people when the table is not everything: which columns were
    /// hidden or shortened, and how to see them.
    pub fn note(&self) -> Option<String> {
        if self.hidden.is_empty() && self.shortened.is_empty() {
            return None;
        }
        let mut parts = Vec::new();
        if !self.hidden.is_empty() {
            parts.push(format!("hid {}", self.hidden.join(", ")));
        }
        if !self.shortened.is_empty() {
            parts.push(format!("shortened {}", self.shortened.join(", ")));
        }
        Some(format!(
            "table fitted to {} columns: {} (--wide shows every column in full)",
            self.width,
            parts.join("; ")
        ))
    }
}

/// Borders and padding of the house style: `│ a ┆ b │`.
fn frame(columns: usize) -> usize {
    1 + 3 * columns
}

fn char_width(c: char) -> usize {
    c.width().unwrap_or(0)
}

/// `line` cut to `width` cells, ending in `…` when cut.
fn cut(line: &str, width: usize) -> String {
    if visible_width(line) <= width {
        return line.to_string();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in line.chars() {
        let w = char_width(c);
        if used + w + 1 > width {
            break;
        }
        used += w;
        out.push(c);
    }
    out.push('…');
    out
}

/// `line` split into pieces of at most `width` cells: between words where it
/// can, inside a word longer than the width where it must.
fn wrap(line: &str, width: usize) -> Vec<String> {
    let mut pieces = vec![String::new()];
    let mut used = 0;
    for (i, word) in line.split(' ').enumerate() {
        let w = visible_width(word);
        if i > 0 {
            if used > 0 && used + 1 + w <= width {
                pieces.last_mut().expect("one piece at least").push(' ');
                used += 1;
            } else if used > 0 {
                pieces.push(String::new());
                used = 0;
            }
        }
        for c in word.chars() {
            let cw = char_width(c);
            if used + cw > width && used > 0 {
                pieces.push(String::new());
                used = 0;
            }
            used += cw;
            pieces.last_mut().expect("one piece at least").push(c);
        }
    }
    pieces
}

fn text_width(text: &str) -> usize {
    text.lines().map(visible_width).max().unwrap_or(0)
}

impl Column {
    /// `text` in at most `width` cells per line, as this column allows.
    fn fit(&self, text: &str, width: usize) -> String {
        if text_width(text) <= width {
            return text.to_string();
        }
        match self.fit {
            Fit::Whole => text.to_string(),
            Fit::Wrap => text
                .lines()
                .flat_map(|l| wrap(l, width))
                .collect::<Vec<_>>()
                .join("\n"),
            Fit::Shorten => {
                let smart = self
                    .shortener
                    .map(|f| f(text, width))
                    .filter(|s| text_width(s) <= width);
                smart.unwrap_or_else(|| {
                    text.lines()
                        .map(|l| cut(l, width))
                        .collect::<Vec<_>>()
                        .join("\n")
                })
            }
        }
    }
}

impl Table {
    pub(super) fn new(columns: Vec<Column>, color: bool, width: Option<usize>) -> Table {
        Table {
            columns,
            rows: Vec::new(),
            color,
            width,
        }
    }

    /// Add a row; cells beyond the columns are ignored, missing ones are empty.
    pub fn add_row<I, C>(&mut self, row: I) -> &mut Table
    where
        I: IntoIterator<Item = C>,
        C: Into<Cell>,
    {
        let mut cells: Vec<Cell> = row.into_iter().map(Into::into).collect();
        cells.resize_with(self.columns.len(), Cell::default);
        for c in &mut cells {
            if let std::borrow::Cow::Owned(safe) = escape_lines(&c.text) {
                c.text = safe;
            }
        }
        self.rows.push(cells);
        self
    }

    pub fn row_count(&self) -> usize {
        self.rows.len()
    }

    /// Widths per column for `width` cells in all: `None` for a hidden column.
    fn layout(&self, width: Option<usize>) -> Vec<Option<usize>> {
        let natural: Vec<usize> = self
            .columns
            .iter()
            .enumerate()
            .map(|(i, c)| {
                self.rows
                    .iter()
                    .map(|r| text_width(&r[i].text))
                    .chain([visible_width(&c.name)])
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        let Some(width) = width else {
            return natural.into_iter().map(Some).collect();
        };
        let floor: Vec<usize> = self
            .columns
            .iter()
            .zip(&natural)
            .map(|(c, &n)| match c.fit {
                Fit::Whole => n,
                Fit::Shorten | Fit::Wrap => n.min(c.min.max(visible_width(&c.name)).max(2)),
            })
            .collect();
        let mut shown: Vec<bool> = vec![true; self.columns.len()];
        let needed = |shown: &[bool], sizes: &[usize]| {
            let n = shown.iter().filter(|s| **s).count();
            frame(n)
                + sizes
                    .iter()
                    .zip(shown)
                    .filter(|(_, s)| **s)
                    .map(|(w, _)| w)
                    .sum::<usize>()
        };
        // Hide the least valuable columns, rightmost first, until the rest fit
        // at their floors, an essential column at twice its floor (a detail is
        // hidden before the reason is squeezed to a stub); essential columns
        // stay even if they overflow.
        let want: Vec<usize> = self
            .columns
            .iter()
            .zip(floor.iter().zip(&natural))
            .map(|(c, (&f, &n))| match c.priority {
                Priority::Essential => n.min(2 * f),
                _ => f,
            })
            .collect();
        while needed(&shown, &want) > width {
            let victim = (0..self.columns.len())
                .rev()
                .filter(|&i| shown[i] && self.columns[i].priority != Priority::Essential)
                .min_by_key(|&i| self.columns[i].priority);
            match victim {
                Some(i) => shown[i] = false,
                None => break,
            }
        }
        // Then give back width: shorten the least valuable columns first, and
        // within a priority always the widest, down to their floors.
        let mut sizes = natural.clone();
        for level in [Priority::Detail, Priority::Useful, Priority::Essential] {
            while needed(&shown, &sizes) > width {
                let widest = (0..self.columns.len())
                    .filter(|&i| {
                        shown[i] && self.columns[i].priority == level && sizes[i] > floor[i]
                    })
                    .max_by_key(|&i| sizes[i]);
                match widest {
                    Some(i) => sizes[i] -= 1,
                    None => break,
                }
            }
        }
        sizes
            .into_iter()
            .zip(shown)
            .map(|(w, s)| s.then_some(w))
            .collect()
    }

    /// Lay the table out for its width.
    pub fn render(&self) -> Rendered {
        let sizes = self.layout(self.width);
        let mut t = comfy_table::Table::new();
        t.load_preset(UTF8_FULL_CONDENSED)
            .set_content_arrangement(ContentArrangement::Disabled);
        if self.color {
            t.enforce_styling();
        } else {
            t.force_no_tty();
        }
        let kept: Vec<usize> = (0..self.columns.len())
            .filter(|&i| sizes[i].is_some())
            .collect();
        t.set_header(kept.iter().map(|&i| {
            let c = comfy_table::Cell::new(&self.columns[i].name);
            if self.color {
                c.add_attribute(comfy_table::Attribute::Bold)
            } else {
                c
            }
        }));
        let mut shortened = Vec::new();
        for row in &self.rows {
            t.add_row(kept.iter().map(|&i| {
                let col = &self.columns[i];
                let text = col.fit(&row[i].text, sizes[i].expect("kept column"));
                if text != row[i].text && !shortened.contains(&col.name) {
                    shortened.push(col.name.clone());
                }
                let cell = comfy_table::Cell::new(text);
                match row[i].style {
                    Some(s) if self.color => style_cell(cell, s),
                    _ => cell,
                }
            }));
        }
        for (n, &i) in kept.iter().enumerate() {
            if self.columns[i].right {
                if let Some(c) = t.column_mut(n) {
                    c.set_cell_alignment(CellAlignment::Right);
                }
            }
        }
        // Wrapped columns lose nothing: only cut ones are worth a note.
        let cut_names: Vec<String> = shortened
            .into_iter()
            .filter(|n| {
                self.columns
                    .iter()
                    .any(|c| &c.name == n && c.fit == Fit::Shorten)
            })
            .collect();
        Rendered {
            text: format!("{t}\n"),
            width: self.width.unwrap_or(0),
            hidden: (0..self.columns.len())
                .filter(|&i| sizes[i].is_none())
                .map(|i| self.columns[i].name.clone())
                .collect(),
            shortened: cut_names,
        }
    }
}

fn style_cell(cell: comfy_table::Cell, style: Style) -> comfy_table::Cell {
    use comfy_table::{Attribute, Color};
    match style {
        Style::Bold => cell.add_attribute(Attribute::Bold),
        Style::Red => cell.fg(Color::Red).add_attribute(Attribute::Bold),
        Style::Yellow => cell.fg(Color::Yellow).add_attribute(Attribute::Bold),
        Style::Green => cell.fg(Color::Green),
        Style::Dim => cell.add_attribute(Attribute::Dim),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(width: Option<usize>, color: bool) -> Table {
        let mut t = Table::new(
            vec![
                Column::whole("id"),
                Column::number("records"),
                Column::shorten("reason", 12),
                Column::shorten("origin", 8).useful(),
                Column::whole("examples").detail(),
            ],
            color,
            width,
        );
        t.add_row([
            Cell::new("c0ffee1234"),
            Cell::new("1,500"),
            Cell::new("Read timed out after 30s calling payments-db:5432 again and again"),
            Cell::new("payments, orders, refunds"),
            Cell::new("0:12 3:4567 5:89"),
        ]);
        t.add_row([
            Cell::new("deadbeef99").style(Style::Red),
            Cell::new("7"),
            Cell::new("duplicate key\x1b[31m"),
            Cell::new("orders"),
            Cell::new("1:2"),
        ]);
        t
    }

    fn widest(text: &str) -> usize {
        text.lines().map(visible_width).max().unwrap()
    }

    #[test]
    fn wide_shows_everything_and_escapes_cells() {
        let r = table(None, false).render();
        assert!(r.hidden.is_empty() && r.shortened.is_empty(), "{r:?}");
        assert!(r.text.contains("again and again"));
        assert!(r.text.contains("duplicate key\\x1b[31m"), "{}", r.text);
        assert!(!r.text.contains('\x1b'));
        assert_eq!(r.note(), None);
    }

    #[test]
    fn narrow_tables_shorten_then_hide_and_never_cut_ids() {
        for width in [40, 50, 60, 80, 100] {
            for color in [false, true] {
                let r = table(Some(width), color).render();
                assert!(widest(&r.text) <= width, "{width}:\n{}", r.text);
                assert!(r.text.contains("c0ffee1234") && r.text.contains("deadbeef99"));
                assert!(r.text.contains("1,500"));
            }
        }
        // 100 cells: everything shown, the free text cut.
        let r = table(Some(100), false).render();
        assert_eq!(r.hidden, Vec::<String>::new());
        assert_eq!(r.shortened, ["REASON", "ORIGIN"]);
        assert!(r.text.contains('…'));
        // 80: the detail column goes before the reason is squeezed to a stub.
        let r = table(Some(80), false).render();
        assert_eq!(r.hidden, ["EXAMPLES"], "{}", r.text);
        assert!(r.text.contains("Read timed out after 30s"), "{}", r.text);
        // 50: then the useful one.
        let r = table(Some(50), false).render();
        assert_eq!(r.hidden, ["ORIGIN", "EXAMPLES"], "{}", r.text);
        assert!(r.note().unwrap().contains("--wide"));
        // Too narrow for the essential columns: they overflow whole.
        let r = table(Some(10), false).render();
        assert!(r.text.contains("c0ffee1234"));
    }

    #[test]
    fn colour_is_not_counted_as_width() {
        let plain = table(Some(60), false).render();
        let coloured = table(Some(60), true).render();
        assert!(coloured.text.contains("\x1b["), "{}", coloured.text);
        assert_eq!(widest(&plain.text), widest(&coloured.text));
    }

    #[test]
    fn wrap_and_custom_shortening() {
        let mut t = Table::new(
            vec![
                Column::whole("field"),
                Column::wrap("value", 10),
                Column::shorten("tail", 6).shorten_with(|s, n| {
                    let skip = s.chars().count().saturating_sub(n - 1);
                    format!("…{}", s.chars().skip(skip).collect::<String>())
                }),
            ],
            false,
            Some(40),
        );
        t.add_row(["key", &"x".repeat(50), "wrapper: root cause"]);
        let r = t.render();
        assert!(widest(&r.text) <= 40, "{}", r.text);
        assert_eq!(r.text.matches('x').count(), 50, "{}", r.text);
        assert!(
            r.text.contains("… root cause") && !r.text.contains("wrapper"),
            "{}",
            r.text
        );
        assert_eq!(r.shortened, ["TAIL"]);
    }

    #[test]
    fn cut_and_wrap_count_wide_characters() {
        assert_eq!(cut("東京東京", 5), "東京…");
        assert_eq!(wrap("東京東", 4), ["東京", "東"]);
        assert_eq!(wrap("one two three", 8), ["one two", "three"]);
        assert_eq!(wrap("a verylongword b", 5), ["a", "veryl", "ongwo", "rd b"]);
    }
}
