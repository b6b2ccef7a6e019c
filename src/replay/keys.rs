//! Key selection: exact keys (`--key`, `--keys-file`), a prefix (`--key-prefix`)
//! and a byte-wise half-open range (`--key-range A..B`). Keys are bytes; they are
//! written as text, or as `hex:...` / `base64:...` when they are not UTF-8. The
//! same spelling is used in plan files, so a plan round-trips any key.

use std::collections::BTreeSet;
use std::path::Path;

use base64::Engine as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::{Error, Result};

const KEY_HINT: &str =
    "write a key as text, or as hex:6f72646572 or base64:b3JkZXI= for binary keys";

/// A record key as bytes.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Key(pub Vec<u8>);

impl Key {
    /// Parse the command-line / file spelling of a key.
    pub fn parse(s: &str) -> Result<Key> {
        if let Some(h) = s.strip_prefix("hex:") {
            return hex::decode(h)
                .map(Key)
                .map_err(|_| Error::usage_hint(format!("malformed hex key '{s}'"), KEY_HINT));
        }
        if let Some(b) = s.strip_prefix("base64:") {
            return base64::engine::general_purpose::STANDARD
                .decode(b)
                .map(Key)
                .map_err(|_| Error::usage_hint(format!("malformed base64 key '{s}'"), KEY_HINT));
        }
        Ok(Key(s.as_bytes().to_vec()))
    }

    /// The spelling [`Key::parse`] reads back: text when it is unambiguous UTF-8.
    pub fn display(&self) -> String {
        match std::str::from_utf8(&self.0) {
            Ok(s)
                if !s.starts_with("hex:")
                    && !s.starts_with("base64:")
                    && !s.chars().any(char::is_control) =>
            {
                s.to_string()
            }
            _ => format!("hex:{}", hex::encode(&self.0)),
        }
    }
}

impl Serialize for Key {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(&self.display())
    }
}

impl<'de> Deserialize<'de> for Key {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Key::parse(&s).map_err(serde::de::Error::custom)
    }
}

/// `[start, end)` compared byte-wise; either side may be open.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyRange {
    pub start: Option<Key>,
    pub end: Option<Key>,
}

impl KeyRange {
    /// Parse `A..B`, `A..` or `..B`.
    pub fn parse(s: &str) -> Result<KeyRange> {
        let hint = "write --key-range START..END (END excluded; either side may be empty, e.g. a..m or ..m)";
        let Some((a, b)) = s.split_once("..") else {
            return Err(Error::usage_hint(
                format!("malformed key range '{s}': no '..'"),
                hint,
            ));
        };
        let start = (!a.is_empty()).then(|| Key::parse(a)).transpose()?;
        let end = (!b.is_empty()).then(|| Key::parse(b)).transpose()?;
        if start.is_none() && end.is_none() {
            return Err(Error::usage_hint(
                format!("key range '{s}' is unbounded"),
                hint,
            ));
        }
        if let (Some(x), Some(y)) = (&start, &end) {
            if x >= y {
                return Err(Error::usage_hint(
                    format!("key range '{s}' is empty or inverted (byte-wise, the start must sort before the end)"),
                    format!("write it as {b}..{a}, or widen it"),
                ));
            }
        }
        Ok(KeyRange { start, end })
    }

    pub fn contains(&self, key: &[u8]) -> bool {
        self.start.as_ref().is_none_or(|s| key >= s.0.as_slice())
            && self.end.as_ref().is_none_or(|e| key < e.0.as_slice())
    }
}

/// All key conditions of a selection. Conditions of different kinds must all hold;
/// a record without a key never matches a key condition.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyFilter {
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub exact: BTreeSet<Key>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prefix: Option<Key>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub range: Option<KeyRange>,
}

impl KeyFilter {
    pub fn is_empty(&self) -> bool {
        self.exact.is_empty() && self.prefix.is_none() && self.range.is_none()
    }

    pub fn matches(&self, key: Option<&[u8]>) -> bool {
        if self.is_empty() {
            return true;
        }
        let Some(key) = key else { return false };
        (self.exact.is_empty() || self.exact.contains(&Key(key.to_vec())))
            && self.prefix.as_ref().is_none_or(|p| key.starts_with(&p.0))
            && self.range.as_ref().is_none_or(|r| r.contains(key))
    }
}

/// Read a keys file: one key per line in the `--key` spelling; blank lines and
/// lines starting with `#` are skipped. Errors name the line.
pub fn read_keys_file(path: &Path) -> Result<Vec<Key>> {
    let bytes = std::fs::read(path).map_err(|e| Error::file("read keys file", path, e))?;
    parse_keys(&bytes, &path.display().to_string())
}

pub fn parse_keys(bytes: &[u8], name: &str) -> Result<Vec<Key>> {
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let line = bytes[..e.valid_up_to()]
            .iter()
            .filter(|b| **b == b'\n')
            .count()
            + 1;
        Error::usage_hint(
            format!("cannot parse keys file {name}:{line}: not UTF-8 text"),
            "write binary keys as hex:... or base64:..., one per line",
        )
    })?;
    let mut keys = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let key = Key::parse(line).map_err(|e| {
            Error::usage_hint(
                format!("cannot parse keys file {name}:{}: {e}", i + 1),
                KEY_HINT,
            )
        })?;
        keys.push(key);
    }
    if keys.is_empty() {
        return Err(Error::usage_hint(
            format!("keys file {name} holds no keys"),
            "write one key per line; lines starting with # are comments",
        ));
    }
    Ok(keys)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_spellings_round_trip() {
        assert_eq!(Key::parse("order-1").unwrap().0, b"order-1");
        assert_eq!(Key::parse("hex:00ff").unwrap().0, vec![0, 255]);
        assert_eq!(Key::parse("base64:AP8=").unwrap().0, vec![0, 255]);
        assert!(Key::parse("hex:zz").is_err());
        assert!(Key::parse("base64:!!").is_err());
        for k in [
            Key(vec![0, 255]),
            Key(b"plain".to_vec()),
            Key(b"hex:lookalike".to_vec()),
            Key(b"tab\t".to_vec()),
        ] {
            let json = serde_json::to_string(&k).unwrap();
            assert_eq!(serde_json::from_str::<Key>(&json).unwrap(), k, "{json}");
        }
    }

    #[test]
    fn ranges_are_byte_wise_and_half_open() {
        let r = KeyRange::parse("b..d").unwrap();
        assert!(!r.contains(b"a"));
        assert!(r.contains(b"b"));
        assert!(r.contains(b"czzz"));
        assert!(!r.contains(b"d"));
        // Byte-wise, not numeric: "10" < "9".
        let r = KeyRange::parse("1..9").unwrap();
        assert!(r.contains(b"10"));
        let open = KeyRange::parse("m..").unwrap();
        assert!(open.contains(b"zz") && !open.contains(b"a"));
        let e = KeyRange::parse("d..b").unwrap_err();
        assert!(e.to_string().contains("inverted"), "{e}");
        assert!(e.hint().unwrap().contains("b..d"));
        assert!(KeyRange::parse("..").is_err());
        assert!(KeyRange::parse("ab").is_err());
        assert!(KeyRange::parse("a..a").is_err());
    }

    #[test]
    fn filters_combine_and_null_keys_never_match() {
        let mut f = KeyFilter::default();
        assert!(f.matches(None));
        f.prefix = Some(Key(b"ord".to_vec()));
        assert!(f.matches(Some(b"order")));
        assert!(!f.matches(Some(b"cart")));
        assert!(!f.matches(None));
        f.exact.insert(Key(b"order-2".to_vec()));
        assert!(!f.matches(Some(b"order-1")));
        assert!(f.matches(Some(b"order-2")));
        f.range = Some(KeyRange::parse("order-3..").unwrap());
        assert!(!f.matches(Some(b"order-2")));
    }

    #[test]
    fn keys_files() {
        let keys = parse_keys(b"# comment\na\r\n\nhex:00\n", "k.txt").unwrap();
        assert_eq!(keys, vec![Key(b"a".to_vec()), Key(vec![0])]);
        let e = parse_keys(b"a\nhex:nothex\n", "k.txt").unwrap_err();
        assert!(e.to_string().contains("k.txt:2"), "{e}");
        let e = parse_keys(b"a\n\xff\xfe\n", "k.txt").unwrap_err();
        assert!(
            e.to_string().contains("k.txt:2") && e.to_string().contains("UTF-8"),
            "{e}"
        );
        assert!(parse_keys(b"# only a comment\n", "k.txt").is_err());
    }
}
