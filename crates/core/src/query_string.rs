//! The page's one reader and writer of query strings and form bodies, over the
//! `percent-encoding` and `form_urlencoded` crates (already in the wasm through the
//! dependency tree, so they cost nothing): decoding never panics and never invents
//! characters, whatever the bytes.

use std::borrow::Cow;

use percent_encoding::{percent_decode_str, utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

/// Everything but RFC 3986 unreserved characters is escaped.
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// Escapes `text` for use as one query value or form field.
pub fn encode_component(text: &str) -> String {
    utf8_percent_encode(text, COMPONENT).to_string()
}

/// `key=value&…` with both sides escaped, as a form body.
pub fn form_encode(pairs: &[(&str, &str)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| format!("{}={}", encode_component(k), encode_component(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// Decodes one query value: `+` is a space, `%XX` a byte, invalid escapes stay as written,
/// and bytes that are not UTF-8 become U+FFFD.
pub fn decode(raw: &str) -> String {
    let spaced: Cow<str> = if raw.contains('+') {
        Cow::Owned(raw.replace('+', " "))
    } else {
        Cow::Borrowed(raw)
    };
    percent_decode_str(&spaced).decode_utf8_lossy().into_owned()
}

/// One `key=value` of a query string: the key decoded, the value kept as written so that
/// list parameters can split on their literal commas before decoding each item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parameter<'a> {
    pub key: String,
    pub raw: &'a str,
}

impl Parameter<'_> {
    /// The whole value, decoded.
    pub fn value(&self) -> String {
        decode(self.raw)
    }

    /// A comma-separated list: split on the commas as written (an escaped `%2C` stays
    /// inside its item), each item decoded and trimmed, empty items dropped.
    pub fn items(&self) -> impl Iterator<Item = String> + '_ {
        self.raw
            .split(',')
            .map(|item| decode(item).trim().to_owned())
            .filter(|item| !item.is_empty())
    }
}

/// The parameters of a query string (a leading `?` is allowed), in order.
pub fn parameters(search: &str) -> Vec<Parameter<'_>> {
    search
        .strip_prefix('?')
        .unwrap_or(search)
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (key, raw) = pair.split_once('=').unwrap_or((pair, ""));
            Parameter {
                key: decode(key),
                raw,
            }
        })
        .collect()
}

/// The decoded `(key, value)` pairs of a query string.
pub fn query_pairs(search: &str) -> Vec<(String, String)> {
    parameters(search)
        .into_iter()
        .map(|p| {
            let value = p.value();
            (p.key, value)
        })
        .collect()
}

/// The query string without the parameters named in `drop` (kept ones stay as written).
pub fn without_parameters(search: &str, drop: &[&str]) -> String {
    search
        .strip_prefix('?')
        .unwrap_or(search)
        .split('&')
        .filter(|p| !p.is_empty())
        .filter(|pair| {
            let key = pair.split_once('=').map_or(*pair, |(k, _)| k);
            !drop.contains(&decode(key).as_str())
        })
        .collect::<Vec<_>>()
        .join("&")
}

/// `text` cut to at most `max` characters, with `…` when cut: for echoing what a person
/// (or a crafted link) supplied without letting it flood the page.
pub fn shorten(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        None => text.to_owned(),
        Some((end, _)) => format!("{}…", &text[..end]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_components_and_forms() {
        assert_eq!(encode_component("r&b, soul~"), "r%26b%2C%20soul~");
        assert_eq!(encode_component("é"), "%C3%A9");
        assert_eq!(form_encode(&[("a b", "c=d")]), "a%20b=c%3Dd");
    }

    #[test]
    fn decodes_escapes_and_plus() {
        assert_eq!(decode("a%20b+c%zz%4"), "a b c%zz%4");
        assert_eq!(decode("%C3%A9"), "é");
        assert_eq!(decode("%FF"), "\u{FFFD}");
    }

    /// Reported: the hand-written decoder sliced through multi-byte characters (a panic,
    /// which with `panic = "abort"` kills the page) and turned `%+1` into U+0001.
    #[test]
    fn malformed_escapes_neither_panic_nor_invent_characters() {
        assert_eq!(decode("%aé"), "%aé");
        assert_eq!(decode("%€"), "%€");
        assert_eq!(decode("%é1"), "%é1");
        assert_eq!(decode("%+1"), "% 1");
        assert_eq!(decode("%"), "%");
        assert_eq!(decode("abc%"), "abc%");
    }

    #[test]
    fn one_parser_for_every_query() {
        assert_eq!(
            query_pairs("?code=x%2Fy&state=s&&flag&sp%61ce=a+b"),
            vec![
                ("code".to_owned(), "x/y".to_owned()),
                ("state".to_owned(), "s".to_owned()),
                ("flag".to_owned(), String::new()),
                ("space".to_owned(), "a b".to_owned()),
            ]
        );
        let params = parameters("gi=pop,r%26b,a%2Cb,,%20");
        assert_eq!(
            params[0].items().collect::<Vec<_>>(),
            vec!["pop", "r&b", "a,b"]
        );
        assert_eq!(
            without_parameters("?v=0.2&code=xyz&st%61te=s1&n=5", &["code", "state"]),
            "v=0.2&n=5"
        );
    }

    #[test]
    fn shortens_by_characters() {
        assert_eq!(shorten("abc", 3), "abc");
        assert_eq!(shorten("abcd", 3), "abc…");
        assert_eq!(shorten("ééééé", 2), "éé…");
    }
}
