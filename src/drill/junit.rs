//! A JUnit XML report, the format CI systems (GitLab, Jenkins, GitHub Actions
//! reporters) display as test results.

pub struct Case {
    pub name: String,
    pub seconds: f64,
    /// `Some(message)` when the case failed.
    pub failure: Option<String>,
}

pub fn render(suite: &str, cases: &[Case]) -> String {
    let failures = cases.iter().filter(|c| c.failure.is_some()).count();
    let total: f64 = cases.iter().map(|c| c.seconds).sum();
    let mut s = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    s.push_str(&format!(
        "<testsuites name=\"{0}\" tests=\"{1}\" failures=\"{failures}\" time=\"{total:.3}\">\n  <testsuite name=\"{0}\" tests=\"{1}\" failures=\"{failures}\" errors=\"0\" time=\"{total:.3}\">\n",
        escape(suite),
        cases.len()
    ));
    for c in cases {
        s.push_str(&format!(
            "    <testcase classname=\"{}\" name=\"{}\" time=\"{:.3}\"",
            escape(suite),
            escape(&c.name),
            c.seconds
        ));
        match &c.failure {
            None => s.push_str("/>\n"),
            Some(msg) => s.push_str(&format!(
                ">\n      <failure message=\"{}\" type=\"mismatch\">{}</failure>\n    </testcase>\n",
                escape(first_line(msg)),
                escape(msg)
            )),
        }
    }
    s.push_str("  </testsuite>\n</testsuites>\n");
    s
}

fn first_line(s: &str) -> &str {
    s.lines().next().unwrap_or("")
}

/// XML 1.0 text: escape markup and drop characters XML cannot carry.
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(ch),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_passes_and_escaped_failures() {
        let xml = render(
            "kafkaops drill orders",
            &[
                Case {
                    name: "record count".into(),
                    seconds: 0.5,
                    failure: None,
                },
                Case {
                    name: "partition 3 parity".into(),
                    seconds: 0.25,
                    failure: Some("2 missing <&> \"x\"\u{1}\nmore".into()),
                },
            ],
        );
        assert!(xml.contains("tests=\"2\" failures=\"1\""));
        assert!(xml.contains(
            "<testcase classname=\"kafkaops drill orders\" name=\"record count\" time=\"0.500\"/>"
        ));
        assert!(xml.contains(
            "<failure message=\"2 missing &lt;&amp;&gt; &quot;x&quot;\u{FFFD}\" type=\"mismatch\">"
        ));
        assert!(!xml.contains('\u{1}'));
        assert_eq!(xml.matches("<testcase").count(), 2);
    }
}
