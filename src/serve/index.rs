//! The small HTML page at `/`: what this exporter follows, whether each source
//! is up, its last error, and links to `/metrics` and `/healthz`. Every name
//! shown is HTML-escaped (group and topic names are arbitrary bytes).

use super::board::Board;
use crate::timespec::format_time;

fn escape(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            c => o.push(c),
        }
    }
    o
}

pub fn page(board: &Board) -> String {
    let rows =
        board.with_sources(|sources| {
            sources
                .iter()
                .map(|s| {
                    format!(
                    "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
                    escape(&s.label()),
                    if s.up { "up" } else if s.collections == 0 { "starting" } else { "down" },
                    s.last_success.map(format_time).unwrap_or_else(|| "never".into()),
                    s.collections,
                    s.errors,
                    escape(s.last_error.as_deref().unwrap_or("")),
                )
                })
                .collect::<String>()
        });
    format!(
        "<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>kafkaops serve</title></head>\n\
         <body><h1>kafkaops serve</h1>\n\
         <p>Started {}, collecting every {}. <a href=\"/metrics\">/metrics</a> \
         <a href=\"/healthz\">/healthz</a></p>\n\
         <table border=\"1\"><tr><th>source</th><th>state</th><th>last success</th>\
         <th>collections</th><th>errors</th><th>last error</th></tr>\n{rows}</table>\n\
         </body></html>\n",
        format_time(board.started),
        humantime::format_duration(board.interval),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_escaped() {
        assert_eq!(escape("<b>&\"x'"), "&lt;b&gt;&amp;&quot;x&#39;");
    }
}
