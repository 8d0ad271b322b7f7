//! rest-json building blocks that generated serializers and parsers call: URI labels,
//! query strings, headers, JSON bodies, and reading error responses.

use bytes::Bytes;
use http::header::{HeaderMap, HeaderName, HeaderValue};
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::transport::HttpResponse;

mod wire_json;
pub use wire_json::{json_body_except, json_body_renamed, parse_json_except, JsonNames};

/// RFC 3986 unreserved characters stay; everything else is percent-encoded.
const UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');
/// Greedy labels (`{Key+}`) keep their slashes.
const GREEDY: &AsciiSet = &UNRESERVED.remove(b'/');

/// Appends a URI label value, encoded so that it stays inside its path segment (a value
/// of `../x?y#z` cannot change the path, add a query or a fragment). A value that would
/// change the path anyway is refused, naming the member: an empty one, and `.` or `..`
/// (for a greedy label, any such segment), which URL normalization would resolve into
/// another resource. Percent-encoding does not help: `%2E%2E` is normalized the same way.
pub fn push_label(url: &mut String, value: &str, greedy: bool, member: &str) -> Result<(), String> {
    let is_dots = |segment: &str| segment == "." || segment == "..";
    if value.is_empty() {
        return Err(format!("the URI label member {member} is empty"));
    }
    if if greedy {
        value.split('/').any(is_dots)
    } else {
        is_dots(value)
    } {
        return Err(format!(
            "the URI label member {member} is or holds the path segment \".\" or \"..\", which would change the path"
        ));
    }
    let set = if greedy { GREEDY } else { UNRESERVED };
    url.extend(utf8_percent_encode(value, set));
    Ok(())
}

/// A host label's value: set, and only letters, digits, `-` and `.`, so that it cannot
/// change which host the request goes to.
pub fn host_label<'a>(value: Option<&'a str>, member: &str) -> Result<&'a str, String> {
    match value {
        Some(v)
            if !v.is_empty()
                && v.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.') =>
        {
            Ok(v)
        }
        Some(v) => Err(format!("member {member} ({v:?}) is not a valid host label")),
        None => Err(format!(
            "member {member} is required: it is part of the host name"
        )),
    }
}

/// The endpoint with `prefix` put in front of its host: `https://x.com` + `data-` →
/// `https://data-x.com`.
pub fn with_host_prefix(endpoint: &str, prefix: &str) -> String {
    match endpoint.split_once("://") {
        Some((scheme, rest)) => format!("{scheme}://{prefix}{rest}"),
        None => format!("{prefix}{endpoint}"),
    }
}

/// Appends `name=value` to a query string, with `?` or `&` before it.
pub fn push_query(url: &mut String, name: &str, value: &str) {
    url.push(if url.contains('?') { '&' } else { '?' });
    url.extend(utf8_percent_encode(name, UNRESERVED));
    url.push('=');
    url.extend(utf8_percent_encode(value, UNRESERVED));
}

/// Sets a header from a member value. A value with CR or LF (which could inject headers)
/// or other control characters is refused, naming the member. A `sensitive` value (a
/// bearer token) is marked so on the `HeaderValue`, which keeps it out of `Debug`.
pub fn set_header(
    headers: &mut HeaderMap,
    name: &'static str,
    value: &str,
    member: &str,
    sensitive: bool,
) -> Result<(), String> {
    if value.contains(['\r', '\n']) {
        return Err(format!("member {member} (header {name}) contains a line break, which HTTP headers cannot carry"));
    }
    let mut value = HeaderValue::from_str(value).map_err(|_| {
        format!("member {member} (header {name}) contains characters HTTP headers cannot carry")
    })?;
    value.set_sensitive(sensitive);
    headers.insert(HeaderName::from_static(name), value);
    Ok(())
}

/// Sets `prefix + key` headers from a map member (`location: headers`).
pub fn set_prefixed_header(
    headers: &mut HeaderMap,
    prefix: &str,
    key: &str,
    value: &str,
    member: &str,
) -> Result<(), String> {
    let name = format!("{prefix}{key}");
    let name = HeaderName::from_bytes(name.as_bytes())
        .map_err(|_| format!("member {member}: {name:?} is not a valid header name"))?;
    if value.contains(['\r', '\n']) {
        return Err(format!("member {member} (header {name}) contains a line break, which HTTP headers cannot carry"));
    }
    let value = HeaderValue::from_str(value).map_err(|_| {
        format!("member {member} (header {name}) contains characters HTTP headers cannot carry")
    })?;
    headers.insert(name, value);
    Ok(())
}

/// The part of a header name after `prefix`, compared without case.
pub fn strip_prefix_ignore_case<'a>(name: &'a str, prefix: &str) -> Option<&'a str> {
    let head = name.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &name[prefix.len()..])
}

/// Standard base64, as blobs travel in headers and JSON.
pub fn base64(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// Decodes standard base64 into a blob.
pub fn from_base64(text: &str) -> Option<crate::Blob> {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD
        .decode(text.trim())
        .ok()
        .map(crate::Blob::new)
}

/// A map's entries in key order, so that the same input always makes the same request.
pub fn sorted<K: Ord, V>(map: &std::collections::HashMap<K, V>) -> Vec<(&K, &V)> {
    let mut entries: Vec<(&K, &V)> = map.iter().collect();
    entries.sort_by(|a, b| a.0.cmp(b.0));
    entries
}

/// A float as the protocols write it in text: shortest decimal, `NaN`, `Infinity`, `-Infinity`.
pub fn float_text<F: FloatText>(value: F) -> std::borrow::Cow<'static, str> {
    value.text()
}

/// `f32` and `f64`, each written at its own precision (`1.1f32` is `1.1`, not
/// `1.100000023841858`).
pub trait FloatText: Copy {
    fn text(self) -> std::borrow::Cow<'static, str>;
}

macro_rules! float_text {
    ($t:ty) => {
        impl FloatText for $t {
            fn text(self) -> std::borrow::Cow<'static, str> {
                if self.is_nan() {
                    "NaN".into()
                } else if self == <$t>::INFINITY {
                    "Infinity".into()
                } else if self == <$t>::NEG_INFINITY {
                    "-Infinity".into()
                } else {
                    self.to_string().into()
                }
            }
        }
    };
}
float_text!(f32);
float_text!(f64);

/// A list in one header: items joined by `, `. String items holding `,` or `"` are
/// quoted (`quote_strings`); other items (numbers, HTTP dates) go as they are.
pub fn header_list(items: impl Iterator<Item = String>, quote_strings: bool) -> String {
    let mut out = String::new();
    for (i, item) in items.enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        if quote_strings && item.contains([',', '"']) {
            out.push('"');
            out.push_str(&item.replace('\\', "\\\\").replace('"', "\\\""));
            out.push('"');
        } else {
            out.push_str(&item);
        }
    }
    out
}

/// Splits a list header back into items, honouring quotes. HTTP dates contain a comma
/// of their own, so a list of them is split after each `GMT`.
pub fn split_header_list(value: &str, http_dates: bool) -> Vec<String> {
    if http_dates {
        return value
            .split_inclusive("GMT")
            .map(|item| item.trim_start_matches(',').trim().to_owned())
            .filter(|item| !item.is_empty())
            .collect();
    }
    let mut items = Vec::new();
    let mut current = String::new();
    let mut quoted = false;
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        match c {
            '"' => quoted = !quoted,
            '\\' if quoted => current.extend(chars.next()),
            ',' if !quoted => items.push(std::mem::take(&mut current).trim().to_owned()),
            _ => current.push(c),
        }
    }
    items.push(current.trim().to_owned());
    items
}

/// JSON for timestamp members whose model names a string format (`serialize_with`).
pub mod timestamp_json {
    use crate::DateTime;

    pub fn iso8601<S: serde::Serializer>(
        value: &Option<DateTime>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        match value {
            Some(t) => serializer.serialize_str(&t.to_iso8601()),
            None => serializer.serialize_none(),
        }
    }

    pub fn http_date<S: serde::Serializer>(
        value: &Option<DateTime>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        match value {
            Some(t) => serializer.serialize_str(&t.to_http_date()),
            None => serializer.serialize_none(),
        }
    }
}

/// JSON for float members: numbers, except NaN and the infinities, which JSON cannot
/// hold and the protocols write as the strings `"NaN"`, `"Infinity"`, `"-Infinity"`.
pub mod float_json {
    use super::FloatText;

    /// A float the JSON helpers can read from text.
    pub trait JsonFloat: FloatText + serde::Serialize + std::str::FromStr {
        const NAN: Self;
        const INFINITY: Self;
        const NEG_INFINITY: Self;
        fn is_finite(self) -> bool;
        fn from_f64(value: f64) -> Self;
    }

    impl JsonFloat for f32 {
        const NAN: f32 = f32::NAN;
        const INFINITY: f32 = f32::INFINITY;
        const NEG_INFINITY: f32 = f32::NEG_INFINITY;
        fn is_finite(self) -> bool {
            f32::is_finite(self)
        }
        fn from_f64(value: f64) -> f32 {
            value as f32
        }
    }

    impl JsonFloat for f64 {
        const NAN: f64 = f64::NAN;
        const INFINITY: f64 = f64::INFINITY;
        const NEG_INFINITY: f64 = f64::NEG_INFINITY;
        fn is_finite(self) -> bool {
            f64::is_finite(self)
        }
        fn from_f64(value: f64) -> f64 {
            value
        }
    }

    pub fn serialize<S: serde::Serializer, F: JsonFloat>(
        value: &Option<F>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        match value {
            Some(v) if v.is_finite() => v.serialize(serializer),
            Some(v) => serializer.serialize_str(&v.text()),
            None => serializer.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: serde::Deserializer<'de>, F: JsonFloat>(
        deserializer: D,
    ) -> Result<Option<F>, D::Error> {
        struct Visitor<F>(std::marker::PhantomData<F>);
        impl<F: JsonFloat> serde::de::Visitor<'_> for Visitor<F> {
            type Value = Option<F>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a number, or NaN, Infinity or -Infinity as a string")
            }
            fn visit_unit<E>(self) -> Result<Option<F>, E> {
                Ok(None)
            }
            fn visit_f64<E>(self, v: f64) -> Result<Option<F>, E> {
                Ok(Some(F::from_f64(v)))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Option<F>, E> {
                Ok(Some(F::from_f64(v as f64)))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Option<F>, E> {
                Ok(Some(F::from_f64(v as f64)))
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Option<F>, E> {
                match v {
                    "NaN" => Ok(Some(F::NAN)),
                    "Infinity" => Ok(Some(F::INFINITY)),
                    "-Infinity" => Ok(Some(F::NEG_INFINITY)),
                    other => Err(E::custom(format!("not a number: {other:?}"))),
                }
            }
        }
        deserializer.deserialize_any(Visitor(std::marker::PhantomData))
    }
}

/// Lists and maps in responses are dense: a `null` entry a service sends is dropped
/// rather than failing the whole response (`deserialize_with` on list and map members).
pub mod dense {
    use std::collections::HashMap;
    use std::fmt;
    use std::hash::Hash;
    use std::marker::PhantomData;

    use serde::de::{MapAccess, SeqAccess, Visitor};
    use serde::{Deserialize, Deserializer};

    /// A list without its null entries, read in one pass (no list of options to copy).
    pub fn list<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
        deserializer: D,
    ) -> Result<Option<Vec<T>>, D::Error> {
        Ok(Option::<DenseList<T>>::deserialize(deserializer)?.map(|list| list.0))
    }

    /// A map without its null values, read in one pass.
    pub fn map<'de, D, K, V>(deserializer: D) -> Result<Option<HashMap<K, V>>, D::Error>
    where
        D: Deserializer<'de>,
        K: Deserialize<'de> + Eq + Hash,
        V: Deserialize<'de>,
    {
        Ok(Option::<DenseMap<K, V>>::deserialize(deserializer)?.map(|map| map.0))
    }

    struct DenseList<T>(Vec<T>);

    impl<'de, T: Deserialize<'de>> Deserialize<'de> for DenseList<T> {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            struct Items<T>(PhantomData<T>);
            impl<'de, T: Deserialize<'de>> Visitor<'de> for Items<T> {
                type Value = DenseList<T>;

                fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                    f.write_str("a list")
                }

                fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                    let mut items = Vec::new();
                    while let Some(item) = seq.next_element::<Option<T>>()? {
                        items.extend(item);
                    }
                    Ok(DenseList(items))
                }
            }
            deserializer.deserialize_seq(Items(PhantomData))
        }
    }

    struct DenseMap<K, V>(HashMap<K, V>);

    impl<'de, K, V> Deserialize<'de> for DenseMap<K, V>
    where
        K: Deserialize<'de> + Eq + Hash,
        V: Deserialize<'de>,
    {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            struct Entries<K, V>(PhantomData<(K, V)>);
            impl<'de, K, V> Visitor<'de> for Entries<K, V>
            where
                K: Deserialize<'de> + Eq + Hash,
                V: Deserialize<'de>,
            {
                type Value = DenseMap<K, V>;

                fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                    f.write_str("a map")
                }

                fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                    let mut entries = HashMap::new();
                    while let Some((key, value)) = map.next_entry::<K, Option<V>>()? {
                        if let Some(value) = value {
                            entries.insert(key, value);
                        }
                    }
                    Ok(DenseMap(entries))
                }
            }
            deserializer.deserialize_map(Entries(PhantomData))
        }
    }
}

/// Reads an open enum's value: known values without allocating (the JSON text is
/// borrowed where it has no escapes), anything else kept as sent.
pub fn open_enum<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
    T: for<'a> From<&'a str> + From<String>,
{
    struct Value<T>(std::marker::PhantomData<T>);
    impl<'de, T: for<'a> From<&'a str> + From<String>> serde::de::Visitor<'de> for Value<T> {
        type Value = T;

        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a string")
        }

        fn visit_str<E: serde::de::Error>(self, value: &str) -> Result<T, E> {
            Ok(T::from(value))
        }

        fn visit_string<E: serde::de::Error>(self, value: String) -> Result<T, E> {
            Ok(T::from(value))
        }
    }
    deserializer.deserialize_str(Value(std::marker::PhantomData))
}

/// Sets `Content-MD5` to the base64 MD5 of the body, for operations the model marks
/// `httpChecksumRequired`.
#[cfg(feature = "checksums")]
pub fn set_content_md5(headers: &mut HeaderMap, body: &[u8]) {
    let digest = md5::compute(body);
    if let Ok(value) = HeaderValue::from_str(&base64(&digest.0)) {
        headers.insert(HeaderName::from_static("content-md5"), value);
    }
}

/// Bodies smaller than this are sent as they are (botocore's default
/// `request_min_compression_size_bytes`).
#[cfg(feature = "compression")]
pub const MIN_COMPRESSION_SIZE: usize = 10_240;

/// Gzips the body of a `requestcompression` operation when it is at least
/// [`MIN_COMPRESSION_SIZE`] bytes, adding `gzip` to any `Content-Encoding` already set.
#[cfg(feature = "compression")]
pub fn compress_body(headers: &mut HeaderMap, body: Bytes) -> Bytes {
    use std::io::Write;
    if body.len() < MIN_COMPRESSION_SIZE {
        return body;
    }
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    let Ok(compressed) = encoder.write_all(&body).and_then(|()| encoder.finish()) else {
        return body;
    };
    let encoding = match headers
        .get(http::header::CONTENT_ENCODING)
        .map(|v| v.to_str())
    {
        Some(Ok(existing)) if !existing.trim().is_empty() => format!("{existing}, gzip"),
        _ => "gzip".to_owned(),
    };
    if let Ok(value) = HeaderValue::from_str(&encoding) {
        headers.insert(http::header::CONTENT_ENCODING, value);
    }
    Bytes::from(compressed)
}

/// Serializes a request body.
pub fn json_body<T: Serialize>(value: &T) -> Result<Bytes, String> {
    serde_json::to_vec(value)
        .map(Bytes::from)
        .map_err(|e| format!("cannot serialize the request body: {e}"))
}

/// Parses a response body into `T`; an empty body counts as `{}` (services omit empty
/// outputs). The message names what did not fit, with its line and column.
pub fn parse_json<T: DeserializeOwned>(body: &[u8]) -> Result<T, String> {
    serde_json::from_slice(object_text(body)).map_err(not_the_model)
}

/// A response body to read as an object: an empty one counts as `{}`.
fn object_text(body: &[u8]) -> &[u8] {
    if body.iter().all(u8::is_ascii_whitespace) {
        b"{}"
    } else {
        body
    }
}

/// The error of a response body that does not fit its type.
fn not_the_model(error: serde_json::Error) -> String {
    format!("response body does not match the model: {error}")
}

/// What an error response says about itself.
#[derive(Debug, Default)]
pub struct ErrorParts {
    pub code: Option<String>,
    pub message: Option<String>,
    /// False when the body is neither empty nor JSON (an HTML page from a proxy).
    pub body_is_json: bool,
}

/// Reads the error code and message, tolerating what services and proxies really send
/// (members of other types, both spellings of a key, extra members): the code from
/// `X-Amzn-ErrorType`, else the first string among the body's `code`, `Code` and
/// `__type`; the message from the first non-empty string among `message`, `Message` and
/// `errorMessage`.
pub fn error_parts(response: &HttpResponse) -> ErrorParts {
    let body_empty = response.body.iter().all(u8::is_ascii_whitespace);
    let body: Option<serde_json::Value> = if body_empty {
        None
    } else {
        serde_json::from_slice(&response.body).ok()
    };
    let first_string = |keys: &[&str]| {
        let fields = body.as_ref()?.as_object()?;
        keys.iter()
            .filter_map(|key| fields.get(*key)?.as_str())
            .find(|text| !text.trim().is_empty())
            .map(str::to_owned)
    };
    let code = response
        .header("x-amzn-errortype")
        .map(str::to_owned)
        .or_else(|| first_string(&["code", "Code", "__type"]))
        .map(|c| sanitize_error_code(&c))
        .filter(|c| !c.is_empty());
    ErrorParts {
        code,
        message: first_string(&["message", "Message", "errorMessage"]),
        body_is_json: body_empty || body.is_some(),
    }
}

/// [`parse_error_body`] with the response's metadata kept in the exception, wrapped in
/// the operation's error variant (`E::ThrottlingException`).
pub fn modeled_error<T: DeserializeOwned + crate::ModeledError, E>(
    body: &[u8],
    meta: &crate::ErrorMetadata,
    variant: fn(T) -> E,
) -> Result<E, String> {
    let mut error: T = parse_error_body(body, meta.message())?;
    error.set_error_meta(meta.clone());
    Ok(variant(error))
}

/// Reads a modeled error's body into its type. When the body does not fit the model
/// (not JSON, an empty body, `message` and `Message` both, a member of the wrong type),
/// the error is still the modeled one: the members that do fit are kept, and its message
/// is the one [`error_parts`] found.
pub fn parse_error_body<T: DeserializeOwned>(
    body: &[u8],
    message: Option<&str>,
) -> Result<T, String> {
    if let Ok(parsed) = parse_json(body) {
        return Ok(parsed);
    }
    let mut fields = match serde_json::from_slice(body) {
        Ok(serde_json::Value::Object(fields)) => fields,
        _ => serde_json::Map::new(),
    };
    for key in ["message", "Message", "errorMessage"] {
        fields.remove(key);
    }
    if let Some(message) = message {
        fields.insert("Message".to_owned(), message.into());
    }
    T::deserialize(&serde_json::Value::Object(fields)).or_else(|_| {
        // A member of the wrong type: keep only the message.
        let only_message = serde_json::json!({ "Message": message });
        T::deserialize(&only_message)
            .map_err(|e| format!("error body does not match the model: {e}"))
    })
}

/// `aws.protocoltests#FooError:http://internal...` → `FooError`.
pub fn sanitize_error_code(raw: &str) -> String {
    let before_colon = raw.split(':').next().unwrap_or(raw);
    let after_hash = before_colon.rsplit('#').next().unwrap_or(before_colon);
    after_hash.trim().to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dense_lists_and_maps_drop_nulls_in_one_pass() {
        #[derive(serde::Deserialize)]
        struct Out {
            #[serde(default, deserialize_with = "dense::list")]
            list: Option<Vec<u32>>,
            #[serde(default, deserialize_with = "dense::map")]
            map: Option<std::collections::HashMap<String, u32>>,
        }
        let out: Out =
            serde_json::from_str(r#"{"list":[1,null,2],"map":{"a":1,"b":null}}"#).unwrap();
        assert_eq!(out.list, Some(vec![1, 2]));
        assert_eq!(out.map, Some([("a".to_owned(), 1)].into()));
        let out: Out = serde_json::from_str(r#"{"list":null,"map":null}"#).unwrap();
        assert_eq!((out.list, out.map), (None, None));
        assert!(serde_json::from_str::<Out>(r#"{"list":{"a":1}}"#).is_err());
        assert!(serde_json::from_str::<Out>(r#"{"map":[1]}"#).is_err());
    }

    #[test]
    fn open_enums_read_known_escaped_and_unknown_values() {
        #[derive(Debug, PartialEq)]
        enum Color {
            Red,
            Unknown(String),
        }
        impl From<&str> for Color {
            fn from(value: &str) -> Self {
                match value {
                    "RED" => Color::Red,
                    other => Color::Unknown(other.to_owned()),
                }
            }
        }
        impl From<String> for Color {
            fn from(value: String) -> Self {
                Color::from(value.as_str())
            }
        }
        let read = |json: &str| {
            let mut deserializer = serde_json::Deserializer::from_str(json);
            open_enum::<_, Color>(&mut deserializer)
        };
        assert_eq!(read(r#""RED""#).unwrap(), Color::Red);
        // An escape makes serde_json hand over an owned string.
        assert_eq!(read(r#""R\u0045D""#).unwrap(), Color::Red);
        assert_eq!(
            read(r#""BLUE""#).unwrap(),
            Color::Unknown("BLUE".to_owned())
        );
        assert!(read("7").is_err());
    }

    #[test]
    fn labels_stay_inside_their_segment() {
        let mut url = String::from("https://h/participant/views/");
        push_label(&mut url, "../x?y#z", false, "ViewToken").unwrap();
        assert_eq!(url, "https://h/participant/views/..%2Fx%3Fy%23z");
        let mut greedy = String::from("/");
        push_label(&mut greedy, "a/b c", true, "Key").unwrap();
        assert_eq!(greedy, "/a/b%20c");
        push_label(&mut greedy, "a..b/.c/d.", true, "Key").unwrap();
    }

    #[test]
    fn labels_that_would_change_the_path_are_refused() {
        for (value, greedy) in [
            ("", false),
            (".", false),
            ("..", false),
            ("", true),
            ("..", true),
            ("a/../b", true),
            ("a/.", true),
            ("./a", true),
        ] {
            let mut url = String::from("https://h/p/");
            let error = push_label(&mut url, value, greedy, "ViewToken").unwrap_err();
            assert!(error.contains("ViewToken"), "{error}");
            assert_eq!(url, "https://h/p/", "nothing appended for {value:?}");
        }
        // A dot-segment only in a non-greedy label's value is encoded, so it stays inside
        // its segment.
        let mut url = String::new();
        push_label(&mut url, "../a", false, "ViewToken").unwrap();
        assert_eq!(url, "..%2Fa");
    }

    #[test]
    fn query_strings_are_encoded() {
        let mut url = String::from("https://h/p");
        push_query(&mut url, "a b", "c&d");
        push_query(&mut url, "e", "é");
        assert_eq!(url, "https://h/p?a%20b=c%26d&e=%C3%A9");
    }

    #[test]
    fn header_injection_is_refused() {
        let mut headers = HeaderMap::new();
        let error = set_header(
            &mut headers,
            "x-amz-bearer",
            "t\r\nX-Evil: 1",
            "ConnectionToken",
            true,
        )
        .unwrap_err();
        assert!(error.contains("ConnectionToken"), "{error}");
        assert!(headers.is_empty());
        set_header(
            &mut headers,
            "x-amz-bearer",
            "secret",
            "ConnectionToken",
            true,
        )
        .unwrap();
        assert!(headers["x-amz-bearer"].is_sensitive());
        assert!(!format!("{headers:?}").contains("secret"));
        set_header(&mut headers, "x-other", "plain", "Other", false).unwrap();
        assert!(!headers["x-other"].is_sensitive());
    }

    #[test]
    fn header_lists_quote_and_split() {
        let items = ["b,c", "\"def\"", "a"].map(String::from);
        let joined = header_list(items.clone().into_iter(), true);
        assert_eq!(joined, r#""b,c", "\"def\"", a"#);
        assert_eq!(split_header_list(&joined, false), items);
        let dates = "Mon, 16 Dec 2019 23:48:18 GMT, Tue, 17 Dec 2019 23:48:18 GMT";
        assert_eq!(split_header_list(dates, true).len(), 2);
        assert_eq!(float_text(1.1f32), "1.1");
        assert_eq!(float_text(f64::NEG_INFINITY), "-Infinity");
    }

    #[test]
    fn error_codes_are_sanitized() {
        assert_eq!(
            sanitize_error_code("aws.protocoltests.restjson#FooError:http://internal.amazon.com/"),
            "FooError"
        );
        assert_eq!(sanitize_error_code("FooError"), "FooError");
        assert_eq!(sanitize_error_code("FooError:http://x"), "FooError");
    }

    fn response(headers: &[(&'static str, &str)], body: &str) -> HttpResponse {
        let mut map = HeaderMap::new();
        for (k, v) in headers {
            map.insert(
                HeaderName::from_static(k),
                HeaderValue::from_str(v).unwrap(),
            );
        }
        HttpResponse {
            status: 400,
            headers: map,
            body: Bytes::from(body.to_owned()),
        }
    }

    #[test]
    fn the_header_code_wins_then_code_then_type() {
        let r = response(
            &[("x-amzn-errortype", "A:x")],
            r#"{"code":"B","__type":"C","Message":"m"}"#,
        );
        let parts = error_parts(&r);
        assert_eq!(parts.code.as_deref(), Some("A"));
        assert_eq!(parts.message.as_deref(), Some("m"));
        let parts = error_parts(&response(&[], r#"{"code":"B","__type":"C"}"#));
        assert_eq!(parts.code.as_deref(), Some("B"));
        let parts = error_parts(&response(&[], r#"{"__type":"ns#C","errorMessage":"e"}"#));
        assert_eq!(
            (parts.code.as_deref(), parts.message.as_deref()),
            (Some("C"), Some("e"))
        );
        let parts = error_parts(&response(&[], "<html>Bad Gateway</html>"));
        assert!(!parts.body_is_json);
        assert_eq!(parts.code, None);
    }

    #[test]
    fn error_bodies_are_read_leniently() {
        // A non-string code gives way to the next key; both spellings of the message.
        let parts = error_parts(&response(
            &[],
            r#"{"code":400,"__type":"T","message":"","Message":"best","extra":[1]}"#,
        ));
        assert_eq!(parts.code.as_deref(), Some("T"));
        assert_eq!(parts.message.as_deref(), Some("best"));
        let parts = error_parts(&response(&[("x-amzn-errortype", "A")], "not json"));
        assert_eq!(parts.code.as_deref(), Some("A"));
        assert!(!parts.body_is_json);
    }

    #[derive(Debug, serde::Deserialize, PartialEq)]
    struct Modeled {
        #[serde(rename = "Message", alias = "message")]
        message: Option<String>,
        #[serde(rename = "Reason")]
        reason: Option<String>,
    }

    #[test]
    fn a_modeled_error_body_that_does_not_fit_still_reads() {
        let read = |body: &str, message| parse_error_body::<Modeled>(body.as_bytes(), message);
        let both = r#"{"message":"a","Message":"b","Reason":"r"}"#;
        assert_eq!(
            read(both, Some("a")).unwrap(),
            Modeled {
                message: Some("a".into()),
                reason: Some("r".into())
            }
        );
        let wrong_type = r#"{"Message":"m","Reason":7}"#;
        assert_eq!(
            read(wrong_type, Some("m")).unwrap(),
            Modeled {
                message: Some("m".into()),
                reason: None
            }
        );
        for body in ["", "<html>", "[1,2]", "null"] {
            assert_eq!(
                read(body, None).unwrap(),
                Modeled {
                    message: None,
                    reason: None
                },
                "{body:?}"
            );
        }
    }
}
