//! Terminal safety: the one place where text that comes from records or brokers
//! (keys, values, header names and values, topic and group names, exception
//! messages, reasons) is made safe to print. A record can carry terminal escape
//! sequences (`ESC [ ...`, the 8-bit CSI `U+009B`, a bell, a carriage return
//! that overwrites what was printed before, bidi overrides that reorder what a
//! person reads): shown raw they recolour, move or hide output, so every text
//! path for people shows them escaped. JSON output is escaped by serde already.

use std::borrow::Cow;
use std::fmt::Write as _;

/// A character a terminal would act on instead of showing: C0 controls, DEL,
/// C1 controls (`U+0080`-`U+009F`, which some terminals read as 8-bit escape
/// sequences) and the bidi embedding, override and isolate controls.
fn acts_on_terminal(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
        )
}

fn push_escaped(out: &mut String, c: char) {
    match c {
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        c if (c as u32) < 0x80 => {
            let _ = write!(out, "\\x{:02x}", c as u32);
        }
        c => {
            let _ = write!(out, "\\u{{{:x}}}", c as u32);
        }
    }
}

fn escape_where(s: &str, keep_newlines: bool) -> Cow<'_, str> {
    let unsafe_char = |c: char| acts_on_terminal(c) && !(keep_newlines && c == '\n');
    if !s.chars().any(unsafe_char) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if unsafe_char(c) {
            push_escaped(&mut out, c);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Text from a record or a broker on one line: every control character,
/// newlines included, shown as an escape (`\x1b`, `\r`, `\u{9b}`).
pub fn escape_text(s: &str) -> Cow<'_, str> {
    escape_where(s, false)
}

/// Text shown over several lines (a pretty-printed value, a stack trace): line
/// breaks kept, every other control character escaped.
pub fn escape_lines(s: &str) -> Cow<'_, str> {
    escape_where(s, true)
}

/// Bytes as text with everything that is not printable ASCII escaped (`\xNN`,
/// `\n`, `\t`, `\\`), cut after `max` input bytes.
pub fn escape_bytes(b: &[u8], max: usize) -> String {
    let mut out = String::new();
    for &x in b.iter().take(max) {
        match x {
            b'\\' => out.push_str("\\\\"),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            b'\t' => out.push_str("\\t"),
            0x20..=0x7e => out.push(x as char),
            _ => {
                let _ = write!(out, "\\x{x:02x}");
            }
        }
    }
    if b.len() > max {
        let _ = write!(out, "… ({} more bytes)", b.len() - max);
    }
    out
}

/// Width of `s` in terminal cells: ANSI SGR sequences (`ESC [ ... m`, our own
/// colours) count for nothing, wide characters for two.
pub fn visible_width(s: &str) -> usize {
    let mut width = 0;
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\x1b' && chars.peek() == Some(&'[') {
            chars.next();
            for c in chars.by_ref() {
                if ('\x40'..='\x7e').contains(&c) {
                    break;
                }
            }
            continue;
        }
        width += unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
    }
    width
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_and_bidi_are_escaped() {
        let hostile = "a\x1b[31mred\x07\rb\u{9b}2J\u{202e}txt\x7f";
        let shown = escape_text(hostile);
        assert_eq!(shown, "a\\x1b[31mred\\x07\\rb\\u{9b}2J\\u{202e}txt\\x7f");
        assert!(!shown.chars().any(acts_on_terminal));
        assert_eq!(escape_lines("one\ntwo\x1b"), "one\ntwo\\x1b");
        assert_eq!(escape_text("one\ntwo"), "one\\ntwo");
        // Plain text, accents and CJK included, is not copied.
        assert!(matches!(escape_text("naïve 東京 \\ ok"), Cow::Borrowed(_)));
    }

    #[test]
    fn bytes() {
        assert_eq!(escape_bytes(b"a\x00\n\\\xff", 100), "a\\x00\\n\\\\\\xff");
        assert_eq!(escape_bytes(b"abcdef", 2), "ab… (4 more bytes)");
        assert_eq!(escape_bytes(b"\x1b[31m\x9b", 100), "\\x1b[31m\\x9b");
    }

    #[test]
    fn width_ignores_colour_and_counts_wide_characters() {
        assert_eq!(visible_width("\x1b[1;31mabc\x1b[0m"), 3);
        assert_eq!(visible_width("東京"), 4);
        assert_eq!(visible_width("first → last"), 12);
    }
}
