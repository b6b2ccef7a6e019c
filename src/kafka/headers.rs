//! Reading a record's headers when some names may not be UTF-8: rdkafka's
//! `Headers::try_get` (and our batch [`super::Record`]'s) panics on such a name, so
//! the panic is caught, kept off the terminal, and the header counted.

use rdkafka::message::Headers;

/// A header as it comes off the wire: name and optional (null) value. Order and
/// duplicates are preserved by every caller.
pub type RawHeader<'a> = (&'a str, Option<&'a [u8]>);

/// `Headers::try_get` cannot return a name that is not UTF-8: rdkafka's
/// implementation panics on one (`to_str().unwrap()`), and so does ours
/// ([`super::Record`]). That panic is caught here and the header counted,
/// so one odd record cannot crash a scan of a million.
pub fn headers_checked<H: Headers>(hs: &H) -> (Vec<RawHeader<'_>>, usize) {
    quiet_rdkafka_utf8_panics();
    let mut out = Vec::with_capacity(hs.count());
    let mut unreadable = 0;
    for i in 0..hs.count() {
        match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| hs.try_get(i))) {
            Ok(Some(h)) => out.push((h.key, h.value)),
            Ok(None) => {}
            Err(_) => unreadable += 1,
        }
    }
    (out, unreadable)
}

/// Keep the panic message of a non-UTF-8 header name (rdkafka's `unwrap`, or
/// [`super::Record`]'s headers) off the user's terminal (it is caught and
/// reported as a count); every other panic still reaches the previous hook.
fn quiet_rdkafka_utf8_panics() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let prev = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let from_rdkafka = info
                .location()
                .is_some_and(|l| l.file().contains("rdkafka"));
            let payload = info
                .payload()
                .downcast_ref::<String>()
                .map(String::as_str)
                .or_else(|| info.payload().downcast_ref::<&str>().copied())
                .unwrap_or("");
            let ours = payload.starts_with(super::NON_UTF8_HEADER_NAME);
            if !(ours || (from_rdkafka && payload.contains("Utf8Error"))) {
                prev(info);
            }
        }));
    });
}

#[cfg(test)]
mod tests {
    use rdkafka::message::Header;

    use super::*;

    /// Headers whose second entry panics like rdkafka does on a non-UTF-8 name.
    struct OddHeaders;

    impl Headers for OddHeaders {
        fn count(&self) -> usize {
            3
        }

        fn try_get(&self, idx: usize) -> Option<Header<'_, &[u8]>> {
            match idx {
                0 => Some(Header {
                    key: "a",
                    value: Some(b"1"),
                }),
                1 => {
                    let bytes = vec![0xffu8];
                    let name = std::str::from_utf8(&bytes).map(str::len).unwrap();
                    Some(Header {
                        key: if name > 0 { "never" } else { "" },
                        value: None,
                    })
                }
                2 => Some(Header {
                    key: "c",
                    value: None,
                }),
                _ => None,
            }
        }
    }

    #[test]
    fn unreadable_header_names_are_counted_not_fatal() {
        let (hs, bad) = headers_checked(&OddHeaders);
        assert_eq!(hs, vec![("a", Some(b"1".as_slice())), ("c", None)]);
        assert_eq!(bad, 1);
    }
}
