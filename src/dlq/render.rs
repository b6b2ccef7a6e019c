//! Small formatting helpers shared by the `dlq` tables: short class names,
//! compact times and counts, truncated cells.

use chrono::{DateTime, Utc};

use super::normalize::truncate_chars;

/// `org.postgresql.util.PSQLException` -> `PSQLException`.
pub fn simple_class(fqcn: &str) -> &str {
    if fqcn.contains(char::is_whitespace) {
        return fqcn;
    }
    fqcn.rsplit('.').next().unwrap_or(fqcn)
}

/// Text on one line: runs of whitespace (newlines included) become one space.
pub fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A cell value cut to `n` characters with an ellipsis.
pub fn cell(s: &str, n: usize) -> String {
    let one_line = one_line(s);
    if one_line.chars().count() > n {
        format!("{}…", truncate_chars(&one_line, n.saturating_sub(1)))
    } else {
        one_line
    }
}

/// A long reason for a table cell: wrapper exceptions put the useful part last
/// (Spring: `Listener method ... threw exception; nested exception is X: why`,
/// or `<message>; <root cause message>`), so when the whole does not fit show
/// what follows the last `nested exception is `, else the first `; `.
pub fn reason_cell(reason: &str, n: usize) -> String {
    let one_line = one_line(reason);
    if one_line.chars().count() <= n {
        return one_line;
    }
    let tail = one_line
        .rsplit_once("nested exception is ")
        .or_else(|| one_line.split_once("; "))
        .map(|(_, t)| t)
        .filter(|t| !t.trim().is_empty());
    match tail {
        Some(t) => cell(&format!("…{t}"), n),
        None => cell(&one_line, n),
    }
}

/// `2026-11-20 08:00` (UTC) for tables.
pub fn short_time(ms: Option<i64>) -> String {
    ms.and_then(DateTime::<Utc>::from_timestamp_millis)
        .map(|t| t.format("%Y-%m-%d %H:%M").to_string())
        .unwrap_or_else(|| "-".into())
}

/// 1234567 -> `1,234,567`.
pub fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::with_capacity(s.len() + s.len() / 3);
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The first `lines` lines of a long text, with a note about the rest.
pub fn head_lines(s: &str, lines: usize, max_chars: usize) -> String {
    let total = s.lines().count();
    let mut out: String = s.lines().take(lines).collect::<Vec<_>>().join("\n");
    let cut = out.chars().count() > max_chars;
    if cut {
        out = truncate_chars(&out, max_chars).to_string();
    }
    if total > lines || cut {
        let more = total.saturating_sub(lines);
        if more > 0 {
            out.push_str(&format!("\n… {more} more lines (-o json shows everything)"));
        } else {
            out.push_str("… (-o json shows everything)");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn helpers() {
        assert_eq!(
            simple_class("org.postgresql.util.PSQLException"),
            "PSQLException"
        );
        assert_eq!(simple_class("Plain"), "Plain");
        assert_eq!(simple_class("not a class. really"), "not a class. really");
        assert_eq!(cell("a  b\nc", 10), "a b c");
        assert_eq!(cell("abcdefghij", 5), "abcd…");
        assert_eq!(reason_cell("short; reason", 80), "short; reason");
        let spring = "Listener method 'public void com.acme.Orders.listen(java.lang.String)' threw exception; \
                      nested exception is org.springframework.dao.DuplicateKeyException: duplicate key (id)=(<n>)";
        assert_eq!(
            reason_cell(spring, 80),
            "…org.springframework.dao.DuplicateKeyException: duplicate key (id)=(<n>)"
        );
        let semi = format!("{}; root cause; detail", "x".repeat(100));
        assert_eq!(reason_cell(&semi, 25), "…root cause; detail");
        assert_eq!(reason_cell(&"y".repeat(30), 10), "yyyyyyyyy…");
        assert_eq!(short_time(Some(1_700_000_000_123)), "2023-11-14 22:13");
        assert_eq!(short_time(None), "-");
        assert_eq!(thousands(1_234_567), "1,234,567");
        assert_eq!(thousands(12), "12");
        assert_eq!(thousands(123), "123");
        assert_eq!(thousands(1000), "1,000");
        let long = (0..50)
            .map(|i| format!("line {i}"))
            .collect::<Vec<_>>()
            .join("\n");
        let h = head_lines(&long, 3, 1000);
        assert!(
            h.starts_with("line 0\nline 1\nline 2\n… 47 more lines"),
            "{h}"
        );
    }
}
